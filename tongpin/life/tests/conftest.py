import datetime

import pytest
from django.utils import timezone

from tongpin.life.models import Meeting, MeetingKind, MeetingStatus
from tongpin.orgs.models import Organization


@pytest.fixture
def office(db):
    """办公室党支部 (shuji's branch, under 第一党总支)."""
    return Organization.objects.get(name="办公室党支部")


@pytest.fixture
def economy(db):
    """经济运行调节处党支部 (shuji2's branch, directly under the root)."""
    return Organization.objects.get(name="经济运行调节处党支部")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def theme_day_to_record(office, today):
    """The office's latest theme day: its date has passed, the demo left it for shuji to record."""
    return (
        Meeting.objects.filter(
            organization=office,
            kind=MeetingKind.THEME_DAY,
            status=MeetingStatus.PLANNED,
            planned_on__lte=today,
        )
        .order_by("-planned_on")
        .first()
    )


@pytest.fixture
def demo_year(today):
    """The year the demo holds a full record of (tongpin.life.demo.record_year)."""
    from tongpin.life.demo import record_year

    return record_year(today)


@pytest.fixture
def clean_year():
    """A year the demo holds no meetings in, for tests that build their own."""
    return timezone.localdate().year - 3


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
