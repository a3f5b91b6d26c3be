"""Pages of the directives domain. Views parse the request, call ``services`` and render; every
queryset shown or exported goes through ``restrict``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongpin.core.access import domain_view
from tongpin.core.excel import export_xlsx
from tongpin.core.scoping import CHANGE
from tongpin.core.views import render_history, scoped_get
from tongpin.work import services as work_services
from tongpin.work.models import STATE_COLOURS, PartyTask, TaskCategory, WorkState

from . import forms, services
from .models import Directive

PAGE_SIZE = 50


def _task_count(user):
    """The directive's tasks the reader follows: those they see, or whose copy they see (a
    branch follows the committee's task through its own copy)."""
    visible = PartyTask.objects.restrict(user).values("pk")
    return Count(
        "tasks", filter=Q(tasks__in=visible) | Q(tasks__children__in=visible), distinct=True
    )


def _directives(request):
    return (
        Directive.objects.restrict(request.user)
        .select_related("organization")
        .annotate(task_count=_task_count(request.user))
        .order_by("-issued_on", "-pk")
    )


@domain_view
@require_GET
def directive_list(request):
    page = Paginator(_directives(request), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directives/list.html",
        {"page": page, "can_create": work_services.has_change_scope(request.user)},
    )


@domain_view
@require_GET
def directive_export(request):
    return export_xlsx(
        request,
        title=_("Directives"),
        headers=[
            _("Directive"),
            _("Issuing body"),
            _("Issuing level"),
            _("Issued on"),
            _("Registered by"),
            _("Organizations implementing it"),
            _("Party tasks"),
        ],
        rows=(
            [
                d.title,
                d.source,
                d.get_level_display(),
                d.issued_on,
                d.organization.name,
                "；".join(org.name for org in d.targets.all()),
                d.task_count,
            ]
            for d in _directives(request).prefetch_related("targets")
        ),
    )


def _fields(form) -> dict:
    return {name: form.cleaned_data.get(name) for name in services.DIRECTIVE_FIELDS}


@domain_view
@require_http_methods(["GET", "POST"])
def directive_create(request):
    user = request.user
    if not work_services.has_change_scope(user):
        raise PermissionDenied
    form = forms.DirectiveForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        fields = _fields(form)
        try:
            if form.cleaned_data.get("document"):
                # the text is read from the file, and the file kept as the original
                fields.pop("text")
                directive = services.create_directive_from_document(
                    user=user,
                    organization=form.cleaned_data["organization"],
                    targets=form.cleaned_data["targets"],
                    document=form.cleaned_data["document"],
                    **fields,
                )
            else:
                directive = services.create_directive(
                    user=user,
                    organization=form.cleaned_data["organization"],
                    targets=form.cleaned_data["targets"],
                    **fields,
                )
        except ValidationError as error:
            form.add_errors(error, default_field="document")
        else:
            messages.success(request, _("The directive has been registered."))
            return redirect("directives:detail", pk=directive.pk)
    return render(
        request, "directives/form.html", {"form": form, "title": _("Register a directive")}
    )


def _states():
    return [(state.value, state.label, STATE_COLOURS[state]) for state in WorkState]


@domain_view
@require_GET
def directive_detail(request, pk):
    directive = scoped_get(Directive, request.user, pk)
    # 第一议题: meetings and study sessions that studied it first, and which targets have
    studies = services.first_item_studies(directive, request.user)
    return render(
        request,
        "directives/detail.html",
        {
            "directive": directive,
            "targets": list(directive.targets.order_by("path")),
            "rows": services.loop_rows(directive, request.user),
            "studies": studies,
            "target_studies": services.first_item_by_target(directive, request.user, studies),
            "can_change": services.can_change(request.user, directive),
            "originals": services.original_documents(directive),
        },
    )


