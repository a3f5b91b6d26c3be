"""Actions and computations of organizational life.

Views, the API, the demo loader and the assessment module call these. Each change of state is one
function in one transaction; the rule computations (BR-03 votes, quorums, the compliance engine,
BR-11 coverage, BR-12 report) are pure functions or set-based queries, never loops over rows.
"""

import calendar
import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from tongpin.core.scoping import CHANGE, VIEW, require_reach, scope_of
from tongpin.core.services import attach, notify
from tongpin.members.models import CommitteePost, Member, MemberStatus
from tongpin.orgs.models import Organization, OrgKind

from . import conf
from .conf import MONTH, PERIOD_MONTHS, QUARTER, YEAR
from .models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberReview,
    Motion,
    ReviewGrade,
    Talk,
)

# kinds a branch member attends as an ordinary member (BR-12: the branch side of dual life)
BRANCH_LIFE_KINDS = (
    MeetingKind.ASSEMBLY,
    MeetingKind.GROUP,
    MeetingKind.LECTURE,
    MeetingKind.THEME_DAY,
    MeetingKind.ORG_LIFE,
    MeetingKind.MEMBER_REVIEW,
)
# kinds of the leadership group (BR-12: the leadership side of dual life)
LEADERSHIP_KINDS = (MeetingKind.DEMOCRATIC_LIFE,)


# ---- scope ----------------------------------------------------------------------------------


def has_change_scope(user) -> bool:
    scope = scope_of(user, CHANGE)
    return scope.everything or bool(scope.org_paths)


def can_change_meeting(user, meeting: Meeting) -> bool:
    return scope_of(user, CHANGE).covers_path(meeting.organization.path)


def organizations_for(user, action=VIEW):
    """Organizations that hold meetings, in the user's scope (tree order)."""
    return Organization.objects.restrict(user, action).filter(is_active=True)


# ---- periods and plans ----------------------------------------------------------------------


def last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(day: datetime.date, period: str | None) -> tuple[datetime.date, datetime.date]:
    """The period (month, quarter or year) containing ``day``; kinds without one count by month."""
    months = PERIOD_MONTHS.get(period or MONTH, 1)
    first_month = (day.month - 1) // months * months + 1
    return datetime.date(day.year, first_month, 1), last_day(day.year, first_month + months - 1)


def periods_of(year: int, period: str) -> list[tuple[datetime.date, datetime.date]]:
    months = PERIOD_MONTHS[period]
    return [
        (datetime.date(year, month, 1), last_day(year, month + months - 1))
        for month in range(1, 13, months)
    ]


def _weekday(day: datetime.date) -> datetime.date:
    """A plan never proposes a weekend: Saturday moves to Friday, Sunday to Monday."""
    if day.weekday() == 5:
        return day - datetime.timedelta(days=1)
    if day.weekday() == 6:
        return day + datetime.timedelta(days=1)
    return day


def planned_dates(kind: str, year: int) -> list[datetime.date]:
    """The dates the plan proposes for ``kind`` in ``year`` (one per period, from ``conf``)."""
    rule = conf.rule_for(kind)
    period = rule.get("period")
    if not period:
        return []
    offset = {MONTH: 1, QUARTER: rule.get("plan_month") or 1, YEAR: rule.get("plan_month") or 12}
    dates = []
    for start, _end in periods_of(year, period):
        month = start.month + offset[period] - 1 if period != YEAR else offset[YEAR]
        day = min(rule.get("plan_day") or 1, calendar.monthrange(year, month)[1])
        dates.append(_weekday(datetime.date(year, month, day)))
    return dates


def required_kinds(org_kind: str, committee_size: int) -> list[str]:
    """The kinds an organization must hold, by its kind and whether it has a committee."""
    kinds = []
    for kind in MeetingKind.values:
        rule = conf.rule_for(kind)
        if not rule.get("period") or org_kind not in rule.get("org_kinds", ()):
            continue
        if rule.get("needs_committee") and committee_size < conf.life_settings()["committee_min"]:
            continue
        kinds.append(kind)
    return kinds


def _active_posts(year: int) -> Q:
    """Posts not ended before the year began (a committee elected later still plans ahead)."""
    return Q(committee_posts__ended_on__isnull=True) | Q(
        committee_posts__ended_on__gte=datetime.date(year, 1, 1)
    )


def with_committee_size(organizations, year: int):
    return organizations.annotate(
        committee_size=Count("committee_posts__member", filter=_active_posts(year), distinct=True)
    )


