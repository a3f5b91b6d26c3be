"""Study from a branch secretary's phone and desk (shuji, 办公室党支部): search the library in
traditional characters, open the material found with its words highlighted, then record a study
session held in a meeting (its attendance reused) and see it."""

import pytest

from .pages import login

pytestmark = pytest.mark.browser


@pytest.fixture
def ids(tongpin_server):
    return tongpin_server.query(
        "from tongpin.life.models import Meeting, MeetingStatus\n"
        "from tongpin.orgs.models import Organization\n"
        "office = Organization.objects.get(name='办公室党支部')\n"
        "meeting = Meeting.objects.filter(organization=office, status=MeetingStatus.HELD)"
        ".order_by('-held_on').first()\n"
        "result = {'office': office.pk, 'meeting': meeting.pk}"
    )


def test_search_open_material_and_record_a_session(page, screenshot, ids):
    login(page, "shuji")
    assert page.goto("/study/").ok
    page.get_by_test_id("study-q").fill("機關黨建")
    page.get_by_test_id("study-q").press("Enter")
    page.wait_for_load_state()
    results = page.get_by_test_id("search-results")
    assert results.locator("mark").count() > 0
    assert "机关党建" in results.inner_text()
    screenshot("search")

    results.locator("a").first.click()
    page.wait_for_load_state()
    title = page.get_by_test_id("material-title").inner_text()
    assert title
    assert page.get_by_test_id("material-body").locator("mark").count() > 0

    assert page.goto("/study/sessions/add/").ok
    form = page.get_by_test_id("session-form")
    form.locator("#id_organization").select_option(str(ids["office"]))
    form.locator("#id_tier").select_option("lead")
    form.locator("#id_topic").fill("领学:推动机关党建和业务工作相互促进")
    form.locator("#id_hours").fill("2")
    form.locator("#id_meeting").select_option(str(ids["meeting"]))
    page.get_by_test_id("session-save").click()
    page.wait_for_load_state()
    assert "领学:推动机关党建" in page.get_by_test_id("session-topic").inner_text()
    assert int(page.get_by_test_id("session-count").inner_text()) > 0
    assert page.get_by_test_id("session-participants").inner_text().strip()
    screenshot("session")


def test_a_session_with_a_directive_as_first_item_shows_on_the_directive(
    page, screenshot, tongpin_server, viewport
):
    """The committee records a branch's study of the demo directive as its 第一议题; the
    directive's page lists the session and marks that branch as having studied it."""
    ids = tongpin_server.query(
        "from tongpin.directives.demo import NOTICE_TITLE, TARGETS\n"
        "from tongpin.directives.models import Directive\n"
        "from tongpin.orgs.models import Organization\n"
        "result = {'directive': Directive.objects.get(title=NOTICE_TITLE).pk,\n"
        "          'branch': Organization.objects.get(name=TARGETS[0]).pk,\n"
        "          'name': TARGETS[0]}"
    )
    login(page, "dangwei")
    assert page.goto("/study/sessions/add/").ok
    form = page.get_by_test_id("session-form")
    form.locator("#id_organization").select_option(str(ids["branch"]))
    form.locator("#id_tier").select_option("lead")
    topic = f"第一议题：学习年度机关党建工作通知（{viewport}）"  # both sizes share the server
    form.locator("#id_topic").fill(topic)
    form.locator("#id_hours").fill("1")
    form.locator("#id_first_item").select_option(f"directives.directive:{ids['directive']}")
    page.get_by_test_id("session-save").click()
    page.wait_for_load_state()
    first_item = page.get_by_test_id("session-first-item")
    assert "年度机关党建工作" in first_item.inner_text()

    first_item.locator("a").click()
    page.wait_for_load_state()
    studies = page.get_by_test_id("first-item-study")
    row = studies.filter(has_text=topic)
    assert row.count() == 1 and row.get_attribute("data-kind") == "session"
    target = page.locator(f'[data-testid="first-item-target"][data-org="{ids["name"]}"]')
    assert target.get_attribute("data-studied") == "yes"
    screenshot("directive-first-item")
