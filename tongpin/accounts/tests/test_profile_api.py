import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tongpin.accounts.models import Role, RoleAssignment
from tongpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


# ---- profile ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, label",
    [
        ("shuji", "党支部书记 · 办公室党支部"),
        ("dangyuan", "正式党员 · 办公室党支部"),
        ("secadmin", "安全管理员"),
        ("lingdao", "机关领导"),
    ],
)
def test_profile_says_roles_in_words(client_as, username, label):
    response = client_as(username).get(reverse("accounts:profile"))
    assert response.status_code == 200
    text = response.content.decode()
    assert label in text and "个人中心" in text and "修改密码" in text


def test_api_token_is_shown_once_rotated_and_revoked(client_as, demo_user):
    client = client_as("shuji")
    response = client.post(reverse("accounts:token"), {"action": "issue"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = Token.objects.get(user=demo_user("shuji")).key
    assert key in response.content.decode()
    # never shown again
    assert key not in client.get(reverse("accounts:profile")).content.decode()
    # the token works for the API
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/users/me/").json()["username"] == "shuji"
    # rotating replaces it
    client.post(reverse("accounts:token"), {"action": "issue"})
    new_key = Token.objects.get(user=demo_user("shuji")).key
    assert new_key != key
    assert api.get("/api/users/me/").status_code == 403  # session auth comes first: 403
    client.post(reverse("accounts:token"), {"action": "revoke"})
    assert not Token.objects.filter(user=demo_user("shuji")).exists()
    actions = list(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT)
        .order_by("id")
        .values_list("detail__action", flat=True)
    )
    assert actions == ["token_created", "token_rotated", "token_revoked"]
    assert not any(key in e.summary or new_key in e.summary for e in AuditEvent.objects.all())


def test_token_needs_post(client_as):
    assert client_as("shuji").get(reverse("accounts:token")).status_code == 405


# ---- API ----------------------------------------------------------------------------------


def test_users_me(api_as, demo_user):
    data = api_as("shuji").get("/api/users/me/").json()
    assert data["username"] == "shuji"
    assert data["platform_role"] == ""
    assert data["roles"][0]["role"] == Role.BRANCH_SECRETARY
    assert data["roles"][0]["label"] == "党支部书记 · 办公室党支部"
    assert "党支部书记 · 办公室党支部" in data["role_labels"]
    assert data["member"] == demo_user("shuji").member.pk
    assert data["password_change_due"] is False
    auditor = api_as("auditor").get("/api/users/me/").json()
    assert auditor["platform_role"] == "auditor" and auditor["platform_role_label"] == "安全审计员"
    assert auditor["roles"] == [] and auditor["member"] is None


def test_users_me_needs_authentication():
    assert APIClient().get("/api/users/me/").status_code in (401, 403)


def test_no_account_list_in_the_api(api_as):
    assert api_as("sysadmin").get("/api/users/").status_code == 404


@pytest.mark.parametrize(
    "username", ["sysadmin", "auditor", "dangwei", "shuji", "dangyuan", "lingdao"]
)
def test_role_assignments_api_is_secadmin_only(api_as, username, demo_user):
    client = api_as(username)
    assert client.get("/api/role-assignments/").status_code == 403
    response = client.post(
        "/api/role-assignments/",
        {"user": demo_user("dangyuan").pk, "role": Role.LEADER},
        format="json",
    )
    assert response.status_code == 403
    assignment = demo_user("shuji").role_assignments.get()
    assert client.delete(f"/api/role-assignments/{assignment.pk}/").status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION).exists()


def test_role_assignments_api_for_secadmin(api_as, demo_user):
    client = api_as("secadmin")
    listed = client.get("/api/role-assignments/", {"user": demo_user("shuji").pk}).json()
    assert listed["count"] == 1 and listed["results"][0]["label"] == "党支部书记 · 办公室党支部"

    dangyuan = demo_user("dangyuan")
    response = client.post(
        "/api/role-assignments/", {"user": dangyuan.pk, "role": Role.LEADER}, format="json"
    )
    assert response.status_code == 201, response.json()
    created = RoleAssignment.objects.get(user=dangyuan)
    assert response.json()["id"] == created.pk and created.granted_by.username == "secadmin"

    # the same rules as the page, in Chinese
    response = client.post(
        "/api/role-assignments/",
        {"user": demo_user("auditor").pk, "role": Role.LEADER},
        format="json",
    )
    assert response.status_code == 400 and "三员分立" in str(response.json())
    response = client.post(
        "/api/role-assignments/",
        {"user": dangyuan.pk, "role": Role.BRANCH_SECRETARY},
        format="json",
    )
    assert response.status_code == 400 and "组织" in str(response.json())
    response = client.post("/api/role-assignments/", {"role": "nonsense"}, format="json")
    assert response.status_code == 400

    assert client.delete(f"/api/role-assignments/{created.pk}/").status_code == 204
    assert list(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION)
        .order_by("id")
        .values_list("detail__action", flat=True)
    ) == ["granted", "revoked"]
    # no editing of a grant in place: revoke and grant again
    assignment = demo_user("shuji").role_assignments.get()
    assert client.patch(f"/api/role-assignments/{assignment.pk}/", {}).status_code == 405
