"""Pages speak Chinese: catalogs are complete and every msgid the code uses has a translation."""

import ast
import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

SOURCE = Path(settings.BASE_DIR)
LANGUAGE = "zh_Hans"
GETTEXT_FUNCTIONS = {
    # name: (index of the context argument or None, index of the msgid)
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
STRING = r"""u?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
# templatize() turns {% translate %}, {% blocktranslate %} and _("…") into these calls
TEMPLATE_CALL = re.compile(
    rf"\b(_|gettext|pgettext|ngettext|npgettext)\(\s*({STRING}(?:\s*,\s*{STRING})*)"
)


def po_files() -> list[Path]:
    return sorted(SOURCE.glob("**/locale/*/LC_MESSAGES/*.po"))


def python_files() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)


def template_files() -> list[Path]:
    return sorted(
        p for p in SOURCE.rglob("*") if p.suffix in {".html", ".txt"} and "templates" in p.parts
    )


def _key(context: str | None, msgid: str) -> str:
    return f"{context}\x04{msgid}" if context else msgid


def python_msgids(path: Path):
    """(context, msgid, line) for every gettext call with literal arguments."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in GETTEXT_FUNCTIONS:
            continue
        context_at, msgid_at = GETTEXT_FUNCTIONS[name]
        args = node.args
        if len(args) <= msgid_at:
            continue
        values = [a.value if isinstance(a, ast.Constant) else None for a in args]
        msgid = values[msgid_at]
        context = values[context_at] if context_at is not None else None
        if isinstance(msgid, str) and msgid and (context_at is None or isinstance(context, str)):
            yield context, msgid, node.lineno


def template_msgids(path: Path):
    source = path.read_text(encoding="utf-8")
    for match in TEMPLATE_CALL.finditer(templatize(source, origin=str(path))):
        name = match.group(1)
        strings = [ast.literal_eval(s) for s in re.findall(STRING, match.group(2))]
        context_at, msgid_at = GETTEXT_FUNCTIONS[name]
        if len(strings) <= msgid_at or not strings[msgid_at]:
            continue
        context = strings[context_at] if context_at is not None else None
        yield context, strings[msgid_at], None


@cache
def translated_keys() -> frozenset[str]:
    """Every msgid with a Chinese translation: our catalogs, then Django's and the libraries'."""
    keys = set()
    for po_path in po_files():
        if po_path.parent.parent.name != LANGUAGE:
            continue
        for entry in polib.pofile(str(po_path)).translated_entries():
            if "fuzzy" not in entry.flags:
                keys.add(_key(entry.msgctxt, entry.msgid))
    with translation.override("zh-hans"):
        catalog = translation.trans_real.translation("zh-hans")._catalog
        for key, value in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if value and isinstance(msgid, str):
                keys.add(msgid)
    return frozenset(keys)


@pytest.mark.parametrize("po_path", po_files(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_catalog_has_no_empty_or_fuzzy_entries(po_path):
    catalog = polib.pofile(str(po_path))
    problems = []
    for entry in catalog:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        if entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                problems.append(f"untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, f"{po_path}:\n" + "\n".join(problems)


def test_every_app_with_msgids_has_a_chinese_catalog():
    assert po_files(), "no .po catalogs at all"
    assert all(p.parent.parent.name == LANGUAGE for p in po_files())


def test_every_msgid_in_the_code_has_a_translation():
    """English never leaks into pages: each literal msgid must be translated in some catalog."""
    known = translated_keys()
    missing = []
    for path in python_files():
        for context, msgid, line in python_msgids(path):
            if _key(context, msgid) not in known:
                missing.append(f"{path.relative_to(SOURCE.parent)}:{line}: {msgid!r}")
    for path in template_files():
        for context, msgid, _line in template_msgids(path):
            if _key(context, msgid) not in known:
                missing.append(f"{path.relative_to(SOURCE.parent)}: {msgid!r}")
    assert not missing, f"{len(missing)} msgids without a Chinese translation:\n" + "\n".join(
        sorted(set(missing))
    )


def test_extraction_sees_every_form_of_translation():
    """The extractor itself: tags, blocks (trimmed, with variables), filters and Python calls."""
    source = (
        '{% load i18n %}{% translate "Members" %}{% trans \'Branches\' context "org" %}'
        "{% blocktranslate trimmed with name=user %}\n  Welcome,\n  {{ name }}\n"
        '{% endblocktranslate %}{{ value|default:_("None yet") }}'
        "{% blocktranslate count n=items|length %}{{ n }} item{% plural %}{{ n }} items"
        "{% endblocktranslate %}"
    )
    found = {(c, m) for c, m, _ in template_msgids(_Fake(source))}
    assert found == {
        (None, "Members"),
        ("org", "Branches"),
        (None, "Welcome, %(name)s"),
        (None, "None yet"),
        (None, "%(n)s item"),
    }
    tree = 'x = _("A")\ny = pgettext_lazy("ctx", "B")\nz = ngettext("C", "Cs", 2)\nw = _(v)\n'
    assert {(c, m) for c, m, _ in python_msgids(_Fake(tree))} == {
        (None, "A"),
        ("ctx", "B"),
        (None, "C"),
    }


class _Fake:
    def __init__(self, text):
        self.text = text

    def read_text(self, encoding):
        return self.text

    def __str__(self):
        return "<test>"


@pytest.mark.django_db
def test_login_page_is_in_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


@pytest.mark.django_db
def test_home_page_is_in_chinese(client_as):
    response = client_as("shuji").get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html  # 退出登录
    assert "同频" in html


def test_catalogs_agree_on_each_msgid():
    """Django merges every app's catalog and the first one wins, so a msgid translated two ways
    shows one app's wording on another app's page. A msgid meaning two things needs a context."""
    wordings: dict[str, dict[str, str]] = {}
    for po_path in po_files():
        for entry in polib.pofile(str(po_path)).translated_entries():
            key = _key(entry.msgctxt, entry.msgid)
            wordings.setdefault(key, {})[str(po_path.relative_to(SOURCE))] = entry.msgstr
    conflicts = [
        f"{key!r}: {by_catalog}"
        for key, by_catalog in wordings.items()
        if len(set(by_catalog.values())) > 1
    ]
    assert not conflicts, "msgids translated differently:\n" + "\n".join(conflicts)


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese(client_as):
    response = client_as("shuji").get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "退出登录" in html and "Log out" not in html
