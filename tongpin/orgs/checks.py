"""Health checks that need only the tree and its terms (rules ORG-05, ORG-06)."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongpin.core.registry import Finding, health_checks

from .models import OrgKind, Term, TermStatus, term_status


def check_terms(*, today: datetime.date, organizations):
    """Rule ORG-05: warn 90 days (a setting) before a term expires; flag an overdue election."""
    with_term = set()
    terms = Term.objects.filter(
        organization__in=organizations, is_current=True, body=Term.Body.COMMITTEE
    ).select_related("organization")
    for term in terms:
        org = term.organization
        with_term.add(org.pk)
        end = term.effective_end
        status = term_status(end, today)
        if status == TermStatus.OVERDUE:
            yield Finding(
                "ORG-05",
                "error",
                _("%(org)s: the term ended on %(end)s and no election has been held.")
                % {"org": org, "end": end.isoformat()},
                organization_id=org.pk,
            )
        elif status == TermStatus.EXPIRING:
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


# what each rule is about, for grouping findings on the health page (rules.md)
RULE_TITLES = {
    "ORG-01": gettext_lazy("Branches cover every unit"),
    "ORG-02": gettext_lazy("Joint and temporary branches"),
    "ORG-03": gettext_lazy("Size of the agency committee and general branches"),
    "ORG-04": gettext_lazy("Branch committees"),
    "ORG-05": gettext_lazy("Terms and elections"),
    "ORG-06": gettext_lazy("Discipline inspection"),
    "ORG-07": gettext_lazy("Secretaries' party standing"),
    "ORG-08": gettext_lazy("Full-time party staff"),
    "ORG-09": gettext_lazy("Right to vote and to be elected"),
}
SEVERITY_LABELS = {"error": gettext_lazy("Problem"), "warning": gettext_lazy("Reminder")}