def default_title(kind: str, day: datetime.date, period: str | None) -> str:
    label = MeetingKind(kind).label
    if period == QUARTER:
        return _("%(label)s, Q%(quarter)d %(year)d") % {
            "label": label,
            "quarter": (day.month - 1) // 3 + 1,
            "year": day.year,
        }
    if period == YEAR:
        return _("%(label)s, %(year)d") % {"label": label, "year": day.year}
    return _("%(label)s, %(month)d/%(year)d") % {
        "label": label,
        "month": day.month,
        "year": day.year,
    }


def _new_meeting(organization, kind, planned_on, *, in_plan, title="") -> Meeting:
    period = conf.rule_for(kind).get("period")
    start, end = period_bounds(planned_on, period)
    return Meeting(
        organization=organization,
        kind=kind,
        planned_on=planned_on,
        period_start=start,
        due_on=end,
        in_plan=in_plan,
        title=title or default_title(kind, planned_on, period),
    )


@transaction.atomic
def generate_plans(organizations, year: int, *, user=None) -> list[Meeting]:
    """Yearly plan: one planned meeting per required kind and period with no meeting yet.

    Idempotent (a period that has any meeting of the kind, even a cancelled one, is left alone),
    so the plan can be generated again after adjusting it by hand. Three queries in all.
    """
    if user is not None:
        for organization in organizations:
            require_reach(user, organization)
    organizations = list(
        with_committee_size(Organization.objects.filter(pk__in=[o.pk for o in organizations]), year)
    )
    taken = set(
        Meeting.objects.filter(organization__in=organizations, period_start__year=year).values_list(
            "organization_id", "kind", "period_start"
        )
    )
    new = []
    for organization in organizations:
        for kind in required_kinds(organization.kind, organization.committee_size):
            for day in planned_dates(kind, year):
                meeting = _new_meeting(organization, kind, day, in_plan=True)
                if (organization.pk, kind, meeting.period_start) not in taken:
                    new.append(meeting)
    if new:
        bulk_create_with_history(new, Meeting, batch_size=500)
    return new


def generate_plan(organization, year: int, *, user=None) -> list[Meeting]:
    return generate_plans([organization], year, user=user)


@transaction.atomic
def create_meeting(organization, kind, planned_on, *, user, title="") -> Meeting:
    """An extra meeting outside the plan (it counts for the period of its date)."""
    require_reach(user, organization)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose a kind of meeting.")})
    meeting = _new_meeting(organization, kind, planned_on, in_plan=False, title=title)
    meeting.save()
    send_reminders(meetings=Meeting.objects.filter(pk=meeting.pk))
    return meeting


@transaction.atomic
def reschedule(meeting: Meeting, planned_on: datetime.date, *, user) -> Meeting:
    """Adjust a planned meeting's date; it still counts for the period it was planned for."""
    require_reach(user, meeting.organization)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be moved."))
    meeting.planned_on = planned_on
    meeting.reminded_at = None
    meeting.save()
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, user, reason: str) -> Meeting:
    require_reach(user, meeting.organization)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason.strip()[:200]
    meeting.save()
    return meeting


# ---- who attends ----------------------------------------------------------------------------


def roster(organization, kind: str):
    """The members expected at a meeting of ``kind`` held by ``organization``."""
    members = Member.objects.all()
    if kind == MeetingKind.COMMITTEE:
        return members.filter(
            committee_posts__organization=organization, committee_posts__ended_on__isnull=True
        ).distinct()
    if organization.kind == OrgKind.GROUP:
        return members.filter(group=organization)
    if kind == MeetingKind.DEMOCRATIC_LIFE:
        # rule MZ-01: the leadership group (job levels are a setting)
        return members.filter(
            branch__path__startswith=organization.path,
            job_level__in=conf.life_settings()["leadership_job_levels"],
        )
    if organization.kind == OrgKind.BRANCH:
        return members.filter(branch=organization)
    return members.filter(branch__path__startswith=organization.path)


def can_vote(member: Member) -> bool:
    """Rule ORG-09: probationary members have no vote."""
    return member.status == MemberStatus.FULL


