"""``tongpin import-roster FILE [--user USERNAME] [--dry-run]``: all or nothing, as on the page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongpin.members import excel, services


class Command(BaseCommand):
    help = (
        "Import a member roster (.xlsx, the template's columns). Every row is checked first; "
        "if any row is wrong nothing is saved. Exit status 1 on any error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .xlsx roster")
        parser.add_argument(
            "--user",
            help="act as this account, within its scope (default: the system, whole tree)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args, file: Path, user=None, dry_run=False, **options):
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user, is_active=True)
            except get_user_model().DoesNotExist:
                raise CommandError(
                    _("No active account is called %(name)s.") % {"name": user}
                ) from None
            if not services.has_change_scope(account):
                raise CommandError(
                    _("%(name)s may not change members anywhere.") % {"name": account.username}
                )
        try:
            sheet = excel.read_roster_path(file)
        except excel.RosterFileError as exc:
            sheet = None
            problem = str(exc)
        if sheet is None:
            report = services.ImportReport(dry_run=dry_run)
            report.errors.append(excel.CellError(0, "", problem))
            services.audit_import(report, account, file.name)
        else:
            report = services.import_roster(
                sheet, user=account, filename=file.name, dry_run=dry_run
            )
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary(), returncode=1)
        self.stdout.write(report.summary())
