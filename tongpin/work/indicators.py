"""Computed indicators of party work (registered in ``WorkConfig.ready()``)."""

from collections import defaultdict

from .models import PartyTask


def on_time_completion(organizations, period_start, period_end):
    """Share of the party tasks due in the period that were completed by their deadline (one
    query); evidence every task counted. A deployed task counts once the level above has
    closed it (销号), on time if its completion was reported by the deadline: the time the
    upper level takes to verify is not the branch's delay."""
    from tongpin.core.indicators import ratio

    total, on_time, evidence = defaultdict(int), defaultdict(int), defaultdict(list)
    tasks = (
        PartyTask.objects.filter(
            organization__in=organizations.order_by().values("pk"),
            deadline__gte=period_start,
            deadline__lte=period_end,
        )
        .order_by("deadline", "pk")
        .values_list("pk", "organization_id", "title", "deadline", "completed_on", "reported_on")
    )
    for pk, org_id, title, deadline, completed_on, reported_on in tasks:
        total[org_id] += 1
        done = completed_on is not None and (reported_on or completed_on) <= deadline
        on_time[org_id] += done
        mark = "✓" if done else "✗"
        evidence[org_id].append(("work.partytask", pk, f"{mark} {deadline:%Y-%m-%d} {title}"))
    return {org_id: (ratio(on_time[org_id], total[org_id]), evidence[org_id]) for org_id in total}


def register():
    from django.utils.translation import gettext_lazy as _

    from tongpin.core.indicators import Indicator
    from tongpin.core.registry import indicators

    indicators.register(
        "work.on_time_completion",
        Indicator(label=_("Party tasks"), rule="", compute=on_time_completion),
    )
