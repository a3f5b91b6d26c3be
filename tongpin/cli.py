"""The ``tongpin`` command: Django's management commands, with hyphenated names.

``tongpin serve``, ``tongpin demo``, ``tongpin check-org``, ``tongpin import-roster FILE`` … map
to the management commands ``serve``, ``demo``, ``check_org``, ``import_roster``; any other Django
command (``migrate``, ``createsuperuser`` …) works as with manage.py.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongpin.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tongpin", *argv[1:]])


if __name__ == "__main__":
    main()
