"""Party work and business work in one plan, at phone and desktop size: the agency committee
(dangwei) adds a task to its yearly plan, linked to a business goal, and deploys it to every
branch; the office's secretary (shuji) reports it done with a record already in the system as
evidence; the committee verifies and closes (销号) the office's copy and sees the roll-up on its
plan."""

import re

import pytest

from .pages import login, logout

pytestmark = pytest.mark.browser

BRANCHES = 25


@pytest.fixture(scope="module")
def records(tongpin_server):
    return tongpin_server.query(
        "from tongpin.orgs.models import Organization\n"
        "from tongpin.work.models import BusinessGoal, PartyTask\n"
        "root = Organization.objects.get(depth=1)\n"
        "goal = BusinessGoal.objects.get(title='编制“十五五”重点专项规划')\n"
        "theme_day = PartyTask.objects.get(title__startswith='开展“学习全会精神')\n"
        "result = {'root': root.pk, 'goal': goal.pk, 'theme_day': theme_day.pk,"
        " 'theme_day_title': theme_day.title}"
    )


def test_plan_deploy_report_with_a_linked_record_and_roll_up(page, screenshot, viewport, records):
    title = f"开展党建引领专项行动（{viewport}）"

    # the committee's plan: a new task serving a business goal ---------------------------------
    login(page, "dangwei")
    assert page.goto("/work/").ok
    assert "年度工作计划" in page.get_by_test_id("plan-title").inner_text()
    screenshot("plan")
    page.locator("main a[href^='/work/tasks/new/']").first.click()
    page.wait_for_load_state()
    form = page.get_by_test_id("work-form")
    assert form.locator("#id_organization").input_value() == str(records["root"])
    form.locator("#id_title").fill(title)
    form.locator("#id_category").select_option("political")
    form.locator("#id_deadline").fill("2099-12-31")
    form.locator("#id_goals").select_option(str(records["goal"]))
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/work/tasks/\d+/$"))
    task_url = page.url
    assert title in page.get_by_test_id("task-title").inner_text()
    assert "编制“十五五”重点专项规划" in page.get_by_test_id("task-goals").inner_text()

    # deploy to every branch -------------------------------------------------------------------
    page.get_by_test_id("deploy").click()
    page.wait_for_load_state()
    page.locator("input[name=mode][value=branches]").check()
    page.get_by_test_id("deploy-submit").click()
    page.wait_for_url(task_url)
    rollup = page.get_by_test_id("children").get_by_test_id("rollup")
    assert rollup.inner_text().strip() == f"已完成 0/{BRANCHES}"
    screenshot("deployed")
    logout(page)

    # the office's secretary finds it on the branch plan and reports it done -------------------
    login(page, "shuji")
    assert page.goto("/work/").ok
    plan = page.get_by_test_id("plan")
    plan.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(re.compile(r"/work/tasks/\d+/$"))
    assert "办公室党支部" in page.locator("main").inner_text()
    page.get_by_test_id("report-progress").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("work-form")
    form.locator("#id_progress").fill("100")
    form.locator("#id_text").fill("结合主题党日集中学习，支部党员全员参加。")
    form.locator("#id_linked").select_option(f"work.task:{records['theme_day']}")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/work/tasks/\d+/$"))
    copy_url = page.url
    linked = page.get_by_test_id("linked-record")
    assert records["theme_day_title"] in linked.inner_text()
    # 100 % on a deployed task is a completion report, awaiting the committee's verification
    loop = page.get_by_test_id("loop")
    assert loop.get_by_test_id("loop-stage").get_attribute("data-stage") == "reported"
    assert "结合主题党日集中学习" in loop.get_by_test_id("loop-report").inner_text()
    screenshot("reported")
    logout(page)

    # the committee verifies the report and closes it (销号) ------------------------------------
    login(page, "dangwei")
    assert page.goto(copy_url).ok
    page.get_by_test_id("loop-pass").click()
    page.wait_for_url(copy_url)
    assert page.get_by_test_id("loop").get_by_test_id("loop-stage").inner_text() == "核验"
    page.get_by_test_id("loop-close").click()
    page.wait_for_url(copy_url)
    assert page.get_by_test_id("loop").get_by_test_id("loop-stage").inner_text() == "销号"
    assert "已完成" in page.locator("main").inner_text()

    # the committee sees the roll-up on its plan -----------------------------------------------
    assert page.goto(f"/work/?org={records['root']}").ok
    row = page.get_by_test_id("plan-task").filter(has_text=title)
    assert row.get_by_test_id("rollup").inner_text().strip() == f"已完成 1/{BRANCHES}"
    screenshot("rollup")

    # the disconnect check and supervision read in Chinese, chart included ----------------------
    assert page.goto("/work/disconnect/").ok
    assert page.get_by_test_id("unlinked-task").count() >= 5
    page.get_by_test_id("fusion-chart").locator("canvas").wait_for()
    screenshot("disconnect")
    assert page.goto("/work/supervision/").ok
    assert "督办" in page.locator("main").inner_text()
    screenshot("supervision")