def attendance_sheet(meeting: Meeting) -> list[Attendance]:
    """The attendance to show on the record screen: saved rows, else the roster, all present.

    Members added to the roster since the meeting was recorded appear too (present by default).
    """
    saved = {a.member_id: a for a in meeting.attendances.select_related("member")}
    members = roster(meeting.organization, meeting.kind).only("name", "status").order_by("name")
    rows = [
        saved.pop(member.pk, None)
        or Attendance(meeting=meeting, member=member, can_vote=can_vote(member))
        for member in members
    ]
    rows.extend(sorted(saved.values(), key=lambda a: a.member.name))
    return rows


def last_place(organization) -> str:
    """Where the organization met last time (the record screen proposes it again)."""
    return (
        Meeting.objects.filter(organization=organization, status=MeetingStatus.HELD)
        .exclude(place="")
        .order_by("-held_on", "-pk")
        .values_list("place", flat=True)
        .first()
        or ""
    )


def default_host(meeting: Meeting) -> int | None:
    """The secretary hosts by default (a group: its branch's secretary if no one else)."""
    organization = meeting.organization
    posts = CommitteePost.objects.filter(ended_on__isnull=True, post=CommitteePost.Post.SECRETARY)
    host = posts.filter(organization=organization).values_list("member_id", flat=True).first()
    if host is None and organization.kind == OrgKind.GROUP:
        host = (
            posts.filter(organization__path=organization.path[:-4])
            .values_list("member_id", flat=True)
            .first()
        )
    return host


def member_id_of(user) -> int | None:
    return Member.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()


# ---- rules: quorum and votes ----------------------------------------------------------------


def _reaches(part: int, whole: int, share: Fraction, strict: bool) -> bool:
    """Whether ``part`` is more than (``strict``) or at least ``share`` of ``whole``."""
    if whole <= 0:
        return False
    ratio = Fraction(part, whole)
    return ratio > share if strict else ratio >= share


def quorum_met(kind: str, *, expected, present, voting, voting_present) -> bool | None:
    """BR-03 (members with a vote), BR-04 (the committee), MZ-01 (2/3 of the group); None when the
    kind has no quorum rule."""
    quorum = conf.rule_for(kind).get("quorum")
    if not quorum:
        return None
    whole, part = (voting, voting_present) if quorum["basis"] == "voting" else (expected, present)
    return _reaches(part, whole, conf.fraction(quorum["share"]), quorum.get("strict", True))


@dataclass(frozen=True)
class VoteOutcome:
    valid: bool
    passed: bool


def vote_outcome(*, entitled: int, voters_present: int, yes: int) -> VoteOutcome:
    """Rule BR-03: valid only with more than half of the members with a vote present; passes with
    "yes" from more than half of those *entitled* to vote, not of those present."""
    half = Fraction(1, 2)
    valid = _reaches(voters_present, entitled, half, strict=True)
    return VoteOutcome(valid=valid, passed=valid and _reaches(yes, entitled, half, strict=True))


# ---- record once ----------------------------------------------------------------------------


@dataclass
class AttendanceEntry:
    status: str = AttendanceStatus.PRESENT
    reason: str = ""


def attendance_errors(entries: dict[int, AttendanceEntry]) -> dict[int, str]:
    errors = {}
    for member_id, entry in entries.items():
        if entry.status not in AttendanceStatus.values:
            errors[member_id] = _("Choose present, excused or absent.")
        elif entry.status == AttendanceStatus.EXCUSED and not entry.reason.strip():
            errors[member_id] = _("An excused absence needs a reason.")
    return errors


@transaction.atomic
def record_meeting(
    meeting: Meeting,
    *,
    user,
    held_on: datetime.date,
    attendance: dict[int, AttendanceEntry] | None = None,
    files=(),
    **fields,
) -> Meeting:
    """Record a meeting as held, once: details, attendance (everyone present unless said
    otherwise), attachments; fixes the figures for quorum and compliance."""
    require_reach(user, meeting.organization)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be recorded."))
    today = timezone.localdate()
    if held_on > today:
        raise ValidationError({"held_on": _("A meeting is recorded once it has been held.")})
    if held_on.year < meeting.period_start.year - 1:
        raise ValidationError({"held_on": _("The date is too far from the planned period.")})
    attendance = attendance or {}
    errors = attendance_errors(attendance)
    if errors:
        raise ValidationError({"attendance": list(dict.fromkeys(errors.values()))})
    allowed = {
        "title",
        "starts_at",
        "place",
        "host",
        "recorder",
        "agenda",
        "first_item_title",
        "first_item_type",
        "first_item_id",
        "minutes",
        "decisions",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"record_meeting() got an unexpected field {name!r}")
        setattr(meeting, name, value if value is not None or name not in _TEXT else "")
    if meeting.first_item_type_id and not meeting.first_item_id:
        raise ValidationError({"first_item_id": _("Say which record the first item is.")})

    sheet = attendance_sheet(meeting)
    new, changed = [], []
    for row in sheet:
        entry = attendance.get(row.member_id)
        before = (row.status, row.reason)
        if entry is not None:
            row.status = entry.status
            row.reason = entry.reason.strip()[:200] if entry.status != "present" else ""
        if row.pk is None:
            new.append(row)
        elif (row.status, row.reason) != before:
            changed.append(row)  # only real changes reach the history
    if new:
        bulk_create_with_history(new, Attendance, batch_size=500)
    for row in changed:
        row.save(update_fields=["status", "reason", "updated_at"])

    _fix_figures(meeting, sheet)
    meeting.held_on = held_on
    meeting.status = MeetingStatus.HELD
    meeting.save()
    for uploaded in files:
        attach(meeting, uploaded, user=user)
    return meeting


