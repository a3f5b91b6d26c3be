"""Runs of an indicator system: compute every branch in scope from records already held (no
branch enters anything), freeze the scores and their evidence on closing, drill down."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tongpin.core.registry import indicators
from tongpin.core.scoping import VIEW, require_reach
from tongpin.orgs.models import Organization, OrgKind

from .models import (
    AssessmentRun,
    IndicatorItem,
    IndicatorSystem,
    ItemKind,
    RunStatus,
    Score,
    TemplateKind,
)

FOUR_STRONG_NAME = "四强党支部"
# STD-01: the four top indicators, each with the computed indicators it is measured by
FOUR_STRONG = [
    ("政治功能强", [("月月有学习", "study.monthly_activity")]),
    ("支部班子强", [("谈心谈话覆盖", "life.talk_coverage")]),
    ("党员队伍强", [("组织生活落实", "life.meeting_compliance")]),
    ("作用发挥强", [("党建任务按时完成", "work.on_time_completion")]),
]


@transaction.atomic
def ensure_four_strong_template() -> IndicatorSystem:
    """The 四强党支部 system (STD-01), created once; equal weights (STD-05: local schemes vary,
    so weights are edited on the items)."""
    system, created = IndicatorSystem.objects.get_or_create(
        template=TemplateKind.FOUR_STRONG, defaults={"name": FOUR_STRONG_NAME}
    )
    if created:
        for order, (label, children) in enumerate(FOUR_STRONG):
            top = IndicatorItem.objects.create(
                system=system, label=label, weight=25, kind=ItemKind.COMPUTED, order=order * 10
            )
            for sub, (sub_label, key) in enumerate(children, start=1):
                IndicatorItem.objects.create(
                    system=system,
                    parent=top,
                    label=sub_label,
                    weight=1,
                    kind=ItemKind.COMPUTED,
                    indicator=key,
                    order=order * 10 + sub,
                )
    return system


def branches_in(organization: Organization):
    """The branches a run assesses: those in ``organization``'s subtree."""
    return Organization.objects.filter(
        path__startswith=organization.path, kind=OrgKind.BRANCH
    ).order_by("path")


def _compute(run: AssessmentRun) -> None:
    """(Re)computes every computed leaf for every branch: one ``compute`` call per item."""
    branches = branches_in(run.organization)
    branch_ids = list(branches.values_list("pk", flat=True))
    registered = dict(indicators)
    leaves = [
        item
        for item in run.system.items.all()
        if item.kind == ItemKind.COMPUTED and item.indicator in registered
    ]
    run.scores.filter(item__kind=ItemKind.COMPUTED).delete()
    scores = []
    for item in leaves:
        results = registered[item.indicator].compute(branches, run.period_start, run.period_end)
        for org_id in branch_ids:
            value, evidence = results.get(org_id, (None, []))
            scores.append(
                Score(
                    run=run,
                    organization_id=org_id,
                    item=item,
                    value=None if value is None else Decimal(str(round(value, 1))),
                    evidence=[list(entry) for entry in evidence],
                )
            )
    Score.objects.bulk_create(scores)


@transaction.atomic
def start_run(
    system: IndicatorSystem, organization: Organization, period: tuple, user
) -> AssessmentRun:
    """Opens a run over ``period`` (start, end) and computes every branch under
    ``organization`` at once: nothing is asked of the branches."""
    require_reach(user, organization)
    return open_run(system, organization, period, user)


def open_run(system, organization, period, user=None) -> AssessmentRun:
    """``start_run`` without the permission check (the demo loader)."""
    period_start, period_end = period
    if period_end < period_start:
        raise ValueError("period ends before it starts")
    run = AssessmentRun.objects.create(
        system=system,
        organization=organization,
        period_start=period_start,
        period_end=period_end,
        created_by=user,
    )
    _compute(run)
    return run


@transaction.atomic
def refresh_run(run: AssessmentRun, user) -> AssessmentRun:
    """Recomputes an open run from the current records; a closed run never changes."""
    require_reach(user, run.organization)
    if run.status == RunStatus.CLOSED:
        raise ValueError("a closed run is frozen")
    _compute(run)
    return run


@transaction.atomic
def close_run(run: AssessmentRun, user) -> AssessmentRun:
    """Freezes the run: its scores and evidence stay as stored whatever is edited later."""
    require_reach(user, run.organization)
    if run.status != RunStatus.CLOSED:
        run.status = RunStatus.CLOSED
        run.closed_at = timezone.now()
        run.save(update_fields=["status", "closed_at", "updated_at"])
    return run


def drill_down(score: Score) -> list[dict]:
    """The records a score was computed from, as frozen in the score."""
    return [
        {"model": entry[0], "object_id": entry[1], "text": entry[2]} for entry in score.evidence
    ]


@dataclass
class BranchRow:
    organization: Organization
    scores: list  # Score or None, in the order of ``leaves``
    total: Decimal | None = None
    tops: list = field(default_factory=list)  # per top item: its mean or None


def _mean(pairs) -> Decimal | None:
    """Weighted mean over (value, weight) pairs, items that do not apply (None) left out."""
    pairs = [(v, w) for v, w in pairs if v is not None and w]
    weight = sum(w for _v, w in pairs)
    if not weight:
        return None
    return (sum(v * w for v, w in pairs) / weight).quantize(Decimal("0.1"))


def table(run: AssessmentRun, user) -> tuple[list, list, list[BranchRow]]:
    """(top items, leaves, one row per branch the user reads), ordered by weighted total: an
    outcome ranking of organizations, never of people."""
    items = list(run.system.items.all())
    tops = [item for item in items if item.parent_id is None]
    parent_ids = {item.parent_id for item in items}
    leaves = [item for item in items if item.pk not in parent_ids]
    scores = {}
    for score in Score.objects.restrict(user, VIEW).filter(run=run).select_related("organization"):
        scores[(score.organization_id, score.item_id)] = score
    organizations = {score.organization_id: score.organization for score in scores.values()}
    rows = []
    for org_id, organization in organizations.items():
        row = BranchRow(organization, [scores.get((org_id, leaf.pk)) for leaf in leaves])
        for top in tops:
            children = [leaf for leaf in leaves if leaf.parent_id == top.pk] or [top]
            row.tops.append(
                _mean(
                    (scores[(org_id, c.pk)].value if (org_id, c.pk) in scores else None, c.weight)
                    for c in children
                )
            )
        row.total = _mean(zip(row.tops, [top.weight for top in tops], strict=True))
        rows.append(row)
    rows.sort(key=lambda r: (r.total is None, -(r.total or 0), r.organization.path))
    return tops, leaves, rows


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def visible_runs(user):
    """Runs over the user's scope, and runs holding a score of an organization the user reads
    (a branch secretary sees the branch's own line of an agency-wide run)."""
    from django.db.models import Q

    own = AssessmentRun.objects.restrict(user, VIEW).values("pk")
    scored = Score.objects.restrict(user, VIEW).values("run_id")
    return (
        AssessmentRun.objects.filter(Q(pk__in=own) | Q(pk__in=scored))
        .select_related("system", "organization")
        .order_by("-period_end", "-pk")
    )
