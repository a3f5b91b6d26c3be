import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongpin.accounts import services
from tongpin.core.models import AuditEvent
from tongpin.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
NEW = "Xin-Mima-2026"


def change(client, new, old=DEMO_PASSWORD, confirm=None):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": confirm or new}
    )


@pytest.mark.parametrize(
    "new, expected",
    [
        ("Ab1!", "密码长度太短"),  # under 8 characters
        ("abcdefgh1", "大写字母、小写字母、数字和符号中至少 3 类"),  # 2 of 4 classes
        ("password", "这个密码太常见了"),
    ],
)
def test_password_policy_errors_are_chinese(client_as, new, expected):
    response = change(client_as("dangyuan"), new)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_wrong_old_password_and_reuse_are_refused(client_as):
    client = client_as("dangyuan")
    assert "旧密码不正确" in change(client, NEW, old="nope").content.decode()
    assert "新密码不能与原密码相同" in change(client, DEMO_PASSWORD).content.decode()


def test_change_records_date_clears_flag_and_is_audited(client_as, demo_user):
    user = demo_user("dangyuan")
    user.must_change_password = True
    user.password_changed_at = timezone.now() - datetime.timedelta(days=3)
    user.save()
    client = client_as("dangyuan")
    response = change(client, NEW)
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    user = demo_user("dangyuan")
    assert user.check_password(NEW) and not user.must_change_password
    assert (timezone.now() - user.password_changed_at).total_seconds() < 60
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT, detail__action="password_changed")
    assert event.username == "dangyuan" and NEW not in event.summary
    # the session survives the change
    assert client.get(reverse("home")).status_code == 200


def test_demo_users_are_not_forced_to_change(client_as):
    assert client_as("shuji").get(reverse("home")).status_code == 200


def test_expired_password_sends_the_user_to_change_it(client_as, demo_user, settings):
    user = demo_user("shuji")
    max_age = settings.TONGPIN["PASSWORD_MAX_AGE_DAYS"]
    assert max_age == 90
    user.password_changed_at = timezone.now() - datetime.timedelta(days=max_age + 1)
    user.save()
    client = client_as("shuji")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == CHANGE
    page = client.get(CHANGE)
    assert page.status_code == 200 and "密码已过期" in page.content.decode()
    api = client.get("/api/users/me/")
    assert api.status_code == 403 and "修改密码" in api.json()["detail"]
    # logging out stays possible
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_password_changed_within_the_age_is_not_due(demo_user, settings):
    user = demo_user("shuji")
    user.password_changed_at = timezone.now() - datetime.timedelta(days=89)
    assert not services.password_change_due(user)
    settings.TONGPIN = {**settings.TONGPIN, "PASSWORD_MAX_AGE_DAYS": 0}
    user.password_changed_at = timezone.now() - datetime.timedelta(days=1000)
    assert not services.password_change_due(user)


def test_reset_password_forces_a_change_at_next_login(client_as, demo_user):
    password = services.reset_password(demo_user("sysadmin"), demo_user("weiyuan"))
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "weiyuan", "password": password})
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == CHANGE
    assert "管理员" in client.get(CHANGE).content.decode()
    assert change(client, NEW, old=password).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_generated_passwords_pass_the_policy():
    from django.contrib.auth.password_validation import validate_password

    passwords = {services.generate_password() for _ in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        validate_password(password)