@domain_view
@require_http_methods(["GET", "POST"])
def directive_edit(request, pk):
    """Title, source, level, date, text and targets; a new document replaces the text."""
    user = request.user
    directive = scoped_get(Directive, user, pk, CHANGE)
    form = forms.DirectiveEditForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        instance=directive,
        initial={"targets": list(directive.targets.all())},
    )
    if request.method == "POST" and form.is_valid():
        fields = _fields(form)
        directive = Directive.objects.get(pk=directive.pk)  # unchanged by the form's parsing
        try:
            if form.cleaned_data.get("document"):
                fields.pop("text")
                services.update_directive_from_document(
                    directive,
                    form.cleaned_data["document"],
                    user=user,
                    targets=form.cleaned_data["targets"],
                    **fields,
                )
            else:
                services.update_directive(
                    directive, user=user, targets=form.cleaned_data["targets"], **fields
                )
        except ValidationError as error:
            form.add_errors(error, default_field="document")
        else:
            messages.success(request, _("The directive has been saved."))
            return redirect("directives:detail", pk=directive.pk)
    return render(
        request,
        "directives/form.html",
        {"form": form, "title": _("Edit the directive"), "directive": directive},
    )


@domain_view
@require_GET
def directive_original(request, pk, attachment):
    """Download an original document of a directive the user reads."""
    directive = scoped_get(Directive, request.user, pk)
    item = services.original_documents(directive).filter(pk=attachment).first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@domain_view
@require_GET
def directive_history(request, pk):
    directive = scoped_get(Directive, request.user, pk)
    return render_history(
        request, directive, back_url=reverse("directives:detail", args=[directive.pk])
    )


def _accepted(post) -> list[services.AcceptedItem]:
    """The rows the user kept, with their edited titles and categories."""
    items = []
    count = post.get("item-count", "")
    for index in range(min(int(count), 500) if count.isdigit() else 0):
        if not post.get(f"item-{index}-accept"):
            continue
        title = post.get(f"item-{index}-title", "").strip()
        category = post.get(f"item-{index}-category", "")
        if title and category in TaskCategory.values:
            items.append(
                services.AcceptedItem(
                    title=title[:200],
                    category=category,
                    sentence=post.get(f"item-{index}-sentence", "")[:2000],
                )
            )
    return items


@domain_view
@require_http_methods(["GET", "POST"])
def directive_ingest(request, pk):
    """Paste or upload the text, then accept, edit or discard each proposed action item."""
    user = request.user
    directive = scoped_get(Directive, user, pk, CHANGE)
    text_form = forms.IngestForm()
    accept_form = forms.AcceptForm(user=user, directive=directive)
    if request.method == "POST" and request.POST.get("action") == "propose":
        text_form = forms.IngestForm(request.POST, request.FILES)
        if text_form.is_valid():
            try:
                if text_form.cleaned_data.get("document"):
                    # the file is kept as the directive's original too
                    services.update_directive_from_document(
                        directive, text_form.cleaned_data["document"], user=user
                    )
                else:
                    text = services.ingest.clean_text(text_form.cleaned_data["text"])
                    if not text:
                        raise ValidationError({"text": _("Paste the text or upload a file.")})
                    services.update_directive(directive, user=user, text=text)
            except ValidationError as error:
                text_form.add_errors(error, default_field="document")
            else:
                return redirect("directives:ingest", pk=directive.pk)
    elif request.method == "POST":
        accept_form = forms.AcceptForm(request.POST, user=user, directive=directive)
        items = _accepted(request.POST)
        if accept_form.is_valid():
            try:
                tasks = services.create_tasks(
                    directive,
                    user=user,
                    items=items,
                    deadline=accept_form.cleaned_data["deadline"],
                    deploy=accept_form.cleaned_data["deploy"],
                    goals=accept_form.cleaned_data["goals"],
                )
            except ValidationError as error:
                accept_form.add_errors(error)
            else:
                messages.success(
                    request, _("%(n)d party tasks have been created.") % {"n": len(tasks)}
                )
                return redirect("directives:detail", pk=directive.pk)
    return render(
        request,
        "directives/ingest.html",
        {
            "directive": directive,
            "text_form": text_form,
            "accept_form": accept_form,
            "items": services.proposals(directive),
            "categories": TaskCategory.choices,
            "targets": list(directive.targets.order_by("path")),
        },
    )
