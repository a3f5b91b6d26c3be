import pytest

from tongpin.members.models import Member
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
def office_member(office, demo_user):
    """An ordinary member of 办公室党支部 with no account."""
    return (
        Member.objects.filter(branch=office, user__isnull=True, committee_posts__isnull=True)
        .order_by("pk")
        .first()
    )


@pytest.fixture
def economy_member(economy):
    return Member.objects.filter(branch=economy, user__isnull=True).order_by("pk").first()


@pytest.fixture
def without_menu(monkeypatch):
    """An empty main menu: the menu's entries belong to every app and cost their own queries,
    so the counts pinned here are the members pages' own (plus session and login)."""
    from tongpin.core.registry import navigation

    monkeypatch.setattr(navigation, "items", {})
