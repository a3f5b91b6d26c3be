"""Health checks that need only the tree and its terms (rules ORG-05, ORG-06)."""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from tongpin.core.registry import Finding, health_checks

from .models import OrgKind, Term


def check_terms(*, today: datetime.date, organizations):
    """Rule ORG-05: warn 90 days (a setting) before a term expires; flag an overdue election."""
    warn_days = settings.TONGPIN["TERM_WARNING_DAYS"]
    with_term = set()
    terms = Term.objects.filter(
        organization__in=organizations, is_current=True, body=Term.Body.COMMITTEE
    ).select_related("organization")
    for term in terms:
        org = term.organization
        with_term.add(org.pk)
        end = term.effective_end
        if end < today:
            yield Finding(
                "ORG-05",
                "error",
                _("%(org)s: the term ended on %(end)s and no election has been held.")
                % {"org": org, "end": end.isoformat()},
                organization_id=org.pk,
            )
        elif (end - today).days <= warn_days:
            yield Finding(
                "ORG-05",
                "warning",
                _("%(org)s: the term ends on %(end)s (in %(days)s days); prepare the election.")
                % {"org": org, "end": end.isoformat(), "days": (end - today).days},
                organization_id=org.pk,
            )
    for org in organizations.exclude(kind=OrgKind.GROUP).exclude(pk__in=with_term):
        yield Finding(
            "ORG-05",
            "warning",
            _("%(org)s: no current term is recorded.") % {"org": org},
            organization_id=org.pk,
        )


def check_discipline_committee(*, today: datetime.date, organizations):
    """Rule ORG-06 (first half): the agency committee has a discipline committee."""
    committees = organizations.filter(kind=OrgKind.AGENCY_COMMITTEE)
    having = set(
        Term.objects.filter(
            organization__in=committees, body=Term.Body.DISCIPLINE_COMMITTEE, is_current=True
        ).values_list("organization_id", flat=True)
    )
    for org in committees:
        if org.pk not in having:
            yield Finding(
                "ORG-06",
                "error",
                _("%(org)s has no discipline committee.") % {"org": org},
                organization_id=org.pk,
            )


health_checks.register("orgs.terms", check_terms)
health_checks.register("orgs.discipline_committee", check_discipline_committee)