_TEXT = {"title", "place", "agenda", "first_item_title", "minutes", "decisions"}


def _fix_figures(meeting: Meeting, sheet) -> None:
    present = [a for a in sheet if a.status == AttendanceStatus.PRESENT]
    meeting.expected_count = len(sheet)
    meeting.present_count = len(present)
    meeting.voting_count = sum(1 for a in sheet if a.can_vote)
    meeting.voting_present = sum(1 for a in present if a.can_vote)
    meeting.quorum_met = quorum_met(
        meeting.kind,
        expected=meeting.expected_count,
        present=meeting.present_count,
        voting=meeting.voting_count,
        voting_present=meeting.voting_present,
    )


def link_first_item(meeting: Meeting, target, *, user) -> Meeting:
    """Point the first agenda item (第一议题) at any record, e.g. a directive, by generic link."""
    require_reach(user, meeting.organization)
    meeting.first_item_type = ContentType.objects.get_for_model(target)
    meeting.first_item_id = target.pk
    meeting.first_item_title = str(target)[:300]
    meeting.save()
    return meeting


@transaction.atomic
def record_motion(meeting: Meeting, *, user, title: str, yes: int, no: int, abstain: int) -> Motion:
    """A vote at a held assembly; entitled and present come from its attendance (BR-03, ORG-09)."""
    require_reach(user, meeting.organization)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Record the meeting and its attendance before its votes."))
    if not (title or "").strip():
        raise ValidationError({"title": _("Say what was voted on.")})
    if min(yes, no, abstain) < 0:
        raise ValidationError(_("Vote counts cannot be negative."))
    if yes + no + abstain > meeting.voting_present:
        raise ValidationError(
            _("%(cast)d votes were counted but only %(present)d members with a vote were present.")
            % {"cast": yes + no + abstain, "present": meeting.voting_present}
        )
    outcome = vote_outcome(
        entitled=meeting.voting_count, voters_present=meeting.voting_present, yes=yes
    )
    return Motion.objects.create(
        meeting=meeting,
        title=title.strip()[:300],
        entitled=meeting.voting_count,
        voters_present=meeting.voting_present,
        yes=yes,
        no=no,
        abstain=abstain,
        valid=outcome.valid,
        passed=outcome.passed,
    )


# ---- reminders and check-in -----------------------------------------------------------------


