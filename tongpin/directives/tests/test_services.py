"""Registering a directive and turning its action items into deployed party tasks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tongpin.core.loops import LoopStage
from tongpin.directives import services
from tongpin.directives.models import Directive, IssuingLevel
from tongpin.orgs.models import Organization
from tongpin.work.models import PartyTask, TaskCategory, WorkState

from .test_ingest import SAMPLES

pytestmark = pytest.mark.django_db

BRANCHES = ["办公室党支部", "经济运行调节处党支部"]


def _org(name):
    return Organization.objects.get(name=name)


@pytest.fixture
def directive(demo_user):
    root = Organization.objects.get(depth=1)
    text = services.text_of(SAMPLES / "directive-traditional-annotated.txt")
    return services.create_directive(
        user=demo_user("dangwei"),
        organization=root,
        targets=[_org(name) for name in BRANCHES],
        title="关于做好年度机关党建工作的通知",
        source="示例单位",
        level=IssuingLevel.SUPERIOR,
        issued_on=datetime.date(2025, 3, 2),
        text=text,
    )


def test_create_directive_cleans_uploaded_text_and_sets_targets(directive):
    assert "機" not in directive.text and "版权所有" not in directive.text
    assert {org.name for org in directive.targets.all()} == set(BRANCHES)
    assert directive.history.count() == 1


def test_a_branch_secretary_cannot_register_for_the_committee(demo_user):
    with pytest.raises(PermissionDenied):
        services.create_directive(
            user=demo_user("shuji"), organization=Organization.objects.get(depth=1), title="x"
        )


def test_targets_must_lie_below_and_within_reach(demo_user):
    with pytest.raises(PermissionDenied):
        services.create_directive(
            user=demo_user("shuji"),
            organization=_org("办公室党支部"),
            targets=[_org("经济运行调节处党支部")],
            title="x",
        )


def test_upload_that_cannot_be_read_is_a_validation_error(tmp_path):
    path = tmp_path / "a.xls"
    path.write_bytes(b"x")
    with pytest.raises(ValidationError):
        services.text_of(path)


def test_accepted_items_become_tasks_deployed_to_the_targets(directive, demo_user):
    items = services.proposals(directive)
    assert any(item.title == "加强理论学习" for item in items)
    accepted = [services.AcceptedItem("加强理论学习（已修改）", "ideological", items[0].sentence)]
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    tasks = services.create_tasks(
        directive, user=demo_user("dangwei"), items=accepted, deadline=deadline
    )

    assert len(tasks) == 1
    task = tasks[0]
    assert task.title == "加强理论学习（已修改）" and task.category == TaskCategory.IDEOLOGICAL
    assert list(directive.tasks.all()) == [task]
    children = PartyTask.objects.filter(parent=task)
    assert {child.organization.name for child in children} == set(BRANCHES)

    rows = services.loop_rows(directive, demo_user("dangwei"))
    assert len(rows) == 1 and rows[0].total == 2 and rows[0].done == 0 and not rows[0].closed
    assert rows[0].task.state in WorkState.values
    assert rows[0].stage == LoopStage.DEPLOYED
    # a branch secretary sees only their own copy (the committee's task is out of reach)
    (row,) = services.loop_rows(directive, demo_user("shuji"))
    assert not row.task_visible
    assert [child.organization.name for child in row.children] == ["办公室党支部"]
    assert row.children[0].may_report and not row.children[0].may_verify


def test_create_tasks_needs_items_and_reach(directive, demo_user):
    deadline = timezone.localdate()
    with pytest.raises(ValidationError):
        services.create_tasks(directive, user=demo_user("dangwei"), items=[], deadline=deadline)
    with pytest.raises(PermissionDenied):
        services.create_tasks(
            directive,
            user=demo_user("shuji"),
            items=[services.AcceptedItem("x", "political")],
            deadline=deadline,
        )


def test_directives_are_scoped_to_their_organization(directive, demo_user):
    assert Directive.objects.restrict(demo_user("dangwei")).filter(pk=directive.pk).exists()
    assert not Directive.objects.restrict(demo_user("shuji2")).filter(pk=directive.pk).exists()
