"""The yearly plan page: goals and tasks side by side, grouped by goal, no N+1."""

import pytest

from tongpin.work import services
from tongpin.work.models import BusinessGoal, PartyTask

pytestmark = pytest.mark.django_db


def test_plan_groups_tasks_under_the_goals_they_serve(demo_user, org, today, year):
    office = org("办公室党支部")
    plan = services.build_plan(demo_user("shuji"), office, year, today)
    goal_titles = [g.goal.title for g in plan.groups if g.goal]
    assert "省政府督办事项按时办结" in goal_titles
    group = next(g for g in plan.groups if g.goal and g.goal.title == "省政府督办事项按时办结")
    assert any(t.title.startswith("开展“学习全会精神") for t in group.tasks)
    kinds = [g.kind for g in plan.groups]
    assert kinds[-1] == "unlinked"
    assert [t.title for t in plan.groups[-1].tasks] == ["组织观看爱国主义教育影片"]
    # the deployed task, not linked to the office's own goals, shows as linked from above
    inherited = next(g for g in plan.groups if g.kind == "inherited")
    assert any(t.parent_id for t in inherited.tasks)


def test_plan_page_renders_for_every_role(client_as, today):
    for username in ("dangwei", "zongzhi", "shuji", "dangyuan", "lingdao", "chuzhang"):
        response = client_as(username).get("/work/")
        assert response.status_code == 200, username
        assert "年度" in response.content.decode()


@pytest.mark.parametrize("username", ["dangwei", "shuji"])
def test_plan_query_count_is_pinned(client_as, username, root, django_assert_max_num_queries):
    client = client_as(username)
    client.get("/work/")
    with django_assert_max_num_queries(16):
        response = client.get("/work/")
    assert response.status_code == 200


def test_plan_query_count_does_not_grow_with_the_plan(
    client_as, root, new_task, demo_user, django_assert_max_num_queries
):
    from tongpin.orgs.models import Organization

    goals = list(BusinessGoal.objects.all()[:5])
    for n in range(30):
        task = new_task(root, f"批量任务{n}", goals=goals[: n % 4])
        if n % 10 == 0:
            services.deploy_task(
                task,
                user=demo_user("dangwei"),
                targets=Organization.objects.filter(kind="branch")[:3],
            )
    client = client_as("dangwei")
    client.get(f"/work/?org={root.pk}")
    with django_assert_max_num_queries(16):
        response = client.get(f"/work/?org={root.pk}")
    assert "批量任务29" in response.content.decode()


def test_plan_export(client_as, root, today, year):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_as("dangwei").get(f"/work/plan/export/?org={root.pk}&year={year}")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows[0]) == 12
    titles = {row[5] for row in rows[1:]}
    assert "学习贯彻党的二十届四中全会精神" in titles


def test_task_pages(client_as, org, today, year):
    client = client_as("shuji")
    office = org("办公室党支部")
    response = client.post(
        "/work/tasks/new/",
        {
            "organization": office.pk,
            "year": year,
            "title": "支部新任务",
            "category": "organizational",
            "deadline": today.isoformat(),
            "goals": [BusinessGoal.objects.get(title="省政府督办事项按时办结").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    task = PartyTask.objects.get(title="支部新任务")
    assert task.goals.count() == 1
    response = client.post(
        f"/work/tasks/{task.pk}/edit/",
        {
            "year": year,
            "title": "支部新任务（改）",
            "category": "organizational",
            "deadline": today.isoformat(),
            "goals": [],
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "支部新任务（改）" and task.goals.count() == 0
    # the change history lists the goal link going away
    assert client.get(f"/work/tasks/{task.pk}/history/").status_code == 200
    assert task.goal_links.model.history.filter(task_id=task.pk, history_type="-").exists()
    # another branch's goals cannot be linked
    other = BusinessGoal.objects.get(title="重点企业运行监测覆盖")
    response = client.post(
        "/work/tasks/new/",
        {
            "organization": office.pk,
            "year": year,
            "title": "越权",
            "category": "political",
            "deadline": today.isoformat(),
            "goals": [other.pk],
        },
    )
    assert response.status_code == 200
    assert not PartyTask.objects.filter(title="越权").exists()


def test_task_list_filters_and_query_count(client_as, django_assert_max_num_queries):
    client = client_as("dangwei")
    html = client.get("/work/tasks/?linked=0").content.decode()
    assert "组织观看爱国主义教育影片" in html
    assert "设立党员先锋岗" not in html
    client.get("/work/tasks/")
    with django_assert_max_num_queries(15):
        assert client.get("/work/tasks/").status_code == 200
    assert client.get("/work/tasks/?state=overdue&page=zz").status_code == 200
