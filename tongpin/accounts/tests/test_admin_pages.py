"""Three-role separation (三员分立): each platform role's pages, and nobody else's."""

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from tongpin.accounts import services
from tongpin.accounts.models import PlatformRole, Role, RoleAssignment, User
from tongpin.core.models import AuditEvent
from tongpin.core.scoping import VIEW, scope_of
from tongpin.members.models import Member
from tongpin.orgs.models import Department, Organization, OrgKind

pytestmark = pytest.mark.django_db

ORDINARY = ["dangwei", "shuji", "dangyuan", "lingdao", "chuzhang"]


def pages(demo_user):
    """(method, url) per platform role; every one must be refused to everybody else."""
    target = demo_user("dangyuan").pk
    assignment = demo_user("shuji").role_assignments.get().pk
    return {
        "sysadmin": [
            ("get", reverse("accounts:user_list")),
            ("get", reverse("accounts:user_create")),
            ("post", reverse("accounts:user_create")),
            ("get", reverse("accounts:user_detail", args=[target])),
            ("post", reverse("accounts:user_set_active", args=[target])),
            ("post", reverse("accounts:user_reset_password", args=[target])),
        ],
        "secadmin": [
            ("get", reverse("accounts:role_list")),
            ("get", reverse("accounts:role_user", args=[target])),
            ("post", reverse("accounts:role_grant", args=[target])),
            ("post", reverse("accounts:role_revoke", args=[assignment])),
            ("post", reverse("accounts:platform_role", args=[target])),
            ("post", reverse("accounts:unlock", args=[target])),
        ],
        "auditor": [
            ("get", reverse("audit:list")),
            ("get", reverse("audit:export")),
            ("get", reverse("audit:chain")),
            ("get", reverse("audit:changes")),
        ],
    }


@pytest.mark.parametrize("owner", ["sysadmin", "secadmin", "auditor"])
def test_each_role_page_is_refused_to_everybody_else(client_as, demo_user, owner):
    routes = pages(demo_user)[owner]
    others = [u for u in ("sysadmin", "secadmin", "auditor") if u != owner] + ORDINARY
    for username in others:
        client = client_as(username)
        for method, url in routes:
            response = getattr(client, method)(url)
            assert response.status_code == 403, (username, method, url)
    # refusals are security events
    denied = AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, success=False)
    assert denied.count() == len(others) * len(routes)
    assert set(denied.values_list("username", flat=True)) == set(others)
    # nothing changed on the way
    assert demo_user("dangyuan").is_active
    assert demo_user("shuji").role_assignments.count() == 1


@pytest.mark.parametrize("owner", ["sysadmin", "secadmin", "auditor"])
def test_each_role_opens_its_own_pages(client_as, owner, demo_user):
    client = client_as(owner)
    for method, url in pages(demo_user)[owner]:
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_login(demo_user):
    for routes in pages(demo_user).values():
        for method, url in routes:
            response = getattr(Client(), method)(url)
            assert response.status_code == 302 and "/accounts/login/" in response.url


def test_break_glass_superuser_passes_every_role_check(demo_user):
    root = User.objects.create_user("breakglass", password="Ab-cd-1234", is_superuser=True)
    client = Client()
    client.force_login(root)
    for routes in pages(demo_user).values():
        for method, url in routes:
            if method == "get":
                response = client.get(url)
                assert response.status_code == 200, url
    assert "break-glass" in client.get(reverse("accounts:user_list")).content.decode()


# ---- system administrator --------------------------------------------------------------


def test_sysadmin_lists_and_searches_accounts(client_as):
    client = client_as("sysadmin")
    text = client.get(reverse("accounts:user_list"), {"q": "shuji"}).content.decode()
    assert "shuji2" in text and "dangyuan" not in text
    assert "账号管理" in text


def test_sysadmin_creates_an_account_with_a_one_time_password(client_as):
    client = client_as("sysadmin")
    response = client.post(
        reverse("accounts:user_create"), {"username": "xinren", "full_name": "新人"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(username="xinren")
    assert user.full_name == "新人" and user.must_change_password and not user.platform_role
    assert user.check_password(password)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT, detail__action="created")
    assert event.username == "sysadmin" and event.object_id == str(user.pk)
    assert password not in str(AuditEvent.objects.filter(pk=event.pk).values().get())
    # the history of the account names who created it
    assert user.history.get().history_user.username == "sysadmin"


def test_create_account_links_a_member_by_name(client_as):
    name = (
        Member.objects.filter(user__isnull=True)
        .values("name")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .order_by("name")
        .values_list("name", flat=True)
        .first()
    )
    member = Member.objects.get(name=name)
    client = client_as("sysadmin")
    # one member of that name: no choice needed, and the full name comes from the roster
    response = client.post(
        reverse("accounts:user_create"), {"username": "linked", "member_name": name}
    )
    assert response.status_code == 200 and "password" in response.context
    member.refresh_from_db()
    assert member.user.username == "linked" and member.user.full_name == name
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT, detail__action="created")
    assert event.detail["member_id"] == member.pk
    # a linked member is not offered again
    response = client.post(
        reverse("accounts:user_create"), {"username": "linked2", "member_name": name}
    )
    assert "没有找到" in response.content.decode()


