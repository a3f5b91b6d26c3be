"""Actions of the work domain (Zulip style): each change of state is one function in one
transaction that writes the rows and, where someone must act, a notification. Views, the API,
the demo and tests all call these; none of them writes the models directly.

Reading helpers (the plan, roll-ups, the disconnect view, supervision) live here too, so pages,
exports and the API compute the same figures.
"""

import datetime
import functools
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from tongpin.accounts.models import Role, RoleAssignment
from tongpin.core import loops
from tongpin.core.audit import record_event
from tongpin.core.loops import LoopStage
from tongpin.core.models import AuditEvent
from tongpin.core.registry import SupervisionRow, supervision_sources
from tongpin.core.scoping import CHANGE, VIEW, can_reach, require_reach, scope_of
from tongpin.core.services import attach, attachments_of, notify
from tongpin.members.models import CommitteePost, Member
from tongpin.orgs.models import Department, Organization, OrgKind

from . import evidence
from .models import (
    OPEN_STATES,
    BusinessGoal,
    GoalMeasurement,
    LeaderDepartment,
    PartyTask,
    ProgressUpdate,
    QuarterlyReview,
    ResponsibilityItem,
    ResponsibilityKind,
    ResponsibilityList,
    ResponsibilityTemplate,
    TaskCategory,
    TaskGoalLink,
    WorkState,
    end_of_year,
    headed_department_ids,
)

logger = logging.getLogger(__name__)


def site_language(function):
    """Text stored as data (titles, notifications) is written in the site's language, also when
    the demo loader, a command or the worker calls the action outside a request."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


TASK_FIELDS = ("title", "description", "category", "owner", "deadline", "year")
GOAL_FIELDS = (
    "title",
    "description",
    "target_value",
    "unit",
    "deadline",
    "owner",
    "year",
    "department",
)


def working_year(today: datetime.date) -> int:
    """The plan year pages open on: in January the past year's plan is still being closed and
    summed up (年终总结), so it stays the default until February."""
    return (today - datetime.timedelta(days=31)).year


# ---- who may do what --------------------------------------------------------------------------


def has_change_scope(user) -> bool:
    scope = scope_of(user, CHANGE)
    return scope.everything or bool(scope.org_paths)


def is_agency_wide(user, action=VIEW) -> bool:
    return scope_of(user, action).everything


def may_enter_goals(user) -> bool:
    """Committee staff (everything) and department heads enter business goals."""
    return is_agency_wide(user, CHANGE) or bool(headed_department_ids(user))


def goal_departments(user):
    """Departments whose goals ``user`` may enter."""
    if is_agency_wide(user, CHANGE):
        return Department.objects.all()
    return Department.objects.filter(pk__in=headed_department_ids(user))


def can_change_goal(user, goal: BusinessGoal) -> bool:
    return BusinessGoal.objects.restrict(user, CHANGE).filter(pk=goal.pk).exists()


def can_change_task(user, task: PartyTask) -> bool:
    return can_reach(user, task.organization, CHANGE)


def can_report(user, task: PartyTask) -> bool:
    """Whoever may change the task, and its responsible person, report progress on it."""
    if can_change_task(user, task):
        return True
    return bool(task.owner_id and task.owner.user_id == user.pk)


def task_organizations(user):
    """Organizations ``user`` may create party tasks in (party groups plan within branches)."""
    return Organization.objects.restrict(user, CHANGE).exclude(kind=OrgKind.GROUP)


def deploy_targets(user, task: PartyTask):
    """Organizations below the task's own that ``user`` may deploy it to (no party groups)."""
    return (
        Organization.objects.restrict(user, CHANGE)
        .filter(path__startswith=task.organization.path, depth__gt=task.organization.depth)
        .exclude(kind=OrgKind.GROUP)
    )


# ---- the tree and its people ------------------------------------------------------------------


def subtree_goals(organization: Organization):
    """Business goals of the departments an organization's subtree covers.

    The root also holds goals of departments no branch covers (they still have business work).
    """
    condition = Q(department__branch__path__startswith=organization.path)
    if organization.depth == 1:
        condition |= Q(department__branch__isnull=True)
    return BusinessGoal.objects.filter(condition)


