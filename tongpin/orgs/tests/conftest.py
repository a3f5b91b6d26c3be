import pytest

from tongpin.orgs.models import Department, Organization


@pytest.fixture
def org(db):
    """An organization of the demo agency by name: ``org("办公室党支部")``."""

    def get(name: str) -> Organization:
        return Organization.objects.get(name=name)

    return get


@pytest.fixture
def office(org):
    """办公室党支部: shuji's branch, under 第一党总支 (zongzhi's)."""
    return org("办公室党支部")


@pytest.fixture
def economy(org):
    """经济运行调节处党支部: shuji2's branch, directly under the root."""
    return org("经济运行调节处党支部")


@pytest.fixture
def root(db):
    return Organization.objects.get(depth=1)


@pytest.fixture
def department(db):
    def get(name: str) -> Department:
        return Department.objects.get(name=name)

    return get


@pytest.fixture
def frame_queries(db):
    """Queries every page of the user pays for the frame (session, account, scopes, menu),
    measured on the home page; pages pin their own queries on top of it, so another app's
    menu entry does not break this app's pins."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client) -> int:
        client.get("/")  # settle the session first
        with CaptureQueriesContext(connection) as context:
            client.get("/")
        return len(context.captured_queries)

    return count
