import ast
import datetime
import inspect
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tongpin.assess import services
from tongpin.assess.models import AssessmentRun, ItemKind, RunStatus, Score
from tongpin.core.registry import indicators
from tongpin.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db

# rules.md, 为基层减负: no indicator reads logins, page views, time online, points, likes,
# check-ins or study duration: names the code uses, and strings it passes (lookups, imports)
FORBIDDEN_NAMES = {
    "Session",
    "AuditEvent",
    "last_login",
    "CheckIn",
    "check_in",
    "checkin_open",
    "Attendance",
    "hours",
    "hours_by_member",
    "training_hours",
}
FORBIDDEN_TEXT = re.compile(
    r"\bsessions?\b|last_login|check(ed)?_?in|attendance|hours|page_?view|online|点赞|积分|签到|打卡",
    re.I,
)
FAR = (datetime.date(2031, 1, 1), datetime.date(2031, 12, 31))


def office():
    return Organization.objects.get(name="办公室党支部")


def task(organization, title, deadline, completed_on=None):
    from tongpin.work.models import PartyTask, TaskCategory

    return PartyTask.objects.create(
        organization=organization,
        year=deadline.year,
        title=title,
        category=TaskCategory.values[0],
        deadline=deadline,
        completed_on=completed_on,
    )


def test_required_indicators_are_registered():
    keys = dict(indicators)
    for key in (
        "life.meeting_compliance",
        "life.talk_coverage",
        "work.on_time_completion",
        "study.monthly_activity",
    ):
        assert key in keys
        assert keys[key].label and callable(keys[key].compute)


