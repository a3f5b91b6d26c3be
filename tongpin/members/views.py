"""Roster pages. Views parse the request, call services and render; every queryset is scoped."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tongpin.core.access import domain_view
from tongpin.core.audit import record_event
from tongpin.core.excel import export_xlsx, xlsx_response
from tongpin.core.models import AuditEvent
from tongpin.core.scoping import CHANGE, VIEW
from tongpin.core.views import render_history

from . import excel, services
from .filtersets import MemberFilterSet
from .forms import ImportForm, MemberForm, TransferForm
from .models import CommitteePost, Member

PAGE_SIZE = 50
LIST_FIELDS = (
    "name",
    "gender",
    "id_number_masked",
    "status",
    "full_member_on",
    "joined_on",
    "is_leading_cadre",
    "education",
    "post",
    "branch__name",
    "branch__path",
    "group__name",
    "department__name",
)


def _members(user, action=VIEW):
    return Member.objects.restrict(user, action).select_related("branch", "group", "department")


def _visible_member(request, pk) -> Member:
    """The member if the user may see them; 404 otherwise (no hint that the record exists)."""
    return get_object_or_404(_members(request.user), pk=pk)


def _changeable_member(request, pk) -> Member:
    """404 if out of sight, 403 if visible but not the user's to change."""
    member = _visible_member(request, pk)
    if not services.can_change_member(request.user, member):
        raise PermissionDenied
    return member


def _partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@domain_view
@require_safe
def member_list(request):
    filterset = MemberFilterSet(
        request.GET or None,
        queryset=_members(request.user).only(*LIST_FIELDS),
        request=request,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    page.object_list = list(page.object_list)
    for member in page.object_list:
        member.standing = member.party_standing_years(today)  # rule DEV-16
    context = {
        "filterset": filterset,
        "page": page,
        "can_create": services.has_change_scope(request.user),
    }
    template = "members/_member_table.html" if _partial(request) else "members/member_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _export_row(member: Member, today, id_number=None):
    return [
        member.name,
        member.get_gender_display(),
        member.ethnicity,
        member.birth_date,
        id_number or member.id_number_masked,
        member.get_education_display(),
        member.applied_on,
        member.joined_on,
        member.full_member_on,
        member.get_status_display(),
        member.branch.name,
        member.group.name if member.group_id else "",
        member.department.name if member.department_id else "",
        member.post,
        member.get_job_level_display(),
        member.is_leading_cadre,
        member.phone_masked,
        member.party_standing_years(today) if member.full_member_on else "",
    ]


@domain_view
@require_safe
def member_export(request):
    """The filtered list as .xlsx in the roster's columns (masked ID numbers unless asked)."""
    filterset = MemberFilterSet(
        request.GET or None, queryset=_members(request.user), request=request
    )
    members = filterset.qs
    full_id = request.GET.get("full_id") == "1"
    if full_id:
        # full ID numbers only for a list the user may change in whole (security.md)
        changeable = MemberFilterSet(
            request.GET, queryset=_members(request.user, CHANGE), request=request
        ).qs
        total = members.count()
        if not services.has_change_scope(request.user) or changeable.count() != total:
            raise PermissionDenied
        record_event(
            AuditEvent.Kind.REVEAL,
            request=request,
            summary=_("Full ID numbers exported: %(n)d") % {"n": total},
            detail={"rows": total, "path": request.get_full_path()},
        )
    today = timezone.localdate()
    headers = [column.header for column in excel.COLUMNS] + [_("Party standing (years)")]
    rows = (_export_row(member, today, member.id_number if full_id else None) for member in members)
    return export_xlsx(request, title=_("Member roster"), headers=headers, rows=rows)


@domain_view
@require_safe
def member_detail(request, pk):
    member = _visible_member(request, pk)
    return render(request, "members/member_detail.html", _detail_context(request, member))


def _detail_context(request, member, revealed=None):
    user = request.user
    today = timezone.localdate()
    return {
        "member": member,
        "today": today,
        "standing": member.party_standing_years(today),
        "age": member.age(today),
        "can_change": services.can_change_member(user, member),
        "branch_chain": member.branch.ancestors_and_self(),
        "posts": CommitteePost.objects.restrict(user)
        .filter(member=member)
        .select_related("organization", "term"),
        "transfers": services.transfers_for(user).filter(member=member),
        "revealed": revealed,
    }


@domain_view
@require_POST
def member_reveal(request, pk):
    """Full ID and phone numbers for users who may change the member (audited either way)."""
    member = _visible_member(request, pk)
    revealed = services.reveal_identity(member, user=request.user)
    if _partial(request):
        return render(request, "members/_identity.html", {"member": member, "revealed": revealed})
    context = _detail_context(request, member, revealed=revealed)
    return render(request, "members/member_detail.html", context)


@domain_view
@require_safe
def member_history(request, pk):
    member = _visible_member(request, pk)
    return render_history(request, member, back_url=reverse("members:detail", args=[member.pk]))


@domain_view
def member_create(request):
    if not services.has_change_scope(request.user):
        raise PermissionDenied
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member = form.save()
        except ValidationError:
            pass  # the errors are on the form
        else:
            messages.success(request, _("%(name)s was added to the roster.") % {"name": member})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": None})


@domain_view
def member_edit(request, pk):
    member = _changeable_member(request, pk)
    form = MemberForm(request.POST or None, user=request.user, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError:
            pass
        else:
            messages.success(request, _("The record of %(name)s was saved.") % {"name": member})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": member})


@domain_view
def member_transfer(request, pk):
    member = _changeable_member(request, pk)
    form = TransferForm(request.POST or None, member=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = form.save()
        except ValidationError:
            pass
        else:
            messages.success(
                request,
                _("%(name)s was transferred to %(branch)s.")
                % {"name": member.name, "branch": transfer.to_branch},
            )
            # the source branch may no longer see the member: land on the transfer list
            return redirect("members:transfers")
    return render(request, "members/transfer_form.html", {"form": form, "member": member})


@domain_view
@require_safe
def transfer_list(request):
    transfers = services.transfers_for(request.user)
    page = Paginator(transfers, PAGE_SIZE).get_page(request.GET.get("page"))
    member_ids = {t.member_id for t in page}
    visible = set(
        Member.objects.restrict(request.user).filter(pk__in=member_ids).values_list("pk", flat=True)
    )
    return render(request, "members/transfer_list.html", {"page": page, "visible": visible})


@domain_view
@require_safe
def roster_template(request):
    if not services.has_change_scope(request.user):
        raise PermissionDenied
    workbook = services.roster_template(request.user)
    return xlsx_response(_("Member roster import template") + ".xlsx", workbook)


@domain_view
def roster_import(request):
    if not services.has_change_scope(request.user):
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.import_roster(
            upload,
            user=request.user,
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.ok and not report.dry_run:
            messages.success(request, report.summary())
    context = {
        "form": form,
        "report": report,
        "columns": excel.COLUMNS,
        "limits": excel.limits(),
    }
    return render(request, "members/import.html", context)
