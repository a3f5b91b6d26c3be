"""``tongpin life-reminders``: notify attendees of the planned meetings of the next days."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongpin.life import services


class Command(BaseCommand):
    help = "Notify the attendees of planned meetings in the next days (run daily; each once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(_("--today takes a date as YYYY-MM-DD.")) from error
        sent = services.send_reminders(today=day)
        self.stdout.write(_("%(n)d meeting reminders sent.") % {"n": sent})
