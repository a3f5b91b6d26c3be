"""What a computed indicator is (ground floor, so domains never import assess): domains build
them in their ``indicators.py`` and register them in ``tongpin.core.registry.indicators`` from
their ``AppConfig.ready()``."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

# (content type label, object id, text)
Evidence = tuple[str, int, str]
Result = dict[int, tuple[float, list[Evidence]]]


@dataclass(frozen=True)
class Indicator:
    label: str
    rule: str
    # compute(organizations, period_start, period_end) -> {org id: (score 0-100, evidence)};
    # organizations with nothing to measure are left out (the item does not apply to them)
    compute: Callable[..., Result]


def ratio(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 100.0


def months_between(start: datetime.date, end: datetime.date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
