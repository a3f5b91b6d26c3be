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
    # a refresh updates the existing lines in place: rectification items raised on a score
    # (and its history) stay attached to it
    existing = {
        (score.organization_id, score.item_id): score
        for score in run.scores.filter(item__kind=ItemKind.COMPUTED)
    }
    scores, changed = [], []
    for item in leaves:
        results = registered[item.indicator].compute(branches, run.period_start, run.period_end)
        for org_id in branch_ids:
            value, evidence = results.get(org_id, (None, []))
            score = existing.pop((org_id, item.pk), None)
            if score is None:
                score = Score(run=run, organization_id=org_id, item=item)
                scores.append(score)
            else:
                changed.append(score)
            score.value = None if value is None else Decimal(str(round(value, 1)))
            score.evidence = [list(entry) for entry in evidence]
    Score.objects.bulk_create(scores)
    Score.objects.bulk_update(changed, ["value", "evidence"], batch_size=500)
    # lines of items no longer computed (or of branches no longer in the subtree)
    Score.objects.filter(pk__in=[score.pk for score in existing.values()]).delete()
    # manual leaves get an empty line each, for the assessors to fill (kept on refresh)
    Score.objects.bulk_create(
        [
            Score(run=run, organization_id=org_id, item=item)
            for item in run.system.items.filter(kind=ItemKind.MANUAL, children=None)
            for org_id in branch_ids
        ],
        ignore_conflicts=True,
    )


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


def record_links(entries: list[dict]) -> list[dict]:
    """The drill-down entries with ``url`` set where the record's model has a page of its own
    (``get_absolute_url``): one query per such model; the page itself checks who may read it."""
    from collections import defaultdict

    from django.apps import apps

    by_model = defaultdict(list)
    for entry in entries:
        by_model[entry["model"]].append(entry["object_id"])
    urls = {}
    for label, ids in by_model.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if hasattr(model, "get_absolute_url"):
            for pk, obj in model._base_manager.in_bulk(ids).items():
                urls[(label, pk)] = obj.get_absolute_url()
    return [
        {**entry, "url": urls.get((entry["model"], entry["object_id"]), "")} for entry in entries
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


def table(
    run: AssessmentRun, user, *, every_row: bool = False
) -> tuple[list, list, list[BranchRow]]:
    """(top items, leaves, one row per branch the user reads), ordered by weighted total: an
    outcome ranking of organizations, never of people. ``every_row``: all branches, whoever
    asks (for ranks; the caller shows only the rows the user reads)."""
    items = list(run.system.items.all())
    tops = [item for item in items if item.parent_id is None]
    parent_ids = {item.parent_id for item in items}
    leaves = [item for item in items if item.pk not in parent_ids]
    scores = {}
    readable = Score.objects.all() if every_row else Score.objects.restrict(user, VIEW)
    for score in readable.filter(run=run).select_related("organization"):
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


# ---- templates ---------------------------------------------------------------------------------


@transaction.atomic
def ensure_template(kind: str) -> IndicatorSystem:
    """The system of a template (``templates_data``), created once with its items."""
    from .templates_data import TEMPLATES

    if kind == TemplateKind.FOUR_STRONG:
        return ensure_four_strong_template()
    name, items = TEMPLATES[kind]
    system, created = IndicatorSystem.objects.get_or_create(template=kind, defaults={"name": name})
    if created:
        _create_items(system, items, parent=None, counter=[0])
    return system


def _create_items(system, items, parent, counter) -> None:
    for label, weight, kind, key, scale, children in items:
        counter[0] += 1
        item = IndicatorItem.objects.create(
            system=system,
            parent=parent,
            label=label,
            weight=weight,
            kind=kind,
            indicator=key,
            scale=scale,
            order=counter[0],
        )
        _create_items(system, children, item, counter)


def ensure_templates() -> list[IndicatorSystem]:
    """Every template's system (the picker when starting a run offers them all)."""
    return [ensure_template(kind) for kind in TemplateKind.values if kind != TemplateKind.CUSTOM]


# ---- manual scores -----------------------------------------------------------------------------


def is_assessed_side(user, organization: Organization) -> bool:
    """The user belongs to, or sits on the committee of, ``organization``: an assessed branch
    never scores itself."""
    from django.db.models import Q

    from tongpin.members.models import Member

    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Member.objects.filter(user=user)
        .filter(
            Q(branch=organization)
            | Q(committee_posts__organization=organization, committee_posts__ended_on=None)
        )
        .exists()
    )


