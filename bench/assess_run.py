"""Bench: an assessment run computed from the records (``tongpin.assess.services.start_run``).

A throwaway SQLite database in a temporary ``TONGPIN_VAR_DIR``, the demo agency (600 members,
its year of meetings, tasks, study sessions, rectification items and survey), then, for each
template (四强党支部, 机关党建年度考核, 书记抓党建述职评议), a run over this year for the whole
agency — every branch scored from the records, nothing entered — timed with its query count;
then the run page, the rankings and one branch's feedback report (.docx) as ``dangwei``.
The query count of a run does not grow with the number of branches: each registered indicator
computes every organization at once (``core.indicators``).

Target: a whole-agency run of any template, median ≤ 1 s (the user waits for it once per
period, on a button).

Run: ``.venv/bin/python bench/assess_run.py [--runs 10]``.
"""

import argparse
import datetime
import shutil
import statistics
import sys
import tempfile
import time

from harness import percentile, setup_django

TARGET_MS = 1000


def timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label, times):
    print(
        f"{label:48}{statistics.median(times):9.1f}{percentile(times, 0.95):9.1f}"
        f"{min(times):9.1f}{max(times):9.1f}"
    )


def bench(runs: int) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from tongpin.accounts.models import User
    from tongpin.assess import services
    from tongpin.assess.models import Score, TemplateKind
    from tongpin.demo.services import load_demo
    from tongpin.orgs.models import Organization

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    load_demo()
    print(
        f"demo agency loaded in {time.perf_counter() - start:.1f} s, database {connection.vendor}"
    )
    dangwei = User.objects.get(username="dangwei")
    root = Organization.objects.get(depth=1)
    year = timezone.localdate().year
    period = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    branches = services.branches_in(root).count()
    results, last_run = {}, None
    for kind in (
        TemplateKind.FOUR_STRONG,
        TemplateKind.AGENCY_ANNUAL,
        TemplateKind.SECRETARY_REVIEW,
    ):
        system = services.ensure_template(kind)
        with CaptureQueriesContext(connection) as context:
            last_run = services.start_run(system, root, period, dangwei)
        scores = Score.objects.filter(run=last_run).count()
        print(
            f"{system.name}: {branches} branches, {scores} scores, "
            f"{len(context.captured_queries)} queries"
        )
        results[f"run: {system.name}"] = timed(
            lambda system=system: services.start_run(system, root, period, dangwei), runs
        )
    services.close_run(last_run, dangwei)
    client = Client()
    client.force_login(dangwei)
    office = Organization.objects.get(name="办公室党支部")
    pages = {
        "run page as dangwei": reverse("assess:run", args=[last_run.pk]),
        "rankings of the closed run": reverse("assess:ranking", args=[last_run.pk]),
        "feedback report (.docx) of one branch": reverse(
            "assess:feedback_docx", args=[last_run.pk, office.pk]
        ),
    }
    for label, url in pages.items():
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        results[label] = timed(lambda url=url: client.get(url), runs)
    print(f"{'':48}{'median':>9}{'p95':>9}{'min':>9}{'max':>9}  (ms, {runs} runs)")
    for label, times in results.items():
        report(label, times)
    worst = max(statistics.median(t) for label, t in results.items() if label.startswith("run:"))
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"slowest run median {worst:.1f} ms {verdict} the {TARGET_MS} ms target")
    return 0 if worst <= TARGET_MS else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="tongpin-bench-assess-")
    try:
        setup_django(var_dir)
        return bench(args.runs)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
