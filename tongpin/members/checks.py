"""Health checks that count members (rules ORG-01, ORG-03, ORG-04, ORG-06, ORG-07)."""

import datetime

from django.conf import settings
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from tongpin.core.registry import Finding, health_checks
from tongpin.orgs.models import Department, OrgKind

from .models import CommitteePost, Member, MemberStatus


def _branch_counts(organizations):
    return organizations.filter(kind=OrgKind.BRANCH, is_active=True).annotate(
        full_count=Count("members", filter=Q(members__status=MemberStatus.FULL)),
        member_count=Count("members"),
    )


def _current_posts(organizations, today):
    return CommitteePost.objects.filter(
        organization__in=organizations, started_on__lte=today
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))


def check_branch_size(*, today: datetime.date, organizations):
    """Rule ORG-01: a branch has ≥3 full members and generally ≤50 members;
    a department with members has a covering branch."""
    limits = settings.TONGPIN
    for branch in _branch_counts(organizations):
        if branch.full_count < limits["BRANCH_MIN_FULL_MEMBERS"] and not branch.is_joint:
            yield Finding(
                "ORG-01",
                "error",
                _("%(org)s has %(n)d full members; a branch needs at least %(min)d.")
                % {"org": branch, "n": branch.full_count, "min": limits["BRANCH_MIN_FULL_MEMBERS"]},
                organization_id=branch.pk,
            )
        if branch.member_count > limits["BRANCH_MAX_MEMBERS"]:
            yield Finding(
                "ORG-01",
                "warning",
                _("%(org)s has %(n)d members; consider splitting it (over %(max)d).")
                % {"org": branch, "n": branch.member_count, "max": limits["BRANCH_MAX_MEMBERS"]},
                organization_id=branch.pk,
            )


def check_uncovered_departments(*, today: datetime.date, organizations):
    """Rule ORG-01: every unit with members is covered by a branch."""
    if not organizations.filter(depth=1).exists():
        return  # only a view of the whole tree can see departments no branch covers
    departments = Department.objects.filter(branch__isnull=True).annotate(n=Count("members"))
    for department in departments.filter(n__gt=0):
        yield Finding(
            "ORG-01",
            "error",
            _("Department %(dept)s has %(n)d members but no branch covers it.")
            % {"dept": department, "n": department.n},
            department_id=department.pk,
        )


def check_organization_size(*, today: datetime.date, organizations):
    """Rule ORG-03: ≥100 members for an agency committee, 50–100 for a general branch (warnings)."""
    # members of each organization's whole subtree, counted in the same query
    subtree = (
        Member.objects.filter(branch__path__startswith=OuterRef("path"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    for org in organizations.filter(
        kind__in=[OrgKind.AGENCY_COMMITTEE, OrgKind.GENERAL_BRANCH], is_active=True
    ).annotate(member_total=Subquery(subtree, output_field=IntegerField())):
        count = org.member_total or 0
        if org.kind == OrgKind.AGENCY_COMMITTEE and count < 100:
            yield Finding(
                "ORG-03",
                "warning",
                _(
                    "%(org)s has %(n)d members; an agency committee usually has at least 100 "
                    "(keep the approval on file)."
                )
                % {"org": org, "n": count},
                organization_id=org.pk,
            )
        if org.kind == OrgKind.GENERAL_BRANCH and not 50 <= count <= 100:
            yield Finding(
                "ORG-03",
                "warning",
                _(
                    "%(org)s has %(n)d members; a general branch usually has 50 to 100 "
                    "(keep the approval on file)."
                )
                % {"org": org, "n": count},
                organization_id=org.pk,
            )


def check_committees(*, today: datetime.date, organizations):
    """Rule ORG-04: ≥7 full members → a committee of 3–7 with secretary, organization,
    publicity and discipline members; under 7: a secretary. Rule ORG-06: a discipline member."""
    threshold = settings.TONGPIN["BRANCH_COMMITTEE_THRESHOLD"]
    posts: dict[int, list[str]] = {}
    for org_id, post in _current_posts(organizations, today).values_list("organization_id", "post"):
        posts.setdefault(org_id, []).append(post)
    for branch in _branch_counts(organizations):
        held = posts.get(branch.pk, [])
        if CommitteePost.Post.SECRETARY not in held:
            yield Finding(
                "ORG-04",
                "error",
                _("%(org)s has no secretary.") % {"org": branch},
                organization_id=branch.pk,
            )
        if branch.full_count >= threshold:
            size = len(held)
            if size < 3 or size > 7:
                yield Finding(
                    "ORG-04",
                    "error",
                    _(
                        "%(org)s has %(n)d full members but a committee of %(size)d; "
                        "it needs 3 to 7 (usually 3 to 5)."
                    )
                    % {"org": branch, "n": branch.full_count, "size": size},
                    organization_id=branch.pk,
                )
            for post in (CommitteePost.Post.ORGANIZATION, CommitteePost.Post.PUBLICITY):
                if post not in held:
                    yield Finding(
                        "ORG-04",
                        "warning",
                        _("%(org)s has no %(post)s.") % {"org": branch, "post": post.label},
                        organization_id=branch.pk,
                    )
            if CommitteePost.Post.DISCIPLINE not in held:
                yield Finding(
                    "ORG-06",
                    "error",
                    _("%(org)s has no discipline member.") % {"org": branch},
                    organization_id=branch.pk,
                )
    for general in organizations.filter(kind=OrgKind.GENERAL_BRANCH, is_active=True):
        if CommitteePost.Post.DISCIPLINE not in posts.get(general.pk, []):
            yield Finding(
                "ORG-06",
                "error",
                _("%(org)s has no discipline member.") % {"org": general},
                organization_id=general.pk,
            )


def check_secretary_standing(*, today: datetime.date, organizations):
    """Rule ORG-07: a branch secretary generally has at least a year of party standing."""
    years = settings.TONGPIN["SECRETARY_MIN_STANDING_YEARS"]
    secretaries = (
        _current_posts(organizations, today)
        .filter(post=CommitteePost.Post.SECRETARY)
        .select_related("member", "organization")
    )
    for post in secretaries:
        standing = post.member.party_standing_years(today)
        if standing < years:
            yield Finding(
                "ORG-07",
                "warning",
                _("%(org)s: secretary %(name)s has %(n)d years of party standing (under %(min)d).")
                % {"org": post.organization, "name": post.member, "n": standing, "min": years},
                organization_id=post.organization_id,
                member_id=post.member_id,
            )


for _name, _check in [
    ("members.branch_size", check_branch_size),
    ("members.uncovered_departments", check_uncovered_departments),
    ("members.organization_size", check_organization_size),
    ("members.committees", check_committees),
    ("members.secretary_standing", check_secretary_standing),
]:
    health_checks.register(_name, _check)
