from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogs() -> list[Path]:
    return sorted(settings.BASE_DIR.glob("**/locale/*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile every .po catalog to .mo with polib (no GNU gettext needed)."

    def handle(self, *args, **options):
        problems = []
        for po_path in catalogs():
            catalog = polib.pofile(str(po_path))
            for entry in catalog:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags:
                    problems.append(f"{po_path}: fuzzy entry {entry.msgid!r}")
            catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(f"compiled {len(catalogs())} catalogs")
