"""Deploying a task down the tree (一级抓一级) and its roll-up."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tongpin.orgs.models import Organization, OrgKind
from tongpin.work import services
from tongpin.work.models import PartyTask, WorkState

pytestmark = pytest.mark.django_db


def _branches():
    return list(Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path"))


def test_deploying_to_every_branch_creates_25_linked_items_each_in_its_own_scope(
    root, new_task, demo_user, today, org
):
    task = new_task(root, "学习贯彻专题任务")
    branches = _branches()
    assert len(branches) == 25
    children = services.deploy_task(task, user=demo_user("dangwei"), targets=branches)

    assert len(children) == 25
    assert {c.organization_id for c in children} == {b.pk for b in branches}
    assert all(c.parent_id == task.pk and c.title == task.title for c in children)
    assert all(c.deadline == task.deadline and c.year == task.year for c in children)
    # each secretary owns their branch's copy
    office_child = next(c for c in children if c.organization.name == "办公室党支部")
    assert office_child.owner.user.username == "shuji"

    # each child is visible only in its own scope
    def visible(username):
        return set(
            PartyTask.objects.restrict(demo_user(username))
            .filter(parent=task)
            .values_list("organization__name", flat=True)
        )

    assert visible("shuji") == {"办公室党支部"}
    assert visible("weiyuan") == {"办公室党支部"}
    assert visible("dangyuan") == {"办公室党支部"}
    assert visible("shuji2") == {"经济运行调节处党支部"}
    first = org("第一党总支")
    assert visible("zongzhi") == {b.name for b in branches if b.path.startswith(first.path)}
    assert len(visible("dangwei")) == 25
    assert len(visible("lingdao")) == 25
    # the parent itself stays with the committee
    assert not PartyTask.objects.restrict(demo_user("shuji")).filter(pk=task.pk).exists()


def test_rollup_counts_done_and_overdue_in_one_query(
    root, new_task, demo_user, today, django_assert_num_queries, other_staff
):
    task = new_task(root, "滚动汇总任务", days=5)
    children = services.deploy_task(task, user=demo_user("dangwei"), targets=_branches())
    dangwei = demo_user("dangwei")
    for child in children[:18]:
        services.report_progress(child, user=dangwei, progress=100, text="完成")
    # three branches get an earlier deadline that has passed
    for child in children[18:21]:
        child.deadline = today - datetime.timedelta(days=1)
        child.save()
    # reported, not done: the committee has yet to verify and close (闭环)
    rollup = services.rollups([task.pk], today)[task.pk]
    assert (rollup.done, rollup.awaiting_verification) == (0, 18)
    for child in children[:18]:  # a colleague verifies the reports dangwei entered
        services.verify_task(child, user=other_staff, passed=True)
    assert services.rollups([task.pk], today)[task.pk].verified == 18
    services.close_verified_children(task, user=dangwei)
    with django_assert_num_queries(1):
        rollup = services.rollups([task.pk], today)[task.pk]
    assert (rollup.total, rollup.done, rollup.overdue) == (25, 18, 3)
    assert rollup.percent == 72
    assert dict(rollup.stages) == {
        "deployed": 7, "implementing": 0, "reported": 0, "verified": 0, "closed": 18
    }  # fmt: skip


def test_the_parent_sees_the_rollup_on_its_plan_and_a_child_only_its_own(client_as, root, org):
    from tongpin.work.demo import DEPLOYED_DONE, DEPLOYED_TITLE

    html = client_as("dangwei").get(f"/work/?org={root.pk}").content.decode()
    assert DEPLOYED_TITLE in html
    assert f"{DEPLOYED_DONE}/25" in html

    office = org("办公室党支部")
    html = client_as("shuji").get(f"/work/?org={office.pk}").content.decode()
    assert DEPLOYED_TITLE in html
    assert "/25" not in html  # a child has no roll-up of its own
    # the committee's plan is not the branch secretary's to read
    html = client_as("shuji").get(f"/work/?org={root.pk}").content.decode()
    assert "/25" not in html


def test_deploying_twice_to_the_same_branch_creates_nothing_new(root, new_task, demo_user):
    task = new_task(root)
    branches = _branches()[:3]
    assert len(services.deploy_task(task, user=demo_user("dangwei"), targets=branches)) == 3
    assert services.deploy_task(task, user=demo_user("dangwei"), targets=branches) == []
    assert task.children.count() == 3


def test_a_secretary_deploys_only_within_their_subtree(org, new_task, demo_user):
    general = org("第一党总支")
    task = new_task(general, user="zongzhi")
    own = org("办公室党支部")
    other = org("经济运行调节处党支部")
    with pytest.raises(PermissionDenied):
        services.deploy_task(task, user=demo_user("zongzhi"), targets=[other])
    with pytest.raises(PermissionDenied):
        services.deploy_task(task, user=demo_user("shuji"), targets=[own])
    with pytest.raises(PermissionDenied):
        services.deploy_task(task, user=demo_user("lingdao"), targets=[own])
    assert len(services.deploy_task(task, user=demo_user("zongzhi"), targets=[own])) == 1


def test_child_serves_the_parents_goals_of_its_own_departments(root, new_task, demo_user, org):
    from tongpin.work.models import BusinessGoal

    office_goal = BusinessGoal.objects.get(title="省政府督办事项按时办结")
    policy_goal = BusinessGoal.objects.get(title="出台优化营商环境政策文件")
    task = new_task(root, goals=[office_goal, policy_goal])
    office, price = org("办公室党支部"), org("价格监测中心党支部")
    children = services.deploy_task(task, user=demo_user("dangwei"), targets=[office, price])
    by_org = {c.organization_id: c for c in children}
    assert list(by_org[office.pk].goals.all()) == [office_goal]
    assert list(by_org[price.pk].goals.all()) == []
    # still linked, through the deployment: not a disconnect finding
    unlinked = services.unlinked_tasks(PartyTask.objects.filter(pk__in=[c.pk for c in children]))
    assert not unlinked.exists()


def test_deploy_page_deploys_to_every_branch(client_as, root, new_task):
    task = new_task(root, "页面部署任务")
    client = client_as("dangwei")
    assert client.get(f"/work/tasks/{task.pk}/deploy/").status_code == 200
    response = client.post(f"/work/tasks/{task.pk}/deploy/", {"mode": "branches"})
    assert response.status_code == 302
    assert task.children.count() == 25
    page = client.get(f"/work/tasks/{task.pk}/").content.decode()
    assert "0/25" in page


def test_deploy_page_with_chosen_organizations(client_as, org, new_task):
    general = org("第一党总支")
    task = new_task(general, user="zongzhi")
    office = org("办公室党支部")
    client = client_as("zongzhi")
    response = client.post(
        f"/work/tasks/{task.pk}/deploy/", {"mode": "chosen", "organizations": [office.pk]}
    )
    assert response.status_code == 302
    assert [c.organization_id for c in task.children.all()] == [office.pk]
    # nothing chosen: the form says so
    response = client.post(f"/work/tasks/{task.pk}/deploy/", {"mode": "chosen"})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()


def test_state_is_derived(root, new_task, demo_user, today):
    task = new_task(root, days=60)
    assert task.compute_state(today) == WorkState.NOT_STARTED
    services.report_progress(task, user=demo_user("dangwei"), progress=30, text="推进中")
    assert task.compute_state(today) == WorkState.IN_PROGRESS
    assert task.compute_state(task.deadline - datetime.timedelta(days=3)) == WorkState.DUE_SOON
    assert task.compute_state(task.deadline + datetime.timedelta(days=1)) == WorkState.OVERDUE
    services.report_progress(task, user=demo_user("dangwei"), progress=100, text="完成")
    assert task.compute_state(task.deadline + datetime.timedelta(days=9)) == WorkState.DONE
    annotated = PartyTask.objects.with_state(today).get(pk=task.pk)
    assert annotated.state == WorkState.DONE


def test_a_cascade_two_levels_down_stays_linked_and_rolls_up_per_level(
    root, new_task, demo_user, org
):
    from tongpin.work.models import BusinessGoal

    goal = BusinessGoal.objects.get(title="全省地区生产总值增长")
    task = new_task(root, "两级部署任务", goals=[goal])
    general = org("第一党总支")
    (middle,) = services.deploy_task(task, user=demo_user("dangwei"), targets=[general])
    office = org("办公室党支部")
    (leaf,) = services.deploy_task(middle, user=demo_user("zongzhi"), targets=[office])
    assert leaf.parent == middle and middle.parent == task
    # the office's copy serves the committee's goal through two deployments
    assert not services.unlinked_tasks(PartyTask.objects.filter(pk=leaf.pk)).exists()
    services.report_progress(leaf, user=demo_user("shuji"), progress=100, text="完成")
    # the 总支 that deployed it verifies and closes it (一级抓一级), not the committee
    with pytest.raises(PermissionDenied):
        services.verify_task(leaf, user=demo_user("shuji"), passed=True)
    services.verify_task(leaf, user=demo_user("zongzhi"), passed=True)
    services.close_task(leaf, user=demo_user("zongzhi"))
    rollups = services.rollups([task.pk, middle.pk], timezone_today())
    assert (rollups[middle.pk].done, rollups[middle.pk].total) == (1, 1)
    assert (rollups[task.pk].done, rollups[task.pk].total) == (0, 1)  # the 总支 itself is open


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()
