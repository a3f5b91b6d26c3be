"""Computed indicators of study (registered in ``StudyConfig.ready()``).

Not class hours: rules.md (为基层减负) bars study duration from evaluations, so the indicator is
the cadence "月月有活动": the share of the period's months with a study session held."""

from collections import defaultdict

from django.db.models import Q

from .models import StudySession


def monthly_activity(organizations, period_start, period_end):
    """Months of the period (up to its end) with a session of, or joined by, the organization:
    two queries (the sessions, their partners)."""
    from tongpin.core.indicators import months_between, ratio

    org_ids = set(organizations.order_by().values_list("pk", flat=True))
    months = months_between(period_start, period_end)
    covered, evidence = defaultdict(set), defaultdict(list)
    sessions = (
        StudySession.objects.filter(held_on__gte=period_start, held_on__lte=period_end)
        .filter(Q(organization__in=org_ids) | Q(partners__in=org_ids))
        .distinct()
    )
    partners = defaultdict(set)
    for session_id, org_id in StudySession.partners.through.objects.filter(
        studysession__in=sessions.values("pk"), organization__in=org_ids
    ).values_list("studysession_id", "organization_id"):
        partners[session_id].add(org_id)
    rows = sessions.order_by("held_on", "pk").values_list(
        "pk", "organization_id", "topic", "held_on"
    )
    for pk, org_id, topic, held_on in rows:
        for target in {org_id, *partners[pk]} & org_ids:
            covered[target].add((held_on.year, held_on.month))
            evidence[target].append(("study.studysession", pk, f"{held_on:%Y-%m-%d} {topic}"))
    return {
        org_id: (ratio(len(covered[org_id]), len(months)), evidence[org_id]) for org_id in org_ids
    }


def register():
    from django.utils.translation import gettext_lazy as _

    from tongpin.core.indicators import Indicator
    from tongpin.core.registry import indicators

    indicators.register(
        "study.monthly_activity",
        Indicator(label=_("Study activity"), rule="", compute=monthly_activity),
    )
