"""第一议题: a meeting records the directive it studied first, picked from the directives the
recorder can read; the meeting links to the directive and the directive lists the meeting."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from tongpin.core import first_items
from tongpin.directives import services
from tongpin.directives.models import Directive
from tongpin.life.models import Meeting, MeetingKind, MeetingStatus
from tongpin.orgs.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return Organization.objects.get(name="办公室党支部")


@pytest.fixture
def meeting(office):
    return (
        Meeting.objects.filter(
            organization=office,
            kind=MeetingKind.THEME_DAY,
            status=MeetingStatus.PLANNED,
            planned_on__lte=timezone.localdate(),
        )
        .order_by("-planned_on")
        .first()
    )


@pytest.fixture
def office_directive(office, demo_user):
    return services.create_directive(
        user=demo_user("shuji"), organization=office, title="支部学习贯彻实施方案"
    )


def record_post(client, meeting, **extra):
    page = client.get(reverse("life:record", args=[meeting.pk]))
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None:
            data[name] = value.pk if hasattr(value, "pk") else value
    data.update(minutes="集中学习。", place="三楼会议室", title="主题党日", **extra)
    for row in page.context["sheet"]:
        data[f"att-{row.member_id}"] = row.status
    return page, client.post(reverse("life:record", args=[meeting.pk]), data)


def test_the_picker_offers_directives_the_recorder_reads_recent_first(
    client_as, meeting, office_directive
):
    page = client_as("shuji").get(reverse("life:record", args=[meeting.pk]))
    values = [
        value
        for _group, options in page.context["form"].fields["first_item"].choices[1:]
        for value, _label in options
    ]
    assert values[0] == f"directives.directive:{office_directive.pk}"
    agency = Directive.objects.filter(organization__depth=1).values_list("pk", flat=True)
    assert not {f"directives.directive:{pk}" for pk in agency} & set(values)


def test_a_recorded_meeting_links_its_first_item_to_the_directive(
    client_as, meeting, office_directive
):
    client = client_as("shuji")
    _page, response = record_post(
        client,
        meeting,
        first_item=f"directives.directive:{office_directive.pk}",
        first_item_title="",
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.first_item_type == ContentType.objects.get_for_model(Directive)
    assert meeting.first_item_id == office_directive.pk
    assert meeting.first_item_title == "支部学习贯彻实施方案"  # filled from the directive
    # the meeting page links to the directive, the directive page lists the meeting
    detail = client.get(reverse("life:detail", args=[meeting.pk])).content.decode()
    assert reverse("directives:detail", args=[office_directive.pk]) in detail
    directive_page = client.get(reverse("directives:detail", args=[office_directive.pk]))
    assert [study.record for study in directive_page.context["studies"]] == [meeting]
    # recording again keeps the link (the picker is pre-filled with it)
    again = client.get(reverse("life:record", args=[meeting.pk]))
    assert (
        again.context["form"].initial["first_item"] == f"directives.directive:{office_directive.pk}"
    )


def test_a_directive_the_recorder_cannot_read_is_refused(client_as, meeting):
    agency = Directive.objects.filter(organization__depth=1).order_by("pk").first()
    _page, response = record_post(
        client_as("shuji"), meeting, first_item=f"directives.directive:{agency.pk}"
    )
    assert response.status_code == 200 and response.context["form"].errors["first_item"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.first_item_id is None


def test_the_meeting_shows_no_link_to_a_directive_the_reader_cannot_open(
    demo_user, meeting, office_directive
):
    from tongpin.life import services as life_services

    life_services.link_first_item(meeting, office_directive, user=demo_user("shuji"))
    ct = ContentType.objects.get_for_model(Directive)
    assert first_items.url_for(demo_user("shuji"), ct.pk, office_directive.pk)
    # shuji2 (another branch) cannot read the office's directive
    assert first_items.url_for(demo_user("shuji2"), ct.pk, office_directive.pk) == ""


def test_a_meeting_added_with_its_first_item_links_the_directive(
    client_as, office, office_directive
):
    client = client_as("shuji")
    response = client.post(
        reverse("life:create"),
        {
            "organization": office.pk,
            "kind": MeetingKind.THEME_DAY,
            "planned_on": timezone.localdate().isoformat(),
            "title": "学习贯彻专题党日",
            "first_item": f"directives.directive:{office_directive.pk}",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="学习贯彻专题党日")
    assert meeting.first_item_id == office_directive.pk
    assert meeting.first_item_title == "支部学习贯彻实施方案"


def test_adding_a_meeting_with_a_directive_out_of_reach_adds_nothing(client_as, office):
    agency = Directive.objects.filter(organization__depth=1).order_by("pk").first()
    response = client_as("shuji").post(
        reverse("life:create"),
        {
            "organization": office.pk,
            "kind": MeetingKind.THEME_DAY,
            "planned_on": timezone.localdate().isoformat(),
            "title": "不应创建",
            "first_item": f"directives.directive:{agency.pk}",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["first_item"]
    assert not Meeting.objects.filter(title="不应创建").exists()
