"""The disconnect (两张皮) view: exactly the unlinked items of the demo plan."""

import pytest

from tongpin.work import services
from tongpin.work.demo import UNLINKED_TASKS, UNSUPPORTED_GOALS
from tongpin.work.models import BusinessGoal, PartyTask

pytestmark = pytest.mark.django_db


def _findings(html, testid):
    import re

    pattern = rf'data-testid="{testid}"><a href="[^"]+">([^<]+)</a>'
    return sorted(re.findall(pattern, html))


def test_the_page_lists_exactly_the_demo_plans_unlinked_items(client_as, root, today, year):
    response = client_as("dangwei").get(f"/work/disconnect/?org={root.pk}&year={year}")
    assert response.status_code == 200
    html = response.content.decode()
    assert _findings(html, "unlinked-task") == sorted(title for _org, title in UNLINKED_TASKS)
    assert _findings(html, "unsupported-goal") == sorted(UNSUPPORTED_GOALS)


def test_the_services_agree_with_the_demo_constants(demo_user, today, year):
    user = demo_user("dangwei")
    unlinked = services.unlinked_tasks(PartyTask.objects.restrict(user).filter(year=year))
    assert sorted(unlinked.values_list("organization__name", "title")) == sorted(UNLINKED_TASKS)
    unsupported = services.unsupported_goals(BusinessGoal.objects.restrict(user).filter(year=year))
    assert sorted(unsupported.values_list("title", flat=True)) == sorted(UNSUPPORTED_GOALS)


def test_the_api_lists_the_same(api_as, today, year):
    data = api_as("dangwei").get(f"/api/disconnect/?year={year}").json()
    assert sorted(t["title"] for t in data["unlinked_tasks"]) == sorted(
        title for _org, title in UNLINKED_TASKS
    )
    assert sorted(g["title"] for g in data["unsupported_goals"]) == sorted(UNSUPPORTED_GOALS)
    assert data["fusion"][0]["tasks"] > 0


def test_a_branch_sees_its_own_findings_only(client_as, today, year):
    html = client_as("shuji").get(f"/work/disconnect/?year={year}").content.decode()
    assert _findings(html, "unlinked-task") == ["组织观看爱国主义教育影片"]
    assert "开展支部党员联谊活动" not in html
    html = client_as("shuji2").get(f"/work/disconnect/?year={year}").content.decode()
    assert _findings(html, "unlinked-task") == ["开展支部党员联谊活动"]


def test_linking_a_goal_removes_the_finding(client_as, demo_user, org, today, year):
    task = PartyTask.objects.get(title="组织观看爱国主义教育影片")
    goal = BusinessGoal.objects.get(title="政务信息被省委省政府采用")
    services.update_task(task, user=demo_user("shuji"), goals=[goal])
    html = client_as("shuji").get(f"/work/disconnect/?year={year}").content.decode()
    assert _findings(html, "unlinked-task") == []


def test_fusion_ratio_per_organization(demo_user, root, today, year):
    rows = services.fusion_rows(demo_user("dangwei"), year, [root])
    row = rows[0]
    assert row.tasks == PartyTask.objects.filter(year=year).count()
    assert row.linked == row.tasks - len(UNLINKED_TASKS)
    assert 0 < row.ratio < 100
    assert row.goals == BusinessGoal.objects.filter(year=year).count()
    assert row.supported == row.goals - len(UNSUPPORTED_GOALS)


def test_export_lists_the_findings(client_as, today, year):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_as("dangwei").get(f"/work/disconnect/export/?year={year}")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    titles = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {t for _o, t in UNLINKED_TASKS} | set(UNSUPPORTED_GOALS)
