from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongpin.demo.services import DEMO_PASSWORD, DEMO_USERS, MIN_MEMBERS, load_demo


class Command(BaseCommand):
    help = "Load the demo agency with its accounts (idempotent; starts no server)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--members",
            type=int,
            default=600,
            help=f"number of members (default 600, at least {MIN_MEMBERS})",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, members, seed, **options):
        if members < MIN_MEMBERS:
            raise CommandError(
                _("The demo agency needs at least %(minimum)s members.") % {"minimum": MIN_MEMBERS}
            )
        summary = load_demo(members=members, seed=seed)
        if not summary.created:
            self.stdout.write(
                _("The demo agency is already loaded (%(members)s members): nothing changed.")
                % {"members": summary.members}
            )
            return
        self.stdout.write(
            _(
                "Loaded the demo agency: %(organizations)s organizations, "
                "%(departments)s departments, %(members)s members."
            )
            % {
                "organizations": summary.organizations,
                "departments": summary.departments,
                "members": summary.members,
            }
        )
        self.stdout.write(
            _("Demo accounts (password %(password)s for all):") % {"password": DEMO_PASSWORD}
        )
        for username, label in DEMO_USERS.items():
            self.stdout.write(f"  {username:<10} {label}")
