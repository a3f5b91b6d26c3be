"""The demo directive: read from a messy notice, three tasks deployed to three branches, and the
第一议题 link from a branch meeting."""

import pytest
from django.urls import reverse

from tongpin.directives.demo import NOTICE_TITLE, TARGETS
from tongpin.directives.models import Directive
from tongpin.work.models import PartyTask

pytestmark = pytest.mark.django_db


def test_demo_directive_is_deployed_to_three_branches():
    directive = Directive.objects.get(title=NOTICE_TITLE)
    assert "機" not in directive.text and "(de)" not in directive.text
    assert sorted(org.name for org in directive.targets.all()) == sorted(TARGETS)
    tasks = list(directive.tasks.order_by("pk"))
    assert [task.title for task in tasks] == ["加强理论学习", "规范组织生活", "抓好问题整改"]
    assert [task.category for task in tasks] == ["ideological", "organizational", "institutional"]
    for task in tasks:
        assert sorted(
            PartyTask.objects.filter(parent=task).values_list("organization__name", flat=True)
        ) == sorted(TARGETS)
        assert task.goals.exists()  # serves a business goal: no 两张皮 finding


def test_directive_page_shows_the_loop_and_the_first_agenda_item(client_as, demo_user):
    from tongpin.life import services as life_services
    from tongpin.life.models import Meeting

    directive = Directive.objects.get(title=NOTICE_TITLE)
    meeting = Meeting.objects.filter(organization__name=TARGETS[0]).order_by("pk").first()
    life_services.link_first_item(meeting, directive, user=demo_user("dangwei"))

    response = client_as("dangwei").get(reverse("directives:detail", args=[directive.pk]))
    assert response.status_code == 200
    assert [row.total for row in response.context["rows"]] == [3, 3, 3]
    assert [study.record for study in response.context["studies"]] == [meeting]
    assert reverse("life:detail", args=[meeting.pk]) in response.content.decode()
