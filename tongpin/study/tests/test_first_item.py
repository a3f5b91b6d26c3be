"""第一议题 of a study session: picked like a meeting's (any record offered through core's
registry, e.g. a directive), taken over from the meeting it was held in, and linked from the
session's page only for readers who may open the record."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tongpin.demo.testing import office_branch
from tongpin.directives import services as directive_services
from tongpin.directives.models import Directive
from tongpin.life import services as life_services
from tongpin.life.models import Meeting, MeetingStatus
from tongpin.study import services
from tongpin.study.models import StudyForm, StudySession, StudyTier

pytestmark = pytest.mark.django_db


def held_meeting():
    return (
        Meeting.objects.filter(organization=office_branch(), status=MeetingStatus.HELD)
        .order_by("-held_on")
        .first()
    )


@pytest.fixture
def office_directive(demo_user):
    return directive_services.create_directive(
        user=demo_user("shuji"), organization=office_branch(), title="支部学习贯彻实施方案"
    )


def value(directive):
    return f"directives.directive:{directive.pk}"


def post_session(client, **extra):
    data = {
        "organization": office_branch().pk,
        "tier": StudyTier.LEAD,
        "form": StudyForm.ACTIVITY,
        "topic": "第一议题学习",
        "held_on": datetime.date.today().isoformat(),
        "hours": "2",
    }
    data.update(extra)
    return client.post(reverse("study:session_create"), data)


def test_the_form_offers_the_directives_the_recorder_reads(client_as, office_directive):
    page = client_as("shuji").get(reverse("study:session_create"))
    values = [
        option
        for _group, options in page.context["form"].fields["first_item"].choices[1:]
        for option, _label in options
    ]
    assert values[0] == value(office_directive)
    agency = Directive.objects.filter(organization__depth=1).values_list("pk", flat=True)
    assert not {f"directives.directive:{pk}" for pk in agency} & set(values)


def test_a_session_recorded_with_a_directive_links_it(client_as, office_directive):
    client = client_as("shuji")
    response = post_session(client, first_item=value(office_directive))
    assert response.status_code == 302, response.context["form"].errors
    session = StudySession.objects.get(topic="第一议题学习")
    assert session.first_item_type == ContentType.objects.get_for_model(Directive)
    assert session.first_item_id == office_directive.pk
    assert session.first_item_title == "支部学习贯彻实施方案"  # filled from the directive
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'data-testid="session-first-item"' in page
    assert reverse("directives:detail", args=[office_directive.pk]) in page


def test_a_directive_the_recorder_cannot_read_is_refused(client_as):
    agency = Directive.objects.filter(organization__depth=1).order_by("pk").first()
    response = post_session(client_as("shuji"), first_item=value(agency))
    assert response.status_code == 200 and response.context["form"].errors["first_item"]
    assert not StudySession.objects.filter(topic="第一议题学习").exists()


def test_a_session_in_a_meeting_takes_over_its_first_item(demo_user, office_directive):
    user = demo_user("shuji")
    meeting = life_services.link_first_item(held_meeting(), office_directive, user=user)
    session = services.record_session(
        office_branch(),
        user=user,
        tier=StudyTier.LEAD,
        topic="会上学习",
        held_on=None,
        hours="1",
        meeting=meeting,
    )
    assert (session.first_item_type_id, session.first_item_id) == (
        meeting.first_item_type_id,
        office_directive.pk,
    )
    assert session.first_item_title == meeting.first_item_title
    # a choice of its own wins
    other = directive_services.create_directive(
        user=user, organization=office_branch(), title="另一份文件"
    )
    session = services.record_session(
        office_branch(),
        user=user,
        tier=StudyTier.LEAD,
        topic="另学",
        held_on=None,
        hours="1",
        meeting=meeting,
        first_item=other,
    )
    assert session.first_item_id == other.pk and session.first_item_title == "另一份文件"


def test_recording_from_a_meeting_prefills_the_form(client_as, demo_user, office_directive):
    meeting = life_services.link_first_item(
        held_meeting(), office_directive, user=demo_user("shuji")
    )
    client = client_as("shuji")
    # the held meeting's page leads to the prefilled form
    detail = client.get(reverse("life:detail", args=[meeting.pk])).content.decode()
    assert f"{reverse('study:session_create')}?meeting={meeting.pk}" in detail
    # a member who cannot change the meeting gets no such button
    member_page = client_as("dangyuan").get(reverse("life:detail", args=[meeting.pk]))
    assert 'data-testid="meeting-study-session"' not in member_page.content.decode()
    page = client.get(reverse("study:session_create") + f"?meeting={meeting.pk}")
    initial = page.context["form"].initial
    assert initial["meeting"] == meeting.pk and initial["organization"] == office_branch().pk
    assert initial["first_item"] == value(office_directive)
    assert initial["held_on"] == meeting.held_on
    # a meeting out of the user's reach prefills nothing
    other = client_as("shuji2").get(reverse("study:session_create") + f"?meeting={meeting.pk}")
    assert "meeting" not in other.context["form"].initial


def test_the_page_links_the_directive_only_for_those_who_may_open_it(
    client_as, demo_user, office_directive
):
    """A joint session is read by its partner's secretary, who cannot open the office's own
    directive: the title is shown, not the link."""
    partner = demo_user("shuji2").member.branch
    session = services.record_session(
        office_branch(),
        user=demo_user("shuji"),
        tier=StudyTier.DEEPEN,
        topic="联学",
        held_on=datetime.date.today(),
        hours="2",
        partners=[partner],
        first_item=office_directive,
    )
    link = reverse("directives:detail", args=[office_directive.pk])
    own = client_as("shuji").get(session.get_absolute_url()).content.decode()
    assert link in own
    theirs = client_as("shuji2").get(session.get_absolute_url()).content.decode()
    assert "支部学习贯彻实施方案" in theirs and link not in theirs


def test_editing_a_session_sets_its_first_item(client_as, demo_user, office_directive):
    meeting = held_meeting()
    session = services.record_session(
        office_branch(),
        user=demo_user("shuji"),
        tier=StudyTier.LEAD,
        topic="会上学习",
        held_on=None,
        hours="1",
        meeting=meeting,
    )
    client = client_as("shuji")
    url = reverse("study:session_edit", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200 and "first_item" in page.context["form"].fields
    assert "meeting" not in page.context["form"].fields  # attendance stays as recorded
    response = client.post(
        url,
        {
            "tier": StudyTier.RESEARCH,
            "form": StudyForm.EXCHANGE,
            "topic": "改后的题目",
            "held_on": "2000-01-01",  # ignored: the meeting's date
            "hours": "1.5",
            "first_item": value(office_directive),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert (session.topic, session.tier, str(session.hours)) == ("改后的题目", "research", "1.5")
    assert session.held_on == meeting.held_on and session.meeting_id == meeting.pk
    assert session.first_item_id == office_directive.pk
    detail = client.get(session.get_absolute_url()).content.decode()
    assert reverse("study:session_edit", args=[session.pk]) in detail


def test_a_joint_partner_may_read_but_not_edit(client_as, demo_user):
    partner = demo_user("shuji2").member.branch
    session = services.record_session(
        office_branch(),
        user=demo_user("shuji"),
        tier=StudyTier.DEEPEN,
        topic="联学",
        held_on=datetime.date.today(),
        hours="2",
        partners=[partner],
    )
    client = client_as("shuji2")
    assert client.get(session.get_absolute_url()).status_code == 200
    assert (
        'data-testid="session-edit"' not in client.get(session.get_absolute_url()).content.decode()
    )
    assert client.get(reverse("study:session_edit", args=[session.pk])).status_code == 403
