"""Bench: the compliance engine of organizational life (``tongpin.life.services.compliance``).

Two runs:

- ``--sqlite`` (the default): a throwaway SQLite database in a temporary ``TONGPIN_VAR_DIR``, the
  demo agency (600 members, its year of meetings), then the engine for every organization of the
  agency for the year, and the compliance page as ``dangwei``. Target: engine median ≤ 200 ms.
- ``--postgres URL``: a database named ``tongpin_bench_life`` on that server (dropped and
  created here, never the project's own), migrated and filled with a synthetic agency of
  ``--branches`` branches (15,000 by default) under general branches of 100, each with a
  committee of three and a year of the meetings the rules require (about 2% left out), then the
  engine for the whole agency and for one general branch.

Run: ``.venv/bin/python bench/life_compliance.py [--sqlite] [--postgres URL] [--runs 20]``.
"""

import argparse
import datetime
import shutil
import statistics
import sys
import tempfile
import time
from urllib.parse import urlsplit

from harness import percentile, setup_django

TARGET_MS = 200
BENCH_DB = "tongpin_bench_life"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, steplen 4


def timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label, times):
    print(
        f"{label:44}{statistics.median(times):9.1f}{percentile(times, 0.95):9.1f}"
        f"{min(times):9.1f}{max(times):9.1f}"
    )


def bench_sqlite(runs: int) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from tongpin.accounts.models import User
    from tongpin.demo.services import load_demo
    from tongpin.life import services
    from tongpin.life.models import Meeting
    from tongpin.orgs.models import Organization

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    load_demo()
    year = timezone.localdate().year
    organizations = Organization.objects.all()
    print(
        f"demo agency: {organizations.count()} organizations "
        f"({organizations.filter(kind='branch').count()} branches), "
        f"{Meeting.objects.count()} meetings, loaded in {time.perf_counter() - start:.1f} s, "
        f"database {connection.vendor}"
    )
    with CaptureQueriesContext(connection) as context:
        rows = services.compliance(organizations, year)
    print(f"engine: {len(rows)} rows from {len(context.captured_queries)} queries")
    services.compliance(organizations, year)  # warm
    results = {
        "engine, whole agency, one year": timed(
            lambda: services.compliance(organizations, year), runs
        ),
        "talk coverage (BR-11), whole agency": timed(
            lambda: services.talk_coverage(organizations, year), runs
        ),
    }
    client = Client()
    client.force_login(User.objects.get(username="dangwei"))
    url = reverse("life:compliance")
    for _ in range(3):
        assert client.get(url).status_code == 200
    results["compliance page as dangwei (all of it)"] = timed(lambda: client.get(url), runs)
    print(f"{'':44}{'median':>9}{'p95':>9}{'min':>9}{'max':>9}  (ms, {runs} runs)")
    for label, times in results.items():
        report(label, times)
    median = statistics.median(results["engine, whole agency, one year"])
    verdict = "meets" if median <= TARGET_MS else "MISSES"
    print(f"engine median {median:.1f} ms {verdict} the {TARGET_MS} ms target")
    return 0 if median <= TARGET_MS else 1


def _segment(index: int) -> str:
    digits = ""
    for _ in range(4):
        index, rest = divmod(index, 36)
        digits = ALPHABET[rest] + digits
    return digits


