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


def committee_post_holders(organization) -> list:
    """Accounts of the members holding a current post on ``organization``'s committee (they act
    for it even without a role assignment, e.g. committee staff who also sit on a branch's
    committee): core.loops notifies them and never lets them verify the organization's items."""
    from .models import CommitteePost

    posts = (
        CommitteePost.objects.filter(
            organization=organization, ended_on=None, member__user__isnull=False
        )
        # platform administrators act for no organization (no domain data, security.md)
        .filter(member__user__platform_role="")
        .select_related("member__user")
        .order_by("member__user_id")
    )
    return [post.member.user for post in posts]