def secretary_of(organization: Organization, today=None) -> Member | None:
    today = today or timezone.localdate()
    post = (
        CommitteePost.objects.filter(
            organization=organization, post=CommitteePost.Post.SECRETARY, started_on__lte=today
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("member")
        .order_by("-started_on")
        .first()
    )
    return post.member if post else None


def secretaries_of(organizations, today=None) -> dict[int, Member]:
    """The current secretary of each organization (by id), in one query."""
    today = today or timezone.localdate()
    posts = (
        CommitteePost.objects.filter(
            organization__in=list(organizations),
            post=CommitteePost.Post.SECRETARY,
            started_on__lte=today,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("member__user")
        .order_by("organization_id", "started_on")
    )
    return {post.organization_id: post.member for post in posts}


def owner_choices(organization: Organization | None):
    """Who may be responsible for an organization's task: its committee, and for a branch its
    members too."""
    if organization is None:
        return Member.objects.none()
    today = timezone.localdate()
    committee = CommitteePost.objects.filter(
        organization=organization, started_on__lte=today
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    condition = Q(pk__in=committee.values("member_id"))
    if organization.kind == OrgKind.BRANCH:
        condition |= Q(branch=organization)
    return Member.objects.filter(condition).order_by("name")


def goal_owner_choices(department: Department | None):
    if department is None:
        return Member.objects.none()
    return Member.objects.filter(department=department).order_by("-is_leading_cadre", "name")


# ---- business goals ---------------------------------------------------------------------------


def _check_goal_department(user, department):
    if department is None or not goal_departments(user).filter(pk=department.pk).exists():
        raise PermissionDenied


def _clean_goal(goal: BusinessGoal):
    errors = {}
    if goal.target_value is not None and goal.target_value < 0:
        errors["target_value"] = _("The target cannot be negative.")
    if goal.deadline and goal.year and goal.deadline.year < goal.year:
        errors["deadline"] = _("The deadline lies before the plan year.")
    if goal.owner_id and goal.owner.department_id != goal.department_id:
        errors["owner"] = _("The responsible person works in another department.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_goal(*, user, department, **fields) -> BusinessGoal:
    _check_goal_department(user, department)
    fields.setdefault("deadline", end_of_year(fields["year"]))
    goal = BusinessGoal(department=department, created_by=user, **fields)
    _clean_goal(goal)
    goal.save()
    return goal


@transaction.atomic
def update_goal(goal: BusinessGoal, *, user, **fields) -> BusinessGoal:
    if not can_change_goal(user, goal):
        raise PermissionDenied
    if "department" in fields:
        _check_goal_department(user, fields["department"])
    for name, value in fields.items():
        if name in GOAL_FIELDS:
            setattr(goal, name, value)
    _clean_goal(goal)
    goal.save()
    return goal


@transaction.atomic
def record_measurement(
    goal: BusinessGoal, *, user, value: Decimal, measured_on: datetime.date, note: str = ""
) -> GoalMeasurement:
    """Record an actual value; the goal keeps the latest and is done once it reaches the target."""
    if not can_change_goal(user, goal):
        raise PermissionDenied
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("An actual value cannot be dated in the future.")})
    measurement = GoalMeasurement.objects.create(
        goal=goal, value=value, measured_on=measured_on, note=note, recorded_by=user
    )
    latest = goal.measurements.order_by("-measured_on", "-pk").first()
    goal.actual_value = latest.value
    if (
        goal.completed_on is None
        and goal.target_value is not None
        and goal.actual_value >= goal.target_value
    ):
        goal.completed_on = latest.measured_on
    goal.save()
    return measurement


@transaction.atomic
def set_goal_completed(goal: BusinessGoal, *, user, completed_on: datetime.date | None):
    if not can_change_goal(user, goal):
        raise PermissionDenied
    goal.completed_on = completed_on
    goal.save()
    return goal


# Excel import of business goals: the columns of the export, in Chinese as people keep them
GOAL_IMPORT_COLUMNS = {
    "year": "年度",
    "department": "处室",
    "title": "重点工作",
    "target_value": "目标值",
    "unit": "单位",
    "deadline": "完成时限",
    "description": "说明",
}


@dataclass
class ImportResult:
    created: int = 0
    errors: list = field(default_factory=list)  # (row number, message)


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": text}) from error


def import_goals(*, user, uploaded) -> ImportResult:
    """Create business goals from an .xlsx sheet; all rows or none (errors name the row)."""
    from openpyxl import load_workbook

    limits = settings.TONGPIN
    if not may_enter_goals(user):
        raise PermissionDenied
    if uploaded.size > limits["IMPORT_MAX_BYTES"]:
        raise ValidationError(_("The file is too large."))
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
        rows = list(workbook.active.iter_rows(values_only=True))
    except Exception as error:  # noqa: BLE001  (any unreadable file is the user's input error)
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from error
    if not rows:
        raise ValidationError(_("The sheet is empty."))
    if len(rows) > limits["IMPORT_MAX_ROWS"]:
        raise ValidationError(_("The sheet has too many rows."))
    header = [str(cell or "").strip() for cell in rows[0]]
    index = {}
    for name, title in GOAL_IMPORT_COLUMNS.items():
        if title in header:
            index[name] = header.index(title)
    missing = [GOAL_IMPORT_COLUMNS[n] for n in ("year", "department", "title") if n not in index]
    if missing:
        raise ValidationError(_("Missing columns: %(columns)s") % {"columns": "、".join(missing)})
    departments = {d.name: d for d in goal_departments(user)}
    result = ImportResult()
    parsed = []
    for number, row in enumerate(rows[1:], start=2):

        def cell(name, row=row):
            at = index.get(name)
            return row[at] if at is not None and at < len(row) else None

        if not any(v not in (None, "") for v in row):
            continue
        try:
            year = int(str(cell("year") or "").strip().removesuffix("年"))
            department = departments.get(str(cell("department") or "").strip())
            if department is None:
                raise ValueError(_("Unknown department, or not yours to plan."))
            title = str(cell("title") or "").strip()[:200]
            if not title:
                raise ValueError(_("The title is empty."))
            raw_target = cell("target_value")
            target = None
            if raw_target not in (None, ""):
                target = Decimal(str(raw_target).strip())
            deadline = _parse_date(cell("deadline")) or end_of_year(year)
            goal = BusinessGoal(
                year=year,
                department=department,
                title=title,
                target_value=target,
                unit=str(cell("unit") or "").strip()[:20],
                deadline=deadline,
                description=str(cell("description") or "").strip(),
                created_by=user,
            )
            goal.full_clean(exclude=["owner", "created_by"])
            _clean_goal(goal)
        except (ValueError, InvalidOperation) as error:
            result.errors.append((number, str(error) or _("Invalid value.")))
        except ValidationError as error:
            result.errors.append((number, "；".join(error.messages)))
        else:
            parsed.append(goal)
    if result.errors:
        return result
    with transaction.atomic():
        for goal in parsed:
            goal.save()
        record_event(
            AuditEvent.Kind.IMPORT,
            user=user,
            summary=f"business goals: {len(parsed)}",
            detail={"rows": len(parsed), "file": getattr(uploaded, "name", "")[:100]},
        )
    result.created = len(parsed)
    return result


# ---- party tasks ------------------------------------------------------------------------------


def _clean_task(task: PartyTask):
    errors = {}
    if task.organization.kind == OrgKind.GROUP:
        errors["organization"] = _("Party groups carry out their branch's tasks.")
    if task.deadline and task.year and task.deadline.year < task.year:
        errors["deadline"] = _("The deadline lies before the plan year.")
    if errors:
        raise ValidationError(errors)


def allowed_goals(user, organization: Organization):
    """Goals a task of ``organization`` may serve: those of its subtree's departments, or for a
    general branch and the root any goal the user reads."""
    goals = BusinessGoal.objects.restrict(user, VIEW)
    if organization.kind == OrgKind.BRANCH:
        goals = goals.filter(pk__in=subtree_goals(organization).values("pk"))
    return goals


def _check_goals(user, organization, goals) -> list[BusinessGoal]:
    goals = list(goals or [])
    allowed = set(
        allowed_goals(user, organization)
        .filter(pk__in=[g.pk for g in goals])
        .values_list("pk", flat=True)
    )
    if any(goal.pk not in allowed for goal in goals):
        raise ValidationError({"goals": _("A task serves business goals of its own units.")})
    return goals


def set_goals(task: PartyTask, goals) -> None:
    """Link exactly ``goals``; rows are created and deleted one by one so each has history."""
    wanted = {goal.pk for goal in goals}
    for link in task.goal_links.all():
        if link.goal_id not in wanted:
            link.delete()
        else:
            wanted.discard(link.goal_id)
    for goal_id in sorted(wanted):
        TaskGoalLink.objects.create(task=task, goal_id=goal_id)


@transaction.atomic
@site_language
def create_task(*, user, organization, goals=(), **fields) -> PartyTask:
    require_reach(user, organization, CHANGE)
    goals = _check_goals(user, organization, goals)
    task = PartyTask(organization=organization, created_by=user, **fields)
    _clean_task(task)
    task.full_clean(exclude=["owner", "created_by", "parent", "source_review", "organization"])
    task.save()
    set_goals(task, goals)
    _notify_owner_of_new_task(task, user)
    return task


@transaction.atomic
def update_task(task: PartyTask, *, user, goals=None, **fields) -> PartyTask:
    require_reach(user, task.organization, CHANGE)
    for name, value in fields.items():
        if name in TASK_FIELDS:
            setattr(task, name, value)
    _clean_task(task)
    task.save()
    if goals is not None:
        set_goals(task, _check_goals(user, task.organization, goals))
    return task


def _notify_owner_of_new_task(task: PartyTask, actor) -> None:
    recipient = task.owner.user if task.owner_id and task.owner.user_id else None
    if recipient is None or recipient.pk == getattr(actor, "pk", None):
        return
    notify(
        recipient,
        title=_("New task for you: %(title)s") % {"title": task.title},
        body=_("%(org)s, due %(deadline)s.")
        % {"org": task.organization, "deadline": task.deadline.isoformat()},
        url=reverse("work:task_detail", args=[task.pk]),
        dedupe_key=f"work.task.assigned.{task.pk}.{task.owner_id}",
    )


@transaction.atomic
@site_language
def deploy_task(task: PartyTask, *, user, targets, deadline=None) -> list[PartyTask]:
    """Cascade ``task`` to organizations below it (一级抓一级): one linked child task each.

    A child copies the title, category and deadline, is owned by the target's secretary and
    serves those of the parent's business goals that belong to the target's own departments.
    Deploying twice to the same organization creates nothing new.
    """
    require_reach(user, task.organization, CHANGE)
    targets = list(targets)
    if not targets:
        raise ValidationError({"organizations": _("Choose at least one organization.")})
    allowed = set(deploy_targets(user, task).values_list("pk", flat=True))
    if any(target.pk not in allowed for target in targets):
        raise PermissionDenied
    already = set(task.children.values_list("organization_id", flat=True))
    parent_goals = list(task.goals.select_related("department__branch"))
    secretaries = secretaries_of(targets)
    children = []
    for target in sorted(targets, key=lambda org: org.path):
        if target.pk in already:
            continue
        child = PartyTask.objects.create(
            year=task.year,
            organization=target,
            title=task.title,
            description=task.description,
            category=task.category,
            deadline=deadline or task.deadline,
            owner=secretaries.get(target.pk),
            parent=task,
            created_by=user,
        )
        own = [
            goal
            for goal in parent_goals
            if goal.department.branch is not None
            and goal.department.branch.path.startswith(target.path)
        ]
        for goal in own:
            TaskGoalLink.objects.create(task=child, goal=goal)
        children.append(child)
        if child.owner_id and child.owner.user_id:
            notify(
                child.owner.user,
                title=_("Deployed to %(org)s: %(title)s") % {"org": target, "title": child.title},
                body=_("Deployed by %(org)s, due %(deadline)s.")
                % {"org": task.organization, "deadline": child.deadline.isoformat()},
                url=reverse("work:task_detail", args=[child.pk]),
                dedupe_key=f"work.task.deployed.{child.pk}",
            )
    return children


def origin_directives(task: PartyTask, user) -> list:
    """The directives the task was decomposed from (its own, or those of the task it was
    deployed from), as far as ``user`` reads them. The directives app lies above work and links
    tasks by a many-to-many, so work reads it through the reverse relation, never an import."""
    root = task.parent if task.parent_id else task
    related = getattr(root, "directives", None)
    return list(related.restrict(user)) if related is not None else []


@dataclass
class Rollup:
    total: int = 0
    done: int = 0
    overdue: int = 0
    # deployed children per closed-loop stage (core.loops.LoopStage value -> count)
    stages: dict = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def stage_counts(self) -> list[tuple]:
        """(stage, count) in loop order, for the page."""
        return [(stage, self.stages.get(stage.value, 0)) for stage in LoopStage]

    @property
    def awaiting_verification(self) -> int:
        return self.stages.get(LoopStage.REPORTED.value, 0)

    @property
    def verified(self) -> int:
        return self.stages.get(LoopStage.VERIFIED.value, 0)


def rollups(task_ids, today: datetime.date) -> dict[int, Rollup]:
    """Deployed children per parent task, done, overdue and per loop stage: one aggregate query
    for a page. Overdue: past the deadline and neither done nor reported (a report awaiting the
    upper level's verification is the upper level's to move).

    ``task_ids``: ids, or a queryset of ids (a subquery: long IN lists are slow to build)."""
    if not isinstance(task_ids, QuerySet):  # a subquery stays one query, without a long IN list
        task_ids = list(task_ids)
        if not task_ids:
            return {}
    per_stage = {
        f"stage_{stage.value}": Count("pk", filter=Q(stage=stage.value)) for stage in LoopStage
    }
    rows = (
        PartyTask.objects.filter(parent_id__in=task_ids)
        .annotate(stage=PartyTask.loop_stage_case())
        .values("parent_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(completed_on__isnull=False)),
            overdue=Count(
                "pk",
                filter=Q(completed_on__isnull=True, reported_on__isnull=True, deadline__lt=today),
            ),
            **per_stage,
        )
    )
    return {
        row["parent_id"]: Rollup(
            total=row["total"],
            done=row["done"],
            overdue=row["overdue"],
            stages={stage.value: row[f"stage_{stage.value}"] for stage in LoopStage},
        )
        for row in rows
    }


@transaction.atomic
def report_progress(
    task: PartyTask,
    *,
    user,
    progress: int,
    text: str = "",
    files=(),
    linked: str = "",
    reported_on: datetime.date | None = None,
) -> ProgressUpdate:
    """Progress with evidence: text, attachments and/or a record already in the system.

    At 100 % a task of the organization's own is done and closed (as of the report); a later
    lower figure reopens it. A deployed task at 100 % is reported complete (报告): it waits for
    the deploying level to verify and close it (core.loops), and takes no further progress until
    that level sends it back.
    """
    if not can_report(user, task):
        raise PermissionDenied
    reported_on = reported_on or timezone.localdate()
    if not (text or "").strip() and not files and not linked:
        raise ValidationError(
            {"text": _("Say what was done, attach a file or link a record as evidence.")}
        )
    if not 0 <= int(progress) <= 100:
        raise ValidationError({"progress": _("Progress is between 0 and 100.")})
    deployed = task.verifying_organization() is not None
    if deployed and task.loop_stage not in (LoopStage.DEPLOYED, LoopStage.IMPLEMENTING):
        raise ValidationError(
            _("The completion is reported and awaits verification by %(org)s.")
            % {"org": task.verifying_organization()}
        )
    update = ProgressUpdate(
        task=task,
        reported_on=reported_on,
        text=(text or "").strip(),
        progress=progress,
        author=user,
    )
    if linked:
        content_type, obj = evidence.resolve(user, linked)
        if content_type.model_class() is PartyTask and obj.pk == task.pk:
            raise ValidationError({"linked": _("A task cannot be its own evidence.")})
        update.linked_type = content_type
        update.linked_id = obj.pk
        update.linked_label = str(obj)[:300]
    update.save()
    for uploaded in files:
        attach(update, uploaded, user=user)
    task.progress = progress
    if progress == 100 and deployed:
        task.save()
        # the update's text and evidence are the report (报告)
        loops.report(task, user=user, text=_report_text(update), today=reported_on)
        return update
    if progress == 100 and task.completed_on is None:
        task.completed_on = task.reported_on = task.closed_on = reported_on
        task.report_text = _report_text(update)
    elif progress < 100:
        task.completed_on = task.reported_on = task.closed_on = None
    task.save()
    return update


def _report_text(update: ProgressUpdate) -> str:
    """The completion report's words: the update's text, else what its evidence is."""
    if update.text:
        return update.text
    names = [a.name for a in attachments_of(update)]
    if update.linked_label:
        names.append(update.linked_label)
    return _("Evidence: %(items)s") % {"items": "、".join(names)}


@transaction.atomic
@site_language
def report_completion(task: PartyTask, *, user, text: str, files=(), linked: str = "", today=None):
    """报告完成: a progress update at 100 % (for a deployed task: reported, awaiting verification)."""
    return report_progress(
        task, user=user, progress=100, text=text, files=files, linked=linked, reported_on=today
    )


@transaction.atomic
def verify_task(task: PartyTask, *, user, passed: bool, note: str = "", today=None) -> PartyTask:
    """核验 by the deploying level: passed, or sent back with a note (back to 落实)."""
    return loops.verify(task, user=user, passed=passed, note=note, today=today)


@transaction.atomic
def close_task(task: PartyTask, *, user, today=None) -> PartyTask:
    """销号 of a verified deployed task (or a reported task of the organization's own)."""
    return loops.close(task, user=user, today=today)


@transaction.atomic
def close_verified_children(task: PartyTask, *, user, today=None) -> list[PartyTask]:
    """Batch 销号: every verified child of ``task``."""
    require_reach(user, task.organization, CHANGE)
    children = list(
        task.children.with_loop_stage()
        .filter(loop_stage_value=LoopStage.VERIFIED)
        .select_related("parent__organization", "organization")
        .order_by("organization__path")
    )
    # a copy of an organization the user acts for is closed by someone else of the level
    children = [child for child in children if loops.may_close(child, user)]
    if not children:
        raise ValidationError(_("No deployed task is verified and waiting to be closed."))
    return [loops.close(child, user=user, today=today) for child in children]


# ---- the disconnect (两张皮) view --------------------------------------------------------------


def linked_condition() -> Q:
    """A task is linked if it, or the task it was deployed from (two levels up), serves a goal.

    A branch carrying out a task its committee deployed serves the goals the committee linked,
    even before it links goals of its own departments.
    """
    return (
        Q(Exists(TaskGoalLink.objects.filter(task=OuterRef("pk"))))
        | Q(Exists(TaskGoalLink.objects.filter(task=OuterRef("parent_id"))))
        | Q(Exists(TaskGoalLink.objects.filter(task=OuterRef("parent__parent_id"))))
    )


def unlinked_tasks(tasks):
    return tasks.exclude(linked_condition())


def unsupported_goals(goals):
    """Goals no party task anywhere serves (the boolean only; the tasks themselves stay scoped)."""
    return goals.exclude(Exists(TaskGoalLink.objects.filter(goal=OuterRef("pk"))))


@dataclass
class FusionRow:
    organization: Organization
    tasks: int = 0
    linked: int = 0
    goals: int = 0
    supported: int = 0
    by_quarter: list = field(default_factory=lambda: [None, None, None, None])

    @property
    def ratio(self) -> int | None:
        return round(self.linked * 100 / self.tasks) if self.tasks else None

    @property
    def coverage(self) -> int | None:
        return round(self.supported * 100 / self.goals) if self.goals else None


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def fusion_rows(user, year: int, organizations) -> list[FusionRow]:
    """Per organization (its whole subtree): the share of party tasks serving a business goal
    (the fusion ratio), per quarter of the deadline, and the share of goals with party work."""
    organizations = list(organizations)
    tasks = list(
        PartyTask.objects.restrict(user)
        .filter(year=year)
        .annotate(linked=linked_condition())
        .values_list("organization__path", "deadline", "linked")
    )
    goals = list(
        BusinessGoal.objects.restrict(user)
        .filter(year=year)
        .annotate(supported=Exists(TaskGoalLink.objects.filter(goal=OuterRef("pk"))))
        .values_list("department__branch__path", "supported")
    )
    rows = []
    for organization in organizations:
        row = FusionRow(organization=organization)
        quarters = [[0, 0] for _ in range(4)]
        for path, deadline, linked in tasks:
            if path.startswith(organization.path):
                row.tasks += 1
                row.linked += bool(linked)
                quarter = quarters[quarter_of(deadline) - 1] if deadline.year == year else None
                if quarter is not None:
                    quarter[0] += 1
                    quarter[1] += bool(linked)
        for path, supported in goals:
            if (path or "").startswith(organization.path) or (
                path is None and organization.depth == 1
            ):
                row.goals += 1
                row.supported += bool(supported)
        row.by_quarter = [
            round(linked * 100 / total) if total else None for total, linked in quarters
        ]
        rows.append(row)
    return rows


# ---- supervision (督办) -----------------------------------------------------------------------


LEVELS = {1: OrgKind.AGENCY_COMMITTEE, 2: OrgKind.GENERAL_BRANCH}


def supervised_tasks(user, today: datetime.date):
    """Open tasks that are overdue or due soon, in the user's view."""
    return (
        PartyTask.objects.restrict(user)
        .with_state(today)
        .filter(state_value__in=[WorkState.OVERDUE, WorkState.DUE_SOON])
        .select_related("organization", "owner", "parent__organization")
        .order_by("deadline", "organization__path", "pk")
    )


def awaiting_verification(user):
    """Deployed tasks whose completion is reported and waits for the user's level to verify it
    (the user may change the task it was deployed from), or verified and waiting for 销号."""
    return (
        PartyTask.objects.restrict(user)
        .with_loop_stage()
        .filter(
            loop_stage_value__in=[LoopStage.REPORTED, LoopStage.VERIFIED],
            parent__in=PartyTask.objects.restrict(user, CHANGE).values("pk"),
        )
        # a report the user entered is verified by a colleague (core.loops)
        .exclude(loop_stage_value=LoopStage.REPORTED, reported_by=user)
        .select_related("organization", "owner", "parent__organization")
        .order_by("reported_on", "organization__path", "pk")
    )


def supervision_rows(user, today: datetime.date) -> list[SupervisionRow]:
    """Work's party tasks as a supervision source (core.registry.supervision_sources): overdue
    ones and those awaiting the user's verification."""
    kind = _("Party task")
    rows = []
    for task in supervised_tasks(user, today).filter(state_value=WorkState.OVERDUE):
        rows.append(
            SupervisionRow(
                kind=kind,
                title=task.title,
                organization=task.organization,
                deadline=task.deadline,
                stage=str(task.loop_stage.label),
                url=reverse("work:task_detail", args=[task.pk]),
                overdue=True,
            )
        )
    for task in awaiting_verification(user):
        rows.append(
            SupervisionRow(
                kind=kind,
                title=task.title,
                organization=task.organization,
                deadline=task.deadline,
                stage=str(task.loop_stage.label),
                url=reverse("work:task_detail", args=[task.pk]),
                awaiting_verification=task.loop_stage == LoopStage.REPORTED,
            )
        )
    return rows


def other_supervision_rows(user, today: datetime.date, organization=None) -> list[SupervisionRow]:
    """Rows of every other module registered in core.registry.supervision_sources (problems
    to rectify, complaints, …), within ``organization``'s subtree if given."""
    rows = []
    for key, source in supervision_sources:
        if key.startswith("work."):
            continue  # this app's own items have their own tables on the page
        for row in source(user, today):
            if organization is None or row.organization.path.startswith(organization.path):
                rows.append(row)
    far_future = datetime.date.max
    return sorted(
        rows,
        key=lambda row: (not row.awaiting_verification, row.deadline or far_future, row.title),
    )


def supervised_goals(user, today: datetime.date):
    return (
        BusinessGoal.objects.restrict(user)
        .with_state(today)
        .filter(state_value__in=[WorkState.OVERDUE, WorkState.DUE_SOON])
        .select_related("department", "owner")
        .order_by("deadline", "department__sort_order", "pk")
    )


def level_summary(tasks) -> list[dict]:
    """Counts of overdue and due-soon tasks by organization kind (level of the tree)."""
    counts = defaultdict(lambda: {"overdue": 0, "due_soon": 0})
    for task in tasks:
        key = task.organization.kind
        counts[key]["overdue" if task.state == WorkState.OVERDUE else "due_soon"] += 1
    return [
        {"kind": kind, "label": OrgKind(kind).label, **counts[kind]}
        for kind in (OrgKind.AGENCY_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
        if kind in counts
    ]


@dataclass
class ReminderReport:
    sent: int = 0
    skipped: int = 0  # already sent before (reruns)
    without_account: int = 0  # responsible person with no account: remind offline
    emailed: int = 0


def _recipients_for_task(task: PartyTask, secretaries: dict) -> list:
    if task.owner_id and task.owner.user_id:
        return [task.owner.user]
    # nobody named, or a person without an account: the organization's secretary account(s)
    return secretaries.get(task.organization_id, [])


def _send(report: ReminderReport, recipient, *, title, body, url, key) -> None:
    if notify(recipient, title=title, body=body, url=url, dedupe_key=key):
        report.sent += 1
        if settings.TONGPIN.get("REMINDER_EMAIL") and recipient.email:
            try:
                send_mail(title, f"{body}\n{url}", None, [recipient.email])
                report.emailed += 1
            except Exception:  # noqa: BLE001  (mail trouble must not stop in-app reminders)
                logger.exception("reminder e-mail to %s failed", recipient.pk)
    else:
        report.skipped += 1


@site_language
def send_reminders(today: datetime.date | None = None, *, tasks=None, goals=None) -> ReminderReport:
    """Remind each responsible person of each overdue or due-soon item, once.

    The dedupe key holds the item, the kind of reminder and the deadline, so reruns send
    nothing new and a changed deadline earns a fresh reminder. The upper level's responsible
    person gets one digest per deployed task whenever the set of overdue children changes
    (督办 by level). ``tasks``/``goals`` narrow the run (a user's supervision page).
    """
    today = today or timezone.localdate()
    report = ReminderReport()
    with translation.override(settings.LANGUAGE_CODE):
        task_qs = (tasks if tasks is not None else PartyTask.objects.all()).with_state(today)
        open_items = list(
            task_qs.filter(state_value__in=[WorkState.OVERDUE, WorkState.DUE_SOON]).select_related(
                "organization", "owner__user", "parent__owner__user", "parent__organization"
            )
        )
        secretaries = defaultdict(list)
        for assignment in RoleAssignment.objects.filter(
            role=Role.BRANCH_SECRETARY,
            organization_id__in={t.organization_id for t in open_items},
        ).select_related("user"):
            if assignment.user.is_active:
                secretaries[assignment.organization_id].append(assignment.user)
        overdue_children = defaultdict(list)
        for task in open_items:
            overdue = task.state == WorkState.OVERDUE
            recipients = _recipients_for_task(task, secretaries)
            if not recipients:
                report.without_account += 1
            kind = "overdue" if overdue else "due_soon"
            title = (_("Overdue: %(title)s") if overdue else _("Due soon: %(title)s")) % {
                "title": task.title
            }
            body = _("%(org)s, due %(deadline)s, progress %(progress)d%%.") % {
                "org": task.organization,
                "deadline": task.deadline.isoformat(),
                "progress": task.progress,
            }
            url = reverse("work:task_detail", args=[task.pk])
            for recipient in recipients:
                _send(
                    report,
                    recipient,
                    title=title,
                    body=body,
                    url=url,
                    key=f"work.task.{kind}.{task.pk}.{task.deadline.isoformat()}",
                )
            if overdue and task.parent_id:
                overdue_children[task.parent_id].append(task)
        for children in overdue_children.values():
            parent = children[0].parent
            if not (parent.owner_id and parent.owner.user_id):
                continue
            ids = ",".join(str(c.pk) for c in sorted(children, key=lambda c: c.pk))
            digest = hashlib.sha256(ids.encode()).hexdigest()[:16]
            _send(
                report,
                parent.owner.user,
                title=_("%(n)d organizations overdue on: %(title)s")
                % {"n": len(children), "title": parent.title},
                body="、".join(str(c.organization) for c in children),
                url=reverse("work:task_detail", args=[parent.pk]),
                key=f"work.task.escalate.{parent.pk}.{digest}",
            )
        if tasks is None and goals is None:
            # reports waiting for the verifying level, from every module in the closed loop
            for item, verifiers in loops.waiting_reports(today):
                for recipient in verifiers:
                    _send(
                        report,
                        recipient,
                        title=_("Waiting for your verification since %(date)s: %(title)s")
                        % {"date": item.reported_on.isoformat(), "title": item.loop_title()},
                        body=str(item.loop_organization()),
                        url=item.loop_url(),
                        key=f"loop.waiting.{item._meta.label_lower}.{item.pk}."
                        f"{item.reported_on.isoformat()}",
                    )
        goal_qs = (goals if goals is not None else BusinessGoal.objects.all()).with_state(today)
        for goal in goal_qs.filter(
            state_value__in=[WorkState.OVERDUE, WorkState.DUE_SOON]
        ).select_related("department", "owner__user"):
            if not (goal.owner_id and goal.owner.user_id):
                report.without_account += 1
                continue
            overdue = goal.state == WorkState.OVERDUE
            kind = "overdue" if overdue else "due_soon"
            title = (_("Overdue: %(title)s") if overdue else _("Due soon: %(title)s")) % {
                "title": goal.title
            }
            _send(
                report,
                goal.owner.user,
                title=title,
                body=_("%(department)s, due %(deadline)s.")
                % {"department": goal.department, "deadline": goal.deadline.isoformat()},
                url=reverse("work:goal_detail", args=[goal.pk]),
                key=f"work.goal.{kind}.{goal.pk}.{goal.deadline.isoformat()}",
            )
    return report


# ---- responsibility lists (rule JG-12) --------------------------------------------------------


def _fill(text: str, **values) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


@transaction.atomic
@site_language
def generate_list(
    *,
    user,
    kind: str,
    year: int,
    organization: Organization,
    holder_name: str,
    holder_post: str = "",
    holder=None,
    departments=(),
) -> ResponsibilityList:
    """A responsibility list from its template (never typed from scratch); generating the same
    holder's list for the same year again returns the existing one."""
    require_reach(user, organization, CHANGE)
    if kind in (ResponsibilityKind.LEADERSHIP_GROUP, ResponsibilityKind.LEADER) and not (
        is_agency_wide(user, CHANGE)
    ):
        raise PermissionDenied
    existing = ResponsibilityList.objects.filter(
        kind=kind, year=year, organization=organization, holder_name=holder_name
    ).first()
    if existing is not None:
        return existing
    template = ResponsibilityTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise ValidationError(_("There is no template for this kind of list."))
    departments = list(departments)
    names = "、".join(d.name for d in departments) or str(organization)
    titles = {
        ResponsibilityKind.LEADERSHIP_GROUP: _(
            "%(year)d list of the leadership group's primary responsibility for party building"
        ),
        ResponsibilityKind.LEADER: _("%(year)d dual-duty list of %(name)s"),
        ResponsibilityKind.AGENCY_COMMITTEE: _("%(year)d responsibility list of %(org)s"),
        ResponsibilityKind.BRANCH: _("%(year)d responsibility list of the secretary of %(org)s"),
    }
    responsibility_list = ResponsibilityList.objects.create(
        year=year,
        kind=kind,
        organization=organization,
        title=titles[kind] % {"year": year, "name": holder_name, "org": organization},
        holder=holder,
        holder_name=holder_name,
        holder_post=holder_post,
        template=template,
        created_by=user,
    )
    if departments:
        responsibility_list.departments.set(departments)
    bulk_create_with_history(
        [
            ResponsibilityItem(
                responsibility_list=responsibility_list,
                order=order,
                category=item.category,
                text=_fill(item.text, organization=organization, departments=names, year=year),
            )
            for order, item in enumerate(template.items.all(), start=1)
        ],
        ResponsibilityItem,
        default_user=user,
    )
    return responsibility_list


def _member_user(member):
    return member.user if member is not None and member.user_id else None


@site_language
def generate_branch_lists(*, user, year: int, organizations=None) -> list[ResponsibilityList]:
    """The secretary's list for every branch and general branch the user may change."""
    today = timezone.localdate()
    organizations = organizations or (
        Organization.objects.restrict(user, CHANGE)
        .filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH], is_active=True)
        .order_by("path")
    )
    lists = []
    organizations = list(organizations)
    secretaries = secretaries_of(organizations, today)
    for organization in organizations:
        secretary = secretaries.get(organization.pk)
        lists.append(
            generate_list(
                user=user,
                kind=ResponsibilityKind.BRANCH,
                year=year,
                organization=organization,
                holder_name=secretary.name if secretary else str(_("Secretary")),
                holder_post=_("Secretary of %(org)s") % {"org": organization},
                holder=_member_user(secretary),
                departments=Department.objects.filter(branch__path__startswith=organization.path),
            )
        )
    return lists


@site_language
def generate_leader_lists(*, user, year: int, root: Organization) -> list[ResponsibilityList]:
    """The leadership group's list (its head as first responsible person) and each leader's
    dual-duty list for the departments they are in charge of (rule JG-12)."""
    if not is_agency_wide(user, CHANGE):
        raise PermissionDenied
    lists = []
    by_leader = defaultdict(list)
    for link in LeaderDepartment.objects.select_related("leader", "department").order_by(
        "leader_id", "department__sort_order"
    ):
        by_leader[link.leader].append(link.department)
    head = next(iter(by_leader), None)
    lists.append(
        generate_list(
            user=user,
            kind=ResponsibilityKind.LEADERSHIP_GROUP,
            year=year,
            organization=root,
            holder_name=head.get_full_name() if head else str(_("Head of the leadership group")),
            holder_post=_("First responsible person"),
            holder=head,
        )
    )
    for leader, departments in by_leader.items():
        lists.append(
            generate_list(
                user=user,
                kind=ResponsibilityKind.LEADER,
                year=year,
                organization=root,
                holder_name=leader.get_full_name(),
                holder_post=_("Agency leader"),
                holder=leader,
                departments=departments,
            )
        )
    return lists


@transaction.atomic
def update_item(item: ResponsibilityItem, *, user, text: str, measures: str, category: str):
    require_reach(user, item.responsibility_list.organization, CHANGE)
    if not (text or "").strip():
        raise ValidationError({"text": _("The duty cannot be empty.")})
    item.text = text.strip()
    item.measures = (measures or "").strip()
    item.category = category or ""
    item.save()
    return item


@transaction.atomic
@site_language
def issue_list(responsibility_list: ResponsibilityList, *, user, issued_on=None):
    require_reach(user, responsibility_list.organization, CHANGE)
    responsibility_list.issued_on = issued_on or timezone.localdate()
    responsibility_list.save()
    if responsibility_list.holder_id and responsibility_list.holder_id != user.pk:
        notify(
            responsibility_list.holder,
            title=_("Your responsibility list: %(title)s") % {"title": responsibility_list.title},
            url=reverse("work:responsibility_detail", args=[responsibility_list.pk]),
            dedupe_key=f"work.responsibility.issued.{responsibility_list.pk}",
        )
    return responsibility_list


@transaction.atomic
def follow_item_as_task(item: ResponsibilityItem, *, user, deadline: datetime.date):
    """Push a duty into the plan as a party task (举措督责), so it is supervised like any task."""
    responsibility_list = item.responsibility_list
    organization = responsibility_list.organization
    require_reach(user, organization, CHANGE)
    if item.task_id:
        return item.task
    owner = None
    if responsibility_list.holder_id:
        owner = Member.objects.filter(user_id=responsibility_list.holder_id).first()
    task = create_task(
        user=user,
        organization=organization,
        year=responsibility_list.year,
        title=item.text[:200],
        description=item.measures,
        category=item.category or TaskCategory.ORGANIZATIONAL,
        owner=owner,
        deadline=deadline,
    )
    item.task = task
    item.save()
    return task


@transaction.atomic
def update_template(template: ResponsibilityTemplate, *, user, lines: list[tuple[str, str]]):
    """Replace a template's items with ``lines`` of (category, text)."""
    if not is_agency_wide(user, CHANGE):
        raise PermissionDenied
    lines = [(category, text.strip()) for category, text in lines if text.strip()]
    if not lines:
        raise ValidationError({"items": _("A template needs at least one duty.")})
    for item in template.items.all():
        item.delete()
    for order, (category, text) in enumerate(lines, start=1):
        template.items.create(order=order, category=category, text=text)
    template.save()  # touches updated_at and records who changed it
    return template


@transaction.atomic
def set_leader_departments(*, user, leader, departments) -> None:
    if not is_agency_wide(user, CHANGE):
        raise PermissionDenied
    wanted = {d.pk for d in departments}
    for link in LeaderDepartment.objects.filter(leader=leader):
        if link.department_id not in wanted:
            link.delete()
        else:
            wanted.discard(link.department_id)
    for department_id in sorted(wanted):
        LeaderDepartment.objects.create(leader=leader, department_id=department_id)


# ---- quarterly review (一起检查) ---------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = (
        datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    ) - datetime.timedelta(days=1)
    return start, end