def forbidden_in(source: str) -> list:
    """Forbidden names and lookups in ``source`` (docstrings and comments left out)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        name = getattr(node, "id", None) or getattr(node, "attr", None)
        if isinstance(node, ast.ImportFrom):
            found += [a.name for a in node.names if a.name in FORBIDDEN_NAMES]
            found += [node.module] if FORBIDDEN_TEXT.search(node.module or "") else []
        if name in FORBIDDEN_NAMES:
            found.append(name)
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and id(node) not in docstrings and FORBIDDEN_TEXT.search(text):
            found.append(text)
        if isinstance(node, ast.keyword) and node.arg and FORBIDDEN_TEXT.search(node.arg):
            found.append(node.arg)
    return found


def test_the_scan_catches_forbidden_reads():
    assert forbidden_in("from django.contrib.sessions.models import Session")
    assert forbidden_in("User.objects.filter(last_login__gte=start)")
    assert forbidden_in("x.values('attendance__checked_in_at')")
    assert forbidden_in("Sum('hours')")
    assert not forbidden_in("StudySession.objects.filter(held_on__gte=start)")


def test_no_indicator_reads_forbidden_data():
    for key, indicator in indicators:
        source = inspect.getsource(inspect.getmodule(indicator.compute))
        assert not forbidden_in(source), (key, forbidden_in(source))


def test_four_strong_template():
    system = services.ensure_four_strong_template()
    assert services.ensure_four_strong_template() == system
    tops = system.items.filter(parent=None).order_by("order")
    assert [t.label for t in tops] == ["政治功能强", "支部班子强", "党员队伍强", "作用发挥强"]
    for top in tops:
        children = list(top.children.all())
        assert children and all(c.kind == ItemKind.COMPUTED for c in children)
        assert all(c.indicator in dict(indicators) for c in children)


def test_start_run_computes_every_branch_without_input(demo_user):
    system = services.ensure_four_strong_template()
    root = Organization.objects.get(depth=1)
    run = services.start_run(system, root, FAR, demo_user("dangwei"))
    branches = set(services.branches_in(root).values_list("pk", flat=True))
    leaves = system.items.exclude(parent=None).count()
    assert branches
    assert run.scores.count() == len(branches) * leaves
    assert set(run.scores.values_list("organization_id", flat=True)) == branches
    assert not run.scores.exclude(entered_by=None).exists()


def test_start_run_needs_reach(demo_user):
    system = services.ensure_four_strong_template()
    with pytest.raises(PermissionDenied):
        services.start_run(system, Organization.objects.get(depth=1), FAR, demo_user("shuji"))


def test_drill_down_lists_exactly_the_records_counted(demo_user):
    branch = office()
    on_time = task(branch, "按时", datetime.date(2031, 3, 31), datetime.date(2031, 3, 30))
    late = task(branch, "逾期完成", datetime.date(2031, 4, 30), datetime.date(2031, 5, 3))
    still_open = task(branch, "未完成", datetime.date(2031, 6, 30))
    task(branch, "期外", datetime.date(2032, 1, 5), datetime.date(2032, 1, 1))
    system = services.ensure_four_strong_template()
    run = services.start_run(system, branch, FAR, demo_user("shuji"))
    score = run.scores.get(organization=branch, item__indicator="work.on_time_completion")
    assert score.value == Decimal("33.3")
    counted = services.drill_down(score)
    assert [(e["model"], e["object_id"]) for e in counted] == [
        ("work.partytask", on_time.pk),
        ("work.partytask", late.pk),
        ("work.partytask", still_open.pk),
    ]


def test_closing_freezes_scores(demo_user):
    branch = office()
    pending = task(branch, "冻结", datetime.date(2031, 3, 31))
    system = services.ensure_four_strong_template()
    user = demo_user("shuji")
    run = services.start_run(system, branch, FAR, user)
    key = {"organization": branch, "item__indicator": "work.on_time_completion"}
    assert run.scores.get(**key).value == 0
    pending.completed_on = datetime.date(2031, 3, 1)
    pending.save()
    services.refresh_run(run, user)  # an open run follows the records
    assert run.scores.get(**key).value == 100
    services.close_run(run, user)
    frozen = list(run.scores.values_list("pk", "value", "evidence"))
    pending.completed_on = None
    pending.save()
    with pytest.raises(ValueError):
        services.refresh_run(run, user)
    run.refresh_from_db()
    assert run.status == RunStatus.CLOSED
    assert list(run.scores.values_list("pk", "value", "evidence")) == frozen


def test_weighted_total_leaves_out_items_that_do_not_apply(demo_user):
    branch = office()
    task(branch, "按时", datetime.date(2031, 3, 31), datetime.date(2031, 3, 1))
    run = services.start_run(
        services.ensure_four_strong_template(), branch, FAR, demo_user("shuji")
    )
    Score.objects.filter(run=run).exclude(item__indicator="work.on_time_completion").update(
        value=None
    )
    _tops, _leaves, rows = services.table(run, demo_user("shuji"))
    assert [row.total for row in rows] == [Decimal("100.0")]


def test_pages(client_as):
    run = AssessmentRun.objects.order_by("pk").first()
    client = client_as("dangwei")
    assert client.get(reverse("assess:runs")).status_code == 200
    page = client.get(reverse("assess:run", args=[run.pk]))
    assert page.status_code == 200 and "办公室党支部" in page.content.decode()
    score = run.scores.filter(organization__name="办公室党支部").exclude(evidence=[]).first()
    text = client.get(reverse("assess:score", args=[score.pk])).content.decode()
    assert all(f'data-id="{entry[1]}"' in text for entry in score.evidence)
    export = client.get(reverse("assess:run_export", args=[run.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    assert client_as("sysadmin").get(reverse("assess:runs")).status_code == 403


def test_branch_secretary_sees_only_own_line(client_as):
    run = AssessmentRun.objects.order_by("pk").first()
    text = client_as("shuji").get(reverse("assess:run", args=[run.pk])).content.decode()
    assert "办公室党支部" in text
    others = Organization.objects.filter(kind=OrgKind.BRANCH).exclude(name="办公室党支部")
    assert not any(f"<td>{org.name}</td>" in text for org in others)


def test_start_page_creates_a_run(client_as):
    system = services.ensure_four_strong_template()
    response = client_as("shuji").post(
        reverse("assess:run_start"),
        {
            "system": system.pk,
            "organization": office().pk,
            "period_start": "2031-01-01",
            "period_end": "2031-12-31",
        },
    )
    run = AssessmentRun.objects.latest("pk")
    assert response.status_code == 302 and run.organization == office()


def test_api_is_read_only(api_as):
    client = api_as("dangwei")
    assert client.get(reverse("api:assess-run-list")).status_code == 200
    assert client.post(reverse("api:assess-run-list"), {}).status_code in (403, 405)
    assert client.get(reverse("api:assess-score-list")).status_code == 200


def test_a_period_ending_at_the_end_of_time_is_refused_not_a_500(client_as):
    """A period running to 9999-12-31 overflowed the date arithmetic of the indicators (500),
    and one from year 1 made them loop over thousands of years: the form refuses both."""
    system = services.ensure_four_strong_template()
    client = client_as("shuji")
    before = AssessmentRun.objects.count()
    for start, end in (("2031-01-01", "9999-12-31"), ("0001-01-01", "2031-12-31")):
        response = client.post(
            reverse("assess:run_start"),
            {
                "system": system.pk,
                "organization": office().pk,
                "period_start": start,
                "period_end": end,
            },
        )
        assert response.status_code == 200
        assert "请选择 2000 年至 2100 年之间的日期" in response.content.decode()
    assert AssessmentRun.objects.count() == before
