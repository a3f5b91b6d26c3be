"""Actions of the study domain: views and the API parse requests and call these."""

import datetime
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tongpin.core.scoping import CHANGE, VIEW, require_reach
from tongpin.members.models import CommitteePost, Member

from . import conf
from .models import Material, StudyAttendance, StudyForm, StudySession
from .search import visibility_q

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".docx", ".pdf"}


def visible_materials(user):
    """Materials of the organizations the user reads, and those handed down from above."""
    condition = visibility_q(user, path_field="organization__path")
    queryset = Material.objects.select_related("organization")
    return queryset if condition is None else queryset.filter(condition)


# pinyin annotations after characters, as some web pages print them: 機(jī)關(guān)
PINYIN_NOTE = re.compile(r"(?<=[\u3400-\u9fff])\((?:[a-zü\u0101-\u01dc\u00e0-\u00fa]+)\)")


def clean_text(text: str) -> str:
    """Drop pinyin annotations and trailing blanks; keep the rest as written."""
    text = PINYIN_NOTE.sub("", text or "")
    return re.sub(r"[ \t\u3000]+\n", "\n", text).strip()


def extract_text(name: str, data: bytes) -> str:
    """The text of an uploaded .txt, .docx or text PDF (a scanned PDF has none: refused)."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise ValidationError(_("Upload a .docx, a text PDF or a .txt file."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is too large."))
    try:
        if suffix == ".txt":
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = data.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ValueError("unknown encoding")
        elif suffix == ".docx":
            import docx

            document = docx.Document(io.BytesIO(data))
            text = "\n".join(paragraph.text for paragraph in document.paragraphs)
        else:
            import pypdf

            reader = pypdf.PdfReader(io.BytesIO(data))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as error:  # a broken file of any kind is the user's to fix
        raise ValidationError(_("The file could not be read.")) from error
    text = clean_text(text)
    if not text:
        raise ValidationError(_("The file holds no text (a scanned PDF needs OCR first)."))
    return text


@transaction.atomic
def create_material(
    organization,
    *,
    user,
    title: str,
    body: str,
    source: str = "",
    published_on=None,
    tags: str = "",
    file_name: str = "",
) -> Material:
    require_reach(user, organization, CHANGE)
    if not (title or "").strip() or not (body or "").strip():
        raise ValidationError(_("A material needs a title and a text."))
    material = Material(
        organization=organization,
        title=title.strip(),
        body=clean_text(body),
        source=source.strip(),
        published_on=published_on,
        tags=tags.strip(),
        file_name=file_name[:255],
    )
    material.full_clean()
    material.save()  # the search entry follows (signals)
    return material


def update_material(
    material: Material,
    *,
    user,
    title: str,
    body: str,
    source: str = "",
    published_on=None,
    tags: str = "",
) -> Material:
    """Correct a material (a typo, a better source); it stays with its organization."""
    require_reach(user, material.organization, CHANGE)
    if not (title or "").strip() or not (body or "").strip():
        raise ValidationError(_("A material needs a title and a text."))
    material.title = title.strip()
    material.body = clean_text(body)
    material.source = source.strip()
    material.published_on = published_on
    material.tags = tags.strip()
    material.full_clean()
    material.save()  # history and the search entry follow (signals)
    return material


# ---- study sessions (五学联动) -----------------------------------------------------------


def sessions_for(user, action=VIEW):
    """Sessions the user reaches: of their organizations, and those they study jointly in."""
    return (
        StudySession.objects.restrict(user, action)
        .select_related("organization", "meeting")
        .distinct()
    )


def members_of(organizations):
    """Current members of the given organizations' subtrees."""
    condition = Q(pk__in=[])
    for organization in organizations:
        condition |= Q(branch__path__startswith=organization.path)
    return Member.objects.filter(condition)


