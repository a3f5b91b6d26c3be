"""Bench: the yearly plan page of the 机关党委 holding 2,000 items.

Builds a throwaway SQLite database in a temporary directory (``TONGPIN_VAR_DIR``), loads the demo
agency (its own plan included), then adds business goals and committee tasks until the
committee's plan shows 2,000 items (goals + party tasks, each task linked to one or two goals,
one in ten linked to none) and deploys 40 of the tasks to all 25 branches (1,000 more tasks below,
counted in the roll-ups). It times ``/work/`` as ``dangwei`` through Django's test client, warm,
and prints the median and p95 in ms and the number of queries. Target: median ≤ 150 ms.
Run: ``.venv/bin/python bench/work_plan.py [--requests 30] [--items 2000]``.
"""

import argparse
import datetime
import random
import shutil
import statistics
import sys
import tempfile
import time

from harness import percentile, setup_django, timed_get

TARGET_MS = 150


def grow_plan(items: int, deployed: int, today):
    """Add goals and committee tasks (bulk, like an import) until the root plan shows ``items``."""
    from tongpin.accounts.models import User
    from tongpin.orgs.models import Department, Organization, OrgKind
    from tongpin.work import services
    from tongpin.work.models import BusinessGoal, PartyTask, TaskCategory, TaskGoalLink

    rng = random.Random(7)
    root = Organization.objects.get(depth=1)
    staff = User.objects.get(username="dangwei")
    year = today.year
    plan = services.build_plan(staff, root, year, today)
    have_goals, have_tasks = len(plan.goals), len(plan.tasks)
    goal_count = max(0, items // 5 - have_goals)  # about one goal to four tasks
    task_count = max(0, items - have_goals - have_tasks - goal_count)
    departments = list(Department.objects.all())
    BusinessGoal.objects.bulk_create(
        BusinessGoal(
            year=year,
            department=departments[n % len(departments)],
            title=f"重点工作{n + 1:04d}",
            target_value=100,
            unit="项",
            deadline=today + datetime.timedelta(days=rng.randrange(-30, 300)),
            actual_value=rng.choice([None, 20, 50, 80]),
        )
        for n in range(goal_count)
    )
    goals = list(BusinessGoal.objects.filter(year=year).values_list("pk", flat=True))
    categories = list(TaskCategory.values)
    PartyTask.objects.bulk_create(
        PartyTask(
            year=year,
            organization=root,
            title=f"党建任务{n + 1:04d}",
            category=categories[n % len(categories)],
            deadline=today + datetime.timedelta(days=rng.randrange(-30, 300)),
            progress=rng.choice([0, 0, 30, 60, 100]),
            completed_on=None,
        )
        for n in range(task_count)
    )
    new_tasks = list(
        PartyTask.objects.filter(organization=root, title__startswith="党建任务").order_by("pk")
    )
    links = []
    for task in new_tasks:
        if rng.random() < 0.1:
            continue  # a disconnect finding
        for goal_id in rng.sample(goals, rng.choice([1, 1, 2])):
            links.append(TaskGoalLink(task=task, goal_id=goal_id))
    TaskGoalLink.objects.bulk_create(links)
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH))
    for task in new_tasks[:deployed]:
        services.deploy_task(task, user=staff, targets=branches)
    plan = services.build_plan(staff, root, year, today)
    return len(plan.goals), len(plan.tasks), PartyTask.objects.count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--deployed", type=int, default=40)
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
        from django.utils import timezone

        from tongpin.accounts.models import User
        from tongpin.demo.services import load_demo

        call_command("migrate", verbosity=0)
        today = timezone.localdate()
        start = time.perf_counter()
        load_demo()
        goals, tasks, all_tasks = grow_plan(args.items, args.deployed, today)
        print(
            f"机关党委 plan: {goals} business goals + {tasks} party tasks = {goals + tasks} items; "
            f"{all_tasks} party tasks in the agency (built in {time.perf_counter() - start:.1f} s), "
            f"database {connection.vendor}"
        )

        client = Client()
        client.force_login(User.objects.get(username="dangwei"))
        url = reverse("work:plan")
        timed_get(client, url, {}, 5)  # warm: templates, translations, caches
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        queries = len(context.captured_queries)
        sql_ms = sum(float(q["time"]) for q in context.captured_queries) * 1000
        size_kb = len(response.content) / 1024

        results = {"plan of the 机关党委 (dangwei)": timed_get(client, url, {}, args.requests)}
        secretary = Client()
        secretary.force_login(User.objects.get(username="zongzhi"))
        timed_get(secretary, url, {}, 3)
        results["plan of 第一党总支 (zongzhi)"] = timed_get(secretary, url, {}, args.requests)
        results["disconnect check (dangwei)"] = timed_get(
            client, reverse("work:disconnect"), {}, max(5, args.requests // 3)
        )

        print(f"{'':32}{'median':>9}{'p95':>9}{'min':>9}{'max':>9}  (ms)")
        for label, times in results.items():
            print(
                f"{label:32}{statistics.median(times):9.1f}{percentile(times, 0.95):9.1f}"
                f"{min(times):9.1f}{max(times):9.1f}"
            )
        print(
            f"queries per plan page: {queries} ({sql_ms:.1f} ms in the database), "
            f"page {size_kb:.0f} KB"
        )
        median = statistics.median(results["plan of the 机关党委 (dangwei)"])
        verdict = "meets" if median <= TARGET_MS else "MISSES"
        print(f"plan page median {median:.1f} ms {verdict} the {TARGET_MS} ms target")
        return 0 if median <= TARGET_MS else 1
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
