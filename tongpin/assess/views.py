from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongpin.core.access import domain_view
from tongpin.core.audit import record_event
from tongpin.core.excel import export_xlsx
from tongpin.core.models import AuditEvent
from tongpin.core.scoping import CHANGE, scope_of
from tongpin.core.services import attachments_of
from tongpin.core.views import scoped_get

from . import feedback as feedback_report
from . import rectification, services
from .forms import (
    ItemForm,
    LoopReportForm,
    ManualScoreForm,
    MeasuresForm,
    RectificationForm,
    RunForm,
    SecretaryReportForm,
    SystemForm,
    VerifyForm,
)
from .models import (
    AssessmentRun,
    IndicatorItem,
    IndicatorSystem,
    ItemKind,
    RectificationItem,
    RunStatus,
    Scale,
    Score,
    TemplateKind,
)


def _may_start(user) -> bool:
    scope = scope_of(user, CHANGE)
    return scope.everything or bool(scope.org_paths)


@domain_view
@require_GET
def run_list(request):
    return render(
        request,
        "assess/run_list.html",
        {
            "runs": services.visible_runs(request.user),
            "may_start": _may_start(request.user),
            "may_edit_systems": services.may_edit_systems(request.user),
        },
    )


@domain_view
@require_http_methods(["GET", "POST"])
def run_start(request):
    if not _may_start(request.user):
        raise PermissionDenied
    services.ensure_templates()
    start, end = services.default_period(timezone.localdate())
    form = RunForm(
        request.POST or None,
        user=request.user,
        initial={"period_start": start, "period_end": end},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = services.start_run(
            data["system"],
            data["organization"],
            (data["period_start"], data["period_end"]),
            request.user,
        )
        return redirect("assess:run", pk=run.pk)
    return render(request, "assess/run_form.html", {"form": form})


def _visible_run(user, pk) -> AssessmentRun:
    return get_object_or_404(services.visible_runs(user), pk=pk)


@domain_view
@require_GET
def run_detail(request, pk):
    run = _visible_run(request.user, pk)
    tops, leaves, rows = services.table(run, request.user)
    return render(
        request,
        "assess/run_detail.html",
        {
            "run": run,
            "tops": tops,
            "leaves": leaves,
            "rows": rows,
            "may_rank": run.status == RunStatus.CLOSED,
            "may_close": run.status == RunStatus.OPEN
            and AssessmentRun.objects.restrict(request.user, CHANGE).filter(pk=run.pk).exists(),
        },
    )


@domain_view
@require_POST
def run_close(request, pk):
    run = scoped_get(AssessmentRun, request.user, pk, CHANGE)
    services.close_run(run, request.user)
    return redirect("assess:run", pk=run.pk)


@domain_view
@require_GET
def run_export(request, pk):
    run = _visible_run(request.user, pk)
    tops, leaves, rows = services.table(run, request.user)
    headers = [
        _("Organization"),
        *[str(top.label) for top in tops],
        *[str(leaf.label) for leaf in leaves],
        _("Weighted total"),
    ]
    lines = [
        [
            row.organization.name,
            *row.tops,
            *[score.value if score else None for score in row.scores],
            row.total,
        ]
        for row in rows
    ]
    return export_xlsx(request, title=str(run.system), headers=headers, rows=lines)


@domain_view
@require_GET
def score_detail(request, pk):
    score = get_object_or_404(
        Score.objects.restrict(request.user).select_related("run__system", "organization", "item"),
        pk=pk,
    )
    return render(
        request,
        "assess/score_detail.html",
        {
            "score": score,
            "evidence": services.record_links(services.drill_down(score)),
            "files": attachments_of(score),
            "may_raise": rectification.may_create_for(request.user, score.organization, score.run),
        },
    )


# ---- one organization in a run: scores, manual entry, report, problems, rectification ----------


def _run_and_organization(user, pk, org_pk):
    """The run and the organization, if the user reads some score of it in the run."""
    from tongpin.orgs.models import Organization

    run = _visible_run(user, pk)
    if not Score.objects.restrict(user).filter(run=run, organization_id=org_pk).exists():
        raise Http404
    return run, get_object_or_404(Organization, pk=org_pk)


def _feedback_context(request, run, organization, forms=None):
    data = feedback_report.feedback(run, organization, request.user)
    may_score = services.may_score(request.user, run, organization)
    forms = forms or {}
    lines = []
    for score in data.scores:
        manual = score.item.kind == ItemKind.MANUAL
        form = None
        if manual and may_score:
            form = forms.get(score.item_id) or ManualScoreForm(
                item=score.item,
                prefix=f"item{score.item_id}",
                initial={"points": score.points, "grade": score.grade, "note": score.note},
            )
        lines.append(
            {
                "score": score,
                "summary": feedback_report.summary(score),
                "form": form,
                "files": attachments_of(score) if manual else [],
            }
        )
    report_form = None
    if services.may_enter_report(request.user, run, organization):
        report_form = forms.get("report") or SecretaryReportForm(
            initial={"text": data.report.text if data.report else ""}
        )
    return {
        "run": run,
        "organization": organization,
        "data": data,
        "lines": lines,
        "report_form": report_form,
        # JG-15 runs (the template or a copy of it: items graded by reviewers)
        "is_review": run.system.template == TemplateKind.SECRETARY_REVIEW
        or run.system.items.filter(kind=ItemKind.MANUAL, scale=Scale.GRADE).exists(),
        "may_raise": rectification.may_create_for(request.user, organization, run),
    }


@domain_view
@require_GET
def feedback(request, pk, org_pk):
    run, organization = _run_and_organization(request.user, pk, org_pk)
    return render(request, "assess/feedback.html", _feedback_context(request, run, organization))


@domain_view
@require_POST
def score_enter(request, pk, org_pk, item_pk):
    run, organization = _run_and_organization(request.user, pk, org_pk)
    if not services.may_score(request.user, run, organization):
        raise PermissionDenied
    item = get_object_or_404(IndicatorItem, pk=item_pk, system=run.system, kind=ItemKind.MANUAL)
    form = ManualScoreForm(request.POST, request.FILES, item=item, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            services.enter_score(
                run,
                organization,
                item,
                user=request.user,
                points=form.cleaned_data.get("points"),
                grade=form.cleaned_data.get("grade", ""),
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            form.add_errors(error, None)
        else:
            messages.success(request, _("Saved."))
            return redirect("assess:feedback", pk=run.pk, org_pk=organization.pk)
    context = _feedback_context(request, run, organization, {item.pk: form})
    return render(request, "assess/feedback.html", context, status=400)


@domain_view
@require_POST
def secretary_report(request, pk, org_pk):
    run, organization = _run_and_organization(request.user, pk, org_pk)
    if not services.may_enter_report(request.user, run, organization):
        raise PermissionDenied
    form = SecretaryReportForm(request.POST)
    if form.is_valid():
        services.save_secretary_report(
            run, organization, user=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Saved."))
        return redirect("assess:feedback", pk=run.pk, org_pk=organization.pk)
    context = _feedback_context(request, run, organization, {"report": form})
    return render(request, "assess/feedback.html", context, status=400)


@domain_view
@require_GET
def feedback_export(request, pk, org_pk):
    run, organization = _run_and_organization(request.user, pk, org_pk)
    data = feedback_report.feedback(run, organization, request.user)
    headers, rows = feedback_report.rows_for_excel(data)
    return export_xlsx(
        request, title=f"{organization.name} {run.system.name}", headers=headers, rows=rows
    )


@domain_view
@require_GET
def feedback_docx(request, pk, org_pk):
    run, organization = _run_and_organization(request.user, pk, org_pk)
    data = feedback_report.feedback(run, organization, request.user)
    content = feedback_report.feedback_docx(data)
    record_event(
        AuditEvent.Kind.EXPORT,
        request=request,
        summary=f"{organization.name} {run.system.name}.docx",
        detail={"title": str(run.system.name), "path": request.get_full_path()},
    )
    response = HttpResponse(content, content_type=feedback_report.DOCX_TYPE)
    filename = f"feedback-{run.pk}-{organization.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- rectification items ------------------------------------------------------------------------


@domain_view
@require_http_methods(["GET", "POST"])
def rectification_create(request, pk, org_pk):
    run, organization = _run_and_organization(request.user, pk, org_pk)
    if not rectification.may_create_for(request.user, organization, run):
        raise PermissionDenied
    score = None
    score_pk = request.GET.get("score") or request.POST.get("score")
    if score_pk and str(score_pk).isdigit():
        score = Score.objects.filter(run=run, organization=organization, pk=score_pk).first()
    initial = {"deadline": timezone.localdate() + timezone.timedelta(days=30)}
    if score is not None:
        initial["problem"] = _("%(item)s scored %(value)s.") % {
            "item": score.item.label,
            "value": score.value,
        }
    form = RectificationForm(request.POST or None, organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = rectification.create_item(
                organization, user=request.user, run=run, score=score, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_errors(error, None)
        else:
            return redirect("assess:rectification", pk=item.pk)
    return render(
        request,
        "assess/form.html",
        {
            "form": form,
            "title": _("New rectification item: %(organization)s")
            % {"organization": organization.name},
            "hidden": {"score": score.pk} if score else {},
            "back": reverse_feedback(run, organization),
        },
    )


@domain_view
@require_POST
def rectification_propose(request, pk, org_pk, score_pk):
    """One click on a problem found: the item is made from the score (problem text, a deadline a
    month on); the branch then sets its measures and owner on the item's page."""
    run, organization = _run_and_organization(request.user, pk, org_pk)
    if not rectification.may_create_for(request.user, organization, run):
        raise PermissionDenied
    score = get_object_or_404(Score, run=run, organization=organization, pk=score_pk)
    item = rectification.create_item(
        organization,
        user=request.user,
        score=score,
        problem=_("%(item)s scored %(value)s.") % {"item": score.item.label, "value": score.value},
        deadline=timezone.localdate() + timezone.timedelta(days=30),
    )
    return redirect("assess:rectification", pk=item.pk)


def reverse_feedback(run, organization) -> str:
    from django.urls import reverse

    return reverse("assess:feedback", args=[run.pk, organization.pk])


@domain_view
@require_GET
def rectification_list(request):
    today = timezone.localdate()
    items = rectification.visible_items(request.user)
    return render(
        request,
        "assess/rectification_list.html",
        {"items": items, "today": today},
    )


@domain_view
@require_GET
def rectification_export(request):
    headers = [
        _("Organization"),
        _("Problem"),
        _("Responsible person"),
        _("Measures"),
        _("Deadline"),
        _("Stage"),
        _("Closed out on"),
    ]
    rows = [
        [
            item.organization.name,
            item.problem,
            item.owner.name if item.owner else "",
            item.measures,
            item.deadline,
            item.get_loop_stage_display(),
            item.closed_on,
        ]
        for item in rectification.visible_items(request.user)
    ]
    return export_xlsx(request, title=str(_("Rectification items")), headers=headers, rows=rows)


def _item_context(request, item, forms=None):
    forms = forms or {}
    user = request.user
    stage = item.loop_stage
    may_rectify = rectification.may_rectify(user, item)
    may_verify = rectification.may_verify(user, item)
    return {
        "item": item,
        "stage": stage,
        "steps": item.loop_steps(),
        "files": attachments_of(item),
        "overdue": item.is_overdue(timezone.localdate()),
        "measures_form": forms.get("measures")
        or (
            MeasuresForm(
                organization=item.organization,
                initial={"measures": item.measures, "owner": item.owner_id},
            )
            if may_rectify and stage in ("deployed", "implementing")
            else None
        ),
        "report_form": forms.get("report")
        or (LoopReportForm() if may_rectify and stage in ("deployed", "implementing") else None),
        "verify_form": forms.get("verify")
        or (VerifyForm() if may_verify and stage == "reported" else None),
        "may_close": may_verify and stage == "verified",
    }


@domain_view
@require_GET
def rectification_detail(request, pk):
    item = get_object_or_404(rectification.visible_items(request.user), pk=pk)
    return render(request, "assess/rectification_detail.html", _item_context(request, item))


def _loop_action(request, pk, allowed, form_class, key, act):
    item = get_object_or_404(rectification.visible_items(request.user), pk=pk)
    if not allowed(request.user, item):
        raise PermissionDenied
    kwargs = {"organization": item.organization} if form_class is MeasuresForm else {}
    form = form_class(request.POST, request.FILES, **kwargs) if form_class else None
    if form is None or form.is_valid():
        try:
            act(item, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("assess:rectification", pk=item.pk)
            form.add_errors(error, None)
        else:
            messages.success(request, _("Saved."))
            return redirect("assess:rectification", pk=item.pk)
    context = _item_context(request, item, {key: form})
    return render(request, "assess/rectification_detail.html", context, status=400)


@domain_view
@require_POST
def rectification_measures(request, pk):
    return _loop_action(
        request,
        pk,
        rectification.may_rectify,
        MeasuresForm,
        "measures",
        lambda item, data: rectification.save_measures(item, user=request.user, **data),
    )


@domain_view
@require_POST
def rectification_report(request, pk):
    return _loop_action(
        request,
        pk,
        rectification.may_rectify,
        LoopReportForm,
        "report",
        lambda item, data: rectification.report(
            item, user=request.user, text=data["text"], files=data["files"]
        ),
    )


@domain_view
@require_POST
def rectification_verify(request, pk):
    return _loop_action(
        request,
        pk,
        rectification.may_verify,
        VerifyForm,
        "verify",
        lambda item, data: rectification.verify(item, user=request.user, **data),
    )


@domain_view
@require_POST
def rectification_close(request, pk):
    return _loop_action(
        request,
        pk,
        rectification.may_verify,
        None,
        "close",
        lambda item, data: rectification.close(item, user=request.user),
    )


@domain_view
@require_GET
def attachment(request, file_id):
    """A file of a manual score or a rectification report: for whoever reads its owner."""
    from django.http import FileResponse

    from tongpin.core.models import Attachment

    file = get_object_or_404(Attachment, pk=file_id)
    model = file.content_type.model_class()
    if model not in (Score, RectificationItem):
        raise Http404
    get_object_or_404(model.objects.restrict(request.user), pk=file.object_id)
    return FileResponse(file.file.open("rb"), as_attachment=True, filename=file.name)


# ---- rankings (亮相赛马) and 评先评优 candidates -----------------------------------------------


@domain_view
@require_GET
def ranking(request, pk):
    run = _visible_run(request.user, pk)
    if run.status != RunStatus.CLOSED:
        raise Http404
    tops, ranked = services.ranking(run, request.user)
    return render(request, "assess/ranking.html", {"run": run, "tops": tops, "ranked": ranked})


def _candidate_run(request):
    runs = services.closed_runs(request.user)
    chosen = request.GET.get("run")
    run = runs.filter(pk=chosen).first() if chosen and chosen.isdigit() else None
    return runs, run or runs.first()


@domain_view
@require_GET
def candidates(request):
    from .conf import assess_settings

    runs, run = _candidate_run(request)
    chosen = services.candidates(run, request.user, timezone.localdate()) if run else []
    return render(
        request,
        "assess/candidates.html",
        {"runs": runs, "run": run, "chosen": chosen, "settings": assess_settings()},
    )


@domain_view
@require_GET
def candidates_export(request):
    _runs, run = _candidate_run(request)
    chosen = services.candidates(run, request.user, timezone.localdate()) if run else []
    headers = [_("Rank"), _("Organization"), _("Weighted total")]
    rows = [[entry.rank, entry.row.organization.name, entry.row.total] for entry in chosen]
    title = str(_("Candidates")) + (f" {run.system.name}" if run else "")
    return export_xlsx(request, title=title, headers=headers, rows=rows)


# ---- indicator systems ---------------------------------------------------------------------


def _require_editor(user):
    if not services.may_edit_systems(user):
        raise PermissionDenied


@domain_view
@require_GET
def system_list(request):
    _require_editor(request.user)
    services.ensure_templates()
    return render(
        request,
        "assess/system_list.html",
        {"systems": IndicatorSystem.objects.prefetch_related("runs")},
    )


@domain_view
@require_http_methods(["GET", "POST"])
def system_create(request):
    _require_editor(request.user)
    form = SystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        system = services.save_system(None, user=request.user, name=form.cleaned_data["name"])
        return redirect("assess:system", pk=system.pk)
    return render(
        request,
        "assess/form.html",
        {"form": form, "title": _("New indicator system"), "back": _url("assess:systems")},
    )


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


@domain_view
@require_http_methods(["GET", "POST"])
def system_detail(request, pk):
    _require_editor(request.user)
    system = get_object_or_404(IndicatorSystem, pk=pk)
    form = SystemForm(request.POST or None, initial={"name": system.name})
    if request.method == "POST" and form.is_valid():
        services.save_system(system, user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Saved."))
        return redirect("assess:system", pk=system.pk)
    return render(
        request,
        "assess/system_detail.html",
        {
            "system": system,
            "form": form,
            "items": system.items.order_by("order", "pk"),
            "frozen": system.runs.filter(status=RunStatus.CLOSED).exists(),
        },
    )


@domain_view
@require_POST
def system_copy(request, pk):
    _require_editor(request.user)
    system = get_object_or_404(IndicatorSystem, pk=pk)
    copy = services.copy_system(system, user=request.user)
    return redirect("assess:system", pk=copy.pk)


@domain_view
@require_GET
def system_history(request, pk):
    from tongpin.core.views import render_history

    _require_editor(request.user)
    system = get_object_or_404(IndicatorSystem, pk=pk)
    return render_history(request, system, back_url=_url("assess:system", system.pk))


@domain_view
@require_GET
def item_history(request, pk):
    from tongpin.core.views import render_history

    _require_editor(request.user)
    item = get_object_or_404(IndicatorItem, pk=pk)
    return render_history(request, item, back_url=_url("assess:system", item.system_id))


def _item_form_view(request, system, item):
    initial = {}
    if item is not None:
        initial = {f: getattr(item, f) for f in services.ITEM_FIELDS}
    form = ItemForm(request.POST or None, system=system, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.save_item(system, item, user=request.user, **data)
        except ValidationError as error:
            form.add_errors(error, None)
        else:
            return redirect("assess:system", pk=system.pk)
    title = _("Edit indicator item") if item else _("New indicator item")
    return render(
        request,
        "assess/form.html",
        {"form": form, "title": title, "back": _url("assess:system", system.pk)},
        status=400 if request.method == "POST" else 200,
    )


@domain_view
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    _require_editor(request.user)
    return _item_form_view(request, get_object_or_404(IndicatorSystem, pk=pk), None)


@domain_view
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    _require_editor(request.user)
    item = get_object_or_404(IndicatorItem.objects.select_related("system"), pk=pk)
    return _item_form_view(request, item.system, item)


@domain_view
@require_POST
def item_delete(request, pk):
    _require_editor(request.user)
    item = get_object_or_404(IndicatorItem.objects.select_related("system"), pk=pk)
    try:
        services.delete_item(item, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("assess:system", pk=item.system_id)