def test_create_account_with_unknown_member_or_duplicate_username(client_as):
    client = client_as("sysadmin")
    response = client.post(
        reverse("accounts:user_create"), {"username": "x1", "member_name": "无此人"}
    )
    assert response.status_code == 200
    assert "没有找到" in response.content.decode()
    response = client.post(
        reverse("accounts:user_create"), {"username": "shuji", "full_name": "甲"}
    )
    assert "已存在" in response.content.decode()
    response = client.post(reverse("accounts:user_create"), {"username": "bad name!"})
    assert response.status_code == 200 and not User.objects.filter(username="bad name!").exists()
    assert not User.objects.filter(username="x1").exists()


def test_create_account_asks_which_member_when_names_repeat(client_as, demo_user):
    member = demo_user("dangyuan").member
    twin = Member.objects.filter(user__isnull=True).exclude(pk=member.pk).first()
    twin.name = "重名同志"
    twin.save()
    other = Member.objects.filter(user__isnull=True).exclude(pk=twin.pk).first()
    other.name = "重名同志"
    other.save()
    client = client_as("sysadmin")
    response = client.post(
        reverse("accounts:user_create"), {"username": "twin", "member_name": "重名同志"}
    )
    assert "选择" in response.content.decode()
    assert not User.objects.filter(username="twin").exists()
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "twin", "member_name": "重名同志", "member": other.pk},
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.user.username == "twin"


def test_sysadmin_deactivates_and_reactivates(client_as, demo_user):
    victim = client_as("dangyuan")
    client = client_as("sysadmin")
    pk = demo_user("dangyuan").pk
    client.post(reverse("accounts:user_set_active", args=[pk]), {"active": "0"})
    assert not demo_user("dangyuan").is_active
    # the deactivated account's open session ends
    assert victim.get(reverse("home")).status_code == 302
    client.post(reverse("accounts:user_set_active", args=[pk]), {"active": "1"})
    assert demo_user("dangyuan").is_active
    actions = list(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT)
        .order_by("id")
        .values_list("detail__action", flat=True)
    )
    assert actions == ["deactivated", "reactivated"]


def test_set_active_needs_a_clear_value_and_shows_no_membership(client_as, demo_user):
    client = client_as("sysadmin")
    pk = demo_user("dangyuan").pk
    response = client.post(reverse("accounts:user_set_active", args=[pk]), follow=True)
    assert response.status_code == 200 and "无效的请求" in response.content.decode()
    assert demo_user("dangyuan").is_active
    text = client.get(reverse("accounts:user_detail", args=[demo_user("shuji").pk])).content
    text = text.decode()
    assert "党支部书记 · 办公室党支部" in text and "正式党员" not in text


