"""One ``restrict(user, action)`` for every page, API endpoint, export and report.

A user's roles give a :class:`Scope` for an action (``view`` or ``change``); a model says with a
:class:`ScopeSpec` how its rows hang on the organization tree. ``restrict`` joins the two into one
filter, so no view can forget scoping (NetBox's RestrictedQuerySet, with the tree as the axis).
"""

from dataclasses import dataclass, field

from django.db.models import Q

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)


@dataclass(frozen=True)
class Scope:
    """What a user may reach for one action.

    ``org_paths``: treebeard paths of subtrees the user reaches in full;
    ``public_org_paths``: subtrees whose *public* records (organizations, notices, meetings)
    the user reaches, e.g. an ordinary member's own branch;
    ``department_ids``: departments whose records the user reaches (department heads);
    ``user_id``: records tied to the user themself (a member's own record).
    """

    everything: bool = False
    org_paths: frozenset[str] = field(default_factory=frozenset)
    public_org_paths: frozenset[str] = field(default_factory=frozenset)
    department_ids: frozenset[int] = field(default_factory=frozenset)
    user_id: int | None = None

    @classmethod
    def nothing(cls) -> "Scope":
        return cls()

    def covers_path(self, path: str, public: bool = False) -> bool:
        if self.everything:
            return True
        roots = self.org_paths | (self.public_org_paths if public else frozenset())
        return any(path.startswith(root) for root in roots)


@dataclass(frozen=True)
class ScopeSpec:
    """How a model's rows hang on the tree.

    ``org``: lookup path to an ``orgs.Organization`` ("" for Organization itself, None if none),
    or a tuple of paths when a row belongs to several organizations (a transfer: from and to);
    ``department``: lookup path to an ``orgs.Department``;
    ``user``: lookup path to the user a row belongs to;
    ``public``: whether members of an organization may read the row (not personal data);
    ``readers``: lookup path to further organizations that read (never change) the row, e.g. the
    organizations a directive is deployed to; it may cross a many-to-many, so it is matched by a
    subquery and never duplicates rows.
    """

    org: str | tuple[str, ...] | None = None
    department: str | None = None
    user: str | None = None
    public: bool = False
    readers: str | None = None


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def minimal_roots(paths) -> frozenset[str]:
    """Drop paths that lie inside another path of the set (fewer OR terms)."""
    ordered = sorted(set(paths), key=len)
    kept: list[str] = []
    for path in ordered:
        if not any(path.startswith(root) for root in kept):
            kept.append(path)
    return frozenset(kept)


def scope_filter(spec: ScopeSpec, scope: Scope) -> Q | None:
    """The Q that keeps what ``scope`` reaches of a model with ``spec``; None means everything."""
    if scope.everything:
        return None
    condition = Q(pk__in=[])
    if spec.org is not None:
        roots = minimal_roots(
            scope.org_paths | (scope.public_org_paths if spec.public else frozenset())
        )
        org_paths = (spec.org,) if isinstance(spec.org, str) else spec.org
        for org_path in org_paths:
            for root in roots:
                condition |= Q(**{f"{_prefix(org_path)}path__startswith": root})
    if spec.department is not None and scope.department_ids:
        condition |= Q(**{f"{spec.department}__in": sorted(scope.department_ids)})
    if spec.user is not None and scope.user_id is not None:
        condition |= Q(**{spec.user: scope.user_id})
    return condition


def union(scopes) -> Scope:
    scopes = list(scopes)
    user_ids = {s.user_id for s in scopes if s.user_id is not None}
    return Scope(
        everything=any(s.everything for s in scopes),
        org_paths=frozenset().union(*(s.org_paths for s in scopes)),
        public_org_paths=frozenset().union(*(s.public_org_paths for s in scopes)),
        department_ids=frozenset().union(*(s.department_ids for s in scopes)),
        user_id=user_ids.pop() if user_ids else None,
    )


def scope_of(user, action: str) -> Scope:
    """The union of what every registered contributor grants ``user`` for ``action``.

    Contributors (``core.registry.scope_contributors``) are filled by the apps that know roles:
    ``accounts`` (role assignments) and ``members`` (a member's own record and branch). The
    result is cached on the user object, which lives for one request.
    """
    from .registry import scope_contributors

    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.nothing()
    cache = user.__dict__.setdefault("_tongpin_scopes", {})
    if action not in cache:
        if user.is_superuser:
            cache[action] = Scope(everything=True)
        else:
            cache[action] = union(contribute(user, action) for _, contribute in scope_contributors)
    return cache[action]


def forget_scopes(user) -> None:
    user.__dict__.pop("_tongpin_scopes", None)


def restrict(queryset, user, action: str = VIEW):
    spec: ScopeSpec | None = getattr(queryset.model, "scope_spec", None)
    if spec is None:
        raise TypeError(f"{queryset.model.__name__} declares no scope_spec")
    scope = scope_of(user, action)
    condition = scope_filter(spec, scope)
    if condition is None:
        return queryset
    if spec.readers and action == VIEW:
        roots = minimal_roots(
            scope.org_paths | (scope.public_org_paths if spec.public else frozenset())
        )
        if roots:
            read = Q(pk__in=[])
            for root in roots:
                read |= Q(**{f"{spec.readers}__path__startswith": root})
            condition |= Q(pk__in=queryset.model._base_manager.filter(read).values("pk"))
    return queryset.filter(condition)


def can_reach(user, organization, action: str = CHANGE) -> bool:
    """Whether ``user`` may act on ``organization`` (for creating rows under it)."""
    return scope_of(user, action).covers_path(organization.path)


def require_reach(user, organization, action: str = CHANGE) -> None:
    from django.core.exceptions import PermissionDenied

    if organization is None or not can_reach(user, organization, action):
        raise PermissionDenied


def looks_after_organizations(user) -> bool:
    """Whether ``user`` reads a subtree (committee staff, secretaries, committee members,
    leaders), not only their own record and branch (ordinary members, department heads)."""
    from .roles import is_domain_user

    if not is_domain_user(user):
        return False
    scope = scope_of(user, VIEW)
    return scope.everything or bool(scope.org_paths)