def review_items(user, organization: Organization, year: int, quarter: int, today):
    """Goals and tasks of the organization's subtree due by the end of the quarter (or still
    open), side by side: what a quarterly review looks at."""
    _start, end = quarter_bounds(year, quarter)
    goals = (
        subtree_goals(organization)
        .restrict(user)
        .filter(year=year, deadline__lte=end)
        .with_state(today)
        .select_related("department")
        .order_by("department__sort_order", "deadline", "pk")
    )
    tasks = (
        PartyTask.objects.restrict(user)
        .filter(organization__path__startswith=organization.path, year=year, deadline__lte=end)
        .with_state(today)
        .select_related("organization")
        .order_by("organization__path", "deadline", "pk")
    )
    return goals, tasks


def review_figures(goals, tasks) -> dict:
    goals, tasks = list(goals), list(tasks)

    def count(items, state):
        return sum(1 for item in items if item.state == state)

    unlinked = unlinked_tasks(PartyTask.objects.filter(pk__in=[t.pk for t in tasks])).count()
    return {
        "goals": len(goals),
        "goals_done": count(goals, WorkState.DONE),
        "goals_overdue": count(goals, WorkState.OVERDUE),
        "tasks": len(tasks),
        "tasks_done": count(tasks, WorkState.DONE),
        "tasks_overdue": count(tasks, WorkState.OVERDUE),
        "tasks_unlinked": unlinked,
    }


