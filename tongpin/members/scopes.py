from tongpin.core.scoping import VIEW, Scope

from .models import Member


def member_scope(user, action: str) -> Scope:
    """A member reads their own record and their branch's public records; changes nothing."""
    if action != VIEW or user.platform_role:
        return Scope.nothing()
    branch_path = (
        Member.objects.filter(user_id=user.pk).values_list("branch__path", flat=True).first()
    )
    return Scope(
        public_org_paths=frozenset([branch_path]) if branch_path else frozenset(),
        user_id=user.pk,
    )
