import datetime
import json

import pytest

from tongpin.members.models import Member, Transfer

from .helpers import new_id_number

MEMBERS = "/api/members/"
TRANSFERS = "/api/transfers/"


def all_results(client, url, params=None):
    results, page = [], client.get(url, params or {})
    while True:
        assert page.status_code == 200, page.content
        results += page.json()["results"]
        if not page.json()["next"]:
            return results
        page = client.get(page.json()["next"])


@pytest.mark.django_db
def test_list_is_scoped_and_never_holds_full_numbers(api_as, office):
    client = api_as("shuji")
    response = client.get(MEMBERS)
    assert response.json()["count"] == Member.objects.filter(branch=office).count()
    results = all_results(client, MEMBERS)
    assert {r["branch"] for r in results} == {office.pk}
    text = json.dumps(results, ensure_ascii=False)
    for member in Member.objects.filter(branch=office):
        assert member.id_number not in text
        if member.phone:
            assert member.phone not in text
    assert "id_number" not in results[0] and "phone" not in results[0]
    assert "*" in results[0]["id_number_masked"]


@pytest.mark.django_db
def test_member_sees_self_admin_sees_nothing(api_as, demo_user):
    assert [r["id"] for r in api_as("dangyuan").get(MEMBERS).json()["results"]] == [
        demo_user("dangyuan").member.pk
    ]
    assert api_as("sysadmin").get(MEMBERS).status_code == 403


def test_api_needs_authentication(client):
    assert client.get(MEMBERS).status_code in (401, 403)


@pytest.mark.django_db
def test_out_of_scope_retrieve_is_404(api_as, office_member):
    assert api_as("shuji2").get(f"{MEMBERS}{office_member.pk}/").status_code == 404
    response = api_as("shuji").get(f"{MEMBERS}{office_member.pk}/")
    assert response.status_code == 200
    assert office_member.id_number not in response.content.decode()


@pytest.mark.django_db
def test_search_and_filters(api_as, office_member):
    client = api_as("shuji")
    by_id = client.get(MEMBERS, {"search": office_member.id_number}).json()
    assert [r["id"] for r in by_id["results"]] == [office_member.pk]
    by_name = client.get(MEMBERS, {"search": office_member.name}).json()
    assert office_member.pk in [r["id"] for r in by_name["results"]]
    probationary = client.get(MEMBERS, {"status": "probationary"}).json()["results"]
    assert all(r["status"] == "probationary" for r in probationary)
    assert client.get(MEMBERS, {"status": "nonsense"}).status_code == 400


def payload(branch, **overrides):
    data = {
        "name": "接口党员",
        "id_number": new_id_number(datetime.date(1988, 2, 3), male=False),
        "joined_on": "2012-07-01",
        "full_member_on": "2013-07-01",
        "status": "full",
        "branch": branch.pk,
        "phone": "13700001111",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_create_accepts_full_id_and_returns_it_masked(api_as, office):
    data = payload(office)
    response = api_as("shuji").post(MEMBERS, data, format="json")
    assert response.status_code == 201, response.json()
    body = response.content.decode()
    assert data["id_number"] not in body and "13700001111" not in body
    member = Member.objects.get(pk=response.json()["id"])
    assert member.id_number == data["id_number"]
    assert member.gender == "female" and member.birth_date == datetime.date(1988, 2, 3)


@pytest.mark.django_db
def test_create_bad_check_digit_is_400_in_chinese(api_as, office):
    good = new_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = api_as("shuji").post(MEMBERS, payload(office, id_number=bad), format="json")
    assert response.status_code == 400
    assert "校验位" in response.json()["id_number"][0]


@pytest.mark.django_db
def test_create_outside_scope_is_403(api_as, economy):
    count = Member.objects.count()
    response = api_as("shuji").post(MEMBERS, payload(economy), format="json")
    assert response.status_code == 403
    assert Member.objects.count() == count
    assert api_as("lingdao").post(MEMBERS, payload(economy), format="json").status_code == 403


@pytest.mark.django_db
def test_update(api_as, office_member, economy):
    url = f"{MEMBERS}{office_member.pk}/"
    response = api_as("shuji").patch(url, {"post": "接口职务"}, format="json")
    assert response.status_code == 200, response.json()
    office_member.refresh_from_db()
    assert office_member.post == "接口职务"
    assert api_as("lingdao").patch(url, {"post": "x"}, format="json").status_code == 404
    moved = api_as("shuji").patch(url, {"branch": economy.pk}, format="json")
    assert moved.status_code == 400
    assert api_as("shuji").delete(url).status_code == 405


@pytest.mark.django_db
def test_transfer_through_the_api(api_as, office_member, economy, demo_user):
    data = {
        "member": office_member.pk,
        "to_branch": economy.pk,
        "transferred_on": datetime.date.today().isoformat(),
        "reason": "接口转接",
    }
    assert api_as("lingdao").post(TRANSFERS, data, format="json").status_code == 403
    assert api_as("shuji2").post(TRANSFERS, data, format="json").status_code == 400
    response = api_as("shuji").post(TRANSFERS, data, format="json")
    assert response.status_code == 201, response.json()
    office_member.refresh_from_db()
    assert office_member.branch == economy
    transfer = Transfer.objects.get(pk=response.json()["id"])
    assert transfer.recorded_by == demo_user("shuji")
    for username in ("shuji", "shuji2"):
        ids = [r["id"] for r in api_as(username).get(TRANSFERS).json()["results"]]
        assert transfer.pk in ids
    assert transfer.pk not in [r["id"] for r in api_as("dangyuan").get(TRANSFERS).json()["results"]]


@pytest.mark.django_db
def test_api_list_query_count(api_as, django_assert_max_num_queries):
    client = api_as("dangwei")
    with django_assert_max_num_queries(5):
        response = client.get(MEMBERS)
    assert len(response.json()["results"]) == 50