@transaction.atomic
def create_review(
    *, user, organization, year: int, quarter: int, held_on: datetime.date, conclusion: str
) -> QuarterlyReview:
    require_reach(user, organization, CHANGE)
    if organization.kind == OrgKind.GROUP:
        raise ValidationError({"organization": _("Party groups are reviewed with their branch.")})
    if QuarterlyReview.objects.filter(
        organization=organization, year=year, quarter=quarter
    ).exists():
        raise ValidationError({"quarter": _("This quarter has already been reviewed.")})
    if not (conclusion or "").strip():
        raise ValidationError({"conclusion": _("Write down the conclusion of the review.")})
    goals, tasks = review_items(user, organization, year, quarter, timezone.localdate())
    return QuarterlyReview.objects.create(
        organization=organization,
        year=year,
        quarter=quarter,
        held_on=held_on,
        conclusion=conclusion.strip(),
        figures=review_figures(goals, tasks),
        created_by=user,
    )


@transaction.atomic
def add_follow_up(review: QuarterlyReview, *, user, goals=(), **fields) -> PartyTask:
    """A follow-up item of a review: a party task of the reviewed organization, so it enters the
    plan, supervision and reminders like any other."""
    task = create_task(
        user=user,
        organization=review.organization,
        goals=goals,
        year=fields.pop("year", review.year),
        **fields,
    )
    task.source_review = review
    task.save()
    return task


