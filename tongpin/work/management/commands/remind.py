import datetime

from django.core.management.base import BaseCommand, CommandError

from tongpin.work import services


class Command(BaseCommand):
    help = (
        "Send reminders of overdue and due-soon tasks and goals once (the background worker "
        "does this every morning); reruns never send the same reminder twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date: {date!r} is not a date (YYYY-MM-DD)") from error
        report = services.send_reminders(today)
        self.stdout.write(
            f"sent {report.sent}, already sent {report.skipped}, "
            f"no account (remind offline) {report.without_account}, e-mailed {report.emailed}"
        )
