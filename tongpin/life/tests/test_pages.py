"""The pages: record once from a phone, lists without N+1, exports (.xlsx, .docx, .ics), QR."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from icalendar import Calendar
from openpyxl import load_workbook

from tongpin.core.models import Notification
from tongpin.life import services
from tongpin.life.models import Attendance, Meeting, MeetingKind, MeetingStatus, MemberReview
from tongpin.members.models import Member

MAX_FILLED_FIELDS = 6  # issue 5: a held theme day with the default attendance


def _record_post(response, filled: dict) -> tuple[dict, int]:
    """The POST a person sends: what the page pre-filled, plus what they typed."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    typed = 0
    for name, value in filled.items():
        if str(data.get(name, "")) != str(value):
            typed += 1
        data[name] = value
    for row in response.context["sheet"]:
        data[f"att-{row.member_id}"] = row.status
    return data, typed


@pytest.mark.django_db
def test_recording_a_theme_day_needs_few_fields(client_as, theme_day_to_record, office):
    client = client_as("shuji")
    url = reverse("life:record", args=[theme_day_to_record.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "出席" in html and "请假" in html and "缺席" in html
    form = response.context["form"]
    # prefilled from what the system holds: date, place, host, recorder, topic
    assert form.initial["held_on"] == theme_day_to_record.planned_on
    assert form.initial["place"]
    assert form.initial["host"]
    assert form.initial["title"]
    sheet = response.context["sheet"]
    assert len(sheet) == Member.objects.filter(branch=office).count()
    data, typed = _record_post(
        response,
        {"agenda": "学习党章\n开展主题党日活动", "minutes": "全体党员重温入党誓词，交流学习体会。"},
    )
    assert typed <= MAX_FILLED_FIELDS
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    meeting = Meeting.objects.get(pk=theme_day_to_record.pk)
    assert meeting.status == MeetingStatus.HELD
    assert meeting.present_count == meeting.expected_count == len(sheet)
    assert Attendance.objects.filter(meeting=meeting).count() == len(sheet)


@pytest.mark.django_db
def test_record_page_shows_errors_without_saving(client_as, theme_day_to_record):
    client = client_as("shuji")
    url = reverse("life:record", args=[theme_day_to_record.pk])
    response = client.get(url)
    data, _typed = _record_post(response, {"minutes": "记录"})
    member_id = response.context["sheet"][0].member_id
    data[f"att-{member_id}"] = "excused"  # no reason given
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请假需要说明原因" in response.content.decode()
    theme_day_to_record.refresh_from_db()
    assert theme_day_to_record.status == MeetingStatus.PLANNED


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "limit"), [("dangwei", 16), ("shuji", 16)])
def test_meeting_list_has_no_n_plus_one(client_as, django_assert_max_num_queries, username, limit):
    client = client_as(username)
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("life:list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50
    html = response.content.decode()
    assert "组织生活" in html and "导出 Excel" in html


@pytest.mark.django_db
def test_ordinary_member_sees_own_branch_meetings(client_as, demo_user, office):
    response = client_as("dangyuan").get(reverse("life:list"))
    meetings = response.context["page"].paginator.object_list
    assert {m.organization.path[: len(office.path)] for m in meetings} == {office.path}


@pytest.mark.django_db
def test_compliance_page_and_export(client_as, django_assert_max_num_queries, demo_year):
    client = client_as("dangwei")
    # constant whatever the number of organizations: the engine is two grouped queries
    with django_assert_max_num_queries(15):
        response = client.get(reverse("life:compliance"), {"year": demo_year})
    html = response.content.decode()
    assert response.status_code == 200
    assert "价格处党支部" in html and "次人数不足" in html
    response = client.get(reverse("life:compliance_export"), {"year": demo_year})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert "缺少次数" in header
    assert sheet.max_row > 25


@pytest.mark.django_db
def test_compliance_is_scoped(client_as, office):
    response = client_as("shuji").get(reverse("life:compliance"))
    names = {line.organization for line in response.context["table"]}
    assert "办公室党支部" in names and "价格处党支部" not in names


@pytest.mark.django_db
def test_minutes_docx_reads_back_in_chinese(client_as, office):
    meeting = (
        Meeting.objects.filter(organization=office, status=MeetingStatus.HELD)
        .order_by("pk")
        .first()
    )
    response = client_as("shuji").get(reverse("life:docx", args=[meeting.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    title = document.paragraphs[0].text
    assert "办公室党支部" in title and "记录" in title
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cells["主持人"] and cells["会议记录"] == meeting.minutes
    assert cells["地点"] == meeting.place
    present = Attendance.objects.filter(meeting=meeting, status="present").first()
    assert present.member.name in cells["出席"]
    fonts = {
        run._element.rPr.rFonts.get(qn("w:eastAsia"))
        for paragraph in document.paragraphs
        for run in paragraph.runs
    }
    assert fonts & {"宋体", "黑体"}


@pytest.mark.django_db
def test_members_cannot_download_minutes_with_reasons(client_as, office):
    meeting = Meeting.objects.filter(organization=office, status=MeetingStatus.HELD).first()
    assert client_as("dangyuan").get(reverse("life:docx", args=[meeting.pk])).status_code == 403


@pytest.mark.django_db
def test_planned_meetings_as_ics(client_as, office, today):
    response = client_as("shuji").get(reverse("life:calendar"), {"org": office.pk})
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    planned = Meeting.objects.filter(
        organization__path__startswith=office.path, status=MeetingStatus.PLANNED
    )
    assert len(events) == planned.count() > 0
    assert all("办公室党支部" in str(e["summary"]) or "党小组" in str(e["summary"]) for e in events)


@pytest.mark.django_db
def test_plan_page_generates_next_year_once(client_as, office, today):
    client = client_as("shuji")
    year = today.year + 1
    response = client.post(reverse("life:plan"), {"organization": office.pk, "year": year})
    assert response.status_code == 302
    created = Meeting.objects.filter(
        organization__path__startswith=office.path, planned_on__year=year
    )
    count = created.count()
    assert count >= 34  # the branch's 34, plus its groups' 12 each
    client.post(reverse("life:plan"), {"organization": office.pk, "year": year})
    assert created.count() == count
    response = client.get(reverse("life:plan"), {"org": office.pk, "year": year})
    assert response.status_code == 200 and response.context["grid"]


@pytest.mark.django_db
def test_qr_check_in_is_optional_and_marks_present(client_as, office, demo_user, today):
    meeting = services.create_meeting(
        office, MeetingKind.THEME_DAY, today, user=demo_user("shuji"), title="主题党日"
    )
    qr = client_as("shuji").get(reverse("life:qr", args=[meeting.pk]))
    assert qr.status_code == 200 and "<svg" in qr.content.decode()
    url = reverse("life:checkin", args=[meeting.checkin_token])
    member = client_as("dangyuan")
    assert "我已到会" in member.get(url).content.decode()
    assert member.post(url).status_code == 302
    row = Attendance.objects.get(meeting=meeting, member=demo_user("dangyuan").member)
    assert row.status == "present" and row.checked_in_at
    # someone not on the roster cannot check in
    assert client_as("dangwei").post(url).status_code == 403
    # recording later keeps the check-in and marks everyone else present too
    services.record_meeting(meeting, user=demo_user("shuji"), held_on=today, minutes="记录")
    meeting.refresh_from_db()
    assert meeting.present_count == meeting.expected_count


@pytest.mark.django_db
def test_reminders_notify_attendees_once(office, demo_user, today):
    meeting = services.create_meeting(
        office, MeetingKind.LECTURE, today + datetime.timedelta(days=2), user=demo_user("shuji")
    )
    notified = Notification.objects.filter(dedupe_key=f"life.meeting.{meeting.pk}.reminder")
    users = Member.objects.filter(branch=office, user__isnull=False).count()
    assert notified.count() == users
    assert notified.filter(recipient=demo_user("dangyuan")).exists()
    services.send_reminders(today=today)
    assert notified.count() == users


@pytest.mark.django_db
def test_talks_and_reviews_pages(client_as, office, demo_user, today, demo_year):
    client = client_as("shuji")
    response = client.get(reverse("life:talks"))
    assert response.status_code == 200 and "谈心谈话" in response.content.decode()
    a, b = Member.objects.filter(branch=office).order_by("pk")[:2]
    response = client.post(
        reverse("life:talk_create"),
        {"member": a.pk, "partner": b.pk, "held_on": today.isoformat()},
    )
    assert response.status_code == 302
    year = demo_year - 1  # the demo's last review
    url = reverse("life:review_sheet", args=[office.pk, year])
    response = client.get(url)
    assert response.status_code == 200
    sheet = response.context["sheet"]
    full = [r for r in sheet if r.member.status == "full"]
    data = {f"grade-{r.member_id}": "excellent" for r in full}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "BR-10" in response.content.decode()
    before = MemberReview.objects.filter(organization=office, year=year, grade="excellent").count()
    assert before <= services.excellent_limit(len(full))


@pytest.mark.django_db
def test_api_compliance_for_the_assessment_module(api_as):
    response = api_as("dangwei").get("/api/life-compliance/", {"year": "x"})
    assert response.status_code == 200
    rows = response.json()
    assert {"organization_id", "kind", "rule", "required", "missing", "ok"} <= set(rows[0])
    assert api_as("dangyuan").get("/api/life-compliance/").status_code == 403


@pytest.mark.django_db
def test_api_records_a_meeting(api_as, theme_day_to_record):
    client = api_as("shuji")
    member = theme_day_to_record.organization.members.order_by("pk").first()
    response = client.post(
        f"/api/meetings/{theme_day_to_record.pk}/record/",
        {
            "held_on": theme_day_to_record.planned_on.isoformat(),
            "place": "会议室",
            "minutes": "记录",
            "attendance": [{"member": member.pk, "status": "excused", "reason": "出差"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held"
    assert response.json()["present_count"] == response.json()["expected_count"] - 1
    assert (
        api_as("shuji2")
        .post(f"/api/meetings/{theme_day_to_record.pk}/record/", {}, format="json")
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_reminder_command(office, demo_user, today):
    import io

    from django.core.management import call_command

    services.create_meeting(
        office, MeetingKind.ASSEMBLY, today + datetime.timedelta(days=30), user=demo_user("shuji")
    )
    out = io.StringIO()
    call_command(
        "life_reminders", today=(today + datetime.timedelta(days=28)).isoformat(), stdout=out
    )
    assert "会议提醒" in out.getvalue()
