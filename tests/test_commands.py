"""The ``tongpin`` command line: demo loading, help, translations."""

import gettext
import io
import subprocess
import sys

import polib
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from tongpin.core.management.commands import compile_translations
from tongpin.demo.services import DEMO_USERS

TONGPIN_SUBCOMMANDS = ["serve", "demo", "check-org", "import-roster", "compile-translations"]


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.mark.django_db
def test_demo_second_run_changes_nothing():
    # the session database holds the demo already (the first run, in conftest.py)
    before = _row_counts()
    assert before["accounts.User"] >= len(DEMO_USERS)
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert _row_counts() == before
    assert "未作改动" in out.getvalue()


@pytest.mark.django_db
def test_demo_refuses_too_few_members():
    with pytest.raises(CommandError, match="至少"):
        call_command("demo", members=10)


def test_help_lists_the_subcommands():
    result = subprocess.run(
        [sys.executable, "-m", "tongpin.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for name in TONGPIN_SUBCOMMANDS:
        assert f"  {name} " in result.stdout, result.stdout
    assert "migrate" in result.stdout


def test_hyphenated_subcommand_runs():
    result = subprocess.run(
        [sys.executable, "-m", "tongpin.cli", "compile-translations", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "polib" in result.stdout


def test_compile_translations_writes_working_catalogs():
    out = io.StringIO()
    call_command("compile_translations", stdout=out)
    catalogs = compile_translations.catalogs()
    assert catalogs, "no .po catalogs found"
    assert f"compiled {len(catalogs)} catalogs" in out.getvalue()
    for po_path in catalogs:
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("rb") as handle:
            translations = gettext.GNUTranslations(handle)
        entries = polib.pofile(str(po_path)).translated_entries()
        entry = next((e for e in entries if not e.msgctxt and not e.msgid_plural), None)
        if entry is None:
            continue  # nothing translated yet: test_i18n reports it
        assert translations.gettext(entry.msgid) == entry.msgstr, po_path


def test_compile_translations_refuses_fuzzy_entries(tmp_path, monkeypatch):
    po_path = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Members", msgstr="党员", flags=["fuzzy"]))
    catalog.save(str(po_path))
    monkeypatch.setattr(compile_translations, "catalogs", lambda: [po_path])
    with pytest.raises(CommandError, match="fuzzy"):
        call_command("compile_translations", stdout=io.StringIO())
