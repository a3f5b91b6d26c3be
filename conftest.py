"""Shared fixtures: the demo agency is loaded once per test session and every test runs in a
transaction that is rolled back, so tests can use the demo accounts by name (as the README and
the browser tests do): ``demo_user("shuji")``, ``client_as("dangwei")``."""

import pytest
from django.test import Client

from tongpin.demo.services import load_demo


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def demo_user(db):
    from tongpin.accounts.models import User

    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def client_as(db, demo_user):
    """A test client logged in as a demo user (the session goes through the real login)."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(demo_user(username))
        return client

    return make


@pytest.fixture
def api_as(db, demo_user):
    from rest_framework.test import APIClient

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(demo_user(username))
        return client

    return make


@pytest.fixture
def other_staff(db):
    """A second agency committee staff account (the demo has one): whoever reports an item
    never verifies it (core.loops), so tests of a staff-entered report need a colleague."""
    from tongpin.accounts.models import Role, RoleAssignment, User
    from tongpin.orgs.models import Organization

    user = User.objects.create_user(username="dangwei_colleague", password=None)
    RoleAssignment.objects.create(
        user=user, role=Role.AGENCY_STAFF, organization=Organization.objects.get(depth=1)
    )
    return user
