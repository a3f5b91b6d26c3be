import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tongpin.members import services
from tongpin.members.models import Member
from tongpin.orgs.models import Organization, OrgKind

from .helpers import new_id_number

CREATE = reverse("members:create")
BIRTH = datetime.date(1990, 5, 17)


def form_data(branch, **overrides):
    data = {
        "name": "新党员",
        "id_number": new_id_number(BIRTH, male=True),
        "gender": "male",
        "birth_date": BIRTH.isoformat(),
        "ethnicity": "汉族",
        "education": "bachelor",
        "applied_on": "2012-03-01",
        "joined_on": "2014-07-01",
        "full_member_on": "2015-07-01",
        "status": "full",
        "branch": branch.pk,
        "group": "",
        "department": "",
        "post": "科员",
        "job_level": "staff",
        "phone": "13912345678",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_create_member(client_as, office):
    data = form_data(office)
    response = client_as("shuji").post(CREATE, data)
    assert response.status_code == 302, response.context["form"].errors
    member = Member.objects.get(name="新党员")
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.branch == office
    assert member.id_number == data["id_number"]
    assert member.id_number_masked == data["id_number"][:4] + "*" * 10 + data["id_number"][-4:]
    assert data["id_number"] not in member.id_number_sealed  # sealed with SM4
    assert member.phone == "13912345678"
    assert member.history.count() == 1


@pytest.mark.django_db
def test_birth_date_and_gender_come_from_the_id(client_as, office):
    data = form_data(office, birth_date="", gender="", id_number=new_id_number(BIRTH, male=False))
    response = client_as("shuji").post(CREATE, data)
    assert response.status_code == 302
    member = Member.objects.get(name="新党员")
    assert member.birth_date == BIRTH
    assert member.gender == "female"


def assert_error(response, field, text):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(text in message for message in errors[field]), errors[field]
    assert text in response.content.decode()


@pytest.mark.django_db
def test_bad_check_digit_gives_chinese_error(client_as, office):
    good = new_id_number(BIRTH)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    count = Member.objects.count()
    response = client_as("shuji").post(CREATE, form_data(office, id_number=bad))
    assert_error(response, "id_number", "身份证号校验位错误")
    assert Member.objects.count() == count


@pytest.mark.django_db
def test_malformed_id_number(client_as, office):
    response = client_as("shuji").post(CREATE, form_data(office, id_number="12345"))
    assert_error(response, "id_number", "X")


@pytest.mark.django_db
def test_birth_date_must_match_the_id(client_as, office):
    response = client_as("shuji").post(CREATE, form_data(office, birth_date="1990-05-18"))
    assert_error(response, "birth_date", "出生日期与身份证号不一致")


@pytest.mark.django_db
def test_gender_must_match_the_id(client_as, office):
    response = client_as("shuji").post(CREATE, form_data(office, gender="female"))
    assert_error(response, "gender", "性别与身份证号不一致")


@pytest.mark.django_db
def test_duplicate_id_refused(client_as, office, economy_member):
    # the duplicate lies in another branch: refused all the same, without naming that member
    response = client_as("shuji").post(
        CREATE, form_data(office, id_number=economy_member.id_number)
    )
    assert_error(response, "id_number", "该身份证号已在党员名册中")
    assert economy_member.name not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,field,text",
    [
        ({"applied_on": "2015-01-01"}, "applied_on", "申请入党日期应早于入党日期"),
        ({"full_member_on": "2014-01-01"}, "full_member_on", "转正日期应晚于入党日期"),
        ({"full_member_on": ""}, "full_member_on", "正式党员须填写转正日期"),
        ({"status": "probationary"}, "status", "已填写转正日期的应为正式党员"),
        ({"joined_on": "2099-01-01", "full_member_on": ""}, "joined_on", "日期不能晚于今天"),
        ({"applied_on": "2007-01-01"}, "applied_on", "未满18周岁"),
        ({"phone": "12345"}, "phone", "11位手机号"),
        ({"joined_on": "2014-02-30"}, "joined_on", "有效的日期"),
    ],
)
def test_dates_and_values_checked(client_as, office, overrides, field, text):
    response = client_as("shuji").post(CREATE, form_data(office, **overrides))
    assert_error(response, field, text)


@pytest.mark.django_db
def test_branch_must_be_in_change_scope(client_as, economy):
    count = Member.objects.count()
    response = client_as("shuji").post(CREATE, form_data(economy))
    assert response.status_code == 200
    assert "branch" in response.context["form"].errors
    assert Member.objects.count() == count


@pytest.mark.django_db
def test_group_must_belong_to_the_branch(client_as, office):
    foreign_group = (
        Organization.objects.filter(kind=OrgKind.GROUP)
        .exclude(path__startswith=office.path)
        .first()
    )
    # dangwei reaches every group, so the form offers it; the rule refuses it
    response = client_as("dangwei").post(CREATE, form_data(office, group=foreign_group.pk))
    assert_error(response, "group", "党小组须属于该党员所在的党支部")
    own_group = Organization.objects.filter(
        kind=OrgKind.GROUP, path__startswith=office.path
    ).first()
    response = client_as("shuji").post(CREATE, form_data(office, group=own_group.pk))
    assert response.status_code == 302
    assert Member.objects.get(name="新党员").group == own_group


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["lingdao", "dangyuan", "chuzhang", "sysadmin"])
def test_create_refused_without_change_scope(client_as, username):
    assert client_as(username).get(CREATE).status_code == 403


@pytest.mark.django_db
def test_create_form_reads_in_chinese(client_as):
    html = client_as("shuji").get(CREATE).content.decode()
    for text in ("新增党员", "姓名", "身份证号", "入党日期", "转正日期", "所在党支部", "保存"):
        assert text in html


@pytest.mark.django_db
def test_edit_member(client_as, office_member):
    url = reverse("members:edit", args=[office_member.pk])
    client = client_as("shuji")
    page = client.get(url)
    assert page.status_code == 200
    assert office_member.id_number not in page.content.decode()  # never put into the form
    data = page.context["form"].initial.copy()
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in data.items()}
    data.update(post="三级主任科员", id_number="", phone="")
    data["is_leading_cadre"] = ""
    for key in ("birth_date", "applied_on", "joined_on", "full_member_on"):
        if data[key]:
            data[key] = data[key].isoformat()
    old_id, old_phone = office_member.id_number, office_member.phone
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    office_member.refresh_from_db()
    assert office_member.post == "三级主任科员"
    assert office_member.id_number == old_id  # empty keeps the sealed numbers
    assert office_member.phone == old_phone
    assert office_member.history.first().history_type == "~"


@pytest.mark.django_db
def test_edit_refused(client_as, office_member):
    url = reverse("members:edit", args=[office_member.pk])
    assert client_as("lingdao").get(url).status_code == 403
    assert client_as("shuji2").get(url).status_code == 404
    assert client_as("dangyuan").get(url).status_code == 404


@pytest.mark.django_db
def test_update_cannot_move_branch(demo_user, office_member, economy):
    with pytest.raises(ValidationError):
        services.update_member(office_member, user=demo_user("dangwei"), branch=economy)


@pytest.mark.django_db
def test_services_check_scope(demo_user, office_member, economy):
    with pytest.raises(PermissionDenied):
        services.update_member(office_member, user=demo_user("shuji2"), post="x")
    with pytest.raises(PermissionDenied):
        services.create_member(
            user=demo_user("shuji"),
            id_number=new_id_number(BIRTH),
            name="越权",
            branch=economy,
            joined_on=datetime.date(2014, 7, 1),
            full_member_on=datetime.date(2015, 7, 1),
            status="full",
        )
