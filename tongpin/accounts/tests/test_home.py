"""The landing page and the menu entries accounts registers for each role."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MENU = {
    "sysadmin": {"账号管理"},
    "secadmin": {"角色授权"},
    "auditor": {"审计日志", "变更记录"},
}
ADMIN_ITEMS = {"账号管理", "角色授权", "审计日志", "变更记录"}


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor", "shuji", "dangyuan"])
def test_home_shows_the_role_and_only_its_menu(client_as, username):
    response = client_as(username).get(reverse("home"))
    assert response.status_code == 200
    labels = {str(entry.label) for entry in response.context["nav_entries"]}
    assert "个人中心" in labels
    assert labels & ADMIN_ITEMS == MENU.get(username, set())
    text = response.content.decode()
    assert "欢迎" in text


def test_home_greets_with_roles(client_as):
    text = client_as("shuji").get(reverse("home")).content.decode()
    assert "党支部书记 · 办公室党支部" in text
    text = client_as("auditor").get(reverse("home")).content.decode()
    assert "安全审计员" in text and "不能编辑" in text
