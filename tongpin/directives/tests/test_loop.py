"""A directive's loop across the tree: each implementing organization's copy of each task, at its
stage (部署 → 落实 → 报告 → 核验 → 销号), on the directive's page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tongpin.core.loops import LoopStage
from tongpin.directives import services
from tongpin.orgs.models import Organization
from tongpin.work import services as work_services

pytestmark = pytest.mark.django_db

BRANCHES = ["办公室党支部", "经济运行调节处党支部", "价格处党支部"]


@pytest.fixture
def deployed(demo_user):
    """A directive deployed to three branches, one accepted item made into a task."""
    dangwei = demo_user("dangwei")
    directive = services.create_directive(
        user=dangwei,
        organization=Organization.objects.get(depth=1),
        targets=list(Organization.objects.filter(name__in=BRANCHES)),
        title="关于开展闭环落实测试的通知",
        text="一、加强理论学习。",
    )
    (task,) = services.create_tasks(
        directive,
        user=dangwei,
        items=[services.AcceptedItem("加强理论学习", "ideological")],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    copies = {child.organization.name: child for child in task.children.all()}
    return directive, copies


def stages(directive, user) -> dict:
    (row,) = services.loop_rows(directive, user)
    return {child.organization.name: child.loop_stage for child in row.children}


def test_each_copy_moves_through_the_loop_and_the_task_closes_when_all_are(
    deployed, demo_user, other_staff
):
    directive, copies = deployed
    dangwei = demo_user("dangwei")
    assert stages(directive, dangwei) == dict.fromkeys(BRANCHES, LoopStage.DEPLOYED)

    office, economy, price = (copies[name] for name in BRANCHES)
    work_services.report_progress(office, user=demo_user("shuji"), progress=50, text="已部署学习")
    work_services.report_completion(office, user=demo_user("shuji"), text="全部完成")
    work_services.report_completion(economy, user=demo_user("shuji2"), text="已完成")
    assert stages(directive, dangwei) == {
        "办公室党支部": LoopStage.REPORTED,
        "经济运行调节处党支部": LoopStage.REPORTED,
        "价格处党支部": LoopStage.DEPLOYED,
    }
    work_services.verify_task(office, user=dangwei, passed=True)
    work_services.verify_task(economy, user=dangwei, passed=False, note="缺少学习记录")
    work_services.close_task(office, user=dangwei)
    (row,) = services.loop_rows(directive, dangwei)
    assert {c.organization.name: c.loop_stage for c in row.children} == {
        "办公室党支部": LoopStage.CLOSED,
        "经济运行调节处党支部": LoopStage.IMPLEMENTING,
        "价格处党支部": LoopStage.DEPLOYED,
    }
    assert row.stage == LoopStage.DEPLOYED and not row.closed and row.done == 1
    assert dict(row.stage_counts)[LoopStage.CLOSED] == 1

    for name, copy in (("经济运行调节处党支部", economy), ("价格处党支部", price)):
        copy.refresh_from_db()
        # dangwei enters the report for the branch (代报); whoever reports never verifies
        work_services.report_completion(copy, user=dangwei, text=f"{name}完成")
        with pytest.raises(PermissionDenied):
            work_services.verify_task(copy, user=dangwei, passed=True)
        work_services.verify_task(copy, user=other_staff, passed=True)
    work_services.close_verified_children(office.parent, user=dangwei)
    (row,) = services.loop_rows(directive, dangwei)
    assert row.closed and row.done == row.total == 3


def test_the_page_shows_every_copys_stage_and_the_branch_its_own(deployed, client_as, demo_user):
    directive, copies = deployed
    work_services.report_completion(copies["办公室党支部"], user=demo_user("shuji"), text="完成")
    html = client_as("dangwei").get(f"/directives/{directive.pk}/").content.decode()
    assert html.count('data-testid="loop-copy"') == 3
    assert 'data-org="办公室党支部" data-stage="reported"' in html
    assert 'data-org="价格处党支部" data-stage="deployed"' in html
    assert 'data-testid="loop-copy-verify"' in html  # the committee verifies the report
    # the branch's own reading of the loop: its copy only, with the button to report
    (row,) = services.loop_rows(directive, demo_user("shuji2"))
    assert [c.organization.name for c in row.children] == ["经济运行调节处党支部"]
    assert row.children[0].may_report


def test_an_implementing_branch_opens_the_directive_and_reports_its_copy(deployed, client_as):
    directive, copies = deployed
    response = client_as("shuji2").get(f"/directives/{directive.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    # its own copy only, not the other branches'
    assert html.count('data-testid="loop-copy"') == 1
    assert 'data-org="经济运行调节处党支部" data-stage="deployed"' in html
    assert "办公室党支部" not in html.split('data-testid="loop-copy"', 1)[1]


def test_a_branchs_copy_links_back_to_the_directive(deployed, client_as):
    directive, copies = deployed
    html = client_as("shuji2").get(f"/work/tasks/{copies['经济运行调节处党支部'].pk}/").content
    assert f'href="/directives/{directive.pk}/"'.encode() in html
    # another branch's member does not read the directive, so its copy shows no link
    directive.targets.set([])
    html = client_as("shuji2").get(f"/work/tasks/{copies['经济运行调节处党支部'].pk}/").content
    assert f'href="/directives/{directive.pk}/"'.encode() not in html


def test_the_list_counts_the_tasks_the_reader_follows(deployed, client_as, demo_user):
    directive, copies = deployed
    from tongpin.directives.models import Directive
    from tongpin.directives.views import _task_count

    def count(username):
        return (
            Directive.objects.filter(pk=directive.pk)
            .annotate(n=_task_count(demo_user(username)))
            .get()
            .n
        )

    # the committee's one task; a branch follows it through its copy; a branch the task was not
    # deployed to, reading the directive, follows none of it
    assert count("dangwei") == 1
    assert count("shuji2") == 1
    copies["经济运行调节处党支部"].delete()
    assert count("shuji2") == 0