@transaction.atomic
def record_session(
    organization,
    *,
    user,
    tier: str,
    topic: str,
    held_on,
    hours,
    form: str = StudyForm.ACTIVITY,
    meeting=None,
    members=(),
    materials=(),
    partners=(),
    summary: str = "",
    first_item=None,
    first_item_title: str = "",
) -> StudySession:
    """Record a held session. In a meeting its attendance is the meeting's (no list asked
    again); otherwise ``members`` are those present, from the organizations studying.

    ``first_item`` (第一议题) is any record, e.g. a directive, linked generically; left out, a
    session held in a meeting takes over the meeting's first item (nothing entered twice)."""
    from tongpin.life.models import MeetingStatus

    require_reach(user, organization, CHANGE)
    if hours is None or Decimal(hours) <= 0 or Decimal(hours) > 24:
        raise ValidationError({"hours": _("Class hours are more than 0 and at most 24.")})
    partners = [p for p in partners if p.pk != organization.pk]
    if meeting is not None:
        if meeting.organization_id not in {organization.pk, *(p.pk for p in partners)}:
            raise ValidationError({"meeting": _("The meeting is not of these organizations.")})
        if meeting.status != MeetingStatus.HELD:
            raise ValidationError({"meeting": _("Record the meeting as held first.")})
        held_on = meeting.held_on
        members = ()
    allowed = set(members_of([organization, *partners]).values_list("pk", flat=True))
    if any(member.pk not in allowed for member in members):
        raise ValidationError({"members": _("Only members of the organizations studying.")})
    session = StudySession(
        organization=organization,
        tier=tier,
        form=form,
        topic=(topic or "").strip(),
        held_on=held_on,
        hours=Decimal(hours),
        meeting=meeting,
        summary=summary,
    )
    _set_first_item(session, first_item, first_item_title, meeting)
    session.full_clean()
    session.save()
    session.partners.set(partners)
    session.materials.set(materials)
    StudyAttendance.objects.bulk_create(
        StudyAttendance(session=session, member=member) for member in members
    )
    return session


@transaction.atomic
def update_session(
    session: StudySession,
    *,
    user,
    tier: str,
    topic: str,
    hours,
    form: str = StudyForm.ACTIVITY,
    held_on=None,
    materials=None,
    summary: str = "",
    first_item=None,
    first_item_title: str = "",
) -> StudySession:
    """Correct a recorded session: what was studied (its 第一议题 too), how long, its summary.
    Its organization, meeting and attendance stay as recorded; held in a meeting, so does
    its date."""
    require_reach(user, session.organization, CHANGE)
    if hours is None or Decimal(hours) <= 0 or Decimal(hours) > 24:
        raise ValidationError({"hours": _("Class hours are more than 0 and at most 24.")})
    session.tier = tier
    session.form = form
    session.topic = (topic or "").strip()
    session.hours = Decimal(hours)
    session.summary = summary
    if not session.meeting_id and held_on:
        session.held_on = held_on
    _set_first_item(session, first_item, first_item_title, session.meeting)
    session.full_clean()
    session.save()
    if materials is not None:
        session.materials.set(materials)
    return session


def _set_first_item(session, target, title: str, meeting) -> None:
    """The session's 第一议题: the chosen record, else the meeting's first item (if any)."""
    title = (title or "").strip()
    if target is not None:
        session.first_item_type = ContentType.objects.get_for_model(target)
        session.first_item_id = target.pk
        session.first_item_title = (title or str(target))[:300]
    elif meeting is not None and (meeting.first_item_id or meeting.first_item_title) and not title:
        session.first_item_type_id = meeting.first_item_type_id
        session.first_item_id = meeting.first_item_id
        session.first_item_title = meeting.first_item_title
    else:
        session.first_item_type, session.first_item_id = None, None
        session.first_item_title = title[:300]


@transaction.atomic
def link_first_item(session: StudySession, target, *, user) -> StudySession:
    """Point the session's first agenda item (第一议题) at any record, e.g. a directive."""
    require_reach(user, session.organization, CHANGE)
    _set_first_item(session, target, "", None)
    session.save()
    return session


