"""Steps the browser tests share."""

from tongpin.demo.services import DEMO_PASSWORD


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real login form."""
    response = page.goto("/accounts/login/")
    assert response is not None and response.ok, f"login page: HTTP {response and response.status}"
    form = page.locator("form").filter(has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    form.locator('[type="submit"]').click()
    page.wait_for_load_state()


def logout(page) -> None:
    page.locator('form[action$="/accounts/logout/"] [type="submit"]').click()
    page.wait_for_load_state()