def build_agency(branches: int, year: int, seed: int = 15000) -> None:
    """A synthetic agency: root → general branches of 100 → branches, a committee of three in
    each, and a year of planned meetings, about 98% of them held."""
    import random

    from django.db import connection

    from tongpin.life import services
    from tongpin.life.models import Meeting, MeetingStatus
    from tongpin.members.models import CommitteePost, Member
    from tongpin.orgs.models import Organization, OrgKind

    rng = random.Random(seed)
    generals = (branches + 99) // 100
    root = Organization(path=_segment(1), depth=1, numchild=generals, name="基准测试机关党委",
                        kind=OrgKind.AGENCY_COMMITTEE)  # fmt: skip
    orgs = [root]
    branch_rows = []
    for g in range(generals):
        count = min(100, branches - g * 100)
        general_path = root.path + _segment(g + 1)
        orgs.append(
            Organization(
                path=general_path,
                depth=2,
                numchild=count,
                name=f"第{g + 1}党总支",
                kind=OrgKind.GENERAL_BRANCH,
            )  # fmt: skip
        )
        for b in range(count):
            branch = Organization(path=general_path + _segment(b + 1), depth=3, numchild=0,
                                  name=f"第{g + 1}-{b + 1}党支部", kind=OrgKind.BRANCH)  # fmt: skip
            orgs.append(branch)
            branch_rows.append(branch)
    Organization.objects.bulk_create(orgs, batch_size=5000)
    saved = {o.path: o for o in Organization.objects.all()}
    committee_orgs = [saved[o.path] for o in orgs if o.kind != OrgKind.AGENCY_COMMITTEE]
    members = []
    for org in committee_orgs:
        for _seat in range(3):
            number = len(members)
            members.append(
                Member(
                    name=f"党员{number}",
                    gender="male",
                    birth_date=datetime.date(1980, 1, 1),
                    id_number_sealed="",
                    id_number_digest=f"bench-{number}",
                    id_number_masked="",
                    joined_on=datetime.date(2005, 7, 1),
                    full_member_on=datetime.date(2006, 7, 1),
                    status="full",
                    branch=org if org.kind == OrgKind.BRANCH else committee_orgs[1],
                )  # fmt: skip
            )
    Member.objects.bulk_create(members, batch_size=5000)
    posts = [CommitteePost.Post.SECRETARY, CommitteePost.Post.ORGANIZATION,
             CommitteePost.Post.PUBLICITY]  # fmt: skip
    CommitteePost.objects.bulk_create(
        [
            CommitteePost(
                organization=committee_orgs[i // 3],
                member=member,
                post=posts[i % 3],
                started_on=datetime.date(year - 1, 1, 1),
            )  # fmt: skip
            for i, member in enumerate(Member.objects.order_by("pk"))
        ],
        batch_size=5000,
    )
    meetings = []
    for org in [saved[o.path] for o in orgs]:
        committee = 0 if org.kind == OrgKind.AGENCY_COMMITTEE else 3
        for kind in services.required_kinds(org.kind, committee):
            for day in services.planned_dates(kind, year):
                meeting = services._new_meeting(org, kind, day, in_plan=True)
                if rng.random() > 0.02:
                    meeting.status = MeetingStatus.HELD
                    meeting.held_on = day
                    meeting.expected_count = meeting.present_count = 20
                    if rng.random() < 0.01:
                        meeting.held_on = meeting.due_on + datetime.timedelta(days=3)
                meetings.append(meeting)
        if len(meetings) > 50000:
            Meeting.objects.bulk_create(meetings, batch_size=5000)
            meetings = []
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench_postgres(url: str, branches: int, runs: int, keep: bool = False) -> int:
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DB}"')
    var_dir = tempfile.mkdtemp(prefix="tongpin-bench-pg-")
    try:
        setup_django(var_dir, parts._replace(path=f"/{BENCH_DB}").geturl())
        from django.core.management import call_command
        from django.db import connection

        from tongpin.life import services
        from tongpin.life.models import Meeting
        from tongpin.orgs.models import Organization

        call_command("migrate", verbosity=0)
        year = datetime.date.today().year - 1
        start = time.perf_counter()
        build_agency(branches, year)
        organizations = Organization.objects.all()
        print(
            f"synthetic agency: {organizations.count()} organizations ({branches} branches), "
            f"{Meeting.objects.count()} meetings of {year}, built in "
            f"{time.perf_counter() - start:.0f} s, {connection.vendor} "
            f"{connection.cursor().connection.info.server_version}"
        )
        services.compliance(organizations, year)  # warm
        general = Organization.objects.filter(depth=2).order_by("path").first()
        subtree = Organization.objects.filter(path__startswith=general.path)
        results = {
            f"engine, whole agency ({branches} branches)": timed(
                lambda: services.compliance(organizations, year), runs
            ),
            "engine, one general branch (100 branches)": timed(
                lambda: services.compliance(subtree, year), runs
            ),
        }
        rows = services.compliance(organizations, year)
        print(f"engine: {len(rows)} rows")
        print(f"{'':44}{'median':>9}{'p95':>9}{'min':>9}{'max':>9}  (ms, {runs} runs)")
        for label, times in results.items():
            report(label, times)
        return 0
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        from django.db import connections

        connections.close_all()
        if keep:
            print(f"kept the database {BENCH_DB}")
        else:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="the demo agency on SQLite")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server for the large run")
    parser.add_argument("--branches", type=int, default=15000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL bench database")
    args = parser.parse_args()
    if args.postgres:
        return bench_postgres(args.postgres, args.branches, max(3, args.runs // 4), args.keep)
    var_dir = tempfile.mkdtemp(prefix="tongpin-bench-life-")
    try:
        setup_django(var_dir, None)
        return bench_sqlite(args.runs)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
