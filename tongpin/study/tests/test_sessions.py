"""Study sessions by tier, attendance reused from meetings, STD-06 class hours, cadence."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tongpin.demo.testing import office_branch
from tongpin.life.models import AttendanceStatus, Meeting, MeetingStatus
from tongpin.members.models import CommitteePost, Member
from tongpin.study import services
from tongpin.study.models import StudyForm, StudySession, StudyTier

pytestmark = pytest.mark.django_db


def held_meeting():
    return (
        Meeting.objects.filter(organization=office_branch(), status=MeetingStatus.HELD)
        .order_by("-held_on")
        .first()
    )


def test_a_session_in_a_meeting_reuses_its_attendance(demo_user):
    meeting = held_meeting()
    everyone = list(meeting.attendances.values_list("member_id", flat=True))
    present = set(
        meeting.attendances.filter(status=AttendanceStatus.PRESENT).values_list(
            "member_id", flat=True
        )
    )
    year = meeting.held_on.year
    before = services.hours_by_member(everyone, year)
    session = services.record_session(
        office_branch(),
        user=demo_user("shuji"),
        tier=StudyTier.LEAD,
        topic="领学",
        held_on=None,
        hours="2",
        meeting=meeting,
    )
    assert session.held_on == meeting.held_on
    assert set(services.participants(session).values_list("pk", flat=True)) == present
    after = services.hours_by_member(everyone, year)
    for pk in everyone:
        gained = after.get(pk, Decimal(0)) - before.get(pk, Decimal(0))
        assert gained == (Decimal(2) if pk in present else Decimal(0))


def test_own_attendance_only_from_the_organizations_studying(demo_user):
    office, user = office_branch(), demo_user("shuji")
    mine = list(Member.objects.filter(branch=office)[:2])
    other = Member.objects.exclude(branch__path__startswith=office.path).first()
    with pytest.raises(ValidationError):
        services.record_session(
            office,
            user=user,
            tier=StudyTier.SELF,
            topic="自学",
            held_on=datetime.date.today(),
            hours=1,
            members=[*mine, other],
        )
    session = services.record_session(
        office,
        user=user,
        tier=StudyTier.SELF,
        topic="自学",
        held_on=datetime.date.today(),
        hours=1,
        members=mine,
    )
    assert services.participants(session).count() == 2
    with pytest.raises(ValidationError):
        services.record_session(
            office, user=user, tier=StudyTier.SELF, topic="x", held_on=None, hours=0
        )


def test_joint_sessions_are_read_by_every_organization_studying(demo_user):
    office = office_branch()
    partner = demo_user("shuji2").member.branch
    joint = services.record_session(
        office,
        user=demo_user("shuji"),
        tier=StudyTier.DEEPEN,
        topic="联学共建专题",
        held_on=datetime.date.today(),
        hours=2,
        partners=[partner],
        members=[Member.objects.filter(branch=partner).first()],
    )
    assert services.sessions_for(demo_user("shuji2")).filter(pk=joint.pk).count() == 1
    assert services.sessions_for(demo_user("shuji")).filter(pk=joint.pk).count() == 1


def test_class_hours_against_std06_in_roster_order(demo_user):
    office = office_branch()
    members = Member.objects.filter(branch=office)
    rows = services.training_hours(members, datetime.date.today().year)
    committee = set(
        CommitteePost.objects.filter(ended_on__isnull=True).values_list("member_id", flat=True)
    )
    for row in rows:
        assert row.required == (56 if row.member.pk in committee else 32)
        assert row.met == (row.hours >= row.required)
    names = [row.member.name for row in rows]
    assert names == sorted(names)  # one branch: by name, never by hours


def test_class_hours_are_a_setting(settings):
    settings.TONGPIN = {**getattr(settings, "TONGPIN", {}), "STUDY": {"hours_member": 40}}
    rows = services.training_hours(Member.objects.filter(branch=office_branch()), 2000)
    assert {row.required for row in rows} <= {40, 56}


def test_cadence_flags_what_a_past_period_lacks(demo_user):
    office, user = office_branch(), demo_user("shuji")
    year = 2020
    today = datetime.date(2021, 1, 10)
    assert len(services.cadence([office], year, today)) == 12 + 4 + 2 + 1
    for month in range(1, 13):
        form = StudyForm.ACTIVITY
        if month % 3 == 0:
            form = StudyForm.EXCHANGE
        if month in (5, 11):
            form = StudyForm.SHOWCASE
        if month == 12:
            form = StudyForm.SUMMARY
        services.record_session(
            office,
            user=user,
            tier=StudyTier.LEAD,
            form=form,
            topic=f"{month}月学习",
            held_on=datetime.date(year, month, 15),
            hours=1,
        )
    flags = services.cadence([office], year, today)
    assert [(f.period, f.missing) for f in flags] == [("2020 Q4", StudyForm.EXCHANGE)]
    # periods not over yet are not flagged
    assert services.cadence([office], 2020, datetime.date(2020, 2, 1)) == []


def test_pages(client_as):
    assert client_as("shuji").get(reverse("study:report")).status_code == 200
    assert client_as("dangyuan").get(reverse("study:report")).status_code == 403
    response = client_as("shuji").post(
        reverse("study:session_create"),
        {
            "organization": office_branch().pk,
            "tier": StudyTier.LEAD,
            "form": StudyForm.ACTIVITY,
            "topic": "页面录入的学习",
            "hours": "2",
            "meeting": held_meeting().pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    session = StudySession.objects.get(topic="页面录入的学习")
    page = client_as("shuji").get(session.get_absolute_url())
    assert page.status_code == 200 and "页面录入的学习" in page.content.decode()
