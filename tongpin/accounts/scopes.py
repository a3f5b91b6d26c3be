"""What each role reaches (core.scoping unions this with what other apps contribute).

| role | view | change |
|---|---|---|
| agency committee staff | everything | everything |
| branch secretary, committee member | their organization's subtree | the same |
| agency leader | everything (一岗双责: sees party and business work) | nothing |
| department head | their department's records and its branch's public records | nothing |
| platform administrators | no domain data (least privilege) | nothing |
"""

from django.db.models import Q

from tongpin.core.scoping import CHANGE, Scope

from .models import Role


def role_scope(user, action: str) -> Scope:
    if user.platform_role:
        return Scope.nothing()
    assignments = list(
        user.role_assignments.select_related("organization", "department__branch").only(
            "role", "user_id", "organization__path", "department_id", "department__branch__path"
        )
    )
    everything = False
    org_paths, public_paths, departments = set(), set(), set()
    for assignment in assignments:
        role = assignment.role
        if role == Role.AGENCY_STAFF:
            everything = True
        elif role in (Role.BRANCH_SECRETARY, Role.COMMITTEE_MEMBER):
            org_paths.add(assignment.organization.path)
        elif role == Role.LEADER and action != CHANGE:
            everything = True
        elif role == Role.DEPARTMENT_HEAD and action != CHANGE:
            departments.add(assignment.department_id)
            if assignment.department.branch is not None:
                public_paths.add(assignment.department.branch.path)
    return Scope(
        everything=everything,
        org_paths=frozenset(org_paths),
        public_org_paths=frozenset(public_paths),
        department_ids=frozenset(departments),
    )


def organization_role_holders(organization) -> list:
    """Active accounts acting for ``organization``: its secretaries and committee members, and
    for the top of the tree the agency committee staff (core.loops notifies them)."""
    from .models import RoleAssignment

    condition = Q(
        role__in=[Role.BRANCH_SECRETARY, Role.COMMITTEE_MEMBER], organization=organization
    )
    if organization.depth == 1:
        condition |= Q(role=Role.AGENCY_STAFF)
    return [
        assignment.user
        for assignment in RoleAssignment.objects.filter(condition, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]