def send_reminders(today: datetime.date | None = None, meetings=None) -> int:
    """Notify the attendees of planned meetings in the next few days (a setting), once each."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=conf.life_settings()["reminder_days"])
    if meetings is None:
        meetings = Meeting.objects.all()
    meetings = meetings.filter(
        status=MeetingStatus.PLANNED,
        planned_on__gte=today,
        planned_on__lte=until,
        reminded_at__isnull=True,
    ).select_related("organization")
    sent = 0
    for meeting in meetings:
        url = reverse("life:detail", args=[meeting.pk])
        title = _("%(kind)s on %(day)s") % {
            "kind": meeting.get_kind_display(),
            "day": f"{meeting.planned_on:%Y-%m-%d}",
        }
        body = f"{meeting.organization} · {meeting.title}"
        for member in (
            roster(meeting.organization, meeting.kind).filter(user__isnull=False).only("user_id")
        ):
            sent += notify(
                member.user,
                title=title,
                body=body,
                url=url,
                dedupe_key=f"life.meeting.{meeting.pk}.reminder",
            )
        Meeting.objects.filter(pk=meeting.pk).update(reminded_at=timezone.now())
    return sent


def checkin_open(meeting: Meeting, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    window = datetime.timedelta(days=conf.life_settings()["checkin_open_days"])
    return (
        meeting.status != MeetingStatus.CANCELLED and abs((meeting.day - today).days) <= window.days
    )


@transaction.atomic
def check_in(meeting: Meeting, *, user) -> Attendance:
    """Optional phone check-in by QR code: marks the member present. Never required, never
    counted anywhere but the attendance it records (rules.md, 为基层减负)."""
    member = Member.objects.filter(user=user).first()
    if (
        member is None
        or not roster(meeting.organization, meeting.kind).filter(pk=member.pk).exists()
    ):
        raise PermissionDenied
    if not checkin_open(meeting):
        raise ValidationError(_("Check-in is open only around the day of the meeting."))
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting, member=member, defaults={"can_vote": can_vote(member)}
    )
    attendance.status = AttendanceStatus.PRESENT
    attendance.reason = ""
    attendance.checked_in_at = timezone.now()
    attendance.save()
    if meeting.status == MeetingStatus.HELD:
        _fix_figures(meeting, list(meeting.attendances.all()))
        meeting.save()
    return attendance


# ---- compliance engine ----------------------------------------------------------------------


@dataclass(slots=True)
class ComplianceRow:
    """One organization, one kind, one year: what the rules require against what was held."""

    organization_id: int
    organization: str
    path: str
    org_kind: str
    kind: str
    rule: str
    period: str | None
    required: int  # periods in the year
    due: int  # periods already ended
    held: int  # meetings held
    covered: int  # periods with a valid meeting held
    missing: int  # ended periods without one
    late: int  # held after the end of their period
    quorum_failures: int
    planned: int  # still to be held

    @property
    def kind_label(self) -> str:
        return str(MeetingKind(self.kind).label)

    @property
    def ok(self) -> bool:
        return self.missing == 0 and self.quorum_failures == 0


def _due_periods(period: str, year: int, today: datetime.date) -> int:
    return sum(1 for _start, end in periods_of(year, period) if end < today)


def compliance(organizations, year: int, today: datetime.date | None = None) -> list[ComplianceRow]:
    """Compliance of ``organizations`` (a queryset) for ``year``, per organization and kind.

    Two queries whatever the number of organizations: the organizations with their committee
    size, and one GROUP BY (organization, kind) over the year's meetings. The assessment module
    calls this; pages and exports show it.
    """
    today = today or timezone.localdate()
    orgs = list(
        with_committee_size(organizations.order_by(), year)
        .values("pk", "name", "path", "kind", "committee_size")
        .order_by("path")
    )
    held = Q(status=MeetingStatus.HELD)
    valid = held & ~Q(quorum_met=False)
    # (organization, kind) -> (held, covered, covered_due, late, quorum failures, planned)
    figures = {
        (row[0], row[1]): row[2:]
        for row in Meeting.objects.filter(
            organization__in=organizations.order_by().values("pk"), period_start__year=year
        )
        .values("organization_id", "kind")
        .order_by()
        .annotate(
            held=Count("pk", filter=held),
            covered=Count("period_start", filter=valid, distinct=True),
            covered_due=Count("period_start", filter=valid & Q(due_on__lt=today), distinct=True),
            late=Count("pk", filter=held & Q(held_on__gt=F("due_on"))),
            quorum_failures=Count("pk", filter=held & Q(quorum_met=False)),
            planned=Count("pk", filter=Q(status=MeetingStatus.PLANNED)),
        )
        .values_list(
            "organization_id",
            "kind",
            "held",
            "covered",
            "covered_due",
            "late",
            "quorum_failures",
            "planned",
        )
    }
    # per kind, once: rule id, period, periods in the year, periods ended by today
    info = {}
    for kind in MeetingKind.values:
        rule = conf.rule_for(kind)
        period = rule.get("period")
        info[kind] = (
            rule.get("rule", ""),
            period,
            12 // PERIOD_MONTHS[period] if period else 0,
            _due_periods(period, year, today) if period else 0,
        )
    committee_min = conf.life_settings()["committee_min"]
    required_for = {}  # (org kind, has a committee) -> kinds; a handful of distinct keys
    empty = (0, 0, 0, 0, 0, 0)
    rows = []
    for org in orgs:
        key = (org["kind"], org["committee_size"] >= committee_min)
        if key not in required_for:
            required_for[key] = required_kinds(org["kind"], org["committee_size"])
        required = required_for[key]
        # meetings held beyond the requirements show too (e.g. a lecture where none is required)
        extra = [k for k in MeetingKind.values if k not in required and (org["pk"], k) in figures]
        for kind in (*required, *extra):
            held_n, covered, covered_due, late, failures, planned = figures.get(
                (org["pk"], kind), empty
            )
            rule_id, period, per_year, due = info[kind]
            is_required = kind in required
            rows.append(
                ComplianceRow(
                    organization_id=org["pk"],
                    organization=org["name"],
                    path=org["path"],
                    org_kind=org["kind"],
                    kind=kind,
                    rule=rule_id,
                    period=period,
                    required=per_year if is_required else 0,
                    due=due if is_required else 0,
                    held=held_n,
                    covered=covered,
                    missing=max(0, due - covered_due) if is_required else 0,
                    late=late,
                    quorum_failures=failures,
                    planned=planned,
                )
            )
    return rows


@dataclass
class ComplianceLine:
    """One organization's row of the compliance table: a cell per kind (None: not required)."""

    organization_id: int
    organization: str
    depth: int
    cells: list
    ok: bool
    talks: "TalkCoverage | None" = None


