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
from tongpin.core.services import attach, attachments_of
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


# ---- 第一议题: meetings and study sessions that studied the directive first ------------------


def _first_item_filter(directive: Directive) -> dict:
    from django.contrib.contenttypes.models import ContentType

    return {
        "first_item_type": ContentType.objects.get_for_model(Directive),
        "first_item_id": directive.pk,
    }


def first_item_meetings(directive: Directive, user) -> list:
    """Meetings (of the ``life`` app, above this one) whose first agenda item links to the
    directive, as far as ``user`` reaches. Read through the app registry: ``life`` points at
    directives by a generic link, and this app never imports it."""
    from django.apps import apps

    if not apps.is_installed("tongpin.life"):
        return []
    meeting = apps.get_model("life", "Meeting")
    return list(
        meeting.objects.restrict(user)
        .filter(**_first_item_filter(directive))
        .select_related("organization")
        .order_by("planned_on", "pk")
    )


@dataclass
class FirstItemStudy:
    """A meeting or a study session that took the directive as its first agenda item, with who
    attended: ``present``/``expected`` for every reader, ``names`` (of those present) only for
    those who look after its organization, as on the meeting's and the session's own pages."""

    kind: str  # "meeting" or "session"
    record: object
    organization: Organization
    date: datetime.date | None
    title: str
    url: str
    held: bool
    present: int = 0
    expected: int = 0
    names: list | None = None
    organization_ids: set = field(default_factory=set)  # with a session's joint partners


def first_item_sessions(directive: Directive, user) -> list:
    """Study sessions (of the ``study`` app, read through the app registry) whose first agenda
    item links to the directive, as far as ``user`` reaches."""
    from django.apps import apps

    if not apps.is_installed("tongpin.study"):
        return []
    session = apps.get_model("study", "StudySession")
    return list(
        session.objects.restrict(user)
        .filter(**_first_item_filter(directive))
        .select_related("organization", "meeting")
        .prefetch_related("partners")
        .distinct()
        .order_by("held_on", "pk")
    )


