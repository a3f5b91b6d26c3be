"""Who may open each members route (walked by tests/test_permission_walk.py)."""

from tongpin.demo.testing import (
    ANY_CHANGE,
    DOMAIN_USERS,
    OFFICE_CHANGE,
    OFFICE_VIEW,
    Route,
    office_member,
    pk_of,
)


def office_transfer():
    """A transfer out of 办公室党支部 into 政策法规处党支部 (both under 第一党总支), made here."""
    from tongpin.accounts.models import User
    from tongpin.members.models import Member, Transfer
    from tongpin.members.services import transfer_member
    from tongpin.orgs.models import Organization

    office = Organization.objects.get(name="办公室党支部")
    transfer = Transfer.objects.filter(from_branch=office).first()
    if transfer is None:
        # not office_member(): the other routes keep theirs in the office
        member = (
            Member.objects.filter(branch=office, user__isnull=True, committee_posts__isnull=True)
            .exclude(pk=office_member().pk)
            .order_by("pk")
            .first()
        )
        transfer = transfer_member(
            member,
            Organization.objects.get(name="政策法规处党支部"),
            member.joined_on,
            "工作调动",
            User.objects.get(username="dangwei"),
        )
    return transfer


def office_member_name():
    return office_member().name


def office_member_id_number():
    return office_member().id_number


ROUTES = [
    # platform admins are refused every members page and endpoint (three-role separation)
    Route(
        "members:list",
        get=DOMAIN_USERS,
        secret=office_member_name,
        secret_view=OFFICE_VIEW,
    ),
    Route("members:export", get=DOMAIN_USERS, note="an .xlsx of the caller's scope, audited"),
    Route("members:create", get=ANY_CHANGE, post=ANY_CHANGE),
    Route(
        "members:detail",
        get=OFFICE_VIEW,
        kwargs=pk_of(office_member),
        # the full ID number never shows on a GET, not even to those who may reveal it
        secret=office_member_id_number,
    ),
    Route("members:edit", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_member)),
    Route("members:reveal", post=OFFICE_CHANGE, kwargs=pk_of(office_member)),
    Route("members:history", get=OFFICE_VIEW, kwargs=pk_of(office_member)),
    Route("members:transfer", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_member)),
    Route(
        "members:transfers",
        get=DOMAIN_USERS,
        secret=lambda: office_transfer().reason and office_transfer().member.name,
        secret_view=OFFICE_VIEW,
    ),
    Route("members:import", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("members:roster_template", get=ANY_CHANGE),
    # API
    Route("api:member-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route(
        "api:member-detail",
        get=OFFICE_VIEW,
        kwargs=pk_of(office_member),
        secret=office_member_id_number,
    ),
    Route("api:transfer-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route("api:transfer-detail", get=OFFICE_VIEW, kwargs=pk_of(office_transfer)),
]
