"""Browser-test harness: Debian's chromium driven by Playwright against a real Tongpin server.

The server is a subprocess (``tongpin serve``) with its own data: a temporary
``TONGPIN_VAR_DIR`` holding an SQLite database, or, when ``DATABASE_URL`` is set (the PostgreSQL
pass of CI), a database of its own that this harness creates and drops, never pytest-django's
test database. It is migrated, loaded with the demo agency and given its static files before it
starts. Browser tests never touch the ORM: they talk to the server over HTTP, and ask it for ids
through ``tongpin shell`` (``server.query``), so Playwright's event loop never meets Django's
async-safety check. Playwright itself lives only as long as one test module for the same reason.

No browser is ever downloaded: ``scripts/ensure-chromium.sh`` installs Debian's package.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
TONGPIN = str(Path(sys.executable).with_name("tongpin"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
VIEWPORTS = {
    "phone": {"width": 375, "height": 812},
    "desktop": {"width": 1366, "height": 900},
}
START_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class TongpinServer:
    """A running ``tongpin serve`` with its own database; ``url`` has no trailing slash."""

    url: str
    env: dict = field(repr=False)
    log: Path

    def run(self, *args: str, timeout: float = 120) -> str:
        """Run a ``tongpin`` subcommand against the server's data and return its output."""
        result = subprocess.run(
            [TONGPIN, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            raise AssertionError(
                f"tongpin {' '.join(args)} failed ({result.returncode}):\n{result.stderr}"
            )
        return result.stdout

    def query(self, code: str):
        """Evaluate Python in ``tongpin shell`` against the server's database.

        ``code`` must assign the answer to ``result``; it comes back through JSON.
        """
        script = f"import json\n{code}\nprint('@@' + json.dumps(result, default=str))"
        output = self.run("shell", "--no-imports", "-c", script)
        line = next(line for line in output.splitlines() if line.startswith("@@"))
        return json.loads(line[2:])


def _database_env(base_url: str) -> tuple[str, str, str]:
    """(server database URL, admin URL, database name) for the PostgreSQL pass."""
    name = f"tongpin_browser_{os.getpid()}"
    parts = urlsplit(base_url)
    return (
        parts._replace(path=f"/{name}").geturl(),
        parts._replace(path="/postgres").geturl(),
        name,
    )


def _admin_sql(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tongpin serve exited ({process.returncode}):\n{log.read_text()}")
        try:
            urllib.request.urlopen(url + "/static/tongpin/tongpin.css", timeout=2).close()  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"tongpin serve did not answer within {START_TIMEOUT}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def tongpin_server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("browser-var")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TONGPIN_")}
    env.update(
        TONGPIN_VAR_DIR=str(var_dir),
        TONGPIN_CONFIG=str(var_dir / "tongpin.toml"),  # none: defaults only
        DJANGO_SETTINGS_MODULE="tongpin.settings",
        PYTHONUNBUFFERED="1",
    )
    admin_url = database_name = None
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"], admin_url, database_name = _database_env(os.environ["DATABASE_URL"])
        _admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')
        _admin_sql(admin_url, f'CREATE DATABASE "{database_name}"')

    log = var_dir / "server.log"
    port = _free_port()
    server = TongpinServer(url=f"http://127.0.0.1:{port}", env=env, log=log)
    process = None
    try:
        server.run("migrate", "--no-input", "--verbosity", "0")
        server.run("demo")
        server.run("collectstatic", "--no-input", "--verbosity", "0")
        with log.open("w") as out:
            process = subprocess.Popen(
                [TONGPIN, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_until_up(server.url, process, log)
        yield server
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
        if database_name:
            _admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module (Playwright's loop is gone before the next module runs)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, tongpin_server, viewport, request):
    """A fresh browser context at phone or desktop size; a screenshot is saved after the test."""
    context = browser.new_context(
        base_url=tongpin_server.url,
        viewport=VIEWPORTS[viewport],
        locale="zh-CN",
        accept_downloads=True,
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # a missing asset is an error; a document may be a 404 on purpose, a download is aborted
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and errors.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    page.on(
        "requestfailed",
        lambda req: (
            "ERR_ABORTED" not in (req.failure or "")
            and errors.append(f"request failed: {req.url} ({req.failure})")
        ),
    )
    try:
        yield page
        assert not errors, "the browser saw errors:\n" + "\n".join(errors)
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(_screenshot_name(request)), full_page=True)
        except Exception as error:  # noqa: BLE001 — a failed screenshot must not hide the failure
            print(f"screenshot failed: {error}", file=sys.stderr)
        context.close()


def _screenshot_name(request, label: str = "") -> Path:
    name = request.node.name.replace("[", "-").replace("]", "").replace("/", "_")
    return SCREENSHOTS / f"{name}{'-' + label if label else ''}.png"


@pytest.fixture
def screenshot(page, request):
    """``screenshot("label")`` saves the page now, beside the one taken after the test."""

    def take(label: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(_screenshot_name(request, label)), full_page=True)

    return take


def pytest_collection_modifyitems(config, items):
    """Browser tests last: the ORM tests never run while a browser module is open."""
    browser_dir = Path(__file__).parent
    items.sort(key=lambda item: Path(str(item.path)).is_relative_to(browser_dir))