def first_item_studies(directive: Directive, user) -> list[FirstItemStudy]:
    """Meetings and study sessions that studied the directive first, by date, each with its
    attendance: a meeting's from ``life``; a session's from its meeting, or its own rows. A
    fixed number of queries whatever their number (no query per row)."""
    from django.apps import apps
    from django.db.models import Count, Q
    from django.urls import reverse

    from tongpin.core.scoping import VIEW, looks_after_organizations, restrict
    from tongpin.members.models import Member

    meetings = first_item_meetings(directive, user)
    sessions = first_item_sessions(directive, user)
    staff = looks_after_organizations(user)

    def may_see_names(organization) -> bool:
        return staff and can_reach(user, organization, VIEW)

    # present members' names of every meeting involved (its own row, or a session held in it)
    meeting_ids = {m.pk for m in meetings} | {s.meeting_id for s in sessions if s.meeting_id}
    meeting_names: dict[int, list] = {}
    if meeting_ids and staff:
        attendance = apps.get_model("life", "Attendance")
        rows = (
            attendance.objects.restrict(user)
            .filter(meeting_id__in=meeting_ids, status="present")
            .order_by("member__name", "pk")
            .values_list("meeting_id", "member__name")
        )
        for meeting_id, name in rows:
            meeting_names.setdefault(meeting_id, []).append(name)

    studies = [
        FirstItemStudy(
            kind="meeting",
            record=m,
            organization=m.organization,
            date=m.held_on or m.planned_on,
            title=m.title or m.get_kind_display(),
            url=reverse("life:detail", args=[m.pk]),
            held=m.status == "held",
            present=m.present_count,
            expected=m.expected_count,
            names=meeting_names.get(m.pk, []) if may_see_names(m.organization) else None,
            organization_ids={m.organization_id},
        )
        for m in meetings
    ]

    own = [s for s in sessions if not s.meeting_id]
    own_names: dict[int, list] = {}
    own_counts: dict[int, int] = {}
    member_paths: list[str] = []
    if own:
        study_attendance = apps.get_model("study", "StudyAttendance")
        own_counts = dict(
            study_attendance.objects.filter(session_id__in=[s.pk for s in own])
            .values("session_id")
            .annotate(n=Count("pk"))
            .values_list("session_id", "n")
        )
        if staff:
            # a plain model (no scoped manager): its scope_spec applies through core's restrict
            rows = (
                restrict(study_attendance.objects.all(), user)
                .filter(session_id__in=[s.pk for s in own])
                .order_by("member__name", "pk")
                .values_list("session_id", "member__name")
            )
            for session_id, name in rows:
                own_names.setdefault(session_id, []).append(name)
        # expected at a session of its own: the members of the organizations studying
        condition = Q(pk__in=[])
        for s in own:
            for organization in [s.organization, *s.partners.all()]:
                condition |= Q(branch__path__startswith=organization.path)
        member_paths = list(Member.objects.filter(condition).values_list("branch__path", flat=True))

    for s in sessions:
        organizations = [s.organization, *s.partners.all()]
        study = FirstItemStudy(
            kind="session",
            record=s,
            organization=s.organization,
            date=s.held_on,
            title=s.topic,
            url=reverse("study:session", args=[s.pk]),
            held=True,
            organization_ids={o.pk for o in organizations},
        )
        if s.meeting_id:
            study.present, study.expected = s.meeting.present_count, s.meeting.expected_count
            names = meeting_names.get(s.meeting_id, [])
        else:
            roots = tuple(o.path for o in organizations)
            study.present = own_counts.get(s.pk, 0)
            study.expected = sum(1 for path in member_paths if path.startswith(roots))
            names = own_names.get(s.pk, [])
        study.names = names if may_see_names(s.organization) else None
        studies.append(study)
    return sorted(studies, key=lambda st: (st.date or datetime.date.min, st.kind, st.record.pk))


@dataclass
class TargetStudy:
    """第一议题 per implementing organization: has it studied the directive yet? ``studied`` is
    None for an organization the reader does not reach (not theirs to know)."""

    organization: Organization
    studied: bool | None
    first_on: datetime.date | None = None


def first_item_by_target(directive: Directive, user, studies=None) -> list[TargetStudy]:
    """The committee's view of "has every implementing organization done 第一议题?": a held
    meeting or a session of that organization (a joint session counts for every organization
    studying) with the directive as its first item."""
    from tongpin.core.scoping import VIEW

    if studies is None:
        studies = first_item_studies(directive, user)
    first: dict[int, datetime.date] = {}
    for study in studies:
        if not study.held:
            continue
        for org_id in study.organization_ids:
            if org_id not in first or (study.date and study.date < first[org_id]):
                first[org_id] = study.date
    rows = []
    for target in directive.targets.order_by("path"):
        if not can_reach(user, target, VIEW):
            rows.append(TargetStudy(target, None))
        else:
            rows.append(TargetStudy(target, target.pk in first, first.get(target.pk)))
    return rows


# ---- the original document --------------------------------------------------------------


@transaction.atomic
def create_directive_from_document(*, user, organization, document, targets=(), **fields):
    """Registers a directive whose text is read from ``document``, keeping the uploaded file as
    its original (an attachment, downloadable from the directive's page)."""
    fields["text"] = text_of(document)
    directive = create_directive(user=user, organization=organization, targets=targets, **fields)
    attach(directive, document, user=user)
    return directive


@transaction.atomic
def update_directive_from_document(directive: Directive, document, *, user, **fields):
    """``update_directive`` with the text read from ``document``, kept as an original too."""
    fields["text"] = text_of(document)
    directive = update_directive(directive, user=user, **fields)
    attach(directive, document, user=user)
    return directive


def original_documents(directive: Directive):
    return attachments_of(directive).order_by("-uploaded_at", "-pk")
