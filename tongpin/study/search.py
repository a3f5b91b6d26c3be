"""Chinese full-text search: one interface over SQLite FTS5 and PostgreSQL full-text search.

Texts are converted to simplified Chinese (OpenCC t2s) and tokenized by jieba; the index keeps
both jieba's words (``cut_for_search``) and character bigrams, so a query word matches when it is
one of the text's words *or* appears in the text as a run of characters however jieba split it
(e.g. 尚未 in 和尚未结婚). A query matches documents containing every query word (AND); when none
does, any (OR). Ranking: bm25 on SQLite, ``ts_rank`` on PostgreSQL, titles weighted higher.
Snippets are highlighted here: the text is escaped, then the matched words wrapped in ``<mark>``.

Sources register in ``core.registry.search_sources``; saving or deleting a row of a registered
model updates its entry (signals), and ``tongpin reindex`` rebuilds everything.
"""

import re
import threading
from dataclasses import dataclass
from functools import cache

from django.db import connection, transaction
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tongpin.core.registry import search_sources
from tongpin.core.scoping import VIEW, minimal_roots, scope_of

from .models import SearchEntry

WORD = re.compile(r"\w+")
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
SNIPPET_CHARS = 140
MAX_QUERY_WORDS = 12

_lock = threading.Lock()


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _lock:
        jieba.initialize()
    return jieba


def simplify(text: str) -> str:
    return _converter().convert(text or "")


def words(text: str) -> list[str]:
    """jieba's search-mode words of the simplified text (word characters only, lower case)."""
    return [
        token.lower()
        for token in _jieba().cut_for_search(simplify(text))
        if WORD.fullmatch(token.strip())
    ]


def bigrams_of(word: str) -> list[str]:
    """A word's character bigrams when it is Chinese; the word itself otherwise."""
    if CJK_RUN.fullmatch(word) and len(word) >= 2:
        return [word[i : i + 2] for i in range(len(word) - 1)]
    return [word]


