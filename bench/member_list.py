"""Bench: the member list page with 5000 members.

Builds a throwaway SQLite database in a temporary directory (``TONGPIN_VAR_DIR``), loads the demo
agency with 5000 members, then times the list page as ``dangwei`` (agency committee staff, who
sees everyone) through Django's test client, warm, and prints the median and p95 in ms and the
number of queries per page. Target: median ≤ 100 ms. Run: ``make bench`` or
``.venv/bin/python bench/member_list.py [--requests 50] [--members 5000]``.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time

from harness import percentile, setup_django, timed_get

TARGET_MS = 100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="tongpin-bench-")
    try:
        setup_django(var_dir)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from tongpin.accounts.models import User
        from tongpin.demo.services import load_demo
        from tongpin.members.models import Member

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        load_demo(members=args.members)
        print(
            f"demo agency: {Member.objects.count()} members "
            f"(loaded in {time.perf_counter() - start:.1f} s), database {connection.vendor}"
        )

        client = Client()
        client.force_login(User.objects.get(username="dangwei"))
        url = reverse("members:list")
        timed_get(client, url, {}, 5)  # warm: templates, translations, caches

        with CaptureQueriesContext(connection) as context:
            client.get(url)
        queries = len(context.captured_queries)
        sql_ms = sum(float(q["time"]) for q in context.captured_queries) * 1000

        results = {
            "list, first page": timed_get(client, url, {}, args.requests),
            "list, page 40": timed_get(client, url, {"page": 40}, args.requests),
        }
        client.defaults["HTTP_HX_REQUEST"] = "true"
        results["search-as-you-type (HTMX)"] = timed_get(client, url, {"q": "王"}, args.requests)
        # a secretary's list filters by the tree path (a join and a LIKE on every query)
        secretary = Client()
        secretary.force_login(User.objects.get(username="zongzhi"))
        timed_get(secretary, url, {}, 5)
        results["list as zongzhi (subtree)"] = timed_get(secretary, url, {}, args.requests)

        print(f"{'':28}{'median':>9}{'p95':>9}{'min':>9}{'max':>9}  (ms, {args.requests} requests)")
        for label, times in results.items():
            print(
                f"{label:28}{statistics.median(times):9.1f}{percentile(times, 0.95):9.1f}"
                f"{min(times):9.1f}{max(times):9.1f}"
            )
        print(f"queries per list page: {queries} ({sql_ms:.1f} ms in the database)")
        median = statistics.median(results["list, first page"])
        verdict = "meets" if median <= TARGET_MS else "MISSES"
        print(f"first page median {median:.1f} ms {verdict} the {TARGET_MS} ms target")
        return 0 if median <= TARGET_MS else 1
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
