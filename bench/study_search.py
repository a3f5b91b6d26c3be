"""Bench: Chinese full-text search of the study app (``tongpin.study.search.search``).

A throwaway SQLite database in a temporary ``TONGPIN_VAR_DIR``: migrated, the demo agency loaded
(600 members), then ``--documents`` generated study materials (10,000 by default) of 5–12
sentences drawn from the shared sample texts (and from a list of study phrases), spread over the
agency committee (a third, handed down to everyone) and the branches; indexed with
``search.reindex``. Then each query of a fixed mix (common and rare words, several words,
traditional characters, a query jieba splits differently from the texts, no hit) is run as
``dangwei`` (agency staff: everything) and as ``dangyuan`` (a member: their branch and what is
handed down), through the search service, and a few through the search page. Target: median of
all service queries ≤ 50 ms.

With ``--postgres URL`` the same runs on a database named ``tongpin_bench_study`` on that server
(dropped and created here, never the project's own; dropped afterwards): the target is for
SQLite, PostgreSQL figures are reported.

Run: ``.venv/bin/python bench/study_search.py [--documents 10000] [--runs 5] [--postgres URL]``.
"""

import argparse
import datetime
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import percentile, setup_django

TARGET_MS = 50
BENCH_DB = "tongpin_bench_study"
QUERIES = [
    "机关党建",
    "機關黨建",
    "理论武装 思想根基",
    "党风廉政建设",
    "研究生",  # jieba splits 研究生命 as 研究/生命: found through the bigrams
    "第一议题",
    "全面从严治党 纪律",
    "乡村振兴 数字政府 营商环境",
    "形式主义",
    "黄河流域生态保护",
    "不存在的词语组合量子纠缠",
    "支部",
]
EXTRA = [
    "他们研究生命科学与党建融合的路径。",
    "推动乡村振兴和数字政府建设相互促进。",
    "持续优化营商环境,服务高质量发展。",
    "黄河流域生态保护和高质量发展是重大国家战略。",
    "坚决反对形式主义、官僚主义,为基层减负。",
]


def report(label, times):
    print(
        f"{label:40}{statistics.median(times):9.1f}{percentile(times, 0.95):9.1f}"
        f"{min(times):9.1f}{max(times):9.1f}"
    )


def sentences() -> list[str]:
    from django.conf import settings

    from tongpin.study.services import clean_text

    found = list(EXTRA)
    samples = Path(settings.BASE_DIR).parent.parent / "shared" / "samples"
    for path in sorted(samples.glob("*.txt")) if samples.is_dir() else []:
        text = clean_text(path.read_text(encoding="utf-8"))
        found += [s.strip() + "。" for s in re.split(r"[。\n]", text) if len(s.strip()) >= 8]
    return found


def generate(count: int, seed: int = 2026) -> None:
    from tongpin.orgs.models import Organization, OrgKind
    from tongpin.study.models import Material

    rng = random.Random(seed)
    pool = sentences()
    root = Organization.objects.get(depth=1)
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH))
    day = datetime.date(2026, 1, 1)
    rows = []
    for number in range(count):
        body = "".join(rng.choice(pool) for _ in range(rng.randint(5, 12)))
        rows.append(
            Material(
                organization=root if number % 3 == 0 else rng.choice(branches),
                title=f"学习资料{number:05d} " + rng.choice(pool)[:20],
                source="基准测试",
                published_on=day - datetime.timedelta(days=number % 365),
                body=body,
            )
        )
    Material.objects.bulk_create(rows, batch_size=1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL", help="run on a PostgreSQL server instead")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="tongpin-bench-study-")
    admin = database_url = None
    if args.postgres:
        from urllib.parse import urlsplit

        import psycopg

        parts = urlsplit(args.postgres)
        admin = parts._replace(path="/postgres").geturl()
        database_url = parts._replace(path=f"/{BENCH_DB}").geturl()
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            pg.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        setup_django(var_dir, database_url)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from tongpin.accounts.models import User
        from tongpin.demo.services import load_demo
        from tongpin.study import search
        from tongpin.study.models import SearchEntry

        call_command("migrate", verbosity=0)
        load_demo()
        start = time.perf_counter()
        generate(args.documents)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        indexed = search.reindex(["study.material"])
        indexing = time.perf_counter() - start
        total = SearchEntry.objects.count()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database()), version()")
                size_bytes, version = cursor.fetchone()
            size, engine = size_bytes / 2**20, version.split(" on ")[0]
        else:
            size = Path(connection.settings_dict["NAME"]).stat().st_size / 2**20
            engine = f"SQLite {connection.Database.sqlite_version}"
        print(
            f"{engine}: {args.documents} materials generated "
            f"in {generated:.1f} s, {indexed} indexed in {indexing:.1f} s "
            f"({total} entries with the demo's minutes); database {size:.0f} MiB"
        )
        print(f"{'query (ms)':40}{'median':>9}{'p95':>9}{'min':>9}{'max':>9}")
        everything = []
        for username in ("dangwei", "dangyuan"):
            user = User.objects.get(username=username)
            for query in QUERIES:
                search.search(user, query)  # warm-up (jieba, caches)
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    result = search.search(user, query)
                    times.append((time.perf_counter() - start) * 1000)
                everything += times
                report(f"{username} {query} ({result.total})", times)
        client = Client()
        client.force_login(User.objects.get(username="dangyuan"))
        page = []
        for query in QUERIES[:4]:
            client.get(reverse("study:library"), {"q": query})
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(reverse("study:library"), {"q": query})
                page.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
        print()
        report("all service queries", everything)
        report("search page as dangyuan (4 queries)", page)
        median = statistics.median(everything)
        print(f"\ntarget: median ≤ {TARGET_MS} ms: {'met' if median <= TARGET_MS else 'MISSED'}")
        return 0 if median <= TARGET_MS or args.postgres else 1
    finally:
        if admin:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(admin, autocommit=True) as pg:
                pg.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
