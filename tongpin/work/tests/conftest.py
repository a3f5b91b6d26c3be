import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def org():
    from tongpin.orgs.models import Organization

    return lambda name: Organization.objects.get(name=name)


@pytest.fixture
def root(db):
    from tongpin.orgs.models import Organization

    return Organization.objects.get(depth=1)


@pytest.fixture
def new_task(db, demo_user, today, year):
    """Make a party task through the service, as committee staff unless told otherwise."""
    from tongpin.work import services
    from tongpin.work.models import TaskCategory

    def make(organization, title="测试任务", *, user="dangwei", days=30, goals=(), owner=None):
        return services.create_task(
            user=demo_user(user),
            organization=organization,
            year=year,
            title=title,
            category=TaskCategory.POLITICAL,
            deadline=today + datetime.timedelta(days=days),
            goals=goals,
            owner=owner,
        )

    return make


@pytest.fixture
def year(today):
    """The demo plan's year (services.working_year: in January, still the past year)."""
    from tongpin.work import services

    return services.working_year(today)
