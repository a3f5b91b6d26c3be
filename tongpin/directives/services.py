"""Actions of the directives domain: register a directive, read its text from a document, turn
accepted action items into work's party tasks deployed to the implementing organizations, and
follow each task across the tree (部署 → 落实 → 报告 → 核验 → 销号)."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongpin.core import loops
from tongpin.core.loops import LOOP_ORDER, LoopStage
from tongpin.core.scoping import CHANGE, can_reach, require_reach
from tongpin.orgs.models import Organization, OrgKind
from tongpin.work import services as work_services
from tongpin.work.models import PartyTask, TaskCategory

from . import ingest
from .models import Directive

DIRECTIVE_FIELDS = ("title", "source", "level", "issued_on", "text")


def directive_organizations(user):
    """Organizations ``user`` may register a directive for (as for party tasks)."""
    return work_services.task_organizations(user)


def target_choices(user, organization: Organization | None):
    """Organizations below ``organization`` that ``user`` may deploy to (no party groups)."""
    if organization is None:
        return Organization.objects.none()
    return (
        Organization.objects.restrict(user, CHANGE)
        .filter(path__startswith=organization.path, depth__gt=organization.depth)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
    )


def can_change(user, directive: Directive) -> bool:
    return Directive.objects.restrict(user, CHANGE).filter(pk=directive.pk).exists()


def _check_targets(user, organization, targets) -> list[Organization]:
    targets = list(targets)
    reachable = Organization.objects.restrict(user, CHANGE)
    if len(targets) != reachable.filter(pk__in=[t.pk for t in targets]).count():
        raise PermissionDenied
    if any(
        not (t.path.startswith(organization.path) and t.depth > organization.depth) for t in targets
    ):
        raise ValidationError(
            {"targets": _("Choose organizations below the one registering the directive.")}
        )
    return targets


def text_of(uploaded) -> str:
    """The cleaned text of an uploaded document; a ValidationError says why it cannot be read."""
    try:
        return ingest.clean_text(ingest.read_document(uploaded))
    except ingest.IngestError as error:
        raise ValidationError({"document": str(error)}) from error


@transaction.atomic
def create_directive(*, user, organization, targets=(), **fields) -> Directive:
    require_reach(user, organization, CHANGE)
    targets = _check_targets(user, organization, targets)
    directive = Directive(
        organization=organization,
        created_by=user,
        **{name: value for name, value in fields.items() if name in DIRECTIVE_FIELDS},
    )
    directive.full_clean(exclude=["organization", "created_by"])
    directive.save()
    directive.targets.set(targets)
    return directive


@transaction.atomic
def update_directive(directive: Directive, *, user, targets=None, **fields) -> Directive:
    require_reach(user, directive.organization, CHANGE)
    for name, value in fields.items():
        if name in DIRECTIVE_FIELDS:
            setattr(directive, name, value)
    directive.full_clean(exclude=["organization", "created_by"])
    directive.save()
    if targets is not None:
        directive.targets.set(_check_targets(user, directive.organization, targets))
    return directive


def proposals(directive: Directive) -> list[ingest.Item]:
    """The action items proposed from the directive's text."""
    return ingest.propose_items(ingest.clean_text(directive.text))


@dataclass
class AcceptedItem:
    title: str
    category: str
    sentence: str = ""


@transaction.atomic
def create_tasks(
    directive: Directive,
    *,
    user,
    items,
    deadline: datetime.date,
    deploy: bool = True,
    goals=(),
) -> list[PartyTask]:
    """One party task of the directive's organization per accepted item, linked to the directive
    and deployed to its implementing organizations (one child task each, 一级抓一级). ``goals``:
    business goals the tasks serve (党建业务融合)."""
    require_reach(user, directive.organization, CHANGE)
    items = list(items)
    if not items:
        raise ValidationError({"items": _("Accept at least one item.")})
    if deadline is None:
        raise ValidationError({"deadline": _("Set a deadline.")})
    targets = list(directive.targets.all()) if deploy else []
    year = work_services.working_year(timezone.localdate())
    tasks = []
    for item in items:
        category = item.category if item.category in TaskCategory.values else "political"
        description = _("From the directive %(title)s: %(sentence)s") % {
            "title": directive.title,
            "sentence": item.sentence,
        }
        task = work_services.create_task(
            user=user,
            organization=directive.organization,
            year=year,
            title=item.title[:200],
            description=description if item.sentence else directive.title,
            category=category,
            deadline=deadline,
            goals=goals,
        )
        directive.tasks.add(task)
        if targets:
            work_services.deploy_task(task, user=user, targets=targets)
        tasks.append(task)
    return tasks


