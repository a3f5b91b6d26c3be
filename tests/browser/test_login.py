"""Logging in and out through the real pages, in Chinese, at phone and desktop size."""

import re
from urllib.parse import urlsplit

import pytest

from .pages import login, logout

CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.browser


def test_secretary_logs_in_sees_chinese_home_and_logs_out(page):
    login(page, "shuji")

    assert urlsplit(page.url).path == "/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "同频" in page.title()
    body = page.locator("main").inner_text()
    assert CJK.search(body), body
    assert "Welcome" not in body and "Log out" not in page.content()

    logout(page)
    assert "/accounts/login/" in page.url
    assert page.locator('input[name="password"]').is_visible()
    assert "登录" in page.locator("body").inner_text()


def test_wrong_password_shows_a_chinese_error(page):
    login(page, "shuji", "not-the-password")

    assert "/accounts/login/" in page.url
    error = page.locator(".alert-danger, .errorlist, .invalid-feedback, [role=alert]").first
    error.wait_for()
    assert CJK.search(error.inner_text()), error.inner_text()
    assert page.locator('input[name="password"]').is_visible()
