"""第一议题 on the directive's page: the meetings and the study sessions that studied it first,
with who attended, and per implementing organization whether it has studied it yet, as far as
the reader reaches, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tongpin.directives import services
from tongpin.life import services as life_services
from tongpin.life.models import AttendanceStatus, Meeting, MeetingStatus
from tongpin.members.models import Member
from tongpin.orgs.models import Organization
from tongpin.study import services as study_services
from tongpin.study.models import StudyTier

pytestmark = pytest.mark.django_db

OFFICE, ECONOMY, THIRD = "办公室党支部", "经济运行调节处党支部", "发展规划处党支部"


def org(name):
    return Organization.objects.get(name=name)


def held_meetings(name, count=1):
    return list(
        Meeting.objects.filter(organization__name=name, status=MeetingStatus.HELD).order_by(
            "-held_on", "pk"
        )[:count]
    )


@pytest.fixture
def directive(demo_user):
    """The committee's directive, implemented by the two demo secretaries' branches and one more."""
    agency = Organization.objects.get(depth=1)
    return services.create_directive(
        user=demo_user("dangwei"),
        organization=agency,
        title="关于开展第一议题学习的通知",
        targets=[org(OFFICE), org(ECONOMY), org(THIRD)],
    )


@pytest.fixture
def studied(directive, demo_user):
    """The office studied it in a meeting; the economy branch in a session of its own."""
    dangwei = demo_user("dangwei")
    meeting = held_meetings(OFFICE)[0]
    life_services.link_first_item(meeting, directive, user=dangwei)
    present = list(Member.objects.filter(branch__name=ECONOMY).order_by("name")[:2])
    session = study_services.record_session(
        org(ECONOMY),
        user=dangwei,
        tier=StudyTier.LEAD,
        topic="集中学习",
        held_on=datetime.date.today(),
        hours="2",
        members=present,
        first_item=directive,
    )
    return meeting, session, present


def test_the_committee_sees_meetings_and_sessions_with_who_attended(client_as, directive, studied):
    meeting, session, present = studied
    page = client_as("dangwei").get(reverse("directives:detail", args=[directive.pk]))
    assert page.status_code == 200
    studies = {study.kind: study for study in page.context["studies"]}
    assert set(studies) == {"meeting", "session"}

    # the meeting: life's figures and the names of those present
    row = studies["meeting"]
    assert row.record == meeting and row.organization.name == OFFICE
    assert (row.present, row.expected) == (meeting.present_count, meeting.expected_count)
    assert row.names == sorted(
        meeting.attendances.filter(status=AttendanceStatus.PRESENT).values_list(
            "member__name", flat=True
        )
    )
    # the session of its own: its rows, out of the members of the organization studying
    row = studies["session"]
    assert row.record == session and row.date == session.held_on
    assert row.present == 2 and row.names == [m.name for m in present]
    assert row.expected == Member.objects.filter(branch__path__startswith=org(ECONOMY).path).count()

    html = page.content.decode()
    assert reverse("life:detail", args=[meeting.pk]) in html
    assert reverse("study:session", args=[session.pk]) in html
    assert f"{row.present}/{row.expected}" in html and present[0].name in html

    # per implementing organization: studied, studied, not yet
    by_target = {row.organization.name: row for row in page.context["target_studies"]}
    assert by_target[OFFICE].studied and by_target[OFFICE].first_on == meeting.held_on
    assert by_target[ECONOMY].studied and by_target[ECONOMY].first_on == session.held_on
    assert by_target[THIRD].studied is False
    assert 'data-org="发展规划处党支部" data-studied="no"' in html


def test_a_session_held_in_a_meeting_counts_the_meetings_attendance(demo_user, directive):
    dangwei = demo_user("dangwei")
    meeting = held_meetings(THIRD)[0]
    session = study_services.record_session(
        org(THIRD),
        user=dangwei,
        tier=StudyTier.LEAD,
        topic="会上学习",
        held_on=None,
        hours="1",
        meeting=meeting,
        first_item=directive,
    )
    (row,) = services.first_item_studies(directive, dangwei)
    assert row.record == session
    assert (row.present, row.expected) == (meeting.present_count, meeting.expected_count)
    assert len(row.names) == meeting.present_count
    target = {
        t.organization.name: t.studied for t in services.first_item_by_target(directive, dangwei)
    }
    assert target[THIRD] is True


def test_a_branch_secretary_sees_only_what_they_reach(client_as, directive, studied):
    meeting, session, _present = studied
    page = client_as("shuji").get(reverse("directives:detail", args=[directive.pk]))
    assert page.status_code == 200
    assert [study.record for study in page.context["studies"]] == [meeting]
    assert reverse("study:session", args=[session.pk]) not in page.content.decode()
    # whether other branches studied it is not the office secretary's to know
    by_target = {row.organization.name: row.studied for row in page.context["target_studies"]}
    assert by_target == {OFFICE: True, ECONOMY: None, THIRD: None}

    other = client_as("shuji2").get(reverse("directives:detail", args=[directive.pk]))
    assert [study.record for study in other.context["studies"]] == [session]
    assert other.context["studies"][0].names is not None  # their own branch's session


def test_a_member_sees_the_figures_but_not_the_names(client_as, directive, studied):
    page = client_as("dangyuan").get(reverse("directives:detail", args=[directive.pk]))
    assert page.status_code == 200
    studies = page.context["studies"]
    assert studies and all(study.names is None for study in studies)
    assert "first-item-names" not in page.content.decode()


def test_the_section_takes_a_fixed_number_of_queries(
    client_as, demo_user, directive, studied, django_assert_max_num_queries
):
    client = client_as("dangwei")
    url = reverse("directives:detail", args=[directive.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    # many more meetings and sessions, of several organizations, one held in a meeting
    dangwei = demo_user("dangwei")
    for name in (OFFICE, ECONOMY, THIRD):
        for meeting in held_meetings(name, 3):
            life_services.link_first_item(meeting, directive, user=dangwei)
        study_services.record_session(
            org(name),
            user=dangwei,
            tier=StudyTier.SELF,
            topic="自学",
            held_on=datetime.date.today(),
            hours="1",
            members=list(Member.objects.filter(branch__name=name)[:3]),
            partners=[org(OFFICE)] if name != OFFICE else [],
            first_item=directive,
        )
    study_services.record_session(
        org(ECONOMY),
        user=dangwei,
        tier=StudyTier.LEAD,
        topic="会上学习",
        held_on=None,
        hours="1",
        meeting=held_meetings(ECONOMY)[0],
        first_item=directive,
    )
    assert len(services.first_item_studies(directive, dangwei)) >= 10
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        client.get(url)
