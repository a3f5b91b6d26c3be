import pytest
from django.urls import reverse

from tongpin.members.models import Member, MemberStatus
from tongpin.orgs.models import Organization

LIST = reverse("members:list")


def listed(response):
    return list(response.context["page"].paginator.object_list)


@pytest.mark.django_db
def test_secretary_sees_only_own_branch(client_as, office):
    response = client_as("shuji").get(LIST)
    assert response.status_code == 200
    members = listed(response)
    assert len(members) == Member.objects.filter(branch=office).count()
    assert {m.branch_id for m in members} == {office.pk}


@pytest.mark.django_db
def test_general_branch_secretary_sees_subtree(client_as):
    general = Organization.objects.get(name="第一党总支")
    members = listed(client_as("zongzhi").get(LIST))
    assert len(members) == Member.objects.filter(branch__path__startswith=general.path).count()
    assert len({m.branch_id for m in members}) > 1


@pytest.mark.django_db
def test_member_sees_only_self(client_as, demo_user):
    response = client_as("dangyuan").get(LIST)
    assert listed(response) == [demo_user("dangyuan").member]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_platform_admins_are_refused(client_as, username):
    assert client_as(username).get(LIST).status_code == 403


def test_list_needs_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_list_shows_masked_ids_and_chinese(client_as, office):
    response = client_as("shuji").get(LIST)
    html = response.content.decode()
    member = Member.objects.filter(branch=office).order_by("name").first()
    assert member.id_number_masked in html
    assert member.id_number not in html
    for text in ("党员名册", "所在党支部", "党员状态", "党龄", "导出 Excel"):
        assert text in html


@pytest.mark.django_db
def test_search_by_name(client_as, office, economy):
    member = Member.objects.filter(branch=office).order_by("pk").first()
    other = Member.objects.filter(branch=economy).order_by("pk").first()
    client = client_as("shuji")
    found = listed(client.get(LIST, {"q": member.name[1:]}))
    assert member in found
    assert all(member.name[1:] in m.name for m in found)
    # a name outside the scope is not found, even typed in full
    assert other not in listed(client.get(LIST, {"q": other.name}))


@pytest.mark.django_db
def test_search_by_full_id_number(client_as, office_member, economy_member):
    client = client_as("shuji")
    found = listed(client.get(LIST, {"q": office_member.id_number.lower()}))
    assert found == [office_member]
    # the masked form does not match: only the keyed digest of the full number does
    assert listed(client.get(LIST, {"q": office_member.id_number_masked})) == []
    # another branch's member is not found by ID either
    assert listed(client.get(LIST, {"q": economy_member.id_number})) == []


@pytest.mark.django_db
def test_filter_by_organization_subtree(client_as):
    general = Organization.objects.get(name="第一党总支")
    members = listed(client_as("dangwei").get(LIST, {"org": general.pk}))
    assert members
    assert len(members) == Member.objects.filter(branch__path__startswith=general.path).count()


@pytest.mark.django_db
def test_filter_outside_scope_is_refused(client_as, economy):
    response = client_as("shuji").get(LIST, {"org": economy.pk})
    assert response.context["filterset"].errors
    assert {m.branch.name for m in listed(response)} == {"办公室党支部"}


@pytest.mark.django_db
def test_filters_status_cadre_gender_education_department(client_as):
    client = client_as("dangwei")
    probationary = listed(client.get(LIST, {"status": "probationary"}))
    assert probationary
    assert {m.status for m in probationary} == {MemberStatus.PROBATIONARY}
    cadres = listed(client.get(LIST, {"is_leading_cadre": "1"}))
    assert cadres and all(m.is_leading_cadre for m in cadres)
    women = listed(client.get(LIST, {"gender": "female", "education": "master"}))
    assert women and all(m.gender == "female" and m.education == "master" for m in women)
    department = Member.objects.filter(department__isnull=False).first().department
    staff = listed(client.get(LIST, {"department": department.pk}))
    assert staff and {m.department_id for m in staff} == {department.pk}


@pytest.mark.django_db
def test_bad_filter_values_do_not_fail(client_as):
    response = client_as("dangwei").get(LIST, {"org": "abc", "status": "x", "page": "999"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_pagination_50_per_page(client_as):
    client = client_as("dangwei")
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 50
    second = client.get(LIST, {"page": 2})
    assert second.context["page"].number == 2
    assert not {m.pk for m in first.context["page"]} & {m.pk for m in second.context["page"]}


@pytest.mark.django_db
def test_htmx_search_swaps_only_the_table(client_as, office_member):
    response = client_as("shuji").get(LIST, {"q": office_member.name}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="member-table"' in html
    assert office_member.name in html
    assert "HX-Request" in response["Vary"]


# Query counts are pinned (NetBox's query_counts.json idea), the menu left out (each app's
# entries cost their own): session, user, the view and change scopes, the count, the page, the
# two filter dropdowns, the session save. An N+1 would add 50.
LIST_QUERIES = 14


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["dangwei", "shuji", "lingdao", "chuzhang", "dangyuan"])
def test_list_query_count_is_pinned(
    client_as, django_assert_max_num_queries, without_menu, username
):
    client = client_as(username)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert response.status_code == 200


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_rows(client_as, office_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("dangwei")
    client.get(LIST)
    with CaptureQueriesContext(connection) as full:
        client.get(LIST)  # 50 rows
    with CaptureQueriesContext(connection) as one:
        client.get(LIST, {"q": office_member.id_number})  # 1 row
    assert len(full.captured_queries) == len(one.captured_queries)
