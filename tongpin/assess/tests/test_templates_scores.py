"""Templates (机关党建年度考核, 书记抓党建述职评议), manual scores by assessors, the secretary's
report entered once, and editing indicator systems."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongpin.assess import services
from tongpin.assess.models import (
    IndicatorItem,
    IndicatorSystem,
    ItemKind,
    RunStatus,
    Scale,
    Score,
    TemplateKind,
)
from tongpin.core.registry import indicators
from tongpin.core.services import attachments_of
from tongpin.orgs.models import Organization

pytestmark = pytest.mark.django_db

FAR = (datetime.date(2031, 1, 1), datetime.date(2031, 12, 31))


def office():
    return Organization.objects.get(name="办公室党支部")


def root():
    return Organization.objects.get(depth=1)


@pytest.mark.parametrize("kind", [TemplateKind.AGENCY_ANNUAL, TemplateKind.SECRETARY_REVIEW])
def test_templates_are_created_once_with_registered_indicators(kind):
    system = services.ensure_template(kind)
    count = system.items.count()
    assert services.ensure_template(kind) == system
    assert system.items.count() == count
    computed = system.items.filter(kind=ItemKind.COMPUTED).exclude(indicator="")
    assert computed.exists()
    assert all(item.indicator in dict(indicators) for item in computed)
    assert system.items.filter(kind=ItemKind.MANUAL).exists()


def test_agency_template_measures_what_the_system_holds():
    system = services.ensure_template(TemplateKind.AGENCY_ANNUAL)
    keys = set(system.items.values_list("indicator", flat=True))
    assert {
        "life.meeting_compliance",
        "life.talk_coverage",
        "study.monthly_activity",
        "work.on_time_completion",
        "work.goal_attainment",
        "assess.rectification_closure",
    } <= keys


def test_review_template_grades_by_review_grades():
    system = services.ensure_template(TemplateKind.SECRETARY_REVIEW)
    manual = system.items.filter(kind=ItemKind.MANUAL)
    assert manual.exists() and all(item.scale == Scale.GRADE for item in manual)


def test_start_page_offers_every_template(client_as):
    text = client_as("dangwei").get(reverse("assess:run_start")).content.decode()
    for name in ("四强党支部", "机关党建年度考核", "书记抓党建述职评议"):
        assert name in text


def test_goal_attainment_counts_goals_linked_to_the_branch(demo_user):
    from tongpin.orgs.models import Department
    from tongpin.work.indicators import goal_attainment
    from tongpin.work.models import BusinessGoal, PartyTask, TaskGoalLink

    branch = office()
    department = Department.objects.get(name="办公室")

    def goal(title, target, actual, deadline):
        return BusinessGoal.objects.create(
            year=deadline.year,
            department=department,
            title=title,
            target_value=target,
            actual_value=actual,
            deadline=deadline,
        )

    reached = goal("达标", 10, 12, datetime.date(2031, 6, 30))
    short = goal("未达标", 10, 7, datetime.date(2031, 9, 30))
    outside = goal("期外", 10, 12, datetime.date(2032, 3, 31))
    unlinked = goal("未关联", 10, 12, datetime.date(2031, 6, 30))
    task = PartyTask.objects.create(
        organization=branch,
        year=2031,
        title="服务目标",
        category="political",
        deadline=datetime.date(2031, 12, 31),
    )
    other = PartyTask.objects.create(
        organization=branch,
        year=2031,
        title="同一目标",
        category="political",
        deadline=datetime.date(2031, 12, 31),
    )
    for g in (reached, short, outside):
        TaskGoalLink.objects.create(task=task, goal=g)
    TaskGoalLink.objects.create(task=other, goal=reached)  # counted once
    value, evidence = goal_attainment(Organization.objects.filter(pk=branch.pk), *FAR)[branch.pk]
    assert value == 50.0
    assert [e[1] for e in evidence] == [reached.pk, short.pk]
    assert unlinked.pk not in {e[1] for e in evidence}


# ---- manual scores -------------------------------------------------------------------------


@pytest.fixture
def annual_run(demo_user):
    system = services.ensure_template(TemplateKind.AGENCY_ANNUAL)
    return services.start_run(system, root(), FAR, demo_user("dangwei"))


def highlight(run):
    return run.system.items.get(kind=ItemKind.MANUAL)


def test_an_assessor_scores_a_manual_item_with_evidence(annual_run, demo_user):
    dangwei = demo_user("dangwei")
    upload = SimpleUploadedFile("亮点材料.txt", "材料".encode())
    score = services.enter_score(
        annual_run,
        office(),
        highlight(annual_run),
        user=dangwei,
        points=Decimal("85"),
        note="创建学习品牌",
        files=[upload],
    )
    score.refresh_from_db()
    assert score.value == Decimal("85.0") and score.entered_by == dangwei
    assert [a.name for a in attachments_of(score)] == ["亮点材料.txt"]
    # audited: the change sits in the score's history with who made it
    assert score.history.filter(value=Decimal("85.0")).exists()
    # a refresh recomputes computed items, never a manual score
    services.refresh_run(annual_run, dangwei)
    assert Score.objects.get(pk=score.pk).value == Decimal("85.0")


def test_a_score_must_lie_in_the_item_range(annual_run, demo_user):
    item = highlight(annual_run)
    item.max_score = 10
    item.save()
    with pytest.raises(ValidationError):
        services.enter_score(annual_run, office(), item, user=demo_user("dangwei"), points=11)
    score = services.enter_score(
        annual_run, office(), item, user=demo_user("dangwei"), points=Decimal("7.5")
    )
    assert score.value == Decimal("75.0") and score.points == Decimal("7.5")


def test_the_assessed_branch_never_scores_itself(demo_user):
    system = services.ensure_template(TemplateKind.AGENCY_ANNUAL)
    shuji = demo_user("shuji")
    run = services.start_run(system, office(), FAR, shuji)  # shuji may run his own branch
    with pytest.raises(PermissionDenied):
        services.enter_score(run, office(), highlight(run), user=shuji, points=100)
    dangwei = demo_user("dangwei")
    annual = services.start_run(system, root(), FAR, dangwei)
    with pytest.raises(PermissionDenied):
        services.enter_score(annual, office(), highlight(annual), user=shuji, points=100)
    # nor does an assessor score the branch they belong to
    own = Organization.objects.get(name="机关党委办公室党支部")
    with pytest.raises(PermissionDenied):
        services.enter_score(annual, own, highlight(annual), user=dangwei, points=100)


def test_no_manual_score_once_the_run_is_closed(annual_run, demo_user):
    dangwei = demo_user("dangwei")
    services.close_run(annual_run, dangwei)
    with pytest.raises(PermissionDenied):
        services.enter_score(annual_run, office(), highlight(annual_run), user=dangwei, points=90)


def test_grades_score_the_review_items(demo_user):
    system = services.ensure_template(TemplateKind.SECRETARY_REVIEW)
    run = services.start_run(system, root(), FAR, demo_user("dangwei"))
    item = system.items.filter(kind=ItemKind.MANUAL).first()
    score = services.enter_score(
        run, office(), item, user=demo_user("dangwei"), grade="fairly_good"
    )
    assert score.value == Decimal("85") and score.get_grade_display() == "较好"
    with pytest.raises(ValidationError):
        services.enter_score(run, office(), item, user=demo_user("dangwei"), grade="")


def test_score_page_posts_a_manual_score(annual_run, client_as):
    item = highlight(annual_run)
    url = reverse("assess:score_enter", args=[annual_run.pk, office().pk, item.pk])
    data = {f"item{item.pk}-points": "101", f"item{item.pk}-note": "x"}
    assert client_as("dangwei").post(url, data).status_code == 400
    data[f"item{item.pk}-points"] = "90"
    assert client_as("dangwei").post(url, data).status_code == 302
    assert client_as("shuji").post(url, data).status_code in (403, 404)
    assert Score.objects.get(run=annual_run, organization=office(), item=item).value == 90


def test_the_secretary_report_is_entered_once_and_read_by_reviewers(demo_user, client_as):
    system = services.ensure_template(TemplateKind.SECRETARY_REVIEW)
    run = services.start_run(system, root(), FAR, demo_user("dangwei"))
    services.save_secretary_report(run, office(), user=demo_user("shuji"), text="一年来抓党建情况")
    services.save_secretary_report(run, office(), user=demo_user("shuji"), text="修改后的述职")
    assert run.secretary_reports.count() == 1
    with pytest.raises(PermissionDenied):
        services.save_secretary_report(run, office(), user=demo_user("shuji2"), text="不是本支部")
    page = client_as("dangwei").get(reverse("assess:feedback", args=[run.pk, office().pk]))
    text = page.content.decode()
    assert "修改后的述职" in text and 'data-testid="score-form"' in text


# ---- editing indicator systems ---------------------------------------------------------------


def test_weights_are_edited_and_history_kept(demo_user, client_as):
    system = services.ensure_four_strong_template()  # only open runs use it
    item = system.items.get(indicator="life.talk_coverage")
    response = client_as("dangwei").post(
        reverse("assess:item_edit", args=[item.pk]),
        {
            "label": item.label,
            "weight": "30",
            "kind": "computed",
            "indicator": "life.talk_coverage",
            "scale": "points",
            "max_score": "100",
            "order": item.order,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.weight == 30
    assert item.history.count() >= 2
    history = client_as("dangwei").get(reverse("assess:system_history", args=[system.pk]))
    assert history.status_code == 200
    assert client_as("shuji").get(reverse("assess:item_edit", args=[item.pk])).status_code == 403


def test_a_system_with_closed_runs_is_copied_not_edited(demo_user):
    dangwei = demo_user("dangwei")
    system = services.ensure_template(TemplateKind.AGENCY_ANNUAL)
    run = services.start_run(system, root(), FAR, dangwei)
    services.close_run(run, dangwei)
    item = system.items.first()
    with pytest.raises(ValidationError):
        services.save_item(system, item, user=dangwei, weight=99)
    with pytest.raises(ValidationError):
        services.save_item(system, None, user=dangwei, label="新增", kind=ItemKind.MANUAL)
    copy = services.copy_system(system, user=dangwei, name="副本")
    assert copy.items.count() == system.items.count()
    assert not set(copy.items.values_list("pk", flat=True)) & set(
        system.items.values_list("pk", flat=True)
    )
    copied = copy.items.get(label=item.label)
    services.save_item(copy, copied, user=dangwei, weight=99)
    assert IndicatorItem.objects.get(pk=item.pk).weight != 99
    # the tree is kept: children of the copy hang on the copy's parents
    review = services.copy_system(
        services.ensure_template(TemplateKind.SECRETARY_REVIEW), user=dangwei
    )
    assert all(i.parent.system_id == review.pk for i in review.items.exclude(parent=None))


def test_an_unknown_indicator_is_refused(demo_user):
    system = IndicatorSystem.objects.create(name="自定义")
    with pytest.raises(ValidationError):
        services.save_item(
            system,
            None,
            user=demo_user("dangwei"),
            label="x",
            kind=ItemKind.COMPUTED,
            indicator="nope.nothing",
        )
    with pytest.raises(PermissionDenied):
        services.save_item(system, None, user=demo_user("zongzhi"), label="x")


def test_run_status_of_demo_closed_run():
    from tongpin.assess.models import AssessmentRun

    assert AssessmentRun.objects.filter(status=RunStatus.CLOSED).exists()


def test_drill_down_links_records_that_have_a_page(demo_user, client_as):
    from tongpin.study.models import StudySession, StudyTier

    session = StudySession.objects.create(
        organization=office(),
        tier=StudyTier.values[0],
        topic="专题学习",
        held_on=datetime.date(2031, 5, 6),
        hours=1,
    )
    run = services.start_run(
        services.ensure_four_strong_template(), office(), FAR, demo_user("shuji")
    )
    score = run.scores.get(organization=office(), item__indicator="study.monthly_activity")
    text = client_as("shuji").get(reverse("assess:score", args=[score.pk])).content.decode()
    assert f'href="{reverse("study:session", args=[session.pk])}"' in text


def test_an_order_beyond_the_column_is_a_form_error_not_a_500(demo_user, client_as):
    """The order is a small integer column: PostgreSQL refused 99999 with a DataError (500)."""
    system = services.ensure_four_strong_template()
    item = system.items.get(indicator="life.talk_coverage")
    response = client_as("dangwei").post(
        reverse("assess:item_edit", args=[item.pk]),
        {
            "label": item.label,
            "weight": "1",
            "kind": "computed",
            "indicator": "life.talk_coverage",
            "scale": "points",
            "max_score": "100",
            "order": "99999",
        },
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.order != 99999
