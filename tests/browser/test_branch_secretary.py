"""The foundation's flow, as a branch secretary (shuji, 办公室党支部) at phone and desktop size:
log in, browse the tree, open a member, import a roster with one bad row and see its error
naming the row and the column; another branch's member is refused."""

import datetime
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tongpin.core.validators import id_check_digit
from tongpin.members.excel import COLUMNS_BY_KEY, ROSTER_LANGUAGE
from tongpin.members.models import Gender, MemberStatus

from .pages import login

pytestmark = pytest.mark.browser

OWN_BRANCH = "办公室党支部"
OTHER_BRANCH = "经济运行调节处党支部"
MEMBER_LINK = re.compile(r"/members/\d+/$")


@pytest.fixture(scope="module")
def other_branch_member(tongpin_server):
    return tongpin_server.query(
        "from tongpin.members.models import Member\n"
        f"m = Member.objects.filter(branch__name={OTHER_BRANCH!r}).order_by('pk').first()\n"
        "result = {'pk': m.pk, 'name': m.name}"
    )


def _id_number(birth: datetime.date, sequence: int) -> str:
    first17 = f"110101{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def _fill_roster(path, branch: str) -> tuple[int, str]:
    """Two good rows and one with a broken ID number; returns (bad row number, its column)."""
    with translation.override(ROSTER_LANGUAGE):
        headers = {key: column.header for key, column in COLUMNS_BY_KEY.items()}
        full_member = str(MemberStatus(MemberStatus.FULL).label)
        male = str(Gender(Gender.MALE).label)
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    positions = {cell.value: cell.column for cell in sheet[1] if cell.value}
    assert set(headers.values()) <= set(positions), f"template headers: {list(positions)}"

    def row(name, birth, sequence):
        values = {
            "name": name,
            "gender": male,
            "birth_date": birth.isoformat(),
            "id_number": _id_number(birth, sequence),
            "joined_on": "2015-07-01",
            "full_member_on": "2016-07-01",
            "status": full_member,
            "branch": branch,
        }
        cells = [None] * max(positions.values())
        for key, value in values.items():
            cells[positions[headers[key]] - 1] = value
        return cells

    rows = [
        row("浏览器甲", datetime.date(1990, 3, 4), 121),
        row("浏览器乙", datetime.date(1991, 5, 6), 241),
        row("浏览器丙", datetime.date(1992, 7, 8), 361),
    ]
    id_at = positions[headers["id_number"]] - 1
    bad_id = rows[2][id_at]
    rows[2][id_at] = bad_id[:-1] + ("0" if bad_id[-1] != "0" else "1")  # wrong check digit
    for number, cells in enumerate(rows, start=2):
        for column, value in enumerate(cells, start=1):
            sheet.cell(row=number, column=column, value=value)
    workbook.save(path)
    return 4, headers["id_number"]


def test_secretary_browses_opens_imports_and_is_refused_elsewhere(
    page, screenshot, tmp_path, other_branch_member
):
    login(page, "shuji")

    # the tree: the secretary's branch is there; open it
    response = page.goto("/orgs/")
    assert response.ok
    page.get_by_role("link", name=OWN_BRANCH, exact=True).first.click()
    page.wait_for_load_state()
    assert OWN_BRANCH in page.locator("main").inner_text()
    screenshot("branch")

    # the roster: open a member of the branch
    assert page.goto("/members/").ok
    member_link = page.locator("main a[href^='/members/']:visible").filter(
        has_text=re.compile(r"\S")
    )
    links = [
        link for link in member_link.all() if MEMBER_LINK.search(link.get_attribute("href") or "")
    ]
    assert links, "no member on the secretary's roster page"
    name = links[0].inner_text().strip().splitlines()[0].strip()
    links[0].click()
    page.wait_for_url(MEMBER_LINK)
    assert page.get_by_test_id("member-name").inner_text().strip() == name
    assert OWN_BRANCH in page.locator("main").inner_text()
    screenshot("member")

    # import a roster with one bad row
    assert page.goto("/members/import/").ok
    with page.expect_download() as download_info:
        page.get_by_test_id("roster-template").click()
    roster = tmp_path / "roster.xlsx"
    download_info.value.save_as(roster)
    bad_row, bad_column = _fill_roster(roster, OWN_BRANCH)
    page.locator("form input[type=file]").set_input_files(roster)
    page.get_by_test_id("import-submit").click()
    page.wait_for_load_state()
    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert f"第{bad_row}行" in text.replace(" ", ""), text
    assert bad_column in text, text
    error_rows = errors.locator("tbody tr")
    assert error_rows.count() == 1, text  # the two good rows passed
    screenshot("import")

    # another branch's member is refused, with no hint that it exists
    response = page.goto(f"/members/{other_branch_member['pk']}/")
    assert response.status == 404
    refusal = page.get_by_test_id("error-page").inner_text()
    assert re.search(r"[\u4e00-\u9fff]", refusal), refusal  # a Chinese page, not Django's
    assert other_branch_member["name"] not in page.content()
