"""The ``tongpin`` command: Django's management commands, with hyphenated names.

``tongpin serve``, ``tongpin demo``, ``tongpin check-org``, ``tongpin import-roster FILE`` … map
to the management commands ``serve``, ``demo``, ``check_org``, ``import_roster``; any other Django
command (``migrate``, ``createsuperuser`` …) works as with manage.py. ``tongpin --help`` lists
Tongpin's own subcommands first.
"""

import os
import sys

HELP_FLAGS = {"-h", "--help", "help"}


def usage() -> str:
    """Tongpin's subcommands (hyphenated, with their one-line help), then Django's."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    ours, others = [], []
    for name, app in sorted(get_commands().items()):
        if app.startswith("tongpin"):
            command = load_command_class(app, name)
            summary = " ".join((command.help or "").split()).split(". ")[0].rstrip(".") + "."
            ours.append((name.replace("_", "-"), summary))
        else:
            others.append(name)
    width = max((len(name) for name, _ in ours), default=0) + 2
    lines = [
        "usage: tongpin <subcommand> [options]",
        "",
        "Tongpin subcommands:",
        *(f"  {name:<{width}}{summary}" for name, summary in ours),
        "",
        "Django subcommands (as with manage.py):",
        *_wrap(others, indent="  ", width=78),
        "",
        "'tongpin <subcommand> --help' shows a subcommand's options.",
    ]
    return "\n".join(lines)


def _wrap(words: list[str], indent: str, width: int) -> list[str]:
    lines, line = [], indent
    for word in words:
        if len(line) + len(word) + 2 > width and line.strip():
            lines.append(line.rstrip(", "))
            line = indent
        line += word + ", "
    if line.strip():
        lines.append(line.rstrip(", "))
    return lines


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongpin.settings")
    if len(argv) <= 2 and (len(argv) == 1 or argv[1] in HELP_FLAGS):
        print(usage())
        return
    if not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    if argv[1] == "help" and len(argv) > 2:
        argv[2] = argv[2].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tongpin", *argv[1:]])


if __name__ == "__main__":
    main()