# ---- the loop across the tree -------------------------------------------------------------


@dataclass
class LoopRow:
    """A directive's task and each implementing organization's copy, with its closed-loop
    stage (部署 → 落实 → 报告 → 核验 → 销号, core.loops).

    ``task_visible``: whether the user reaches the task itself; a branch secretary reaches only
    their own copy, so the row then shows the task's title and that copy.
    """

    task: PartyTask
    children: list = field(default_factory=list)
    task_visible: bool = True

    @property
    def total(self) -> int:
        return len(self.children)

    @property
    def done(self) -> int:
        """Copies closed (销号): done and verified by the deploying level."""
        return sum(1 for child in self.children if child.loop_stage == LoopStage.CLOSED)

    @property
    def stage_counts(self) -> list[tuple]:
        counts = {stage: 0 for stage in LoopStage}
        for child in self.children:
            counts[child.loop_stage] += 1
        return list(counts.items())

    @property
    def stage(self) -> LoopStage:
        """The task's stage across the tree: the stage of its least advanced copy (the task
        itself when it was not deployed)."""
        if not self.children:
            return self.task.loop_stage
        return min((child.loop_stage for child in self.children), key=LOOP_ORDER.index)

    @property
    def steps(self) -> list[dict]:
        current = LOOP_ORDER.index(self.stage)
        return [
            {
                "stage": stage.value,
                "label": stage.label,
                "date": None,
                "done": index < current or stage == LoopStage.CLOSED == self.stage,
                "current": index == current,
            }
            for index, stage in enumerate(LOOP_ORDER)
        ]

    @property
    def closed(self) -> bool:
        """销号: every organization's copy is closed (the task itself, if not deployed)."""
        return self.stage == LoopStage.CLOSED


def loop_rows(directive: Directive, user) -> list[LoopRow]:
    """The directive's tasks, each with the copies deployed from it, as far as the user reaches:
    the committee sees every copy; a branch secretary their own copy (under the task's title).
    Each copy carries ``may_report``/``may_verify``/``may_close`` for the user's buttons."""
    today = timezone.localdate()
    linked = PartyTask.objects.filter(directives=directive)
    visible = set(
        PartyTask.objects.restrict(user).filter(directives=directive).values_list("pk", flat=True)
    )
    tasks = list(
        linked.with_state(today).with_loop_stage().select_related("organization").order_by("pk")
    )
    rows = {task.pk: LoopRow(task, task_visible=task.pk in visible) for task in tasks}
    if not rows:
        return []
    below = (
        PartyTask.objects.restrict(user)
        .filter(parent_id__in=list(rows))
        .with_state(today)
        .with_loop_stage()
        .select_related("organization", "owner", "parent__organization")
        .order_by("organization__path")
    )
    for child in below:
        # the report button is for the acting organization; the level above verifies instead
        child.may_report = loops.may_report(child, user) and not can_reach(
            user, child.parent.organization, CHANGE
        )
        child.may_verify = loops.may_verify(child, user)
        child.may_close = loops.may_close(child, user)
        rows[child.parent_id].children.append(child)
    # a task the user neither reaches nor has a copy of is not theirs to see
    return [row for row in rows.values() if row.task_visible or row.children]


# ---- 第一议题: meetings that studied the directive as their first agenda item ---------------


def first_item_meetings(directive: Directive, user) -> list:
    """Meetings (of the ``life`` app, above this one) whose first agenda item links to the
    directive, as far as ``user`` reaches. Read through the app registry: ``life`` points at
    directives by a generic link, and this app never imports it."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    if not apps.is_installed("tongpin.life"):
        return []
    meeting = apps.get_model("life", "Meeting")
    return list(
        meeting.objects.restrict(user)
        .filter(
            first_item_type=ContentType.objects.get_for_model(Directive),
            first_item_id=directive.pk,
        )
        .select_related("organization")
        .order_by("planned_on", "pk")
    )
