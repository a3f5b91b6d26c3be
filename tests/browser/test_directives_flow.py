"""A directive from the committee's desk and phone (dangwei): register it by uploading a web page
saved as text, keep, edit and discard the proposed action items, and follow the tasks deployed to
the branches on the directive's page."""

import pytest

from .conftest import ROOT
from .pages import login

pytestmark = pytest.mark.browser

SAMPLE = ROOT.parent / "shared" / "samples" / "directive-simplified-webpage.txt"
TARGETS = ["办公室党支部", "价格处党支部"]


@pytest.fixture
def ids(tongpin_server):
    return tongpin_server.query(
        "from tongpin.orgs.models import Organization\n"
        "result = {'root': Organization.objects.get(depth=1).pk, 'targets': [\n"
        f"    o.pk for o in Organization.objects.filter(name__in={TARGETS!r})]}}"
    )


def test_register_upload_accept_and_follow(page, screenshot, ids, viewport):
    login(page, "dangwei")
    assert page.goto("/directives/").ok
    page.get_by_test_id("directive-create").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("directive-form")
    form.locator("#id_organization").select_option(str(ids["root"]))
    title = f"以党建“第一责任”引领和保障发展（{viewport}）"
    form.locator("#id_title").fill(title)
    form.locator("#id_source").fill("郑州日报")
    for pk in ids["targets"]:
        form.locator(f"input[name=targets][value='{pk}']").check()
    form.locator("#id_document").set_input_files(str(SAMPLE))
    page.get_by_test_id("directive-save").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("directive-title").inner_text() == title
    text = page.get_by_test_id("directive-text").inner_text()
    assert "分享到微信" not in text and "版权" not in text
    screenshot("registered")

    page.get_by_test_id("directive-ingest").click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("proposed-items").locator("tbody tr")
    assert rows.count() > 9
    # keep only the first two items, and edit the second one's title
    for index in range(2, rows.count()):
        rows.nth(index).locator("input[type=checkbox]").uncheck()
    rows.nth(1).locator("input[name$='-title']").fill("带头践行“两个维护”（支部落实）")
    accept = page.get_by_test_id("ingest-accept-form")
    accept.locator("#id_deadline").fill("2030-06-30")
    screenshot("proposed")
    page.get_by_test_id("ingest-create").click()
    page.wait_for_load_state()

    loop = page.get_by_test_id("directive-loop")
    assert "带头践行“两个维护”（支部落实）" in loop.inner_text()
    for name in TARGETS:
        assert name in loop.inner_text()
    screenshot("loop")