def text_grams(simplified: str) -> list[str]:
    grams = []
    for run in CJK_RUN.findall(simplified):
        if len(run) >= 2:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def query_words(query: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in words(query):
        seen.setdefault(word, None)
    # drop a word when a longer query word contains it (cut_for_search gives both)
    unique = list(seen)
    kept = [w for w in unique if not any(w != other and w in other for other in unique)]
    # single characters (的, 和, 了 …) match nearly everything: only when nothing else is left
    longer = [w for w in kept if len(w) > 1]
    return (longer or kept)[:MAX_QUERY_WORDS]


# ---- indexing --------------------------------------------------------------------------------


_by_model: dict = {}


def source_for_model(model):
    """The (key, source) indexing rows of ``model``; (None, None) for other models."""
    if not _by_model:
        for key, source in search_sources:
            _by_model[source.queryset().model] = (key, source)
    return _by_model.get(model, (None, None))


def entry_fields(source, obj) -> dict:
    title = source.title(obj) or ""
    text = source.text(obj) or ""
    simple_title, simple_text = simplify(title), simplify(text)
    organization = source.organization(obj)
    return {
        "org_path": organization.path if organization is not None else "",
        "public": getattr(source, "public", True),
        "inherited": getattr(source, "inherited", False),
        "title": title[:300],
        "url": source.url(obj)[:300],
        "text": text,
        "title_tokens": " ".join(words(simple_title)),
        "body_tokens": " ".join(words(simple_text)),
        "grams": " ".join(text_grams(simple_title) + text_grams(simple_text)),
    }


def index_object(key: str, obj) -> None:
    source = search_sources.items[key]
    if not source.queryset().filter(pk=obj.pk).exists():
        remove_object(key, obj.pk)
        return
    fields = entry_fields(source, obj)
    with transaction.atomic():
        SearchEntry.objects.update_or_create(source=key, object_id=obj.pk, defaults=fields)


def remove_object(key: str, pk) -> None:
    SearchEntry.objects.filter(source=key, object_id=pk).delete()


def reindex(keys=None, batch: int = 500) -> int:
    """Rebuild the entries of the given sources (all by default); returns the count indexed."""
    count = 0
    for key, source in search_sources:
        if keys and key not in keys:
            continue
        with transaction.atomic():
            SearchEntry.objects.filter(source=key).delete()
            rows = []
            for obj in source.queryset().iterator(chunk_size=batch):
                rows.append(SearchEntry(source=key, object_id=obj.pk, **entry_fields(source, obj)))
                if len(rows) >= batch:
                    SearchEntry.objects.bulk_create(rows)
                    count += len(rows)
                    rows = []
            SearchEntry.objects.bulk_create(rows)
            count += len(rows)
    return count


def repath(old_path: str, new_path: str) -> int:
    """Entries follow a subtree moved in the tree (treebeard moves it with bulk updates)."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr

    return SearchEntry.objects.filter(org_path__startswith=old_path).update(
        org_path=Concat(Value(new_path), Substr("org_path", len(old_path) + 1))
    )


def on_save(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    from tongpin.orgs.models import OrganizationMove

    if sender is OrganizationMove:
        if created:
            repath(instance.from_path, instance.organization.path)
        return
    key, _source = source_for_model(sender)
    if key:
        index_object(key, instance)


def on_delete(sender, instance, **kwargs):
    key, _source = source_for_model(sender)
    if key:
        remove_object(key, instance.pk)


# ---- scoping ---------------------------------------------------------------------------------


def ancestor_paths(paths, steplen: int = 4) -> set[str]:
    """Every proper ancestor path of the given tree paths (materialized paths, fixed step)."""
    found = set()
    for path in paths:
        for end in range(steplen, len(path), steplen):
            found.add(path[:end])
    return found


def visibility_q(user, path_field: str = "org_path", public=True, inherited=True) -> Q | None:
    """Rows the user may read, by an organization path: a subtree the user reaches, public rows
    of the organizations the user reads publicly, and rows an organization above hands down.
    ``public``/``inherited`` are booleans or the names of boolean fields. None: everything."""
    scope = scope_of(user, VIEW)
    if scope.everything:
        return None

    def flag(value) -> Q:
        if isinstance(value, str):
            return Q(**{value: True})
        return Q() if value else Q(pk__in=[])

    condition = Q(pk__in=[])
    for root in minimal_roots(scope.org_paths):
        condition |= Q(**{f"{path_field}__startswith": root})
    public_roots = minimal_roots(scope.public_org_paths)
    if public_roots:
        inside = Q(pk__in=[])
        for root in public_roots:
            inside |= Q(**{f"{path_field}__startswith": root})
        condition |= flag(public) & inside
    ancestors = ancestor_paths(scope.org_paths | scope.public_org_paths)
    if ancestors:
        condition |= flag(inherited) & Q(**{f"{path_field}__in": sorted(ancestors)})
    return condition


# ---- querying --------------------------------------------------------------------------------


@dataclass
class Hit:
    source: str
    object_id: int
    title: str
    url: str
    score: float
    title_html: SafeString
    snippet: SafeString


@dataclass
class Result:
    query: str
    words: list[str]
    hits: list[Hit]
    total: int
    mode: str  # "and", "or" or "" (no query words)


class SQLiteBackend:
    """FTS5 ``MATCH`` with bm25 ranking (title ×10, words ×2, bigrams ×1)."""

    def expression(self, terms: list[str], mode: str) -> str:
        parts = []
        for word in terms:
            grams = " ".join(bigrams_of(word))
            parts.append(f'({{title_tokens body_tokens}} : "{word}" OR grams : "{grams}")')
        return f" {mode.upper()} ".join(parts)

    def ids(self, terms, mode, allowed_sql, allowed_params, limit, offset):
        match = self.expression(terms, mode)
        base = (
            "FROM study_search_fts JOIN study_searchentry "
            "ON study_searchentry.id = study_search_fts.rowid "
            f"WHERE study_search_fts MATCH %s AND ({allowed_sql})"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", [match, *allowed_params])
            total = cursor.fetchone()[0]
            if not total:
                return 0, []
            cursor.execute(
                f"SELECT study_searchentry.id, bm25(study_search_fts, 10.0, 2.0, 1.0) AS rank {base} "
                "ORDER BY rank LIMIT %s OFFSET %s",
                [match, *allowed_params, limit, offset],
            )
            return total, [(row[0], -row[1]) for row in cursor.fetchall()]


class PostgresBackend:
    """A ``tsquery`` over the generated ``vector`` column, ranked by ``ts_rank``."""

    def expression(self, terms: list[str], mode: str) -> str:
        parts = []
        for word in terms:
            phrase = " <-> ".join(f"'{gram}':D" for gram in bigrams_of(word))
            parts.append(f"('{word}':AB | ({phrase}))")
        return (" & " if mode == "and" else " | ").join(parts)

    def ids(self, terms, mode, allowed_sql, allowed_params, limit, offset):
        query = self.expression(terms, mode)

        # the GIN index first (MATERIALIZED keeps the planner from starting at the scope's
        # path index and testing every row of the scope against the query), then the scope
        count_head = (
            "WITH matched AS MATERIALIZED (SELECT study_searchentry.id "
            "FROM study_searchentry, to_tsquery('simple', %s) query "
            "WHERE study_searchentry.vector @@ query) "
        )
        rank_head = (
            "WITH matched AS MATERIALIZED (SELECT study_searchentry.id, "
            "ts_rank(study_searchentry.vector, query) AS rank "
            "FROM study_searchentry, to_tsquery('simple', %s) query "
            "WHERE study_searchentry.vector @@ query) "
        )
        base = (
            "FROM matched JOIN study_searchentry ON study_searchentry.id = matched.id "
            f"WHERE ({allowed_sql})"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"{count_head}SELECT count(*) {base}", [query, *allowed_params])
            total = cursor.fetchone()[0]
            if not total:
                return 0, []
            cursor.execute(
                f"{rank_head}SELECT matched.id, matched.rank {base} "
                "ORDER BY matched.rank DESC, matched.id LIMIT %s OFFSET %s",
                [query, *allowed_params, limit, offset],
            )
            return total, [(row[0], float(row[1])) for row in cursor.fetchall()]


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


def _allowed_sql(user) -> tuple[str, list]:
    """The scoping condition as SQL over ``study_searchentry`` (the ORM compiles its WHERE)."""
    condition = visibility_q(user, public="public", inherited="inherited")
    if condition is None:
        return "1=1", []
    query = SearchEntry.objects.filter(condition).query
    sql, params = query.where.as_sql(query.get_compiler(connection=connection), connection)
    return sql or "1=1", list(params)


def search(user, query: str, *, limit: int = 20, offset: int = 0) -> Result:
    terms = query_words(query)
    if not terms:
        return Result(query, [], [], 0, "")
    engine = backend()
    allowed_sql, allowed_params = _allowed_sql(user)
    mode = "and"
    total, ranked = engine.ids(terms, mode, allowed_sql, allowed_params, limit, offset)
    if not total and len(terms) > 1:
        mode = "or"
        total, ranked = engine.ids(terms, mode, allowed_sql, allowed_params, limit, offset)
    entries = SearchEntry.objects.in_bulk([pk for pk, _score in ranked])
    hits = []
    for pk, score in ranked:
        entry = entries[pk]
        hits.append(
            Hit(
                source=entry.source,
                object_id=entry.object_id,
                title=entry.title,
                url=entry.url,
                score=score,
                title_html=highlight(entry.title, terms, whole=True),
                snippet=highlight(entry.text, terms),
            )
        )
    return Result(query, terms, hits, total, mode if total else "")


# ---- snippets --------------------------------------------------------------------------------


def highlight(text: str, terms: list[str], *, whole: bool = False) -> SafeString:
    """An escaped excerpt of ``text`` around its first match, matched words in ``<mark>``.

    Matching runs on the simplified text; when t2s kept the length (nearly always) the excerpt
    shows the original characters, else the simplified ones."""
    text = (text or "") if whole else " ".join((text or "").split())
    simplified = simplify(text).lower()
    shown = text if len(simplified) == len(text) else simplify(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    start, end = 0, len(text)
    if not whole:
        first = pattern.search(simplified)
        start = max(0, (first.start() if first else 0) - 30)
        end = min(len(text), start + SNIPPET_CHARS)
    pieces, cursor = [], start
    for match in pattern.finditer(simplified, start, end):
        pieces.append(escape(shown[cursor : match.start()]))
        pieces.append(f"<mark>{escape(shown[match.start() : min(match.end(), end)])}</mark>")
        cursor = min(match.end(), end)
    pieces.append(escape(shown[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    html = (prefix + "".join(pieces) + suffix).replace("</mark><mark>", "")
    return mark_safe(html)  # noqa: S308 - every piece is escaped
