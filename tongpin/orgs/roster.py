"""What the tree pages read from the roster: member counts, committees, secretaries.

``members`` imports ``orgs``, never the reverse (docs: the direction of dependencies). The tree
pages still show how many members an organization has and who sits on its committee, so this one
module reaches the roster through Django's app registry at run time instead of importing it;
everything else in ``orgs`` goes through the functions here.
"""

import datetime

from django.apps import apps
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

# members.models.MemberStatus.FULL (a test pins the two together)
FULL_STATUS = "full"
PROBATIONARY_STATUS = "probationary"
SECRETARY_POST = "secretary"


def member_model():
    return apps.get_model("members", "Member")


def committee_post_model():
    return apps.get_model("members", "CommitteePost")


def _count(queryset):
    """COUNT(*) of ``queryset`` as a correlated subquery (no GROUP BY, one row)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def _subtree_members():
    """Members of the organization in the outer query and of everything below it."""
    return member_model().objects.filter(
        Q(branch__path__startswith=OuterRef("path")) | Q(group_id=OuterRef("pk"))
    )


def current_posts(today: datetime.date):
    return (
        committee_post_model()
        .objects.filter(started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    )


def with_counts(organizations, today: datetime.date, *, secretary=False, term=True):
    """Annotate ``member_count`` and ``full_count`` (whole subtree), ``term_end`` (current
    committee term, postponement included) and optionally ``secretary_name``: one query."""
    from .models import Term

    organizations = organizations.annotate(
        member_count=_count(_subtree_members()),
        full_count=_count(_subtree_members().filter(status=FULL_STATUS)),
    )
    if term:
        current_term = (
            Term.objects.filter(
                organization=OuterRef("pk"), is_current=True, body=Term.Body.COMMITTEE
            )
            .order_by("-elected_on")
            .annotate(end=Coalesce("postponed_to", "ends_on"))
            .values("end")[:1]
        )
        organizations = organizations.annotate(term_end=Subquery(current_term))
    if secretary:
        name = (
            current_posts(today)
            .filter(organization=OuterRef("pk"), post=SECRETARY_POST)
            .order_by("-started_on")
            .values("member__name")[:1]
        )
        organizations = organizations.annotate(secretary_name=Subquery(name))
    return organizations


def member_counts(organization) -> dict:
    """Full and probationary members of the organization's subtree, in one query."""
    from django.db.models import Count

    members = member_model().objects.filter(
        Q(branch__path__startswith=organization.path) | Q(group=organization)
    )
    counts = members.aggregate(
        total=Count("pk"),
        full=Count("pk", filter=Q(status=FULL_STATUS)),
        probationary=Count("pk", filter=Q(status=PROBATIONARY_STATUS)),
    )
    return counts


def department_member_counts(departments):
    return departments.annotate(
        member_count=_count(member_model().objects.filter(department=OuterRef("pk")))
    )


def subtree_members(organization, user):
    """Members who may hold a post on ``organization``'s committee: its subtree, as the user
    sees them."""
    return (
        member_model()
        .objects.restrict(user)
        .filter(branch__path__startswith=organization.path)
        .select_related("branch")
        .order_by("branch__path", "name", "pk")
    )
