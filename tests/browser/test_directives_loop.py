"""A directive's closed loop at phone and desktop size: the committee (dangwei) registers a
directive for three branches and accepts one item as a task; the office's secretary (shuji)
reports progress (落实) and then completion with a report (报告), the 经济运行调节处 secretary
(shuji2) reports too; the committee verifies one (核验), sends the other back with a note (back to
落实) and closes the verified one (销号). The directive's page shows each copy's stage at every
step (the committee watches it in a second browser window)."""

import re

import pytest

from .conftest import SCREENSHOTS, VIEWPORTS, _screenshot_name
from .pages import login, logout

pytestmark = pytest.mark.browser

OFFICE, ECONOMY, PRICE = "办公室党支部", "经济运行调节处党支部", "价格处党支部"
BRANCHES = [OFFICE, ECONOMY, PRICE]
TEXT = "一、加强理论武装。各党支部要认真落实“第一议题”制度，及时跟进学习。"


@pytest.fixture
def ids(tongpin_server):
    return tongpin_server.query(
        "from tongpin.orgs.models import Organization\n"
        "result = {'root': Organization.objects.get(depth=1).pk, 'targets': [\n"
        f"    o.pk for o in Organization.objects.filter(name__in={BRANCHES!r})]}}"
    )


@pytest.fixture
def committee(browser, tongpin_server, viewport):
    """A second window, logged in as committee staff, beside the branch secretaries' one."""
    context = browser.new_context(
        base_url=tongpin_server.url,
        viewport=VIEWPORTS[viewport],
        locale="zh-CN",
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
    )
    context.set_default_timeout(15_000)
    window = context.new_page()
    login(window, "dangwei")
    yield window
    context.close()


