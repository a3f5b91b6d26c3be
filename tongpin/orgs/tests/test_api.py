"""The orgs API: scoped reads and writes, the move action, health findings, the schema."""

import datetime

import pytest

from tongpin.core.models import AuditEvent
from tongpin.members.models import CommitteePost, Member, MemberStatus
from tongpin.orgs.models import Organization, OrganizationMove, OrgKind, Term

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_organizations_list_is_scoped_with_parent_kind_and_depth(api_as, office, root):
    rows = results(api_as("shuji").get("/api/organizations/"))
    assert {r["id"] for r in rows} == set(
        Organization.objects.filter(path__startswith=office.path).values_list("pk", flat=True)
    )
    row = next(r for r in rows if r["id"] == office.pk)
    general = Organization.objects.get(name="第一党总支")
    assert row["parent"] == general.pk
    assert row["kind"] == OrgKind.BRANCH and row["depth"] == 3
    assert row["member_count"] == Member.objects.filter(branch=office).count()
    top = results(api_as("dangwei").get("/api/organizations/", {"kind": "agency_committee"}))
    assert [(r["id"], r["parent"]) for r in top] == [(root.pk, None)]


def test_organizations_filter_by_parent(api_as, org):
    general = org("第一党总支")
    rows = results(api_as("dangwei").get("/api/organizations/", {"parent": general.pk}))
    assert {r["name"] for r in rows} == set(
        Organization.objects.get_children(general).values_list("name", flat=True)
    )
    refused = api_as("shuji2").get("/api/organizations/", {"parent": general.pk})
    assert refused.status_code == 400


def test_organizations_list_query_count(api_as, django_assert_max_num_queries):
    client = api_as("dangwei")
    with django_assert_max_num_queries(8):
        rows = results(client.get("/api/organizations/"))
    assert len(rows) == min(50, Organization.objects.count())


def test_other_branch_secretary_cannot_read_or_write_the_office(api_as, office):
    client = api_as("shuji2")
    term = office.terms.get()
    post = office.committee_posts.first()
    for url in (
        f"/api/organizations/{office.pk}/",
        f"/api/terms/{term.pk}/",
        f"/api/committee-posts/{post.pk}/",
    ):
        assert client.get(url).status_code == 404
        assert client.patch(url, {"note": "x"}, format="json").status_code == 404
    moved = client.post(
        f"/api/organizations/{office.pk}/move/", {"parent": 1, "reason": "x"}, format="json"
    )
    assert moved.status_code == 404
    office.refresh_from_db()
    assert office.note == ""
    assert office.pk not in {r["id"] for r in results(client.get("/api/organizations/"))}
    # creating under the office: it is no valid parent for him
    created = client.post(
        "/api/organizations/",
        {"name": "x", "kind": "group", "parent": office.pk},
        format="json",
    )
    assert created.status_code == 400
    assert not Organization.objects.filter(name="x").exists()


