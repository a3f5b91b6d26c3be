"""The assessment's own computed indicators, registered in ``AssessConfig.ready()``: how problems
found earlier were rectified (it feeds the next period's run) and how the grassroots rate the
organization (以下看上, from the anonymous surveys in ``surveys.py``)."""

from collections import defaultdict

from .models import RectificationItem


def rectification_closure(organizations, period_start, period_end):
    """Share of the rectification items due in the period that were closed out (销号) by its
    end (one query); evidence every item counted. Organizations with none due are left out."""
    from tongpin.core.indicators import ratio

    total, closed, evidence = defaultdict(int), defaultdict(int), defaultdict(list)
    items = (
        RectificationItem.objects.filter(
            organization__in=organizations.order_by().values("pk"),
            deadline__gte=period_start,
            deadline__lte=period_end,
        )
        .order_by("deadline", "pk")
        .values_list("pk", "organization_id", "problem", "deadline", "closed_on")
    )
    for pk, org_id, problem, deadline, closed_on in items:
        done = closed_on is not None and closed_on <= period_end
        total[org_id] += 1
        closed[org_id] += done
        mark = "✓" if done else "✗"
        text = f"{mark} {deadline:%Y-%m-%d} {problem[:60]}"
        evidence[org_id].append(("assess.rectificationitem", pk, text))
    return {org_id: (ratio(closed[org_id], total[org_id]), evidence[org_id]) for org_id in total}


def register():
    from django.utils.translation import gettext_lazy as _

    from tongpin.core.indicators import Indicator
    from tongpin.core.registry import indicators

    indicators.register(
        "assess.rectification_closure",
        Indicator(label=_("Rectification closure rate"), rule="", compute=rectification_closure),
    )
    from .surveys import grassroots_satisfaction

    indicators.register(
        "assess.grassroots_survey",
        Indicator(
            label=_("Grassroots satisfaction (survey)"),
            rule="",
            compute=grassroots_satisfaction,
        ),
    )
