import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongpin.accounts import services
from tongpin.core.models import AuditEvent
from tongpin.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
WRONG = "Wrong-Pass-123"


def post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_chinese_and_names_the_product():
    response = Client().get(LOGIN)
    assert response.status_code == 200
    text = response.content.decode()
    assert "同频" in text
    assert "党建和业务同频共振" in text
    assert "用户名" in text and "密码" in text and "登录" in text


def test_login_succeeds_and_is_audited(demo_user):
    client = Client()
    history_rows = demo_user("shuji").history.count()
    response = post_login(client, "shuji", DEMO_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).first()
    assert event.username == "shuji" and event.user_id == demo_user("shuji").pk
    assert event.success and event.request_id and event.ip == "127.0.0.1"
    assert client.get(reverse("home")).status_code == 200
    # last_login is bookkeeping: no empty row in the account's change history
    assert demo_user("shuji").last_login is not None
    assert demo_user("shuji").history.count() == history_rows


def test_failed_login_is_audited_without_the_password():
    response = post_login(Client(), "shuji", WRONG)
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert event.username == "shuji" and not event.success and event.user_id is None
    row = " ".join(str(v) for v in AuditEvent.objects.filter(pk=event.pk).values().get().values())
    assert WRONG not in row and "*****" not in row


def test_failed_login_of_unknown_user_is_audited():
    post_login(Client(), "nobody", WRONG)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED, username="nobody").exists()


def test_logout_is_post_only_flushes_session_and_is_audited():
    client = Client()
    post_login(client, "dangyuan", DEMO_PASSWORD)
    session_key = client.session.session_key
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == LOGIN
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGOUT)
    assert event.username == "dangyuan"


def test_lockout_after_five_failures_then_unlock(settings, demo_user, client_as):
    assert settings.TONGPIN["LOGIN_MAX_FAILURES"] == 5
    client = Client()
    for attempt in range(1, 5):
        response = post_login(client, "weiyuan", WRONG)
        assert "已被锁定" not in response.content.decode()
        assert demo_user("weiyuan").failed_logins == attempt
    response = post_login(client, "weiyuan", WRONG)
    user = demo_user("weiyuan")
    assert user.is_locked()
    expected = timezone.now() + datetime.timedelta(minutes=settings.TONGPIN["LOCKOUT_MINUTES"])
    assert abs((user.locked_until - expected).total_seconds()) < 60
    until = timezone.localtime(user.locked_until).strftime("%Y-%m-%d %H:%M")
    text = response.content.decode()
    assert "已被锁定" in text and until in text
    lock_event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT, detail__action="locked")
    assert lock_event.username == "weiyuan"

    # locked: even the right password is refused, and the refusal is audited
    failures_before = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED).count()
    response = post_login(client, "weiyuan", DEMO_PASSWORD)
    assert response.status_code == 200 and "已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED).count() == (
        failures_before + 1
    )

    # the security administrator unlocks; the account logs in again
    secadmin = client_as("secadmin")
    response = secadmin.post(reverse("accounts:unlock", args=[user.pk]))
    assert response.status_code == 302
    user = demo_user("weiyuan")
    assert not user.is_locked() and user.failed_logins == 0
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ACCOUNT, detail__action="unlocked", username="secadmin"
    ).exists()
    assert post_login(client, "weiyuan", DEMO_PASSWORD).status_code == 302


def test_lock_expires_and_success_resets_the_count(demo_user):
    user = demo_user("dangyuan")
    user.failed_logins = 5
    user.locked_until = timezone.now() - datetime.timedelta(seconds=1)
    user.save()
    client = Client()
    post_login(client, "dangyuan", WRONG)
    assert demo_user("dangyuan").failed_logins == 1  # an expired lock starts a new count
    assert not demo_user("dangyuan").is_locked()
    assert post_login(client, "dangyuan", DEMO_PASSWORD).status_code == 302
    assert demo_user("dangyuan").failed_logins == 0


def test_lockout_follows_the_setting(settings, demo_user):
    settings.TONGPIN = {**settings.TONGPIN, "LOGIN_MAX_FAILURES": 2}
    user = demo_user("shuji2")
    assert services.register_login_failure(user) is None
    assert services.register_login_failure(user) is not None
    assert demo_user("shuji2").is_locked()


def test_inactive_account_cannot_log_in(demo_user):
    user = demo_user("chuzhang")
    user.is_active = False
    user.save()
    client = Client()
    assert post_login(client, "chuzhang", DEMO_PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session


def test_pages_need_login():
    response = Client().get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