def compliance_table(
    rows: list[ComplianceRow], kinds: list[str], coverage: dict | None = None
) -> list[ComplianceLine]:
    """Pivot the engine's rows (already in tree order) into one line per organization."""
    lines: dict[int, ComplianceLine] = {}
    by_key = {(r.organization_id, r.kind): r for r in rows}
    for row in rows:
        if row.organization_id not in lines:
            lines[row.organization_id] = ComplianceLine(
                organization_id=row.organization_id,
                organization=row.organization,
                depth=len(row.path) // 4,
                cells=[by_key.get((row.organization_id, kind)) for kind in kinds],
                ok=True,
                talks=(coverage or {}).get(row.organization_id),
            )
        lines[row.organization_id].ok &= row.ok
    return list(lines.values())


def compliance_totals(rows: list[ComplianceRow]) -> dict:
    organizations = {r.organization_id for r in rows}
    behind = {r.organization_id for r in rows if not r.ok}
    return {
        "organizations": len(organizations),
        "behind": len(behind),
        "missing": sum(r.missing for r in rows),
        "late": sum(r.late for r in rows),
        "quorum_failures": sum(r.quorum_failures for r in rows),
        "held": sum(r.held for r in rows),
    }


@dataclass
class PlanRow:
    organization: Organization
    kind: str
    rule: str
    months: list


def plan_grid(meetings) -> list[PlanRow]:
    """Meetings of a year laid out by organization and kind, one column per month."""
    rows: dict[tuple, PlanRow] = {}
    for meeting in meetings:
        key = (meeting.organization_id, meeting.kind)
        if key not in rows:
            rows[key] = PlanRow(
                organization=meeting.organization,
                kind=meeting.get_kind_display(),
                rule=conf.rule_for(meeting.kind).get("rule", ""),
                months=[[] for _month in range(12)],
            )
        rows[key].months[meeting.planned_on.month - 1].append(meeting)
    return list(rows.values())


def org_options(organizations) -> list[tuple[int, str]]:
    """(id, name indented by depth) for a select that still reads as a tree."""
    return [
        (pk, "\u3000" * (depth - 1) + name)
        for pk, depth, name in organizations.exclude(kind=OrgKind.GROUP)
        .order_by("path")
        .values_list("pk", "depth", "name")
    ]


def branches_with_counts(organizations):
    return (
        organizations.filter(kind=OrgKind.BRANCH)
        .annotate(member_count=Count("members"))
        .order_by("path")
    )


# ---- BR-11: heart-to-heart talks ------------------------------------------------------------


@dataclass
class TalkCoverage:
    """Rule BR-11 for one branch and year: pairs talked against pairs the rule asks for."""

    organization_id: int
    members: int = 0
    committee: int = 0
    committee_pairs_done: int = 0
    with_committee_done: int = 0
    with_member_done: int = 0
    all_pairs_done: int = 0
    mode: str = "practice"

    @property
    def ordinary(self) -> int:
        return max(0, self.members - self.committee)

    @property
    def required(self) -> int:
        if self.mode == "literal":
            return self.members * (self.members - 1) // 2
        return self.committee * (self.committee - 1) // 2 + 2 * self.ordinary

    @property
    def done(self) -> int:
        if self.mode == "literal":
            return self.all_pairs_done
        return self.committee_pairs_done + self.with_committee_done + self.with_member_done

    @property
    def share(self) -> float:
        return self.done / self.required if self.required else 1.0