def participants(session):
    """Members present: the meeting's present attendance, or the session's own rows."""
    from tongpin.life.models import AttendanceStatus

    if session.meeting_id:
        return Member.objects.filter(
            attendances__meeting_id=session.meeting_id,
            attendances__status=AttendanceStatus.PRESENT,
        ).order_by("name")
    return Member.objects.filter(study_attendances__session=session).order_by("name")


def hours_by_member(member_ids, year: int) -> dict[int, Decimal]:
    """Class hours of each member in ``year`` (two aggregate queries: own rows, meetings)."""
    from tongpin.life.models import Attendance, AttendanceStatus

    totals: dict[int, Decimal] = defaultdict(Decimal)
    own = (
        StudyAttendance.objects.filter(member_id__in=member_ids, session__held_on__year=year)
        .values("member_id")
        .annotate(total=Sum("session__hours"))
    )
    in_meetings = (
        Attendance.objects.filter(
            member_id__in=member_ids,
            status=AttendanceStatus.PRESENT,
            meeting__study_sessions__held_on__year=year,
        )
        .values("member_id")
        .annotate(total=Sum("meeting__study_sessions__hours"))
    )
    for row in [*own, *in_meetings]:
        totals[row["member_id"]] += row["total"] or Decimal(0)
    return totals


@dataclass
class HoursRow:
    member: Member
    hours: Decimal
    required: int
    met: bool


def training_hours(members, year: int) -> list[HoursRow]:
    """STD-06 per member for a year, in roster order (branch, name): never ranked by hours."""
    settings = conf.study_settings()
    members = list(members.select_related("branch").order_by("branch__path", "name", "pk"))
    ids = [member.pk for member in members]
    on_committee = set(
        CommitteePost.objects.filter(member_id__in=ids, started_on__year__lte=year)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__year__gte=year))
        .values_list("member_id", flat=True)
    )
    totals = hours_by_member(ids, year)
    rows = []
    for member in members:
        required = settings["hours_committee" if member.pk in on_committee else "hours_member"]
        hours = totals.get(member.pk, Decimal(0))
        rows.append(HoursRow(member, hours, required, hours >= required))
    return rows


# ---- cadence: 月月有活动、季度有交流、半年有展示、年底有总结 ------------------------------


@dataclass
class CadenceFlag:
    organization: object
    period: str  # e.g. "2026-03", "2026 Q1", "2026 H1", "2026"
    missing: str  # a StudyForm value

    @property
    def label(self) -> str:
        return StudyForm(self.missing).label


def cadence(organizations, year: int, today) -> list[CadenceFlag]:
    """Periods already over without what the cadence asks: a monthly activity (any session), a
    quarterly exchange, a half-yearly showcase, a year-end summary. Joint sessions count for
    every organization studying."""
    organizations = list(organizations)
    held: dict[int, set] = defaultdict(set)
    sessions = StudySession.objects.filter(held_on__year=year).prefetch_related("partners")
    for session in sessions:
        for org_id in {session.organization_id, *(p.pk for p in session.partners.all())}:
            held[org_id].add((session.held_on.month, session.form))
    flags = []
    for organization in organizations:
        done = held.get(organization.pk, set())
        months = {month for month, _form in done}

        def has(form, first, last, done=done):
            return any(form == f and first <= m <= last for m, f in done)

        for month in range(1, 13):
            if datetime.date(year + month // 12, month % 12 + 1, 1) > today:
                break
            if month not in months:
                flags.append(CadenceFlag(organization, f"{year}-{month:02d}", StudyForm.ACTIVITY))
            if month % 3 == 0 and not has(StudyForm.EXCHANGE, month - 2, month):
                flags.append(CadenceFlag(organization, f"{year} Q{month // 3}", StudyForm.EXCHANGE))
            if month % 6 == 0 and not has(StudyForm.SHOWCASE, month - 5, month):
                flags.append(CadenceFlag(organization, f"{year} H{month // 6}", StudyForm.SHOWCASE))
            if month == 12 and not has(StudyForm.SUMMARY, 1, 12):
                flags.append(CadenceFlag(organization, f"{year}", StudyForm.SUMMARY))
    return flags