def may_score(user, run: AssessmentRun, organization: Organization) -> bool:
    """Assessors: whoever may change the run's organization, never the assessed branch."""
    from tongpin.core.scoping import can_reach

    return (
        run.status == RunStatus.OPEN
        and organization.pk != run.organization_id
        and can_reach(user, run.organization)
        and not is_assessed_side(user, organization)
    )


def score_value(item: IndicatorItem, points=None, grade: str = "") -> Decimal:
    """The 0-100 value of a manual entry (points scaled by the item's maximum, or the grade's
    score); ValidationError outside the item's range."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .models import GRADE_SCORES, Grade, Scale

    if item.scale == Scale.GRADE:
        if grade not in Grade.values:
            raise ValidationError({"grade": _("Choose a grade.")})
        return Decimal(GRADE_SCORES[grade])
    if points is None or not 0 <= Decimal(points) <= item.max_score:
        raise ValidationError(
            {"points": _("Enter a score from 0 to %(max)s.") % {"max": item.max_score}}
        )
    return (Decimal(points) * 100 / item.max_score).quantize(Decimal("0.1"))


@transaction.atomic
def enter_score(
    run: AssessmentRun,
    organization: Organization,
    item: IndicatorItem,
    *,
    user,
    points=None,
    grade: str = "",
    note: str = "",
    files=(),
) -> Score:
    """An assessor's score of a manual item, with its evidence; recorded with the scorer and
    kept in the score's history. Only while the run is open."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from tongpin.core.services import attach

    if not may_score(user, run, organization):
        raise PermissionDenied
    if item.system_id != run.system_id or item.kind != ItemKind.MANUAL or item.children.exists():
        raise ValidationError(_("Only manual items are scored by hand."))
    if not branches_in(run.organization).filter(pk=organization.pk).exists():
        raise ValidationError(_("The organization is not assessed by this run."))
    value = score_value(item, points, grade)
    score, _created = Score.objects.get_or_create(run=run, organization=organization, item=item)
    score.value = value
    score.points = None if grade else Decimal(points)
    score.grade = grade
    score.note = note
    score.entered_by = user
    score.save()
    for uploaded in files:
        attach(score, uploaded, user=user)
    return score


# ---- the secretary's annual report (JG-15) -----------------------------------------------------


def may_enter_report(user, run: AssessmentRun, organization: Organization) -> bool:
    """The secretary (whoever changes the branch) or the assessors, while the run is open."""
    from tongpin.core.scoping import can_reach

    return run.status == RunStatus.OPEN and (
        may_score(user, run, organization) or can_reach(user, organization)
    )


@transaction.atomic
def save_secretary_report(run, organization, *, user, text: str):
    """Entered once, in one place: reviewers grade beside it, the feedback report quotes it."""
    from django.core.exceptions import PermissionDenied

    from .models import SecretaryReport

    if not may_enter_report(user, run, organization):
        raise PermissionDenied
    report, _created = SecretaryReport.objects.update_or_create(
        run=run, organization=organization, defaults={"text": text, "entered_by": user}
    )
    return report


# ---- editing indicator systems -----------------------------------------------------------------


def may_edit_systems(user) -> bool:
    """Indicator systems are agency-wide definitions: the agency committee's staff edit them."""
    from tongpin.core.scoping import CHANGE, scope_of

    return scope_of(user, CHANGE).everything


def _require_editable(system: IndicatorSystem, user) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    if not may_edit_systems(user):
        raise PermissionDenied
    if system.pk and system.runs.filter(status=RunStatus.CLOSED).exists():
        raise ValidationError(
            _("Closed runs were scored with this system: copy it and edit the copy.")
        )


