"""Demo data: the 四强党支部 system and an open run over the demo agency for this year."""

import datetime


def load(*, today: datetime.date, seed: int = 0) -> None:
    from tongpin.orgs.models import Organization

    from . import services

    system = services.ensure_four_strong_template()
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        services.open_run(system, root, (datetime.date(today.year, 1, 1), today))
