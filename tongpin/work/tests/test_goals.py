"""Business goals: who enters them, actual values over time, Excel import."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tongpin.orgs.models import Department
from tongpin.work import services
from tongpin.work.models import BusinessGoal, WorkState

pytestmark = pytest.mark.django_db


def _goal(user, department, **fields):
    fields.setdefault("year", datetime.date.today().year)
    fields.setdefault("title", "新增目标")
    return services.create_goal(user=user, department=department, **fields)


def test_department_head_enters_goals_of_their_own_department(demo_user):
    chuzhang = demo_user("chuzhang")
    policy = Department.objects.get(name="政策法规处")
    goal = _goal(chuzhang, policy, target_value=Decimal(10), unit="件")
    assert goal.deadline == datetime.date(goal.year, 12, 31)
    with pytest.raises(PermissionDenied):
        _goal(chuzhang, Department.objects.get(name="办公室"))
    # a branch secretary links to goals but does not rewrite them
    with pytest.raises(PermissionDenied):
        _goal(demo_user("shuji"), Department.objects.get(name="办公室"))
    with pytest.raises(PermissionDenied):
        services.update_goal(goal, user=demo_user("zongzhi"), title="改")
    assert services.can_change_goal(demo_user("dangwei"), goal)
    assert not services.can_change_goal(demo_user("lingdao"), goal)


def test_actual_values_over_time_complete_the_goal(demo_user, today):
    chuzhang = demo_user("chuzhang")
    goal = _goal(
        chuzhang, Department.objects.get(name="政策法规处"), target_value=Decimal(10), unit="件"
    )
    services.record_measurement(
        goal, user=chuzhang, value=Decimal(4), measured_on=today - datetime.timedelta(days=30)
    )
    assert goal.actual_value == 4 and goal.percent == 40
    assert goal.compute_state(today) == WorkState.IN_PROGRESS
    services.record_measurement(goal, user=chuzhang, value=Decimal(10), measured_on=today)
    assert goal.completed_on == today
    assert goal.compute_state(today) == WorkState.DONE
    assert goal.measurements.count() == 2
    # a value dated before the latest does not replace it
    services.record_measurement(
        goal, user=chuzhang, value=Decimal(2), measured_on=today - datetime.timedelta(days=60)
    )
    assert goal.actual_value == 10


def test_goal_pages(client_as, today, year):
    client = client_as("chuzhang")
    goal = BusinessGoal.objects.get(title="出台优化营商环境政策文件")
    assert client.get(f"/work/goals/{goal.pk}/").status_code == 200
    response = client.post(
        f"/work/goals/{goal.pk}/measure/",
        {"value": "3", "measured_on": today.isoformat(), "note": "一季度"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.actual_value == 3
    response = client.post(
        "/work/goals/new/",
        {
            "department": goal.department_id,
            "year": year,
            "title": "清理涉企规章",
            "target_value": "20",
            "unit": "件",
            "deadline": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    created = BusinessGoal.objects.get(title="清理涉企规章")
    assert created.deadline == datetime.date(year, 12, 31)
    # a bad value is an error on the form, never a server error
    response = client.post(
        f"/work/goals/{goal.pk}/measure/", {"value": "很多", "measured_on": "昨天"}
    )
    assert response.status_code == 200


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(services.GOAL_IMPORT_COLUMNS.values()))
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "goals.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_import_from_excel_all_or_nothing(client_as, today, year):
    from tongpin.core.models import AuditEvent

    client = client_as("chuzhang")
    bad = _xlsx(
        [
            [year, "政策法规处", "导入目标一", 5, "件", f"{year}-06-30", ""],
            [year, "办公室", "不是本处室的目标", 1, "项", "", ""],
            [year, "政策法规处", "", 1, "项", "", ""],
        ]
    )
    response = client.post("/work/goals/import/", {"file": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "import-errors" in html
    assert not BusinessGoal.objects.filter(title="导入目标一").exists()

    good = _xlsx(
        [
            [year, "政策法规处", "导入目标一", 5, "件", f"{year}-06-30", "说明"],
            [f"{year}年", "政策法规处", "导入目标二", "", "", "", ""],
        ]
    )
    response = client.post("/work/goals/import/", {"file": good})
    assert response.status_code == 302
    one = BusinessGoal.objects.get(title="导入目标一")
    assert one.target_value == 5 and one.deadline == datetime.date(year, 6, 30)
    assert BusinessGoal.objects.get(title="导入目标二").target_value is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT, username="chuzhang").exists()


def test_import_refuses_what_is_not_a_workbook(client_as):
    response = client_as("dangwei").post(
        "/work/goals/import/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}
    )
    assert response.status_code == 200
    assert BusinessGoal.objects.filter(title="").count() == 0


def test_import_template_and_export_roundtrip(client_as):
    from openpyxl import load_workbook

    client = client_as("dangwei")
    response = client.get("/work/goals/import/template/")
    assert response.status_code == 200
    header = next(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(header) == list(services.GOAL_IMPORT_COLUMNS.values())
    response = client.get("/work/goals/export/")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == tuple(services.GOAL_IMPORT_COLUMNS.values())
    assert len(rows) - 1 == BusinessGoal.objects.count()


def test_goal_list_query_count(client_as, django_assert_max_num_queries):
    client = client_as("dangwei")
    client.get("/work/goals/")
    with django_assert_max_num_queries(15):
        response = client.get("/work/goals/")
    assert response.status_code == 200
