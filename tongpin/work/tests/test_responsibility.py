"""Responsibility lists (rule JG-12) generated from editable templates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tongpin.work import services
from tongpin.work.models import (
    ResponsibilityKind,
    ResponsibilityList,
    ResponsibilityTemplate,
)

pytestmark = pytest.mark.django_db


def test_templates_are_seeded_by_the_migration():
    kinds = set(ResponsibilityTemplate.objects.values_list("kind", flat=True))
    assert kinds == set(ResponsibilityKind.values)
    agency = ResponsibilityTemplate.objects.get(kind=ResponsibilityKind.AGENCY_COMMITTEE)
    assert "第10条" in agency.basis
    assert agency.items.count() >= 8


def test_demo_has_the_leadership_group_leader_and_branch_lists(today, year):
    lists = ResponsibilityList.objects.filter(year=year)
    group = lists.get(kind=ResponsibilityKind.LEADERSHIP_GROUP)
    assert group.holder.username == "lingdao"  # the head of the leadership group
    assert group.holder_post == "第一责任人"
    leader = lists.get(kind=ResponsibilityKind.LEADER, holder__username="lingdao")
    assert {d.name for d in leader.departments.all()} >= {"办公室", "政策法规处"}
    assert "办公室、政策法规处" in leader.items.first().text  # {departments} filled in
    office = lists.get(kind=ResponsibilityKind.BRANCH, organization__name="办公室党支部")
    assert office.holder.username == "shuji"
    assert "办公室党支部" in office.items.first().text  # {organization} filled in
    assert "{" not in "".join(office.items.values_list("text", flat=True))


def test_generation_is_from_the_template_and_idempotent(demo_user, org, today, year):
    user = demo_user("zongzhi")
    later = year + 1
    lists = services.generate_branch_lists(user=user, year=later)
    general = org("第一党总支")
    assert {rl.organization.name for rl in lists} == {
        o.name
        for o in type(general).objects.filter(path__startswith=general.path).exclude(kind="group")
    }
    template = ResponsibilityTemplate.objects.get(kind=ResponsibilityKind.BRANCH)
    assert lists[0].items.count() == template.items.count()
    again = services.generate_branch_lists(user=user, year=later)
    assert [rl.pk for rl in again] == [rl.pk for rl in lists]
    # leader lists are the committee's to generate
    with pytest.raises(PermissionDenied):
        services.generate_leader_lists(
            user=user, year=later, root=type(general).objects.get(depth=1)
        )


def test_edited_template_shapes_new_lists(client_as, org, today, year):
    template = ResponsibilityTemplate.objects.get(kind=ResponsibilityKind.BRANCH)
    client = client_as("dangwei")
    response = client.post(
        f"/work/responsibility/templates/{template.pk}/edit/",
        {"items": "【组织建设】{organization}每月开展一次主题党日\n\n落实{year}年度学习计划\n"},
    )
    assert response.status_code == 302
    assert list(template.items.values_list("category", "text")) == [
        ("organizational", "{organization}每月开展一次主题党日"),
        ("", "落实{year}年度学习计划"),
    ]
    response = client.post(
        f"/work/responsibility/templates/{template.pk}/edit/", {"items": "【不存在】某项职责"}
    )
    assert response.status_code == 200
    assert client_as("zongzhi").get("/work/responsibility/templates/").status_code == 403
    response = client_as("shuji").post(
        "/work/responsibility/generate/", {"what": "branches", "year": year + 1}
    )
    assert response.status_code == 302
    generated = ResponsibilityList.objects.get(year=year + 1, organization=org("办公室党支部"))
    assert [i.text for i in generated.items.all()] == [
        "办公室党支部每月开展一次主题党日",
        f"落实{year + 1}年度学习计划",
    ]


def test_items_are_edited_issued_and_followed_as_tasks(client_as, org, today, year):
    office_list = ResponsibilityList.objects.get(year=year, organization=org("办公室党支部"))
    item = office_list.items.first()
    client = client_as("shuji")
    response = client.post(
        f"/work/responsibility/items/{item.pk}/edit/",
        {"category": "political", "text": item.text, "measures": "每季度专题研究一次"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.measures == "每季度专题研究一次"
    deadline = datetime.date(year, 12, 31)
    response = client.post(
        f"/work/responsibility/items/{item.pk}/follow/", {"deadline": deadline.isoformat()}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.task.organization == office_list.organization
    assert item.task.owner.user.username == "shuji"
    page = client.get(f"/work/responsibility/{office_list.pk}/").content.decode()
    assert str(item.task.state_label) in page
    # shuji2 reads no list of the office
    assert client_as("shuji2").get(f"/work/responsibility/{office_list.pk}/").status_code == 404


def test_responsibility_export(client_as):
    response = client_as("dangwei").get("/work/responsibility/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