@pytest.fixture
def committee_screenshot(committee, request):
    def take(label: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        committee.screenshot(path=str(_screenshot_name(request, label)), full_page=True)

    return take


def copy_stages(window, url) -> dict:
    """Each implementing organization's copy on the directive's page: (stage, label shown)."""
    assert window.goto(url).ok
    rows = window.get_by_test_id("directive-loop").get_by_test_id("loop-copy")
    return {
        rows.nth(i).get_attribute("data-org"): (
            rows.nth(i).get_attribute("data-stage"),
            rows.nth(i).get_by_test_id("loop-stage").inner_text().strip(),
        )
        for i in range(rows.count())
    }


def open_copy(page, tongpin_server, title, organization):
    pk = tongpin_server.query(
        "from tongpin.work.models import PartyTask\n"
        f"result = PartyTask.objects.get(title={title!r}, organization__name={organization!r},"
        " parent__isnull=False).pk"
    )
    assert page.goto(f"/work/tasks/{pk}/").ok
    return page.url


def stage_on_task_page(page) -> str:
    return page.get_by_test_id("loop").get_by_test_id("loop-stage").get_attribute("data-stage")


def test_directive_loop_across_three_branches(
    page, committee, screenshot, committee_screenshot, ids, viewport, tongpin_server
):
    # the committee registers the directive for three branches and accepts one item ------------
    assert committee.goto("/directives/new/").ok
    form = committee.get_by_test_id("directive-form")
    form.locator("#id_organization").select_option(str(ids["root"]))
    directive_title = f"关于加强理论武装的通知（{viewport}）"
    form.locator("#id_title").fill(directive_title)
    form.locator("#id_text").fill(TEXT)
    for pk in ids["targets"]:
        form.locator(f"input[name=targets][value='{pk}']").check()
    committee.get_by_test_id("directive-save").click()
    committee.wait_for_url(re.compile(r"/directives/\d+/$"))
    directive_url = committee.url
    committee.get_by_test_id("directive-ingest").click()
    committee.wait_for_load_state()
    rows = committee.get_by_test_id("proposed-items").locator("tbody tr")
    assert rows.count() >= 1
    for index in range(1, rows.count()):
        rows.nth(index).locator("input[type=checkbox]").uncheck()
    task_title = f"认真落实“第一议题”制度（{viewport}）"
    rows.nth(0).locator("input[name$='-title']").fill(task_title)
    committee.get_by_test_id("ingest-accept-form").locator("#id_deadline").fill("2099-06-30")
    committee.get_by_test_id("ingest-create").click()
    committee.wait_for_url(directive_url)
    assert copy_stages(committee, directive_url) == dict.fromkeys(BRANCHES, ("deployed", "部署"))
    committee_screenshot("deployed")
    assert task_title in committee.get_by_test_id("directive-loop").inner_text()

    # the office reports progress (落实), then completion with a report (报告) -------------------
    login(page, "shuji")
    office_url = open_copy(page, tongpin_server, task_title, OFFICE)
    assert stage_on_task_page(page) == "deployed"
    page.get_by_test_id("report-progress").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("work-form")
    form.locator("#id_progress").fill("40")
    form.locator("#id_text").fill("支委会专题部署，制定学习计划。")
    form.locator("button[type=submit]").click()
    page.wait_for_url(office_url)
    assert stage_on_task_page(page) == "implementing"
    assert copy_stages(committee, directive_url)[OFFICE] == ("implementing", "落实")

    page.get_by_test_id("loop-report-button").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("work-form")
    form.locator("#id_text").fill("三次支部学习均以“第一议题”开篇，学习记录已上传。")
    form.locator("button[type=submit]").click()
    page.wait_for_url(office_url)
    assert stage_on_task_page(page) == "reported"
    assert "学习记录已上传" in page.get_by_test_id("loop-report").inner_text()
    screenshot("office-reported")
    logout(page)

    # 经济运行调节处 reports completion straight away ---------------------------------------------
    login(page, "shuji2")
    economy_url = open_copy(page, tongpin_server, task_title, ECONOMY)
    page.get_by_test_id("loop-report-button").click()
    page.wait_for_load_state()
    page.get_by_test_id("work-form").locator("#id_text").fill("已完成学习。")
    page.get_by_test_id("work-form").locator("button[type=submit]").click()
    page.wait_for_url(economy_url)
    assert stage_on_task_page(page) == "reported"
    logout(page)
    assert copy_stages(committee, directive_url) == {
        OFFICE: ("reported", "报告"),
        ECONOMY: ("reported", "报告"),
        PRICE: ("deployed", "部署"),
    }

    # the committee verifies the office's report (核验) ------------------------------------------
    committee.get_by_test_id("loop-copy").filter(has_text=OFFICE).get_by_test_id(
        "loop-copy-verify"
    ).click()
    committee.wait_for_url(re.compile(r"/work/tasks/\d+/"))
    assert "学习记录已上传" in committee.get_by_test_id("loop-report").inner_text()
    committee.get_by_test_id("loop-pass").click()
    committee.wait_for_load_state()
    assert stage_on_task_page(committee) == "verified"

    # … and sends 经济运行调节处's back with a note: it goes back to 落实 --------------------------
    assert committee.goto(economy_url).ok
    committee.locator("#loop-note").fill("请补充学习记录和参学人员名单。")
    committee.get_by_test_id("loop-return").click()
    committee.wait_for_load_state()
    assert stage_on_task_page(committee) == "implementing"
    assert copy_stages(committee, directive_url) == {
        OFFICE: ("verified", "核验"),
        ECONOMY: ("implementing", "落实"),
        PRICE: ("deployed", "部署"),
    }
    committee_screenshot("verified-and-returned")

    # the office's copy is closed (销号) ---------------------------------------------------------
    committee.get_by_test_id("loop-copy").filter(has_text=OFFICE).get_by_test_id(
        "loop-copy-close"
    ).click()
    committee.wait_for_url(re.compile(r"/work/tasks/\d+/"))
    committee.get_by_test_id("loop-close").click()
    committee.wait_for_load_state()
    assert stage_on_task_page(committee) == "closed"
    assert copy_stages(committee, directive_url) == {
        OFFICE: ("closed", "销号"),
        ECONOMY: ("implementing", "落实"),
        PRICE: ("deployed", "部署"),
    }
    loop = committee.get_by_test_id("directive-loop")
    assert "已销号 1/3" in loop.get_by_test_id("loop-closed-count").inner_text()
    committee_screenshot("closed")

    # the branch that was sent back sees the verifier's note on its task -------------------------
    login(page, "shuji2")
    assert page.goto(economy_url).ok
    assert "请补充学习记录" in page.get_by_test_id("loop-verification").inner_text()
    assert page.get_by_test_id("loop-report-button").count() == 1
