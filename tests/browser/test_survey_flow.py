"""基层评机关 at phone and desktop size: the agency committee (dangwei) creates a survey of two
departments and issues six one-time links; an anonymous browser answers with five of them (no
login); reusing a link is refused; the committee sees results only after the fifth response, once it closes the survey."""

import re

import pytest

from .conftest import SCREENSHOTS, VIEWPORTS
from .pages import login

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def root(tongpin_server):
    return tongpin_server.query(
        "from tongpin.orgs.models import Organization\n"
        "result = Organization.objects.get(depth=1).pk"
    )


def add_question(page, survey_url, text, department):
    page.goto(survey_url)
    page.locator("main a[href$='/questions/new/']").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("question-form")
    form.locator("#id_text").fill(text)
    form.locator("#id_kind").select_option("rating")
    form.locator("#id_target_department").select_option(label=department)
    form.locator("button.btn-primary").click()
    page.wait_for_url(survey_url)


def answer(anonymous, link, ratings, screenshot_name=""):
    response = anonymous.goto(link)
    assert response is not None and response.status == 200
    if screenshot_name:  # the page grassroots units see (no login, phone-sized too)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        anonymous.screenshot(path=str(SCREENSHOTS / screenshot_name), full_page=True)
    form = anonymous.get_by_test_id("answer-form")
    for index, rating in enumerate(ratings):
        form.locator("fieldset").nth(index).locator(f"input[value='{rating}']").check()
    anonymous.get_by_test_id("submit-answers").click()
    anonymous.wait_for_url(re.compile(r"/s/done/$"))
    assert "您的答卷已提交" in anonymous.get_by_test_id("survey-done").inner_text()


def test_links_answered_anonymously_once_results_from_five(
    page, browser, tongpin_server, viewport, screenshot, root
):
    title = f"基层评机关测试（{viewport}）"

    # the committee creates the survey with two questions ------------------------------------
    login(page, "dangwei")
    assert page.goto("/assess/surveys/").ok
    page.locator("main a[href$='/surveys/new/']").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("survey-form")
    form.locator("#id_organization").select_option(str(root))
    form.locator("#id_title").fill(title)
    form.locator("#id_period_start").fill("2026-01-01")
    form.locator("#id_period_end").fill("2026-12-31")
    form.locator("button.btn-primary").click()
    page.wait_for_url(re.compile(r"/assess/surveys/\d+/$"))
    survey_url = page.url
    add_question(page, survey_url, "对办公室服务基层的评价", "办公室")
    add_question(page, survey_url, "对政策法规处服务基层的评价", "政策法规处")
    assert page.get_by_test_id("questions").locator("tbody tr").count() == 2

    # six one-time links, shown once with their QR codes ---------------------------------------
    page.locator("main a[href$='/links/']").click()
    page.wait_for_load_state()
    page.get_by_test_id("links-form").locator("#id_count").fill("6")
    page.get_by_test_id("links-form").locator("button.btn-primary").click()
    page.wait_for_load_state()
    links = [a.get_attribute("href") for a in page.get_by_test_id("survey-link").all()]
    assert len(links) == 6 and all("/s/" in link for link in links)
    assert page.get_by_test_id("issued-links").locator("svg").count() == 6
    screenshot("links")
    page.goto(survey_url)
    assert "已发放 6 个，已使用 0 个" in page.get_by_test_id("link-counts").inner_text()

    # an anonymous browser answers with four links: nothing shows yet --------------------------
    context = browser.new_context(
        base_url=tongpin_server.url, viewport=VIEWPORTS[viewport], locale="zh-CN"
    )
    try:
        anonymous = context.new_page()
        answer(anonymous, links[0], (5, 4), f"survey-answer-{viewport}.png")
        for link, ratings in zip(links[1:4], [(4, 4), (5, 3), (4, 5)], strict=True):
            answer(anonymous, link, ratings)
        results_url = survey_url + "results/"
        page.goto(results_url)
        assert "还差 1 份" in page.get_by_test_id("results-withheld").inner_text()
        assert page.get_by_test_id("average").count() == 0

        # the fifth response; a used link is refused ------------------------------------------
        answer(anonymous, links[4], (4, 4))
        reused = anonymous.goto(links[0])
        assert reused is not None and reused.status == 404
        assert "该链接无效或已被使用" in anonymous.get_by_test_id("survey-invalid").inner_text()
        assert anonymous.locator("[data-testid=answer-form]").count() == 0
    finally:
        context.close()

    # five responses, still open: nothing shows until the committee closes the survey ---------
    page.goto(results_url)
    assert "共 5 份答卷" in page.get_by_test_id("results-count").inner_text()
    assert page.get_by_test_id("results-collecting").count() == 1
    assert page.get_by_test_id("average").count() == 0
    page.goto(survey_url)
    page.get_by_role("button", name="结束问卷").click()
    page.goto(results_url)
    assert "共 5 份答卷" in page.get_by_test_id("results-count").inner_text()
    averages = [a.inner_text() for a in page.get_by_test_id("average").all()]
    assert averages == ["4.4", "4.0"]
    screenshot("results")
    page.goto(survey_url)
    assert "已使用 5 个" in page.get_by_test_id("link-counts").inner_text()