# ---- the plan page ----------------------------------------------------------------------------


@dataclass
class PlanGroup:
    goal: BusinessGoal | None
    tasks: list
    # "goal", "elsewhere" (serves goals outside the viewer's sight), "inherited" (linked through
    # the deployment) or "unlinked"
    kind: str = "goal"
    support: int = 0  # tasks in the whole subtree serving the goal


@dataclass
class Plan:
    organization: Organization
    year: int
    groups: list
    tasks: list
    goals: list
    rollups: dict
    states: dict
    goal_states: dict
    unlinked: int
    unsupported: int


def build_plan(user, organization: Organization, year: int, today: datetime.date) -> Plan:
    """Business goals and party tasks side by side, grouped by goal (one pass, fixed queries)."""
    # names come as annotations, not related objects, and the rows' ids go to the other queries
    # as subqueries, not long IN lists: thousands of rows build fast
    own = PartyTask.objects.restrict(user).filter(organization=organization, year=year)
    links = TaskGoalLink.objects.filter(task__in=own.values("pk"))
    tasks = list(
        own.with_state(today)
        .annotate(
            linked=linked_condition(),
            owner_name=F("owner__name"),
            parent_org_name=F("parent__organization__name"),
        )
        .only(
            "title",
            "category",
            "deadline",
            "progress",
            "completed_on",
            "parent_id",
            "organization_id",
            "owner_id",
            "year",
        )
    )
    goal_ids_by_task = defaultdict(list)
    for task_id, goal_id in links.values_list("task_id", "goal_id"):
        goal_ids_by_task[task_id].append(goal_id)
    shown_goals = (
        BusinessGoal.objects.restrict(user)
        # the year's goals of the subtree, and any other goal a task here serves (so no task
        # drops out of the plan)
        .filter(
            Q(year=year, pk__in=subtree_goals(organization).values("pk"))
            | Q(pk__in=links.values("goal_id"))
        )
    )
    goals = list(
        shown_goals.with_state(today)
        .annotate(department_name=F("department__name"))
        .only(
            "title",
            "target_value",
            "unit",
            "actual_value",
            "deadline",
            "completed_on",
            "department_id",
        )
        .order_by("department__sort_order", "deadline", "pk")
    )
    support = dict(
        TaskGoalLink.objects.filter(
            goal__in=shown_goals.values("pk"),
            task__organization__path__startswith=organization.path,
        )
        .values("goal_id")
        .annotate(n=Count("pk"))
        .values_list("goal_id", "n")
    )
    by_goal = defaultdict(list)
    shown = {goal.pk for goal in goals}
    inherited, elsewhere, unlinked = [], [], []
    for task in tasks:
        ids = goal_ids_by_task.get(task.pk) or []
        task.goal_ids = ids
        if any(goal_id in shown for goal_id in ids):
            for goal_id in ids:
                if goal_id in shown:
                    by_goal[goal_id].append(task)
        elif ids:  # serves goals the viewer cannot read
            elsewhere.append(task)
        elif task.linked:
            inherited.append(task)
        else:
            unlinked.append(task)
    groups = [
        PlanGroup(goal=goal, tasks=by_goal.get(goal.pk, []), support=support.get(goal.pk, 0))
        for goal in goals
    ]
    if elsewhere:
        groups.append(PlanGroup(goal=None, tasks=elsewhere, kind="elsewhere"))
    if inherited:
        groups.append(PlanGroup(goal=None, tasks=inherited, kind="inherited"))
    if unlinked:
        groups.append(PlanGroup(goal=None, tasks=unlinked, kind="unlinked"))
    states = defaultdict(int)
    for task in tasks:
        states[task.state] += 1
    goal_states = defaultdict(int)
    for goal in goals:
        goal_states[goal.state] += 1
    task_rollups = rollups(own.values("pk"), today) if tasks else {}
    for task in tasks:
        task.rollup = task_rollups.get(task.pk)
    return Plan(
        organization=organization,
        year=year,
        groups=groups,
        tasks=tasks,
        goals=goals,
        rollups=task_rollups,
        states=dict(states),
        goal_states=dict(goal_states),
        unlinked=len(unlinked),
        unsupported=sum(1 for goal in goals if not support.get(goal.pk)),
    )


def open_states():
    return [state.value for state in OPEN_STATES]