def _current_committee(branch_ref="branch_id") -> Exists:
    return Exists(
        CommitteePost.objects.filter(
            member=OuterRef("pk"), organization=OuterRef(branch_ref), ended_on__isnull=True
        )
    )


def talk_coverage(organizations, year: int) -> dict[int, TalkCoverage]:
    """BR-11 coverage per branch, in two grouped queries (members side, pairs side)."""
    mode = conf.life_settings()["talk_pairs"]
    in_year = Q(held_on__year=year)
    branch_ids = organizations.order_by().filter(kind=OrgKind.BRANCH).values("pk")
    talks = Talk.objects.filter(in_year)
    with_committee = Exists(
        talks.filter(
            Q(member_a=OuterRef("pk"), b_on_committee=True)
            | Q(member_b=OuterRef("pk"), a_on_committee=True)
        )
    )
    with_member = Exists(
        talks.filter(
            Q(member_a=OuterRef("pk"), b_on_committee=False)
            | Q(member_b=OuterRef("pk"), a_on_committee=False)
        )
    )
    result = {}
    # the Exists conditions are annotations first: Count(filter=...) reads them as columns
    member_rows = (
        Member.objects.filter(branch__in=branch_ids)
        .annotate(
            on_committee=_current_committee(),
            talked_committee=with_committee,
            talked_member=with_member,
        )
        .values("branch_id")
        .order_by()
        .annotate(
            members=Count("pk"),
            committee=Count("pk", filter=Q(on_committee=True)),
            with_committee_done=Count("pk", filter=Q(on_committee=False, talked_committee=True)),
            with_member_done=Count("pk", filter=Q(on_committee=False, talked_member=True)),
        )
    )
    for row in member_rows:
        result[row["branch_id"]] = TalkCoverage(
            organization_id=row["branch_id"],
            members=row["members"],
            committee=row["committee"],
            with_committee_done=row["with_committee_done"],
            with_member_done=row["with_member_done"],
            mode=mode,
        )
    pair = Concat(Cast("member_a_id", CharField()), Value("-"), Cast("member_b_id", CharField()))
    for row in (
        Talk.objects.filter(in_year, organization__in=branch_ids)
        .values("organization_id")
        .order_by()
        .annotate(
            committee_pairs=Count(
                pair, filter=Q(a_on_committee=True, b_on_committee=True), distinct=True
            ),
            all_pairs=Count(pair, distinct=True),
        )
    ):
        coverage = result.setdefault(
            row["organization_id"], TalkCoverage(row["organization_id"], mode=mode)
        )
        coverage.committee_pairs_done = row["committee_pairs"]
        coverage.all_pairs_done = row["all_pairs"]
    return result


@transaction.atomic
def record_talk(organization, *, user, member, partner, held_on, note="") -> Talk:
    require_reach(user, organization)
    if member.pk == partner.pk:
        raise ValidationError({"partner": _("A talk is between two members.")})
    for person in (member, partner):
        if person.branch_id != organization.pk:
            raise ValidationError(
                {"partner": _("Both members must belong to %(branch)s.") % {"branch": organization}}
            )
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A talk is recorded once it has taken place.")})
    first, second = sorted((member, partner), key=lambda m: m.pk)
    on_committee = set(
        CommitteePost.objects.filter(
            organization=organization, member__in=[first, second], ended_on__isnull=True
        ).values_list("member_id", flat=True)
    )
    return Talk.objects.create(
        organization=organization,
        held_on=held_on,
        member_a=first,
        member_b=second,
        a_on_committee=first.pk in on_committee,
        b_on_committee=second.pk in on_committee,
        note=(note or "").strip()[:200],
    )


# ---- BR-12: leading cadres' dual organizational life ----------------------------------------


