"""Rectification items (问题整改): raised from a score, rectified and reported by the branch,
verified and closed out (销号) by the level above; overdue items go to supervision; the closure
rate feeds the next period's run."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tongpin.assess import rectification, services
from tongpin.assess.indicators import rectification_closure
from tongpin.assess.models import RectificationItem, TemplateKind
from tongpin.core.loops import LoopStage
from tongpin.core.services import attachments_of
from tongpin.members.models import Member
from tongpin.orgs.models import Organization

pytestmark = pytest.mark.django_db

FAR = (datetime.date(2031, 1, 1), datetime.date(2031, 12, 31))
TODAY = datetime.date(2031, 3, 1)


def office():
    return Organization.objects.get(name="办公室党支部")


@pytest.fixture
def run(demo_user):
    system = services.ensure_four_strong_template()
    return services.start_run(system, Organization.objects.get(depth=1), FAR, demo_user("dangwei"))


@pytest.fixture
def item(run, demo_user):
    score = run.scores.filter(organization=office()).first()
    return rectification.create_item(
        office(),
        user=demo_user("dangwei"),
        problem="组织生活不规范",
        deadline=datetime.date(2031, 4, 30),
        owner=Member.objects.get(user=demo_user("shuji")),
        score=score,
    )


def test_the_full_loop(item, demo_user):
    shuji, dangwei = demo_user("shuji"), demo_user("dangwei")
    assert item.loop_stage == LoopStage.DEPLOYED
    assert item.verifying_organization().depth == 1  # the run's organization
    rectification.save_measures(item, user=shuji, measures="制定整改方案")
    assert item.loop_stage == LoopStage.IMPLEMENTING
    upload = SimpleUploadedFile("整改.txt", "已整改".encode())
    rectification.report(item, user=shuji, text="已整改到位", files=[upload], today=TODAY)
    assert item.loop_stage == LoopStage.REPORTED
    assert [a.name for a in attachments_of(item)] == ["整改.txt"]
    with pytest.raises(PermissionDenied):  # the branch never verifies itself
        rectification.verify(item, user=shuji, passed=True)
    with pytest.raises(ValidationError):  # closing needs verification first
        rectification.close(item, user=dangwei)
    rectification.verify(item, user=dangwei, passed=True, note="属实", today=TODAY)
    assert item.loop_stage == LoopStage.VERIFIED and item.verified_by == dangwei
    with pytest.raises(PermissionDenied):
        rectification.close(item, user=shuji)
    rectification.close(item, user=dangwei, today=TODAY)
    item.refresh_from_db()
    assert item.loop_stage == LoopStage.CLOSED and item.closed_on == TODAY
    assert item.history.count() >= 5


def test_a_returned_report_goes_back_to_the_branch(item, demo_user):
    shuji, dangwei = demo_user("shuji"), demo_user("dangwei")
    rectification.report(item, user=shuji, text="已整改", today=TODAY)
    rectification.verify(item, user=dangwei, passed=False, note="材料不全", today=TODAY)
    assert item.loop_stage == LoopStage.IMPLEMENTING and item.returned_on == TODAY
    rectification.report(item, user=shuji, text="补充材料", today=TODAY)
    assert item.loop_stage == LoopStage.REPORTED


def test_only_the_level_above_raises_items(run, demo_user):
    for username in ("shuji", "shuji2", "zongzhi"):
        with pytest.raises(PermissionDenied):
            rectification.create_item(
                office(),
                user=demo_user(username),
                problem="x",
                deadline=datetime.date(2031, 4, 30),
                run=run,
            )
    with pytest.raises(ValidationError):  # the owner must belong to the branch
        rectification.create_item(
            office(),
            user=demo_user("dangwei"),
            problem="x",
            deadline=datetime.date(2031, 4, 30),
            run=run,
            owner=Member.objects.exclude(branch=office()).first(),
        )


def test_others_neither_report_nor_read(item, demo_user, client_as):
    with pytest.raises(PermissionDenied):
        rectification.report(item, user=demo_user("shuji2"), text="x")
    url = reverse("assess:rectification", args=[item.pk])
    assert client_as("shuji2").get(url).status_code == 404
    assert client_as("shuji").get(url).status_code == 200


def test_overdue_and_awaiting_items_go_to_supervision(item, demo_user):
    dangwei, shuji = demo_user("dangwei"), demo_user("shuji")
    url = reverse("assess:rectification", args=[item.pk])

    def rows(user, today):
        return [row for row in rectification.supervision_rows(user, today) if row.url == url]

    late = datetime.date(2031, 5, 10)
    assert rows(dangwei, late)[0].overdue
    assert rows(shuji, late)  # the branch sees its own
    assert not rows(demo_user("shuji2"), late)
    assert not rows(dangwei, TODAY)  # neither late nor reported
    rectification.report(item, user=shuji, text="已整改", today=TODAY)
    assert rows(dangwei, TODAY)[0].awaiting_verification  # awaiting verification
    rectification.verify(item, user=dangwei, passed=True, today=TODAY)
    rectification.close(item, user=dangwei, today=TODAY)
    assert not rows(dangwei, late)


def test_closure_rate_feeds_the_next_run(item, demo_user):
    shuji, dangwei = demo_user("shuji"), demo_user("dangwei")
    other = rectification.create_item(
        office(), user=dangwei, problem="另一问题", deadline=datetime.date(2031, 6, 30)
    )
    orgs = Organization.objects.filter(pk=office().pk)
    value, evidence = rectification_closure(orgs, *FAR)[office().pk]
    assert value == 0 and {e[1] for e in evidence} == {item.pk, other.pk}
    rectification.report(item, user=shuji, text="已整改", today=TODAY)
    rectification.verify(item, user=dangwei, passed=True, today=TODAY)
    rectification.close(item, user=dangwei, today=TODAY)
    assert rectification_closure(orgs, *FAR)[office().pk][0] == 50.0
    # a later run of the agency template reads it as an item
    annual = services.ensure_template(TemplateKind.AGENCY_ANNUAL)
    run = services.start_run(annual, office(), FAR, shuji)
    score = run.scores.get(organization=office(), item__indicator="assess.rectification_closure")
    assert score.value == Decimal("50.0")
    assert [e["object_id"] for e in services.drill_down(score)] == [item.pk, other.pk]


def test_pages_walk_the_loop(run, client_as, demo_user):
    dangwei, shuji = client_as("dangwei"), client_as("shuji")
    score = run.scores.filter(organization=office()).first()
    url = reverse("assess:rectification_create", args=[run.pk, office().pk])
    response = dangwei.post(
        f"{url}?score={score.pk}",
        {"problem": "会议记录不全", "deadline": "2031-04-30", "measures": ""},
    )
    assert response.status_code == 302
    item = RectificationItem.objects.latest("pk")
    assert item.score == score and item.run == run
    report = reverse("assess:rectification_report", args=[item.pk])
    assert shuji.post(report, {"text": "已补全记录"}).status_code == 302
    verify = reverse("assess:rectification_verify", args=[item.pk])
    assert shuji.post(verify, {"passed": "1"}).status_code == 403
    assert dangwei.post(verify, {"passed": "1", "note": "属实"}).status_code == 302
    close = reverse("assess:rectification_close", args=[item.pk])
    assert dangwei.post(close).status_code == 302
    item.refresh_from_db()
    assert item.loop_stage == LoopStage.CLOSED
    text = dangwei.get(reverse("assess:rectification", args=[item.pk])).content.decode()
    assert 'data-step="closed" aria-current="step" data-current="1"' in text
    listing = dangwei.get(reverse("assess:rectification_export"))
    assert listing["Content-Type"].startswith("application/vnd")


def test_api_actions(item, api_as):
    shuji, dangwei = api_as("shuji"), api_as("dangwei")
    report = reverse("api:assess-rectification-report", args=[item.pk])
    assert shuji.post(report, {"text": "已整改"}).status_code == 200
    verify = reverse("api:assess-rectification-verify", args=[item.pk])
    assert shuji.post(verify, {"passed": True}).status_code == 403
    assert dangwei.post(verify, {"passed": True}).status_code == 200
    close = reverse("api:assess-rectification-close", args=[item.pk])
    data = dangwei.post(close).json()
    assert data["loop_stage"] == "closed"
    assert (
        api_as("shuji2").get(reverse("api:assess-rectification-detail", args=[item.pk])).status_code
        == 404
    )


def test_work_supervision_page_lists_overdue_rectification_items(client_as):
    overdue = RectificationItem.objects.filter(
        closed_on=None, verified_on=None, deadline__lt=timezone.localdate()
    ).first()
    assert overdue is not None  # the demo has one
    text = client_as("dangwei").get(reverse("work:supervision")).content.decode()
    assert reverse("assess:rectification", args=[overdue.pk]) in text


def test_an_ordinary_member_made_responsible_opens_and_reports_the_item(run, demo_user, client_as):
    """The responsible person is told of the item and may report it (loop_may_report): the
    link in their notification must open it, and the report button must work, even for an
    ordinary member of the branch."""
    dangyuan = demo_user("dangyuan")
    item = rectification.create_item(
        office(),
        user=demo_user("dangwei"),
        problem="学习记录不全",
        deadline=datetime.date(2031, 4, 30),
        owner=Member.objects.get(user=dangyuan),
        run=run,
    )
    client = client_as("dangyuan")
    url = reverse("assess:rectification", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("assess:rectification_report", args=[item.pk]), {"text": "已补齐学习记录"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.loop_stage == LoopStage.REPORTED
