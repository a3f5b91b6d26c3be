"""The generic permission walk (style.md): every URL and API route, as every demo account.

For each route declared in an app's ``tests/routes.py``:
- an allowed GET succeeds, a refused one gets 403/404 (anonymous: sent to the login page or 401/403);
- a refused POST gets 400/403/404/405 and writes nothing to the database (its SQL is read);
- an allowed POST with empty or garbage data never causes a server error;
- a page's secret (e.g. another branch's member) never shows to an account outside its scope.
It fails on any route that no app declared, and on declarations of routes that do not exist.
"""

import importlib
import pkgutil
import re
from urllib.parse import urlencode

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tongpin
from tongpin.core.models import AuditEvent
from tongpin.demo.testing import ANONYMOUS, EVERYONE, Route

REFUSED = {403, 404}
REFUSED_POST = {400, 403, 404, 405}  # 400: the data was refused before any change
ANONYMOUS_REFUSED = {302, 401, 403}
GARBAGE = {"page": "zz", "org": "abc", "q": "'\" <script>", "status": "nope", "pk": "-1"}


def declared_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for module in pkgutil.iter_modules(tongpin.__path__):
        try:
            declared = importlib.import_module(f"tongpin.{module.name}.tests.routes")
        except ModuleNotFoundError:
            continue
        for route in declared.ROUTES:
            assert route.name not in routes, f"{route.name} declared twice"
            routes[route.name] = route
    return routes


def url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"unnamed URL pattern {pattern.pattern} cannot be walked"
            names.add(namespace + pattern.name)
    return names


ROUTES = declared_routes()


def test_every_route_is_declared():
    existing = url_names()
    unknown = sorted(existing - set(ROUTES))
    assert not unknown, "routes nobody declared in a tests/routes.py: " + ", ".join(unknown)
    stale = sorted(set(ROUTES) - existing)
    assert not stale, "declared routes that do not exist: " + ", ".join(stale)


def _clients(demo_user):
    clients = {ANONYMOUS: Client()}
    for username in sorted(EVERYONE - {ANONYMOUS}):
        client = Client()
        client.force_login(demo_user(username))
        clients[username] = client
    return clients


# a refused request may still log in, save its session and write its audit event
ALLOWED_WRITES = (Session._meta.db_table, AuditEvent._meta.db_table)
WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE)


def _writes(queries) -> list[str]:
    """Tables written by the captured SQL, other than the ones a refusal may write."""
    tables = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(2) not in ALLOWED_WRITES:
            tables.append(match.group(2))
    return tables


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES), ids=str)
def test_route_access(name, demo_user):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs())
    secret = route.secret() if route.secret else None
    problems = []
    for username, client in _clients(demo_user).items():
        # GET -------------------------------------------------------------------------
        response = client.get(url)
        status = response.status_code
        if route.get is None:
            if (status in route.get_ok and status != 405) or status >= 500:
                problems.append(f"GET as {username}: {status}, but GET is not served")
        elif username in route.get:
            if status not in route.get_ok:
                problems.append(f"GET as {username}: {status}, expected {route.get_ok}")
            elif (
                secret
                and username not in route.secret_view
                and secret in response.content.decode("utf-8", "replace")
            ):
                problems.append(f"GET as {username}: shows {secret!r} outside its scope")
            garbage = client.get(f"{url}?{urlencode(GARBAGE)}")
            if garbage.status_code >= 500:
                problems.append(f"GET with garbage query as {username}: {garbage.status_code}")
        else:
            expected = ANONYMOUS_REFUSED if username == ANONYMOUS else REFUSED
            if status not in expected:
                problems.append(f"GET as {username}: {status}, expected one of {sorted(expected)}")
        # POST ------------------------------------------------------------------------
        allowed_post = route.post is not None and username in route.post
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {"name": "", "reason": "", "x": "<>"})
        status = response.status_code
        if allowed_post:
            if status >= 500:
                problems.append(f"POST (empty data) as {username}: {status}")
        else:
            if username == ANONYMOUS:
                # a method the route does not serve may be refused before the login check
                expected = ANONYMOUS_REFUSED | ({405} if route.post is None else set())
            else:
                expected = REFUSED_POST
            if status not in expected:
                problems.append(f"POST as {username}: {status}, expected one of {sorted(expected)}")
            written = _writes(captured.captured_queries)
            if written:
                problems.append(f"refused POST as {username} wrote to {sorted(set(written))}")
    assert not problems, f"{name} ({url}):\n" + "\n".join(problems)