def dual_life_report(members, year: int):
    """Rule BR-12: each leading cadre's attendance at their branch's life and at the leadership
    group's, for reporting upward. One grouped query; ordered by branch, never ranked."""
    held = Q(
        attendances__meeting__status=MeetingStatus.HELD,
        attendances__meeting__held_on__year=year,
    )
    branch = held & Q(attendances__meeting__kind__in=BRANCH_LIFE_KINDS)
    leadership = held & Q(attendances__meeting__kind__in=LEADERSHIP_KINDS)
    present = Q(attendances__status=AttendanceStatus.PRESENT)
    excused = Q(attendances__status=AttendanceStatus.EXCUSED)
    absent = Q(attendances__status=AttendanceStatus.ABSENT)
    return (
        members.filter(is_leading_cadre=True)
        .select_related("branch", "department")
        .annotate(
            branch_expected=Count("attendances", filter=branch),
            branch_present=Count("attendances", filter=branch & present),
            branch_excused=Count("attendances", filter=branch & excused),
            branch_absent=Count("attendances", filter=branch & absent),
            leadership_expected=Count("attendances", filter=leadership),
            leadership_present=Count("attendances", filter=leadership & present),
        )
        .order_by("branch__path", "name", "pk")
    )


# ---- BR-10: democratic review of members ----------------------------------------------------


@dataclass
class ReviewEntry:
    self_review: str = ""
    mutual_review: str = ""
    votes_excellent: int = 0
    votes_qualified: int = 0
    votes_basic: int = 0
    votes_unqualified: int = 0
    grade: str = ""
    handling: str = ""


def excellent_limit(reviewed: int) -> int:
    """Rule BR-10: at most this many 优秀 among ``reviewed`` members (share is a setting)."""
    share = conf.excellent_max_share()
    return reviewed * share.numerator // share.denominator


def review_sheet(organization, year: int) -> list[MemberReview]:
    """Every member of the branch with their review for ``year`` (unsaved where none yet)."""
    saved = {
        r.member_id: r
        for r in MemberReview.objects.filter(organization=organization, year=year).select_related(
            "member"
        )
    }
    members = Member.objects.filter(branch=organization).only("name", "status").order_by("name")
    rows = [
        saved.pop(m.pk, None) or MemberReview(organization=organization, year=year, member=m)
        for m in members
    ]
    return rows + sorted(saved.values(), key=lambda r: r.member.name)


@transaction.atomic
def save_reviews(
    organization, year: int, entries: dict[int, ReviewEntry], *, user, meeting=None
) -> list[MemberReview]:
    """Record the year's review for the branch; refuses more 优秀 than the share allows and a
    grade for a probationary member (graded after full membership; ORG-09 spirit)."""
    require_reach(user, organization)
    sheet = {r.member_id: r for r in review_sheet(organization, year)}
    errors = []
    for member_id, entry in entries.items():
        review = sheet.get(member_id)
        if review is None:
            errors.append(_("A reviewed member is not in this branch."))
            continue
        if entry.grade and entry.grade not in ReviewGrade.values:
            errors.append(_("Choose a grade from the list."))
        if entry.grade and review.member.status == MemberStatus.PROBATIONARY:
            errors.append(
                _("%(name)s is a probationary member and is not graded.")
                % {"name": review.member.name}
            )
    grades = {
        member_id: (entries[member_id].grade if member_id in entries else review.grade)
        for member_id, review in sheet.items()
    }
    graded = sum(1 for g in grades.values() if g)
    excellent = sum(1 for g in grades.values() if g == ReviewGrade.EXCELLENT)
    limit = excellent_limit(graded)
    if excellent > limit:
        errors.append(
            _(
                "%(excellent)d members rated excellent, but at most %(limit)d of %(graded)d may be "
                "(%(share)s, rule BR-10)."
            )
            % {
                "excellent": excellent,
                "limit": limit,
                "graded": graded,
                "share": str(conf.excellent_max_share()),
            }
        )
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    saved = []
    for member_id, entry in entries.items():
        review = sheet[member_id]
        for name, value in entry.__dict__.items():
            setattr(review, name, value.strip() if isinstance(value, str) else max(0, int(value)))
        review.meeting = meeting or review.meeting
        review.recorded_by = user
        review.save()
        saved.append(review)
    return saved


def review_summary(organizations, year: int) -> dict[int, dict]:
    """Per branch: members reviewed and graded, by grade (one grouped query)."""
    counts = {grade: Count("pk", filter=Q(grade=grade)) for grade in ReviewGrade.values}
    return {
        row["organization_id"]: row
        for row in MemberReview.objects.filter(
            organization__in=organizations.order_by().values("pk"), year=year
        )
        .values("organization_id")
        .order_by()
        .annotate(reviewed=Count("pk"), **counts)
    }
