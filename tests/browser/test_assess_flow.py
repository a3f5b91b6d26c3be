"""Assessment to rectification, at phone and desktop size: the agency committee (dangwei) starts
a 四强党支部 run for the demo agency, opens the office branch's score and drills down to the
records counted, and turns it into a rectification item; the office's secretary (shuji) sets
measures and reports it with evidence; the committee verifies it and closes it out (销号). The
item's page shows each stage."""

import re

import pytest

from .pages import login, logout

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def records(tongpin_server):
    return tongpin_server.query(
        "from tongpin.accounts.models import User\n"
        "from tongpin.assess.models import IndicatorSystem\n"
        "from tongpin.members.models import Member\n"
        "from tongpin.orgs.models import Organization\n"
        "root = Organization.objects.get(depth=1)\n"
        "system = IndicatorSystem.objects.get(template='four_strong')\n"
        "secretary = Member.objects.get(user=User.objects.get(username='shuji'))\n"
        "result = {'root': root.pk, 'system': system.pk, 'secretary': secretary.pk}"
    )


def current_stage(page) -> str:
    return page.get_by_test_id("loop-stepper").locator("[data-current]").get_attribute("data-step")


def test_run_drill_down_rectify_verify_close(page, screenshot, viewport, records, tongpin_server):
    # the committee starts a 四强 run over the whole agency --------------------------------------
    login(page, "dangwei")
    assert page.goto("/assess/new/").ok
    page.locator("#id_system").select_option(str(records["system"]))
    page.locator("#id_organization").select_option(str(records["root"]))
    page.locator("main form button.btn-primary").click()
    page.wait_for_url(re.compile(r"/assess/\d+/$"))
    run_id = int(re.search(r"/assess/(\d+)/$", page.url).group(1))
    assert "办公室党支部" in page.get_by_test_id("scores").inner_text()
    screenshot("run")

    # the office's score with the records it was computed from ---------------------------------
    score = tongpin_server.query(
        "from tongpin.assess.models import Score\n"
        f"s = Score.objects.filter(run_id={run_id}, organization__name='办公室党支部')"
        ".exclude(evidence=[]).order_by('item__order').first()\n"
        "result = {'pk': s.pk, 'ids': [e[1] for e in s.evidence], 'label': s.item.label}"
    )
    page.get_by_test_id("scores").locator(f"a[href='/assess/scores/{score['pk']}/']").click()
    page.wait_for_url(f"**/assess/scores/{score['pk']}/")
    assert score["label"] in page.locator("h1").inner_text()
    evidence = page.get_by_test_id("evidence").locator("li")
    assert [int(i) for i in evidence.evaluate_all("els => els.map(e => e.dataset.id)")] == (
        score["ids"]
    )
    screenshot("drill-down")

    # a rectification item for the branch -----------------------------------------------------
    page.get_by_test_id("raise").click()
    page.wait_for_url(re.compile(r"/rectification/new/"))
    form = page.get_by_test_id("assess-form")
    assert score["label"] in form.locator("#id_problem").input_value()
    form.locator("#id_problem").fill(f"{score['label']}需加强（{viewport}）")
    form.locator("#id_owner").select_option(str(records["secretary"]))
    form.locator("#id_deadline").fill("2099-06-30")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/assess/rectification/\d+/$"))
    item_url = page.url
    assert current_stage(page) == "deployed"
    logout(page)

    # the branch secretary sets measures, then reports with evidence ----------------------------
    login(page, "shuji")
    assert page.goto(item_url).ok
    measures = page.get_by_test_id("measures-form")
    measures.locator("#id_measures").fill("支部委员会专题研究，逐项整改。")
    measures.locator("button").click()
    page.wait_for_url(item_url)
    assert current_stage(page) == "implementing"
    report = page.get_by_test_id("report-form")
    report.locator("#id_text").fill("已完成整改，会议记录附后。")
    report.locator("#id_files").set_input_files(
        {"name": "整改报告.txt", "mimeType": "text/plain", "buffer": "整改情况".encode()}
    )
    report.locator("button").click()
    page.wait_for_url(item_url)
    assert current_stage(page) == "reported"
    assert "整改报告.txt" in page.get_by_test_id("report").inner_text()
    assert page.get_by_test_id("verify-form").count() == 0  # a branch never verifies itself
    screenshot("reported")
    logout(page)

    # the level above verifies and closes it out ------------------------------------------------
    login(page, "dangwei")
    assert page.goto(item_url).ok
    verify = page.get_by_test_id("verify-form")
    verify.locator("#id_passed").select_option("1")
    verify.locator("#id_note").fill("经核实，整改到位。")
    verify.locator("button").click()
    page.wait_for_url(item_url)
    assert current_stage(page) == "verified"
    page.get_by_test_id("close-form").locator("button").click()
    page.wait_for_url(item_url)
    assert current_stage(page) == "closed"
    assert page.get_by_test_id("closed-on").inner_text().strip()
    screenshot("closed")
