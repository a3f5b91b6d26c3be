"""Registries that lower layers offer and domains fill in their ``AppConfig.ready()``.

A module registers what it knows (health checks, indicators, searchable texts, navigation);
consumers (the health-check page, assessment, search, dashboards) iterate the registry, so adding
a module never edits its consumers.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One breach of a rule found by a health check."""

    rule: str  # id in rules.md, e.g. "ORG-01"
    severity: str  # "error" (a breach) or "warning" (approaching one / needs approval)
    message: str  # Chinese, shown as is
    organization_id: int | None = None
    department_id: int | None = None
    member_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "organization_id": self.organization_id,
            "department_id": self.department_id,
            "member_id": self.member_id,
        }


@dataclass
class Registry:
    name: str
    items: dict[str, object] = field(default_factory=dict)

    def register(self, key: str, item: object) -> None:
        if key in self.items:
            raise ValueError(f"{self.name}: {key} is registered twice")
        self.items[key] = item

    def __iter__(self):
        return iter(self.items.items())


# Each health check is ``check(today, org_queryset) -> Iterable[Finding]`` where
# org_queryset is already restricted to the caller's scope.
HealthCheck = Callable[..., Iterable[Finding]]
health_checks = Registry("health_checks")


@dataclass(frozen=True)
class NavEntry:
    label: str  # lazy translation
    url_name: str
    icon: str = ""  # bootstrap-icons name
    order: int = 100
    visible: Callable = lambda user: True  # noqa: E731
    # the menu heading; empty: the registering app's name (the key's prefix)
    section: str = ""


# Main menu: each app registers its entries in ready()
navigation = Registry("navigation")

# Scope contributors: key -> ``contribute(user, action) -> Scope``; core.scoping unions them.
scope_contributors = Registry("scope_contributors")

# Demo data of later modules: key -> ``load(*, today, seed)``, called by the demo agency loader
# after the tree, roster and accounts exist (in registration order, i.e. INSTALLED_APPS order).
demo_loaders = Registry("demo_loaders")

# Route declarations for the permission walk live in tests (tongpin/<app>/tests/routes.py).

# Searchable texts: key -> a source with ``queryset()`` (the rows to index), ``title(obj)``,
# ``text(obj)``, ``organization(obj)``, ``url(obj)``; optional attributes ``public`` (members of
# the organization read it; default True) and ``inherited`` (the organizations below read it too,
# e.g. a library material of the agency committee; default False). The study app indexes them.
search_sources = Registry("search_sources")

# Computed indicators: key -> an object with ``label``, ``rule`` (rules.md id or "") and
# ``compute(organizations, period_start, period_end) -> {org_id: (score 0-100, evidence)}``, the
# evidence a list of (content type label, object id, text). Assessment iterates it (never logins,
# page views, time online, points, likes or check-ins: rules.md, 为基层减负).
indicators = Registry("indicators")

# Who acts for an organization: key -> ``users(organization) -> iterable of users`` holding a
# role on it (the accounts app: its secretaries and committee members; for the top organization
# also the agency committee staff). The closed loop (core.loops) notifies them.
organization_users = Registry("organization_users")


@dataclass(frozen=True)
class SupervisionRow:
    """One item on the supervision page (督办) from any module: overdue, or awaiting the
    verification of the user's level."""

    kind: str  # what it is, e.g. "党建任务", "整改问题" (translated label)
    title: str
    organization: object  # orgs.Organization acting on the item
    deadline: object  # datetime.date or None
    stage: str  # stage or state label, shown as is
    url: str = ""
    overdue: bool = False
    awaiting_verification: bool = False


# Supervision sources: key -> ``rows(user, today) -> list[SupervisionRow]`` of items the user
# reaches that are overdue or await their verification. Work's supervision page lists them all,
# so a new module's items (rectification, complaints) appear there without editing work.
supervision_sources = Registry("supervision_sources")
