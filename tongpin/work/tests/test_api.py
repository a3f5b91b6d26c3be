"""The API: scoped, validated, with the same services as the pages."""

import pytest

from tongpin.work.models import BusinessGoal, PartyTask

pytestmark = pytest.mark.django_db


def test_create_deploy_and_roll_up_through_the_api(api_as, root, today, year):
    client = api_as("dangwei")
    goal = BusinessGoal.objects.get(title="全省地区生产总值增长")
    response = client.post(
        "/api/party-tasks/",
        {
            "organization": root.pk,
            "year": year,
            "title": "接口创建的任务",
            "category": "political",
            "deadline": today.isoformat(),
            "goals": [goal.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    task_id = response.json()["id"]
    response = client.post(
        f"/api/party-tasks/{task_id}/deploy/", {"all_branches": True}, format="json"
    )
    assert response.status_code == 201, response.content
    assert len(response.json()) == 25
    data = client.get(f"/api/party-tasks/{task_id}/").json()
    assert data["rollup"] == {"total": 25, "done": 0, "overdue": 0}
    assert data["goals"] == [goal.pk]
    assert data["state"] == "due_soon"


def test_scoping_in_the_api(api_as, root, today, year):
    response = api_as("shuji").post(
        "/api/party-tasks/",
        {
            "organization": root.pk,
            "year": year,
            "title": "越权",
            "category": "political",
            "deadline": today.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert not PartyTask.objects.filter(title="越权").exists()
    titles = {
        t["organization_name"]
        for t in api_as("shuji").get("/api/party-tasks/?page_size=500").json()["results"]
    }
    assert titles <= {"办公室党支部", "办公室第一党小组", "办公室第二党小组"}
    task = PartyTask.objects.filter(organization__name="办公室党支部").first()
    response = api_as("lingdao").patch(
        f"/api/party-tasks/{task.pk}/", {"title": "改"}, format="json"
    )
    assert response.status_code == 403


def test_goal_api_for_department_heads(api_as, today, year):
    from tongpin.orgs.models import Department

    policy = Department.objects.get(name="政策法规处")
    response = api_as("chuzhang").post(
        "/api/business-goals/",
        {
            "department": policy.pk,
            "year": year,
            "title": "接口目标",
            "target_value": "8",
            "unit": "件",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    goal_id = response.json()["id"]
    response = api_as("chuzhang").post(
        "/api/goal-measurements/",
        {"goal": goal_id, "measured_on": today.isoformat(), "value": "8"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert api_as("chuzhang").get(f"/api/business-goals/{goal_id}/").json()["state"] == "done"
    response = api_as("shuji").post(
        "/api/goal-measurements/",
        {"goal": goal_id, "measured_on": today.isoformat(), "value": "9"},
        format="json",
    )
    assert response.status_code == 400


def test_api_list_query_counts(api_as, django_assert_max_num_queries):
    client = api_as("dangwei")
    for url, limit in [
        ("/api/party-tasks/", 8),
        ("/api/business-goals/", 6),
        ("/api/responsibility-lists/", 8),
        ("/api/supervision/", 8),
        ("/api/disconnect/", 10),
    ]:
        client.get(url)
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url


def test_schema_validates():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