def test_sysadmin_resets_a_password(client_as, demo_user):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=demo_user("weiyuan"))
    client = client_as("sysadmin")
    response = client.post(reverse("accounts:user_reset_password", args=[demo_user("weiyuan").pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = response.context["password"]
    user = demo_user("weiyuan")
    assert user.check_password(password) and user.must_change_password
    assert not Token.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ACCOUNT, detail__action="password_reset", username="sysadmin"
    ).exists()


@pytest.mark.parametrize("target", ["secadmin", "auditor", "sysadmin"])
def test_sysadmin_cannot_touch_administrator_accounts(client_as, demo_user, target):
    client = client_as("sysadmin")
    pk = demo_user(target).pk
    assert "超级管理员" in client.get(reverse("accounts:user_detail", args=[pk])).content.decode()
    client.post(reverse("accounts:user_set_active", args=[pk]), {"active": "0"})
    response = client.post(reverse("accounts:user_reset_password", args=[pk]), follow=True)
    assert response.status_code == 200
    user = demo_user(target)
    assert user.is_active and user.check_password("Tongpin@2026") and not user.must_change_password
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT).exists()


# ---- security administrator ------------------------------------------------------------


def test_secadmin_grants_and_revokes_a_role_with_audit(client_as, demo_user):
    client = client_as("secadmin")
    dangyuan = demo_user("dangyuan")
    branch = dangyuan.member.branch
    response = client.post(
        reverse("accounts:role_grant", args=[dangyuan.pk]),
        {"role": Role.COMMITTEE_MEMBER, "organization": branch.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=dangyuan)
    assert assignment.granted_by.username == "secadmin"
    assert scope_of(demo_user("dangyuan"), VIEW).covers_path(branch.path)
    grant = AuditEvent.objects.get(kind=AuditEvent.Kind.PERMISSION)
    assert grant.username == "secadmin" and grant.detail["action"] == "granted"
    assert grant.detail["organization_id"] == branch.pk and "dangyuan" in grant.summary

    response = client.post(reverse("accounts:role_revoke", args=[assignment.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=dangyuan).exists()
    revoke = AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION).first()
    assert revoke.detail["action"] == "revoked" and revoke.username == "secadmin"


def test_grant_needs_its_place_and_refuses_duplicates(client_as, demo_user):
    client = client_as("secadmin")
    shuji = demo_user("shuji")
    response = client.post(
        reverse("accounts:role_grant", args=[shuji.pk]), {"role": Role.BRANCH_SECRETARY}
    )
    assert response.status_code == 400 and "组织" in response.content.decode()
    response = client.post(
        reverse("accounts:role_grant", args=[shuji.pk]), {"role": Role.DEPARTMENT_HEAD}
    )
    assert response.status_code == 400 and "部门" in response.content.decode()
    existing = shuji.role_assignments.get()
    response = client.post(
        reverse("accounts:role_grant", args=[shuji.pk]),
        {"role": existing.role, "organization": existing.organization_id},
    )
    assert response.status_code == 400 and "已有" in response.content.decode()
    # a leader role sits on no place, and is granted once
    services.grant_role(demo_user("secadmin"), shuji, Role.LEADER)
    response = client.post(reverse("accounts:role_grant", args=[shuji.pk]), {"role": Role.LEADER})
    assert response.status_code == 400
    assert shuji.role_assignments.count() == 2


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditor"])
def test_secadmin_cannot_give_a_platform_admin_a_role(client_as, demo_user, admin):
    client = client_as("secadmin")
    target = demo_user(admin)
    response = client.post(
        reverse("accounts:role_grant", args=[target.pk]),
        {"role": Role.AGENCY_STAFF, "organization": Organization.objects.get(depth=1).pk},
    )
    assert response.status_code == 400
    assert "三员分立" in response.content.decode()
    assert not target.role_assignments.exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION).exists()


def test_secadmin_cannot_give_a_second_platform_role(client_as, demo_user):
    client = client_as("secadmin")
    for admin, other in [
        ("sysadmin", PlatformRole.AUDITOR),
        ("auditor", PlatformRole.SYSTEM_ADMIN),
    ]:
        target = demo_user(admin)
        before = target.platform_role
        response = client.post(
            reverse("accounts:platform_role", args=[target.pk]), {"platform_role": other}
        )
        assert response.status_code == 400 and "三员分立" in response.content.decode()
        assert demo_user(admin).platform_role == before


def test_platform_role_only_for_accounts_without_roles(client_as, demo_user):
    client = client_as("secadmin")
    shuji = demo_user("shuji")
    response = client.post(
        reverse("accounts:platform_role", args=[shuji.pk]),
        {"platform_role": PlatformRole.AUDITOR},
    )
    assert response.status_code == 400 and not demo_user("shuji").platform_role

    fresh = User.objects.create_user("fresh", password="Ab-cd-1234")
    response = client.post(
        reverse("accounts:platform_role", args=[fresh.pk]), {"platform_role": PlatformRole.AUDITOR}
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.platform_role == PlatformRole.AUDITOR
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PERMISSION)
    assert event.detail == {"action": "platform_role", "old": "", "new": "auditor"}
    # taking it away is a permission change too
    client.post(reverse("accounts:platform_role", args=[fresh.pk]), {"platform_role": ""})
    fresh.refresh_from_db()
    assert fresh.platform_role == ""
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION).count() == 2


def test_secadmin_cannot_change_own_platform_role(client_as, demo_user):
    client = client_as("secadmin")
    me = demo_user("secadmin")
    response = client.post(reverse("accounts:platform_role", args=[me.pk]), {"platform_role": ""})
    assert response.status_code == 400
    assert demo_user("secadmin").platform_role == PlatformRole.SECURITY_ADMIN


def test_secadmin_grants_department_head_on_a_department(client_as, demo_user):
    client = client_as("secadmin")
    department = Department.objects.order_by("pk").first()
    target = demo_user("dangyuan")
    response = client.post(
        reverse("accounts:role_grant", args=[target.pk]),
        {
            "role": Role.DEPARTMENT_HEAD,
            "department": department.pk,
            # an organization sent along with a department role is dropped, not stored
            "organization": Organization.objects.filter(kind=OrgKind.BRANCH).first().pk,
        },
    )
    assert response.status_code == 302
    assignment = target.role_assignments.get()
    assert assignment.department == department and assignment.organization is None


def test_role_pages_show_roles_in_words(client_as, demo_user):
    text = client_as("secadmin").get(reverse("accounts:role_list"), {"q": "shuji"}).content.decode()
    assert "党支部书记 · 办公室党支部" in text
    text = (
        client_as("secadmin")
        .get(reverse("accounts:role_user", args=[demo_user("auditor").pk]))
        .content.decode()
    )
    assert "安全审计员" in text