@transaction.atomic
def save_system(system: IndicatorSystem | None, *, user, name: str) -> IndicatorSystem:
    from django.core.exceptions import PermissionDenied

    if not may_edit_systems(user):
        raise PermissionDenied
    system = system or IndicatorSystem()
    # renaming does not change how closed runs were scored
    system.name = name
    system.save()
    return system


ITEM_FIELDS = ("parent", "label", "weight", "kind", "indicator", "scale", "max_score", "order")


@transaction.atomic
def save_item(system: IndicatorSystem, item: IndicatorItem | None, *, user, **fields):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    _require_editable(system, user)
    item = item or IndicatorItem(system=system)
    for name in ITEM_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    if item.kind == ItemKind.COMPUTED and item.indicator and item.indicator not in dict(indicators):
        raise ValidationError({"indicator": _("No such indicator.")})
    if item.kind == ItemKind.MANUAL:
        item.indicator = ""
    if item.parent_id and (item.parent.system_id != system.pk or item.parent_id == item.pk):
        raise ValidationError({"parent": _("Choose an item of this system.")})
    item.save()
    return item


@transaction.atomic
def delete_item(item: IndicatorItem, *, user) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    _require_editable(item.system, user)
    if Score.objects.filter(item__in=[item, *item.children.all()]).exists():
        raise ValidationError(_("Runs hold scores of this item: copy the system instead."))
    item.delete()


@transaction.atomic
def copy_system(system: IndicatorSystem, *, user, name: str = "") -> IndicatorSystem:
    """A custom copy of the system and its items tree, free to edit."""
    from django.core.exceptions import PermissionDenied

    if not may_edit_systems(user):
        raise PermissionDenied
    copy = IndicatorSystem.objects.create(
        name=name or f"{system.name} ({timezone.localdate():%Y-%m-%d})",
        template=TemplateKind.CUSTOM,
    )
    new_ids = {}
    for item in system.items.order_by("pk"):  # parents were created before their children
        new_ids[item.pk] = IndicatorItem.objects.create(
            system=copy,
            parent_id=new_ids.get(item.parent_id),
            **{f: getattr(item, f) for f in ITEM_FIELDS if f != "parent"},
        ).pk
    return copy


# ---- rankings (亮相赛马) and 评先评优 candidates -----------------------------------------------


@dataclass
class RankedRow:
    rank: int
    row: BranchRow


def ranking(run: AssessmentRun, user) -> tuple[list, list[RankedRow]]:
    """Organizations by outcome total (organizations only, never people; only the items'
    outcome scores, never activity counts); equal totals share a rank (1, 1, 3)."""
    tops, _leaves, rows = table(run, user, every_row=True)
    ranked, previous = [], None
    for position, row in enumerate((r for r in rows if r.total is not None), start=1):
        rank = ranked[-1].rank if previous is not None and row.total == previous else position
        ranked.append(RankedRow(rank, row))
        previous = row.total
    # ranks among all branches; the user sees the lines of the organizations they read
    readable = set(
        Score.objects.restrict(user, VIEW).filter(run=run).values_list("organization_id", flat=True)
    )
    return tops, [entry for entry in ranked if entry.row.organization.pk in readable]


def closed_runs(user):
    return visible_runs(user).filter(status=RunStatus.CLOSED)


def candidates(run: AssessmentRun, user, today: datetime.date) -> list[RankedRow]:
    """评先评优 candidates of a closed run: the top N (and at least the minimum total, if set),
    leaving out organizations with an overdue rectification item not yet closed out."""
    from .conf import assess_settings
    from .models import RectificationItem

    if run.status != RunStatus.CLOSED:
        return []
    conf = assess_settings()
    _tops, ranked = ranking(run, user)
    overdue = set(
        RectificationItem.objects.filter(
            deadline__lt=today, closed_on=None, verified_on=None, reported_on=None
        ).values_list("organization_id", flat=True)
    )
    chosen = []
    for entry in ranked:
        if entry.rank > conf["candidates_top"]:
            break
        if conf["candidates_min_total"] is not None and entry.row.total < Decimal(
            str(conf["candidates_min_total"])
        ):
            continue
        if entry.row.organization.pk in overdue:
            continue
        chosen.append(entry)
    return chosen
