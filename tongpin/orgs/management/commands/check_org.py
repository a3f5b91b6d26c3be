"""``tongpin check-org``: the organization health check from the command line.

Output is one line per finding, ``RULE<TAB>severity<TAB>message``, so monitoring scripts can
parse it (a summary goes to stderr); ``--json`` prints a JSON list instead. The exit code is 1
when any finding has severity "error", 0 otherwise, and 2 for bad arguments.
"""

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongpin.orgs.models import Organization
from tongpin.orgs.services import run_health_checks


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date: not a date (YYYY-MM-DD): {value}", returncode=2) from error


class Command(BaseCommand):
    help = "Check the organization tree against rules ORG-01 to ORG-07 (exit 1 on any error)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the findings as JSON")
        parser.add_argument(
            "--org", type=int, metavar="ID", help="check only this organization's subtree"
        )
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="check as of this day (default: today)"
        )

    def handle(self, *args, **options):
        organizations = Organization.objects.all()
        if options["org"] is not None:
            root = Organization.objects.filter(pk=options["org"]).first()
            if root is None:
                raise CommandError(f"--org: no organization with id {options['org']}", returncode=2)
            organizations = organizations.filter(path__startswith=root.path)
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        findings = run_health_checks(organizations, today)
        if options["json"]:
            self.stdout.write(
                json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
            )
        else:
            for finding in findings:
                # tabs and newlines inside a message would break the one-line format
                message = " ".join(finding.message.split())
                self.stdout.write(f"{finding.rule}\t{finding.severity}\t{message}")
        errors = sum(f.severity == "error" for f in findings)
        self.stderr.write(f"{len(findings)} findings, {errors} errors", ending="\n")
        if errors:
            sys.exit(1)
