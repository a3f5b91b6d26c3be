"""Documents out of the records: minutes as .docx (the usual 会议记录 layout), plans as .ics, the
check-in QR code as SVG. Nothing here queries beyond what the caller hands in."""

import datetime
import io
from zoneinfo import ZoneInfo

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from icalendar import Calendar, Event

from .models import AttendanceStatus, MeetingStatus

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "宋体"
TITLE_FONT = "黑体"


def _font(run, name: str, size: float | None = None, bold: bool = False) -> None:
    """Latin and East Asian font both, or Word shows Chinese in its fallback font."""
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold


def _cell_text(cell, text: str, bold: bool = False) -> None:
    cell.text = ""
    lines = (text or "").splitlines() or [""]
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        _font(paragraph.add_run(line), BODY_FONT, 12, bold)


def _day(meeting) -> str:
    day = meeting.held_on or meeting.planned_on
    text = _("%(y)d-%(m)d-%(d)d") % {"y": day.year, "m": day.month, "d": day.day}
    if meeting.starts_at:
        text += f" {meeting.starts_at:%H:%M}"
    return text


def minutes_docx(meeting, attendances, motions) -> bytes:
    """The minutes in a two-column record table, Chinese fonts set for East Asian text."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.6)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(
        title.add_run(
            _("Minutes of the %(kind)s of %(organization)s")
            % {"kind": meeting.get_kind_display(), "organization": meeting.organization.name}
        ),
        TITLE_FONT,
        18,
        bold=True,
    )

    present = [a for a in attendances if a.status == AttendanceStatus.PRESENT]
    excused = [a for a in attendances if a.status == AttendanceStatus.EXCUSED]
    absent = [a for a in attendances if a.status == AttendanceStatus.ABSENT]
    separator = "、"
    counts = _("%(expected)d expected, %(present)d present") % {
        "expected": meeting.expected_count or len(attendances),
        "present": meeting.present_count or len(present),
    }
    if meeting.voting_count:
        counts += _("; with a vote: %(voting)d expected, %(voting_present)d present") % {
            "voting": meeting.voting_count,
            "voting_present": meeting.voting_present,
        }
    agenda = meeting.agenda_items()
    if meeting.first_item_title and meeting.first_item_title not in agenda[:1]:
        agenda.insert(0, meeting.first_item_title)
    agenda_text = "\n".join(
        f"{n}. {item}"
        + (_(" (first agenda item)") if n == 1 and item == meeting.first_item_title else "")
        for n, item in enumerate(agenda, start=1)
    )
    votes = "\n".join(
        _(
            "%(title)s: %(entitled)d entitled, %(present)d present; %(yes)d yes, %(no)d no, "
            "%(abstain)d abstaining; %(valid)s, %(passed)s"
        )
        % {
            "title": motion.title,
            "entitled": motion.entitled,
            "present": motion.voters_present,
            "yes": motion.yes,
            "no": motion.no,
            "abstain": motion.abstain,
            "valid": _("vote valid") if motion.valid else _("vote not valid (BR-03)"),
            "passed": pgettext("vote", "passed") if motion.passed else _("not passed"),
        }
        for motion in motions
    )
    rows = [
        (pgettext("meeting", "Topic"), meeting.title),
        (pgettext("meeting", "Kind"), meeting.get_kind_display()),
        (_("Time"), _day(meeting)),
        (_("Place"), meeting.place),
        (_("Host"), meeting.host.name if meeting.host else ""),
        (_("Recorder"), meeting.recorder.name if meeting.recorder else ""),
        (_("Attendance"), counts),
        (pgettext("attendance", "Present"), separator.join(a.member.name for a in present)),
        (
            pgettext("attendance", "Excused"),
            separator.join(
                f"{a.member.name}（{a.reason}）" if a.reason else a.member.name for a in excused
            ),
        ),
        (pgettext("attendance", "Absent"), separator.join(a.member.name for a in absent)),
        (_("Agenda"), agenda_text),
        (_("Minutes"), meeting.minutes),
        (_("Decisions"), meeting.decisions),
    ]
    if votes:
        rows.append((_("Votes"), votes))
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width = Cm(3.2)
        cells[1].width = Cm(12.8)
        _cell_text(cells[0], label, bold=True)
        _cell_text(cells[1], value or "")
    signature = document.add_paragraph()
    signature.paragraph_format.space_before = Pt(18)
    _font(
        signature.add_run(_("Host (signature):                Recorder (signature):")),
        BODY_FONT,
        12,
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def calendar_ics(meetings, name: str) -> bytes:
    """Planned (and held) meetings as an iCalendar feed any phone calendar imports."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Tongpin//life//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"tongpin-meeting-{meeting.pk}")
        event.add("dtstamp", stamp)
        day = meeting.held_on or meeting.planned_on
        if meeting.starts_at:
            start = datetime.datetime.combine(day, meeting.starts_at, tzinfo=zone)
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(hours=2))
        else:
            event.add("dtstart", day)
            event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", f"{meeting.organization.name} · {meeting.get_kind_display()}")
        if meeting.place:
            event.add("location", meeting.place)
        event.add("description", meeting.title)
        event.add(
            "status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        )
        calendar.add_component(event)
    return calendar.to_ical()


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    return image.to_string(encoding="unicode")
