"""Tongpin runs on offline intranets: no page, template or our own asset loads anything from
outside, and every ``{% static %}`` file a template names is there."""

import itertools
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

SOURCE = Path(settings.BASE_DIR)
# src=, href=, action=, poster=, srcset=, data= and CSS url()/@import pointing at http(s)://
# or a protocol-relative //host
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|srcset|data|formaction)\s*=\s*["']?\s*"""
    r"""|url\(\s*["']?\s*|@import\s+["'])((?:https?:)?//[^\s"')>]+)""",
    re.IGNORECASE,
)
# in our JavaScript: any quoted absolute URL
EXTERNAL_JS = re.compile(r"""[\"'`]((?:https?:)?//[a-z0-9-]+\.[a-z0-9.-]+[^\"'`]*)""", re.I)
STATIC_TAG = re.compile(r"""\{%\s*static\s+(["'])(.+?)\1""")
OWN_HOST = "http://testserver/"  # the test client's host
# GET routes that are no pages to render here
NOT_PAGES = {
    "accounts:logout",  # POST only
}


def external_references(text: str) -> list[str]:
    return EXTERNAL.findall(text)


def template_files() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*") if p.is_file() and "templates" in p.parts)


def own_static_files() -> list[Path]:
    return sorted(
        p
        for p in SOURCE.rglob("*")
        if p.is_file()
        and "static" in p.parts
        and "vendor" not in p.parts
        and p.suffix in {".css", ".js", ".html", ".svg"}
    )


def test_detector_finds_external_references():
    assert external_references('<script src="https://cdn.example.com/x.js">') == [
        "https://cdn.example.com/x.js"
    ]
    assert external_references("<link href='//fonts.example.com/css'>") == [
        "//fonts.example.com/css"
    ]
    assert external_references("a { background: url( http://x.example/bg.png) }") == [
        "http://x.example/bg.png"
    ]
    assert external_references('@import "https://x.example/a.css";') == ["https://x.example/a.css"]
    assert not external_references(
        '<a href="/members/">x</a><script src="/static/vendor/htmx/htmx.min.js"></script>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    )


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_template_loads_nothing_from_outside(path):
    assert not external_references(path.read_text(encoding="utf-8"))


def test_own_css_and_js_load_nothing_from_outside():
    found = []
    for path in own_static_files():
        text = path.read_text(encoding="utf-8")
        refs = external_references(text)
        if path.suffix == ".js":
            refs += EXTERNAL_JS.findall(text)
        found += [f"{path.relative_to(SOURCE)}: {ref}" for ref in refs]
    assert not found, "\n".join(found)


def test_every_static_file_named_by_a_template_exists():
    missing = []
    for path in template_files():
        for _quote, name in STATIC_TAG.findall(path.read_text(encoding="utf-8")):
            if not finders.find(name):
                missing.append(f"{path.relative_to(SOURCE)}: {name}")
    assert not missing, "missing static files (run make assets?):\n" + "\n".join(missing)


def test_own_css_relative_urls_exist():
    missing = []
    for path in own_static_files():
        if path.suffix != ".css":
            continue
        for ref in re.findall(r"""url\(\s*["']?([^"')]+)""", path.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#", "/")):
                continue
            if not (path.parent / ref.split("?")[0].split("#")[0]).is_file():
                missing.append(f"{path.relative_to(SOURCE)}: {ref}")
    assert not missing, "\n".join(missing)


# ---- every page a logged-in agency committee member can GET -------------------------------


def _routes():
    """(url name, {kwarg: converter}, callback) for every named URL pattern."""

    def walk(resolver, namespace, converters):
        for pattern in resolver.url_patterns:
            own = dict(getattr(pattern.pattern, "converters", {}))
            regex = getattr(pattern.pattern, "regex", None)
            for group in regex.groupindex if regex is not None else ():
                own.setdefault(group, None)
            combined = {**converters, **own}
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern, inner, combined)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, combined, pattern.callback

    return list(walk(get_resolver(), "", {}))


def _view_model(callback):
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    for holder in (view_class, getattr(callback, "view_initkwargs", None)):
        if holder is None:
            continue
        model = getattr(holder, "model", None)
        queryset = getattr(holder, "queryset", None)
        if model is None and queryset is not None:
            model = queryset.model
        if model is not None:
            return model
    return None


def _candidate_values(callback, kwarg, converter) -> list:
    """Demo objects' pks to fill a URL argument: the view's model first, then its app's."""
    if converter is not None and not isinstance(converter, IntConverter):
        return []
    models = []
    model = _view_model(callback)
    if model is not None:
        models.append(model)
    app = apps.get_containing_app_config(callback.__module__)
    if app is not None:
        hint = kwarg.removesuffix("_pk").removesuffix("_id").replace("_", "")
        others = sorted(
            (m for m in app.get_models() if m not in models),
            key=lambda m: m._meta.model_name != hint,
        )
        models += others
    values = []
    for candidate in models:
        values += list(candidate._base_manager.order_by("pk").values_list("pk", flat=True)[:2])
    return list(dict.fromkeys(values))


def _urls_to_visit():
    visits, skipped = [], []
    for name, converters, callback in _routes():
        if name in NOT_PAGES or "format" in converters:
            continue
        if not converters:
            try:
                visits.append((name, reverse(name)))
            except NoReverseMatch:
                skipped.append(name)
            continue
        choices = [_candidate_values(callback, k, c) for k, c in converters.items()]
        urls = []
        for combination in itertools.islice(itertools.product(*choices), 12):
            try:
                urls.append(reverse(name, kwargs=dict(zip(converters, combination, strict=True))))
            except NoReverseMatch:
                continue
        if urls:
            visits.append((name, urls))
        else:
            skipped.append(name)
    return visits, skipped


@pytest.mark.django_db
def test_no_page_loads_anything_from_outside(client_as, client):
    dangwei = client_as("dangwei")
    visits, skipped = _urls_to_visit()
    rendered, problems, unreachable = [], [], []
    for name, urls in visits:
        for url in [urls] if isinstance(urls, str) else urls:
            response = dangwei.get(url, HTTP_ACCEPT="text/html")
            if response.status_code >= 500:
                problems.append(f"{url} ({name}): HTTP {response.status_code}")
                break
            if response.status_code == 404 and not isinstance(urls, str):
                continue  # try the next demo object
            if "html" in response.get("Content-Type", ""):
                html = b"".join(response).decode() if response.streaming else response.text
                problems += [
                    f"{url} ({name}): {ref}"
                    for ref in external_references(html)
                    if not ref.startswith(OWN_HOST)  # an absolute link to Tongpin itself
                ]
                rendered.append(url)
            break
        else:
            unreachable.append(name)
    # the pages of someone not logged in
    for url in ("/accounts/login/",):
        html = client.get(url).content.decode()
        problems += [f"{url} (anonymous): {ref}" for ref in external_references(html)]
        rendered.append(url)
    assert not problems, "\n".join(problems)
    assert "/" in rendered
    print(f"{len(rendered)} pages checked; no object found for {unreachable + skipped}")
