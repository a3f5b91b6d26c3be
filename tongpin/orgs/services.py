"""Actions on the organization tree and the queries behind its pages.

Each action runs in one transaction and leaves a trace (the change history; the audit log for
moves). Views, the API and the command line call these, so a form and an API call are judged by
the same rules.
"""

import datetime
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tongpin.core.audit import record_event
from tongpin.core.models import AuditEvent
from tongpin.core.registry import health_checks
from tongpin.core.scoping import CHANGE, VIEW, minimal_roots, require_reach, scope_of

from . import roster
from .models import (
    ALLOWED_PARENTS,
    Department,
    Organization,
    OrganizationMove,
    OrgKind,
    Term,
    add_years,
    term_status,
)

STEP = Organization.steplen


def create_organization(*, parent: Organization | None, **fields) -> Organization:
    organization = Organization(**fields)
    organization.validate_parent(parent)
    if parent is None:
        return Organization.objects.add_root(instance=organization)
    return Organization.objects.add_child(parent, instance=organization)


@transaction.atomic
def move_organization(
    organization: Organization, new_parent: Organization, *, user, reason: str
) -> OrganizationMove:
    """Move a subtree under ``new_parent``; members keep their branch, the move is recorded."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for the move."))
    scope = scope_of(user, CHANGE)
    if not (scope.covers_path(organization.path) and scope.covers_path(new_parent.path)):
        raise PermissionError(_("Both the organization and its new parent must be in your scope."))
    if new_parent.path.startswith(organization.path):
        raise ValidationError(_("An organization cannot move under itself."))
    organization.validate_parent(new_parent)
    old_parent = Organization.objects.get_parent(organization)
    old_path = organization.path
    Organization.objects.move(organization, new_parent, pos="last-child")
    organization.refresh_from_db()
    # treebeard moves with bulk updates; save once so the change history holds the new place
    organization._change_reason = _("Moved from %(old)s to %(new)s: %(reason)s") % {
        "old": old_parent,
        "new": new_parent,
        "reason": reason,
    }
    organization.save()
    move = OrganizationMove.objects.create(
        organization=organization,
        from_parent=old_parent,
        to_parent=new_parent,
        from_path=old_path,
        moved_by=user,
        reason=reason,
    )
    record_event(
        AuditEvent.Kind.MOVE,
        user=user,
        obj=organization,
        summary=f"{organization} : {old_parent} → {new_parent}",
        detail={"reason": reason, "from_path": old_path, "to_path": organization.path},
    )
    return move


def run_health_checks(organizations, today) -> list:
    """Every registered check over ``organizations`` (already restricted), sorted by rule."""
    findings = []
    for _key, check in health_checks:
        findings.extend(check(today=today, organizations=organizations))
    return sorted(findings, key=lambda f: (f.rule, f.severity != "error", f.message))


# ---- scope ------------------------------------------------------------------------------------


def can_change(user, organization: Organization) -> bool:
    return scope_of(user, CHANGE).covers_path(organization.path)


def is_agency_staff(user) -> bool:
    """Whether the user may change everything (the agency committee's own staff)."""
    return scope_of(user, CHANGE).everything


def parent_path(path: str) -> str:
    return path[:-STEP]


# ---- tree -------------------------------------------------------------------------------------


def children_condition(paths) -> Q:
    """Organizations standing directly under any of ``paths``."""
    paths = list(paths)
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(path__startswith=p, depth=len(p) // STEP + 1) for p in paths))


def tree_nodes(user, today: datetime.date, expand: Organization | None = None):
    """The top of the tree the user sees, with the first level and ``expand``'s branch open.

    Returns the root nodes; each node has ``kids`` (a list, or None when not loaded yet).
    Two queries: the visible paths, then the shown nodes with their counts.
    """
    visible = Organization.objects.restrict(user, VIEW)
    paths = list(visible.values_list("path", flat=True))
    roots = sorted(minimal_roots(paths))
    open_paths = set(roots)
    if expand is not None:
        # the ancestors of the node asked for (those the user sees) and the node itself
        open_paths |= {
            expand.path[:i]
            for i in range(STEP, len(expand.path) + 1, STEP)
            if expand.path[:i] in set(paths)
        }
    nodes = list(
        roster.with_counts(
            visible.filter(Q(path__in=roots) | children_condition(open_paths)), today
        ).order_by("path")
    )
    by_path = {node.path: node for node in nodes}
    for node in nodes:
        node.kids = [] if node.path in open_paths and node.numchild else None
        node.term_state = _term_state(node, today)
    for node in nodes:
        parent = by_path.get(parent_path(node.path))
        if parent is not None and node.path not in roots and parent.kids is not None:
            parent.kids.append(node)
    return [by_path[p] for p in roots if p in by_path]


def child_nodes(user, organization: Organization, today: datetime.date):
    """The visible children of ``organization`` with their counts (one query)."""
    nodes = list(
        roster.with_counts(
            Organization.objects.restrict(user, VIEW).filter(
                children_condition([organization.path])
            ),
            today,
        )
    )
    for node in nodes:
        node.kids = None
        node.term_state = _term_state(node, today)
    return nodes


def _term_state(node, today) -> str:
    """ORG-05 state of the node's current term: ok/expiring/overdue, "missing" or "" (groups)."""
    if node.kind == OrgKind.GROUP:
        return ""
    return term_status(node.term_end, today) if node.term_end else "missing"


def search_organizations(user, text: str, limit: int = 50):
    text = (text or "").strip()[:50]
    if not text:
        return []
    return list(
        Organization.objects.restrict(user, VIEW)
        .filter(Q(name__icontains=text) | Q(short_name__icontains=text))
        .order_by("path")[:limit]
    )


def visible_ancestors(user, organization: Organization) -> list[Organization]:
    """The parent chain down to ``organization``, as far up as the user may see."""
    paths = [organization.path[:i] for i in range(STEP, len(organization.path), STEP)]
    return list(Organization.objects.restrict(user, VIEW).filter(path__in=paths).order_by("path"))


def tree_rows(user, today: datetime.date):
    """Rows of the tree export: every visible organization with its counts and secretary."""
    organizations = list(
        roster.with_counts(Organization.objects.restrict(user, VIEW), today, secretary=True)
    )
    names = {o.path: o.name for o in organizations}
    for org in organizations:
        org.parent_name = names.get(parent_path(org.path), "")
    return organizations


def departments_for(user):
    return roster.department_member_counts(
        Department.objects.restrict(user, VIEW).select_related("branch")
    )


def covered_departments(user, organization: Organization):
    return departments_for(user).filter(branch__path__startswith=organization.path)


def parent_choices(user, organization: Organization):
    """Where ``organization`` may move: organizations of an allowed kind in the user's CHANGE
    scope, outside its own subtree, other than its current parent."""
    kinds = [k for k in ALLOWED_PARENTS[OrgKind(organization.kind)] if k is not None]
    return (
        Organization.objects.restrict(user, CHANGE)
        .filter(kind__in=kinds, is_active=True)
        .exclude(path__startswith=organization.path)
        .exclude(path=parent_path(organization.path))
    )


# ---- actions ----------------------------------------------------------------------------------


@transaction.atomic
def add_child(parent: Organization, *, user, **fields) -> Organization:
    """A new organization under ``parent`` (which must be in the user's CHANGE scope)."""
    require_reach(user, parent, CHANGE)
    organization = Organization(**fields)
    organization.validate_parent(parent)
    organization.full_clean(exclude=["path", "depth", "numchild"])
    return create_organization(parent=parent, **fields)


ORGANIZATION_FIELDS = (
    "name",
    "short_name",
    "is_joint",
    "is_temporary",
    "is_active",
    "established_on",
    "note",
)


def flag_errors(kind: str, is_joint: bool, is_temporary: bool) -> dict:
    """Rule ORG-02: joint and temporary are kinds of branch."""
    errors = {}
    if kind != OrgKind.BRANCH:
        if is_joint:
            errors["is_joint"] = _("Only a branch can be a joint branch.")
        if is_temporary:
            errors["is_temporary"] = _("Only a branch can be a temporary branch.")
    return errors


@transaction.atomic
def update_organization(organization: Organization, *, user, **fields) -> Organization:
    require_reach(user, organization, CHANGE)
    for name, value in fields.items():
        if name not in ORGANIZATION_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(organization, name, value)
    errors = flag_errors(organization.kind, organization.is_joint, organization.is_temporary)
    if errors:
        raise ValidationError(errors)
    organization.full_clean(exclude=["path", "depth", "numchild"])
    organization.save()
    return organization


def default_term_end(organization: Organization, elected_on: datetime.date) -> datetime.date:
    """Rule ORG-05: 3 years for branches and general branches, 5 for the agency committee."""
    return add_years(elected_on, organization.term_years or 3)


@transaction.atomic
def save_term(term: Term, *, user) -> Term:
    """Add or change a term; a new current term closes the earlier current one of its body."""
    require_reach(user, term.organization, CHANGE)
    if term.organization.kind == OrgKind.GROUP:
        raise ValidationError({"organization": _("A party group has no committee.")})
    if term.ends_on is None and term.elected_on is not None:
        term.ends_on = default_term_end(term.organization, term.elected_on)
    term.full_clean()
    term.save()
    if term.is_current:
        for earlier in Term.objects.filter(
            organization=term.organization, body=term.body, is_current=True
        ).exclude(pk=term.pk):
            earlier.is_current = False
            earlier._change_reason = _("Closed by the election of %(date)s") % {
                "date": term.elected_on.isoformat()
            }
            earlier.save()
    return term


def post_errors(organization: Organization, member, post: str, today: datetime.date) -> dict:
    """Rules ORG-04/ORG-09 checks a committee post needs beyond the model's own."""
    errors = {}
    if organization.kind == OrgKind.GROUP:
        errors["post"] = _("A party group has no committee.")
    if member is not None and not member.branch.path.startswith(organization.path):
        errors["member"] = _("%(name)s does not belong to %(org)s.") % {
            "name": member,
            "org": organization,
        }
    if member is not None and post:
        holding = roster.current_posts(today).filter(organization=organization)
        if holding.filter(member=member, post=post).exists():
            errors["member"] = _("%(name)s already holds this post.") % {"name": member}
        elif post == roster.SECRETARY_POST and holding.filter(post=post).exists():
            errors["post"] = _("%(org)s already has a secretary; end the current post first.") % {
                "org": organization
            }
    return errors


@transaction.atomic
def add_committee_post(organization: Organization, *, user, member, post, started_on, term=None):
    require_reach(user, organization, CHANGE)
    errors = post_errors(organization, member, post, started_on)
    if errors:
        raise ValidationError(errors)
    if term is not None and term.organization_id != organization.pk:
        raise ValidationError({"term": _("The term belongs to another organization.")})
    committee_post = roster.committee_post_model()(
        organization=organization, member=member, post=post, term=term, started_on=started_on
    )
    committee_post.full_clean()
    committee_post.save()
    return committee_post


@transaction.atomic
def end_committee_post(committee_post, *, user, ended_on: datetime.date):
    require_reach(user, committee_post.organization, CHANGE)
    if committee_post.ended_on is not None:
        raise ValidationError({"ended_on": _("This post has already ended.")})
    # only the dates are judged: ORG-09 concerns elections, not the end of a post
    if ended_on < committee_post.started_on:
        raise ValidationError({"ended_on": _("A post ends after it starts.")})
    committee_post.ended_on = ended_on
    committee_post.save()
    return committee_post


@transaction.atomic
def set_department_branch(department: Department, *, user, branch: Organization | None):
    """Which branch covers a department (rule ORG-01): agency staff only, since it changes what
    the department's head sees."""
    if not is_agency_staff(user):
        raise PermissionDenied
    if branch is not None and branch.kind != OrgKind.BRANCH:
        raise ValidationError({"branch": _("A department is covered by a branch.")})
    department.branch = branch
    department.save()
    return department


# ---- health -----------------------------------------------------------------------------------


def findings_for(user, today: datetime.date, organization: Organization | None = None) -> list:
    """Health findings over what the user sees, or over ``organization``'s subtree."""
    organizations = Organization.objects.restrict(user, VIEW)
    if organization is not None:
        organizations = organizations.filter(path__startswith=organization.path)
    return run_health_checks(organizations, today)
