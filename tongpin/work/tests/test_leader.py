"""The leader's view: the departments in charge, each goal with the party work behind it."""

import pytest

from tongpin.work.demo import LEADER_DEPARTMENTS

pytestmark = pytest.mark.django_db


def test_leader_sees_their_departments_goals_with_supporting_party_work(client_as):
    html = client_as("lingdao").get("/work/leader/").content.decode()
    for name in LEADER_DEPARTMENTS:
        assert name in html
    assert "经济运行调节处" not in html  # not in charge of it
    assert "省政府督办事项按时办结" in html
    assert "开展“学习全会精神、服务中心大局”主题党日" in html  # the party work behind it
    assert "完成年度公务员招录" in html and "没有党建工作支撑" in html
    everything = client_as("lingdao").get("/work/leader/?all=1").content.decode()
    assert "经济运行调节处" in everything


def test_department_head_sees_their_department(client_as):
    html = client_as("chuzhang").get("/work/leader/").content.decode()
    assert "政策法规处" in html
    assert "办公室" not in html.split('data-testid="leader-department"', 1)[1]


def test_committee_staff_set_departments_in_charge(client_as, demo_user):
    from tongpin.orgs.models import Department

    leader = demo_user("lingdao")
    price = Department.objects.get(name="价格处")
    response = client_as("dangwei").post(
        f"/work/leader/{leader.pk}/departments/", {"departments": [price.pk]}
    )
    assert response.status_code == 302
    assert list(leader.led_departments.values_list("department__name", flat=True)) == ["价格处"]
    assert client_as("lingdao").get(f"/work/leader/{leader.pk}/departments/").status_code == 403


def test_leader_export(client_as):
    response = client_as("lingdao").get("/work/leader/export/")
    assert response.status_code == 200