def test_create_and_update_within_scope(api_as, office):
    client = api_as("shuji")
    response = client.post(
        "/api/organizations/",
        {"name": "办公室第三党小组", "kind": "group", "parent": office.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == office.pk
    wrong = client.post(
        "/api/organizations/",
        {"name": "新总支", "kind": "general_branch", "parent": office.pk},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["kind"] == ["办公室党支部 下不能设立党总支。"]
    updated = client.patch(
        f"/api/organizations/{office.pk}/", {"short_name": "办公室支部"}, format="json"
    )
    assert updated.status_code == 200
    office.refresh_from_db()
    assert office.short_name == "办公室支部"
    reparent = client.patch(
        f"/api/organizations/{office.pk}/", {"parent": office.pk}, format="json"
    )
    assert reparent.status_code == 400
    # a reader changes nothing
    assert (
        api_as("lingdao")
        .patch(f"/api/organizations/{office.pk}/", {"note": "x"}, format="json")
        .status_code
        == 404
    )


def test_move_action(api_as, office, root):
    response = api_as("dangwei").post(
        f"/api/organizations/{office.pk}/move/",
        {"parent": root.pk, "reason": "理顺隶属关系"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent"] == root.pk
    assert response.json()["depth"] == 2
    assert OrganizationMove.objects.filter(organization=office, to_parent=root).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MOVE).exists()
    under_itself = api_as("dangwei").post(
        f"/api/organizations/{root.pk}/move/",
        {"parent": office.pk, "reason": "x"},
        format="json",
    )
    assert under_itself.status_code == 400


def test_move_refused_to_a_parent_outside_scope(api_as, office, root):
    response = api_as("zongzhi").post(
        f"/api/organizations/{office.pk}/move/",
        {"parent": root.pk, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not OrganizationMove.objects.exists()


def test_terms_api(api_as, office, economy):
    client = api_as("shuji")
    rows = results(client.get("/api/terms/"))
    assert {r["organization"] for r in rows} == {office.pk}
    assert rows[0]["status"] == "ok"
    term = office.terms.get()
    too_long = client.patch(
        f"/api/terms/{term.pk}/",
        {"postponed_to": (term.ends_on + datetime.timedelta(days=500)).isoformat()},
        format="json",
    )
    assert too_long.status_code == 400
    assert "ORG-05" in too_long.json()["postponed_to"][0]
    created = client.post(
        "/api/terms/",
        {"organization": office.pk, "body": "committee", "elected_on": "2026-06-01"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["ends_on"] == "2029-06-01"
    term.refresh_from_db()
    assert not term.is_current
    elsewhere = client.post(
        "/api/terms/",
        {"organization": economy.pk, "body": "committee", "elected_on": "2026-06-01"},
        format="json",
    )
    assert elsewhere.status_code == 400
    overdue = Term.objects.get(organization__name="农村经济处党支部")
    status = api_as("dangwei").get(f"/api/terms/{overdue.pk}/").json()["status"]
    assert status == "overdue"


def test_committee_posts_api(api_as, office):
    client = api_as("shuji")
    rows = results(client.get("/api/committee-posts/", {"current": "true"}))
    assert {r["organization"] for r in rows} == {office.pk}
    assert all(r["member_name"] for r in rows)
    probationary = Member.objects.filter(branch=office, status=MemberStatus.PROBATIONARY).first()
    if probationary is None:
        probationary = Member.objects.filter(branch=office, committee_posts__isnull=True).first()
        probationary.status = MemberStatus.PROBATIONARY
        probationary.full_member_on = None
        probationary.save()
    refused = client.post(
        "/api/committee-posts/",
        {
            "organization": office.pk,
            "member": probationary.pk,
            "post": "member",
            "started_on": "2026-01-05",
        },
        format="json",
    )
    assert refused.status_code == 400
    assert "ORG-09" in str(refused.json())
    post = CommitteePost.objects.filter(organization=office, post="publicity").first()
    ended = client.patch(
        f"/api/committee-posts/{post.pk}/", {"ended_on": "2026-12-31"}, format="json"
    )
    assert ended.status_code == 200, ended.content
    post.refresh_from_db()
    assert post.ended_on == datetime.date(2026, 12, 31)
    changed = client.patch(f"/api/committee-posts/{post.pk}/", {"post": "member"}, format="json")
    assert changed.status_code == 400


def test_departments_api(api_as, department, org):
    rows = results(api_as("shuji").get("/api/departments/"))
    assert [r["name"] for r in rows] == ["办公室"]
    uncovered = results(api_as("dangwei").get("/api/departments/", {"uncovered": "true"}))
    assert [r["name"] for r in uncovered] == ["数据中心"]
    office = department("办公室")
    target = org("政策法规处党支部")
    assert api_as("shuji").patch(
        f"/api/departments/{office.pk}/", {"branch": target.pk}, format="json"
    ).status_code in (400, 403)
    response = api_as("dangwei").patch(
        f"/api/departments/{office.pk}/", {"branch": target.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["branch_name"] == "政策法规处党支部"


def test_health_api(api_as, office):
    response = api_as("dangwei").get("/api/health/")
    assert response.status_code == 200
    data = response.json()
    assert (data["errors"], data["warnings"]) == (3, 2)
    assert {f["rule"] for f in data["findings"]} == {"ORG-01", "ORG-05", "ORG-07"}
    assert api_as("shuji").get("/api/health/").json()["findings"] == []
    assert api_as("shuji2").get("/api/health/", {"org": office.pk}).status_code == 404
    assert api_as("dangwei").get("/api/health/", {"org": "abc"}).status_code == 400


@pytest.mark.parametrize("username", ["sysadmin", "auditor"])
def test_platform_admins_are_refused(api_as, username):
    for url in ("/api/organizations/", "/api/departments/", "/api/health/"):
        assert api_as(username).get(url).status_code == 403


def test_schema_has_no_warnings_for_orgs():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = ("Organization", "Department", "Term", "CommitteePost", "Health", "tongpin/orgs")
    problems = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if any(name in message for name in ours)
    ]
    assert not problems
    assert "/api/organizations/{id}/move/" in schema["paths"]
    assert "/api/health/" in schema["paths"]
