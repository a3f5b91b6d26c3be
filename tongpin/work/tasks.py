"""Background jobs (huey): reminders of overdue and due-soon items.

The consumer (``tongpin run-huey``) runs ``daily_reminders`` every morning; ``tongpin remind``
runs the same job once, in the foreground. Reruns never duplicate a reminder: each carries a
dedupe key (``core.services.notify``).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(hour="7", minute="30"))
def daily_reminders():
    from . import services

    return services.send_reminders().__dict__


@db_task()
def remind_in_scope(user_id: int):
    """Reminders for the items in one user's change scope (the supervision page's button)."""
    from tongpin.accounts.models import User
    from tongpin.core.scoping import CHANGE

    from . import services
    from .models import BusinessGoal, PartyTask

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    report = services.send_reminders(
        tasks=PartyTask.objects.restrict(user, CHANGE),
        goals=BusinessGoal.objects.restrict(user, CHANGE),
    )
    return report.__dict__
