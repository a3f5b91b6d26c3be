"""Computed indicators of party work (registered in ``WorkConfig.ready()``)."""

from collections import defaultdict

from .models import PartyTask, TaskGoalLink


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


def goal_attainment(organizations, period_start, period_end):
    """Share of the business goals due in the period, served by the organization's party tasks,
    that reached their target (the latest actual value at or above it; a goal without a numeric
    target: completed by the period's end). One query; evidence every goal counted."""
    from tongpin.core.indicators import ratio

    total, reached, evidence = defaultdict(int), defaultdict(int), defaultdict(list)
    links = (
        TaskGoalLink.objects.filter(
            task__organization__in=organizations.order_by().values("pk"),
            goal__deadline__gte=period_start,
            goal__deadline__lte=period_end,
        )
        .order_by("goal__deadline", "goal_id")
        .values_list(
            "task__organization_id",
            "goal_id",
            "goal__title",
            "goal__deadline",
            "goal__target_value",
            "goal__actual_value",
            "goal__completed_on",
        )
        .distinct()
    )
    seen = set()
    for org_id, pk, title, deadline, target, actual, completed_on in links:
        if (org_id, pk) in seen:  # a goal served by two tasks of one branch counts once
            continue
        seen.add((org_id, pk))
        if target is not None:
            done = actual is not None and actual >= target
        else:
            done = completed_on is not None and completed_on <= period_end
        total[org_id] += 1
        reached[org_id] += done
        mark = "✓" if done else "✗"
        evidence[org_id].append(("work.businessgoal", pk, f"{mark} {deadline:%Y-%m-%d} {title}"))
    return {org_id: (ratio(reached[org_id], total[org_id]), evidence[org_id]) for org_id in total}


def register():
    from django.utils.translation import gettext_lazy as _

    from tongpin.core.indicators import Indicator
    from tongpin.core.registry import indicators

    indicators.register(
        "work.on_time_completion",
        Indicator(label=_("Party tasks"), rule="", compute=on_time_completion),
    )
    indicators.register(
        "work.goal_attainment",
        Indicator(label=_("Business goals attained"), rule="", compute=goal_attainment),
    )
