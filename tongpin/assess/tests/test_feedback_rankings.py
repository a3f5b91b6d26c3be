"""The feedback report (page, Excel, .docx), rankings of closed runs (亮相赛马) and the
评先评优 candidates; and no indicator module reads forbidden data (rules.md, 为基层减负)."""

import datetime
import inspect
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

import tongpin
from tongpin.assess import feedback, rectification, services
from tongpin.assess.models import ItemKind, Score, TemplateKind
from tongpin.assess.tests.test_assess import forbidden_in
from tongpin.core.registry import indicators
from tongpin.orgs.models import Organization

pytestmark = pytest.mark.django_db

FAR = (datetime.date(2031, 1, 1), datetime.date(2031, 12, 31))


def office():
    return Organization.objects.get(name="办公室党支部")


@pytest.fixture
def annual_run(demo_user):
    system = services.ensure_template(TemplateKind.AGENCY_ANNUAL)
    return services.start_run(system, Organization.objects.get(depth=1), FAR, demo_user("dangwei"))


def test_low_scores_are_proposed_as_rectification_items(annual_run, demo_user):
    dangwei = demo_user("dangwei")
    highlight = annual_run.system.items.get(kind=ItemKind.MANUAL)
    low = services.enter_score(
        annual_run, office(), highlight, user=dangwei, points=40, note="无特色做法"
    )
    data = feedback.feedback(annual_run, office(), dangwei)
    assert low in data.problems
    assert all(score.value < 60 for score in data.problems)
    rectification.create_item(
        office(), user=dangwei, problem="补齐特色做法", deadline=FAR[1], score=low
    )
    data = feedback.feedback(annual_run, office(), dangwei)
    assert low not in data.problems  # proposed once
    assert [item.score_id for item in data.items] == [low.pk]
    with override_settings(TONGPIN={**_tongpin(), "ASSESS": {"problem_below": 30}}):
        assert not any(
            s.pk == low.pk for s in feedback.feedback(annual_run, office(), dangwei).problems
        )


def _tongpin():
    from django.conf import settings

    return settings.TONGPIN


