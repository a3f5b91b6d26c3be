from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongpin.core.access import domain_view
from tongpin.core.excel import export_xlsx
from tongpin.core.scoping import CHANGE, scope_of
from tongpin.core.views import scoped_get

from . import services
from .forms import RunForm
from .models import AssessmentRun, RunStatus, Score


def _may_start(user) -> bool:
    scope = scope_of(user, CHANGE)
    return scope.everything or bool(scope.org_paths)


@domain_view
@require_GET
def run_list(request):
    return render(
        request,
        "assess/run_list.html",
        {"runs": services.visible_runs(request.user), "may_start": _may_start(request.user)},
    )


@domain_view
@require_http_methods(["GET", "POST"])
def run_start(request):
    if not _may_start(request.user):
        raise PermissionDenied
    services.ensure_four_strong_template()
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
        {"score": score, "evidence": services.drill_down(score)},
    )
