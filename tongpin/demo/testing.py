"""The permission walk's vocabulary: who is expected to reach what in the demo agency.

Each app declares its routes in ``tongpin/<app>/tests/routes.py`` as ``ROUTES = [Route(...)]``;
``tests/test_permission_walk.py`` walks every URL pattern as every demo account and fails on a
route nobody declared, so a new page cannot ship without saying who may open it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
PLATFORM_ADMINS = frozenset({"sysadmin", "secadmin", "auditor"})
DOMAIN_USERS = frozenset(
    {"dangwei", "zongzhi", "shuji", "weiyuan", "dangyuan", "shuji2", "lingdao", "chuzhang"}
)
ALL_USERS = PLATFORM_ADMINS | DOMAIN_USERS
EVERYONE = ALL_USERS | {ANONYMOUS}

# what each demo account reaches, by the scoping rules (accounts/scopes.py, members/scopes.py)
AGENCY_WIDE_VIEW = frozenset({"dangwei", "lingdao"})
AGENCY_WIDE_CHANGE = frozenset({"dangwei"})
# an object of 办公室党支部 (under 第一党总支) that is not personal to a member or department
OFFICE_VIEW = AGENCY_WIDE_VIEW | {"zongzhi", "shuji", "weiyuan"}
OFFICE_CHANGE = AGENCY_WIDE_CHANGE | {"zongzhi", "shuji", "weiyuan"}
# a public object of 办公室党支部 (the branch itself, its committee): its members read it too
OFFICE_PUBLIC_VIEW = OFFICE_VIEW | {"dangyuan"}
# users holding some change scope (may open import pages, create forms)
ANY_CHANGE = frozenset({"dangwei", "zongzhi", "shuji", "weiyuan", "shuji2"})


@dataclass(frozen=True)
class Route:
    """Who may GET and who may POST one named URL.

    ``get``/``post``: the accounts allowed (``None``: the method is not served; any refusal
    status is accepted but never success). ``kwargs``: builds the URL arguments from demo data.
    ``get_ok``: the success statuses of an allowed GET (a download is 200 too).
    """

    name: str
    get: frozenset | None = None
    post: frozenset | None = None
    kwargs: Callable[[], dict] = field(default=lambda: {})
    get_ok: tuple = (200,)
    # a text only ``secret_view`` may see in the page (e.g. an office member's name in a list)
    secret: Callable[[], str] | None = None
    secret_view: frozenset = frozenset()
    note: str = ""


# ---- demo objects the routes point at --------------------------------------------------


def office_branch():
    from tongpin.orgs.models import Organization

    return Organization.objects.get(name="办公室党支部")


def office_member():
    """A member of 办公室党支部 with no account and outside chuzhang's department."""
    from tongpin.members.models import Member

    return (
        Member.objects.filter(
            branch=office_branch(), user__isnull=True, committee_posts__isnull=True
        )
        .order_by("pk")
        .first()
    )


def office_term():
    return office_branch().terms.order_by("pk").first()


def office_post():
    return office_branch().committee_posts.order_by("pk").first()


def root_organization():
    from tongpin.orgs.models import Organization

    return Organization.objects.get(depth=1)


def some_department():
    from tongpin.orgs.models import Department

    return Department.objects.get(name="办公室")


def some_user():
    from tongpin.accounts.models import User

    return User.objects.get(username="dangyuan")


def office_transfer():
    """A transfer out of 办公室党支部 into 第一党总支's 政策法规处党支部 (made on demand)."""
    from tongpin.members.models import Transfer

    return Transfer.objects.filter(from_branch=office_branch()).first()


def some_audit_event():
    from tongpin.core.models import AuditEvent

    return AuditEvent.objects.order_by("pk").first()


def pk_of(getter):
    return lambda: {"pk": getter().pk}