def test_feedback_docx_reads_back(annual_run, demo_user, client_as):
    from docx import Document

    dangwei = demo_user("dangwei")
    highlight = annual_run.system.items.get(kind=ItemKind.MANUAL)
    services.enter_score(annual_run, office(), highlight, user=dangwei, points=40, note="无特色")
    rectification.create_item(
        office(), user=dangwei, problem="补齐特色做法", deadline=FAR[1], run=annual_run
    )
    response = client_as("shuji").get(
        reverse("assess:feedback_docx", args=[annual_run.pk, office().pk])
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "办公室党支部" in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "特色亮点" in cells and "40.0" in cells and "补齐特色做法 · 2031-12-31" in cells
    run = document.paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    export = client_as("shuji").get(
        reverse("assess:feedback_export", args=[annual_run.pk, office().pk])
    )
    assert export["Content-Type"].startswith("application/vnd")
    page = client_as("shuji").get(reverse("assess:feedback", args=[annual_run.pk, office().pk]))
    assert "补齐特色做法" in page.content.decode()
    # another branch's secretary reads none of it
    assert (
        client_as("shuji2")
        .get(reverse("assess:feedback", args=[annual_run.pk, office().pk]))
        .status_code
        == 404
    )


def _set_totals(run, totals: dict):
    """Every score of each organization set to its total (so the weighted total is it)."""
    for organization, total in totals.items():
        Score.objects.filter(run=run, organization=organization).update(value=total)


def test_ranking_orders_by_total_and_ties_share_a_rank(annual_run, demo_user, client_as):
    dangwei = demo_user("dangwei")
    # the office among them, so its secretary's own line has a rank
    others = services.branches_in(annual_run.organization).exclude(pk=office().pk)
    branches = [*others[:3], office()]
    Score.objects.filter(run=annual_run).update(value=None)
    _set_totals(
        annual_run,
        dict(zip(branches, [Decimal(90), Decimal(95), Decimal(90), Decimal(70)], strict=True)),
    )
    services.close_run(annual_run, dangwei)
    _tops, ranked = services.ranking(annual_run, dangwei)
    assert [(e.rank, e.row.organization, e.row.total) for e in ranked] == [
        (1, branches[1], Decimal("95.0")),
        (2, branches[0], Decimal("90.0")),
        (2, branches[2], Decimal("90.0")),
        (4, branches[3], Decimal("70.0")),
    ]
    page = client_as("dangwei").get(reverse("assess:ranking", args=[annual_run.pk]))
    assert page.status_code == 200 and branches[1].name in page.content.decode()
    # a branch secretary sees the branch's own line, ranked among all branches
    secretary = demo_user("shuji")
    _tops, own = services.ranking(annual_run, secretary)
    assert [e.row.organization for e in own] == [office()]
    everyone = services.ranking(annual_run, dangwei)[1]
    assert own[0].rank == next(e.rank for e in everyone if e.row.organization == office())


def test_ranking_needs_a_closed_run(annual_run, client_as):
    assert (
        client_as("dangwei").get(reverse("assess:ranking", args=[annual_run.pk])).status_code == 404
    )


def test_candidates_leave_out_organizations_with_overdue_items(annual_run, demo_user, client_as):
    dangwei = demo_user("dangwei")
    # branches with no rectification item of the demo (its overdue ones are left out too)
    branches = list(
        services.branches_in(annual_run.organization).filter(rectification_items=None)[:4]
    )
    Score.objects.filter(run=annual_run).update(value=None)
    _set_totals(
        annual_run,
        dict(zip(branches, [Decimal(99), Decimal(98), Decimal(97), Decimal(96)], strict=True)),
    )
    services.close_run(annual_run, dangwei)
    today = datetime.date(2032, 2, 1)
    rectification.create_item(
        branches[0],
        user=dangwei,
        problem="逾期未改",
        deadline=datetime.date(2032, 1, 15),
        run=annual_run,
    )
    chosen = services.candidates(annual_run, dangwei, today)
    assert [e.row.organization for e in chosen] == [branches[1], branches[2]]
    with override_settings(
        TONGPIN={**_tongpin(), "ASSESS": {"candidates_top": 4, "candidates_min_total": 97}}
    ):
        chosen = services.candidates(annual_run, dangwei, today)
        assert [e.row.organization for e in chosen] == [branches[1], branches[2]]
    export = client_as("dangwei").get(reverse("assess:candidates_export") + f"?run={annual_run.pk}")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    page = client_as("dangwei").get(reverse("assess:candidates") + f"?run={annual_run.pk}")
    assert branches[1].name in page.content.decode()


def test_open_runs_give_no_candidates(annual_run, demo_user):
    assert services.candidates(annual_run, demo_user("dangwei"), datetime.date(2032, 1, 1)) == []


def indicator_modules() -> list[Path]:
    """Every indicators.py of every app, and the assessment modules that score or rank."""
    root = Path(tongpin.__file__).parent
    assess = root / "assess"
    return sorted(root.glob("*/indicators.py")) + [
        assess / "services.py",
        assess / "rectification.py",
        assess / "feedback.py",
        assess / "templates_data.py",
        assess / "surveys.py",
    ]


def test_no_indicator_module_reads_forbidden_data():
    registered = {Path(inspect.getsourcefile(ind.compute)) for _key, ind in indicators}
    modules = indicator_modules()
    assert registered <= set(modules)  # a new indicator module is scanned too
    assert len(modules) >= 8
    for path in modules:
        found = forbidden_in(path.read_text(encoding="utf-8"))
        assert not found, (path, found)


def test_a_problem_becomes_a_rectification_item_in_one_click(annual_run, demo_user, client_as):
    highlight = annual_run.system.items.get(kind=ItemKind.MANUAL)
    low = services.enter_score(
        annual_run, office(), highlight, user=demo_user("dangwei"), points=30
    )
    url = reverse("assess:rectification_propose", args=[annual_run.pk, office().pk, low.pk])
    assert client_as("shuji").post(url).status_code == 403
    response = client_as("dangwei").post(url)
    assert response.status_code == 302
    item = low.rectification_items.get()
    assert item.run == annual_run and item.organization == office() and "特色亮点" in item.problem
    assert response["Location"] == reverse("assess:rectification", args=[item.pk])


def test_api_enters_a_manual_score(annual_run, api_as):
    highlight = annual_run.system.items.get(kind=ItemKind.MANUAL)
    score = Score.objects.get(run=annual_run, organization=office(), item=highlight)
    url = reverse("api:assess-score-enter", args=[score.pk])
    assert api_as("shuji").post(url, {"points": "90"}).status_code == 403
    assert api_as("dangwei").post(url, {"points": "120"}).status_code == 400
    data = api_as("dangwei").post(url, {"points": "90", "note": "有特色"}).json()
    assert data["value"] == "90.0" and data["note"] == "有特色"


def test_refreshing_an_open_run_keeps_the_rectification_items_raised_on_its_scores(
    annual_run, demo_user
):
    """Refreshing recomputes the computed scores of an open run: the items raised on them must
    stay attached (else the problem is proposed again, and the Excel loses their stage)."""
    dangwei = demo_user("dangwei")
    low = (
        Score.objects.filter(run=annual_run, organization=office(), item__kind=ItemKind.COMPUTED)
        .exclude(value=None)
        .order_by("value", "pk")
        .first()
    )
    with override_settings(TONGPIN={**_tongpin(), "ASSESS": {"problem_below": 101}}):
        assert low in feedback.feedback(annual_run, office(), dangwei).problems
        item = rectification.create_item(
            office(), user=dangwei, problem="整改", deadline=FAR[1], score=low
        )
        services.refresh_run(annual_run, dangwei)
        item.refresh_from_db()
        assert item.score_id is not None and item.score.item_id == low.item_id
        data = feedback.feedback(annual_run, office(), dangwei)
        assert all(score.item_id != low.item_id for score in data.problems)
