"""Grassroots survey (以下看上、基层评机关): anonymity, one response per link, the threshold."""

import datetime
import io
import re
import threading

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tongpin.assess import surveys
from tongpin.assess.models import (
    IndicatorItem,
    IndicatorSystem,
    ItemKind,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyLink,
    SurveyResponse,
    SurveyStatus,
)
from tongpin.core.models import AuditEvent
from tongpin.core.registry import indicators
from tongpin.orgs.models import Department, Organization

pytestmark = pytest.mark.django_db

PERIOD = (datetime.date(2030, 1, 1), datetime.date(2030, 12, 31))


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def make_survey(dangwei, *, questions=(("总体评价", "办公室"),), text_question=False):
    root = Organization.objects.get(depth=1)
    survey = surveys.create_survey(
        organization=root,
        title="测试问卷",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        user=dangwei,
    )
    for text, department in questions:
        surveys.add_question(
            survey,
            user=dangwei,
            text=text,
            kind=QuestionKind.RATING,
            target_department=Department.objects.get(name=department),
        )
    if text_question:
        surveys.add_question(
            survey, user=dangwei, text="意见建议", kind=QuestionKind.TEXT, required=False
        )
    return survey


def answer_all(survey, token, rating=4, text=""):
    answers = {}
    for question in survey.questions.all():
        answers[question.pk] = text if question.kind == QuestionKind.TEXT else rating
    surveys.submit_response(token, answers)


def post_answers(client, survey, token, rating=4, text=""):
    data = {}
    for question in survey.questions.all():
        data[f"q{question.pk}"] = text if question.kind == QuestionKind.TEXT else str(rating)
    return client.post(reverse("survey:answer", args=[token]), data)


# ---- links and responses -----------------------------------------------------------------


def test_only_a_hash_of_a_random_token_is_stored(demo_user):
    survey = make_survey(demo_user("dangwei"))
    tokens = surveys.issue_links(survey, 3, group="基层单位", user=demo_user("dangwei"))
    assert len(set(tokens)) == 3
    assert all(len(t) >= 26 for t in tokens)  # token_urlsafe(20): 160 random bits
    stored = set(SurveyLink.objects.filter(survey=survey).values_list("token_hash", flat=True))
    assert stored == {surveys.hash_token(t) for t in tokens}
    assert not stored & set(tokens)


def test_a_link_answers_once_and_a_reused_link_is_refused_with_a_clear_page(demo_user):
    survey = make_survey(demo_user("dangwei"))
    token = surveys.issue_links(survey, 1, user=demo_user("dangwei"))[0]
    client = Client()
    page = client.get(reverse("survey:answer", args=[token]))
    assert page.status_code == 200 and "总体评价" in page.content.decode()
    response = post_answers(client, survey, token, rating=5)
    assert response.status_code == 302 and response.url == reverse("survey:done")
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert SurveyLink.objects.get(survey=survey).used

    again = post_answers(Client(), survey, token, rating=1)
    assert again.status_code == 404
    assert "该链接无效或已被使用" in again.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert Client().get(reverse("survey:answer", args=[token])).status_code == 404


def test_an_unknown_token_gets_the_same_page_as_a_used_one(demo_user):
    survey = make_survey(demo_user("dangwei"))
    token = surveys.issue_links(survey, 1, user=demo_user("dangwei"))[0]
    answer_all(survey, token)
    used = Client().get(reverse("survey:answer", args=[token]))
    unknown = Client().get(reverse("survey:answer", args=["x" * 27]))
    assert used.status_code == unknown.status_code == 404
    strip = re.compile(r'"X-CSRFToken": "[^"]*"')
    assert strip.sub("", used.content.decode()) == strip.sub("", unknown.content.decode())


def test_a_closed_survey_takes_no_answers(demo_user):
    dangwei = demo_user("dangwei")
    survey = make_survey(dangwei)
    token = surveys.issue_links(survey, 1, user=dangwei)[0]
    surveys.set_status(survey, SurveyStatus.CLOSED, user=dangwei)
    with pytest.raises(surveys.LinkUsed):
        answer_all(survey, token)
    assert post_answers(Client(), survey, token).status_code == 404


def test_a_submission_read_before_another_spent_the_link_is_refused(demo_user):
    """The page was opened while the link was unused; another submission spends it first: the
    conditional UPDATE finds no unused row and nothing is stored."""
    survey = make_survey(demo_user("dangwei"))
    token = surveys.issue_links(survey, 1, user=demo_user("dangwei"))[0]
    assert surveys.open_link(token) == survey  # the first page view
    answer_all(survey, token, rating=5)  # the other tab wins
    with pytest.raises(surveys.LinkUsed):
        answer_all(survey, token, rating=1)
    assert list(
        SurveyAnswer.objects.filter(question__survey=survey).values_list("rating", flat=True)
    ) == [5]


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_link_store_one_response():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    from tongpin.demo.services import load_demo

    if not Organization.objects.exists():
        load_demo()
    from tongpin.accounts.models import User

    survey = make_survey(User.objects.get(username="dangwei"))
    token = surveys.make_links(survey, 1)[0]
    barrier, outcomes = threading.Barrier(4), []

    def submit():
        barrier.wait()
        try:
            answer_all(survey, token)
            outcomes.append("stored")
        except surveys.LinkUsed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "refused", "refused", "stored"]
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_missing_required_answers_spend_nothing(demo_user):
    survey = make_survey(demo_user("dangwei"))
    token = surveys.issue_links(survey, 1, user=demo_user("dangwei"))[0]
    response = Client().post(reverse("survey:answer", args=[token]), {})
    assert response.status_code == 200
    assert not SurveyLink.objects.get(survey=survey).used
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_repeated_bad_tokens_are_slowed_down():
    client = Client()
    for _i in range(30):
        assert client.get(reverse("survey:answer", args=["nope"])).status_code == 404
    assert client.get(reverse("survey:answer", args=["nope"])).status_code == 429


# ---- anonymity -----------------------------------------------------------------------------


def test_nothing_on_the_response_side_points_at_a_link_a_user_or_a_time():
    for model in (SurveyResponse, SurveyAnswer):
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one:
                assert field.related_model.__name__ in {
                    "Survey",
                    "SurveyResponse",
                    "SurveyQuestion",
                }, field
            assert field.get_internal_type() != "DateTimeField", field
            assert "link" not in field.name and "token" not in field.name, field
            assert "user" not in field.name and field.name != "ip", field
        assert model._meta.pk.get_internal_type() == "UUIDField"  # no order of submission
        assert not hasattr(model, "history")
    link_fields = {f.name for f in SurveyLink._meta.get_fields()}
    assert not link_fields & {"response", "responses", "used_at", "updated_at"}
    assert not hasattr(SurveyLink, "history")


def test_a_submission_leaves_no_audit_or_history_trace(demo_user):
    survey = make_survey(demo_user("dangwei"), text_question=True)
    token = surveys.issue_links(survey, 1, user=demo_user("dangwei"))[0]
    link = SurveyLink.objects.get(survey=survey)
    client = Client()
    client.force_login(demo_user("dangyuan"))  # even a logged-in respondent is not recorded
    audit_before = AuditEvent.objects.count()
    history_before = survey.history.count(), sum(q.history.count() for q in survey.questions.all())
    assert post_answers(client, survey, token, text="希望加强指导").status_code == 302
    assert AuditEvent.objects.count() == audit_before
    assert (
        survey.history.count(),
        sum(q.history.count() for q in survey.questions.all()),
    ) == history_before
    response = SurveyResponse.objects.get(survey=survey)
    stored = str(list(SurveyResponse.objects.filter(pk=response.pk).values()))
    stored += str(list(SurveyAnswer.objects.filter(response=response).values()))
    for secret in (token, link.token_hash):
        assert secret not in stored
    assert "user" not in stored and "link" not in stored


# ---- results and the threshold ------------------------------------------------------------


def responses(survey, count, rating=4, dangwei=None, text=""):
    for token in surveys.make_links(survey, count):
        answer_all(survey, token, rating=rating, text=text)


def close(survey):
    """End the collection: results (and the indicator) read closed surveys only."""
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED)
    survey.refresh_from_db()


def test_four_responses_show_nothing_on_page_api_or_excel(demo_user, client_as, api_as):
    survey = make_survey(demo_user("dangwei"), text_question=True)
    responses(survey, 4, rating=2, text="秘密意见")
    page = client_as("dangwei").get(reverse("assess:survey_results", args=[survey.pk]))
    body = page.content.decode()
    assert 'data-testid="results-withheld"' in body and "还差 1 份" in body
    assert (
        "秘密意见" not in body and "不满意: 4" not in body and 'data-testid="average"' not in body
    )
    api = api_as("dangwei").get(reverse("api:assess-survey-results", args=[survey.pk])).json()
    assert api["shown"] is False and api["targets"] == [] and api["missing"] == 1
    export = client_as("dangwei").get(reverse("assess:survey_results_export", args=[survey.pk]))
    assert export.status_code == 302  # no workbook below the threshold


def test_five_responses_show_the_results(demo_user, client_as, api_as):
    survey = make_survey(demo_user("dangwei"), text_question=True)
    responses(survey, 3, rating=5, text="加强指导")
    responses(survey, 2, rating=3, text="无")
    close(survey)
    page = client_as("dangwei").get(reverse("assess:survey_results", args=[survey.pk]))
    body = page.content.decode()
    assert "4.2" in body and "非常满意: 3" in body and "基本满意: 2" in body and "加强指导" in body
    api = api_as("dangwei").get(reverse("api:assess-survey-results", args=[survey.pk])).json()
    assert api["shown"] is True and api["responses"] == 5
    rating = api["targets"][0]["questions"][0]
    assert rating["average"] == 4.2 and rating["count"] == 5
    export = client_as("dangwei").get(reverse("assess:survey_results_export", args=[survey.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in sheet[2]][:4] == ["办公室", "总体评价", 5, 4.2]


def test_the_threshold_applies_to_each_target(demo_user, api_as):
    dangwei = demo_user("dangwei")
    survey = make_survey(
        dangwei, questions=[("办公室评价", "办公室"), ("政策法规处评价", "政策法规处")]
    )
    first, second = survey.questions.order_by("order")
    second.required = False
    second.save()
    # six responses; only four of them rate the second department
    for index, token in enumerate(surveys.make_links(survey, 6)):
        answers = {first.pk: 4}
        if index < 4:
            answers[second.pk] = 1
        surveys.submit_response(token, answers)
    close(survey)
    outcome = surveys.results(survey)
    assert outcome.shown
    by_label = {t.label: t for t in outcome.targets}
    assert by_label["办公室"].shown and by_label["办公室"].questions[0].count == 6
    assert not by_label["政策法规处"].shown and by_label["政策法规处"].questions == []
    api = api_as("dangwei").get(reverse("api:assess-survey-results", args=[survey.pk])).json()
    withheld = next(t for t in api["targets"] if t["label"] == "政策法规处")
    assert withheld["shown"] is False and withheld["questions"] == []
    assert "政策法规处评价" not in str(surveys.result_rows(outcome))


def test_the_threshold_is_a_setting(demo_user, settings):
    settings.TONGPIN = {**settings.TONGPIN, "SURVEY_MIN_RESPONSES": 2}
    survey = make_survey(demo_user("dangwei"))
    responses(survey, 2)
    close(survey)
    assert surveys.results(survey).shown


def test_results_are_refused_outside_the_survey_owners_scope(client_as, demo_user):
    survey = make_survey(demo_user("dangwei"))
    assert (
        client_as("shuji").get(reverse("assess:survey_results", args=[survey.pk])).status_code
        == 404
    )


# ---- the survey indicator ------------------------------------------------------------------


def test_survey_ratings_feed_the_grassroots_satisfaction_indicator(demo_user):
    survey = make_survey(demo_user("dangwei"))
    office_branch = Department.objects.get(name="办公室").branch
    indicator = dict(indicators)["assess.grassroots_survey"]
    branches = Organization.objects.filter(pk=office_branch.pk)
    responses(survey, 4, rating=5)
    close(survey)
    assert indicator.compute(branches, *PERIOD) == {}  # below the threshold: does not apply
    # reopened (allowed: no result has shown), a fifth response, closed again
    surveys.set_status(survey, SurveyStatus.OPEN, user=demo_user("dangwei"))
    responses(survey, 1, rating=1)
    assert indicator.compute(branches, *PERIOD) == {}  # still collecting: does not apply
    close(survey)
    value, evidence = indicator.compute(branches, *PERIOD)[office_branch.pk]
    assert value == 80.0  # average 4.2 on 1–5 scaled to 0–100
    assert evidence == [("assess.survey", survey.pk, "测试问卷 (5)")]


def test_a_run_scores_branches_by_the_survey(demo_user):
    from tongpin.assess import services

    survey = make_survey(demo_user("dangwei"))
    responses(survey, 5, rating=4)
    close(survey)
    system = IndicatorSystem.objects.create(name="基层评机关")
    item = IndicatorItem.objects.create(
        system=system,
        label="基层满意度",
        kind=ItemKind.COMPUTED,
        indicator="assess.grassroots_survey",
    )
    run = services.open_run(system, Organization.objects.get(depth=1), PERIOD)
    office_branch = Department.objects.get(name="办公室").branch
    score = run.scores.get(item=item, organization=office_branch)
    assert float(score.value) == 75.0
    assert run.scores.filter(item=item, value__isnull=False).count() == 1


# ---- the owner's pages ---------------------------------------------------------------------


def test_issued_links_are_shown_once_with_qr_codes_and_exported(client_as):
    client = client_as("dangwei")
    survey = Survey.objects.order_by("pk").first()
    page = client.post(
        reverse("assess:survey_links", args=[survey.pk]), {"count": 3, "group": "基层单位"}
    )
    body = page.content.decode()
    tokens = re.findall(r'name="token" value="([^"]+)"', body)
    assert len(tokens) == 3 and body.count("<svg") >= 3 and page["Cache-Control"] == "no-store"
    assert all(tokens[0] not in f for f in SurveyLink.objects.values_list("token_hash", flat=True))
    export = client.post(
        reverse("assess:survey_links_export", args=[survey.pk]), {"token": [*tokens, "forged"]}
    )
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and all(t in str(rows) for t in tokens) and "forged" not in str(rows)
    assert rows[1][1] == "基层单位"
    # the survey page counts them but can never show them again
    detail = client.get(reverse("assess:survey", args=[survey.pk])).content.decode()
    assert tokens[0] not in detail


def test_a_survey_is_created_and_its_questions_locked_by_responses(client_as, demo_user):
    client = client_as("dangwei")
    root = Organization.objects.get(depth=1)
    response = client.post(
        reverse("assess:survey_create"),
        {
            "organization": root.pk,
            "title": "新问卷",
            "period_start": "2030-01-01",
            "period_end": "2030-12-31",
        },
    )
    survey = Survey.objects.get(title="新问卷")
    assert response.url == reverse("assess:survey", args=[survey.pk])
    client.post(
        reverse("assess:survey_question_add", args=[survey.pk]),
        {
            "text": "满意吗",
            "kind": "rating",
            "required": "on",
            "target_department": Department.objects.get(name="办公室").pk,
        },
    )
    assert survey.questions.get().text == "满意吗"
    responses(survey, 1)
    refused = client.post(
        reverse("assess:survey_question_add", args=[survey.pk]), {"text": "再加", "kind": "text"}
    )
    assert "已收到答卷" in refused.content.decode() and survey.questions.count() == 1


def test_the_demo_survey_has_enough_responses():
    survey = Survey.objects.order_by("pk").first()
    assert survey.responses.count() >= surveys.min_responses()
    assert surveys.results(survey).shown


def test_single_choice_answers_are_counted_per_option(demo_user):
    dangwei = demo_user("dangwei")
    survey = make_survey(dangwei, questions=[])
    question = surveys.add_question(
        survey,
        user=dangwei,
        text="最需改进的方面",
        kind=QuestionKind.CHOICE,
        options="作风\n效率\n服务",
    )
    for choice, token in zip(
        ["效率", "效率", "服务", "效率", "作风"], surveys.make_links(survey, 5), strict=True
    ):
        surveys.submit_response(token, {question.pk: choice})
    token = surveys.make_links(survey, 1)[0]
    with pytest.raises(ValidationError):
        surveys.submit_response(token, {question.pk: "不在选项中"})
    assert not SurveyLink.objects.get(token_hash=surveys.hash_token(token)).used  # rolled back
    close(survey)
    (target,) = surveys.results(survey).targets
    assert target.questions[0].distribution == [("作风", 1), ("效率", 3), ("服务", 1)]


def test_a_choice_question_needs_two_options(demo_user):
    dangwei = demo_user("dangwei")
    survey = make_survey(dangwei, questions=[])
    with pytest.raises(ValidationError):
        surveys.add_question(
            survey, user=dangwei, text="单选", kind=QuestionKind.CHOICE, options="唯一"
        )


def test_a_branch_rating_itself_in_its_own_survey_does_not_score_it(demo_user):
    """A branch secretary may run a survey of their own branch, but the grassroots-satisfaction
    indicator counts only surveys run by a level above the rated organization: otherwise a
    branch would score itself in the committee's assessment (or mark down another branch's
    department from a survey of its own)."""
    shuji = demo_user("shuji")
    own_branch = shuji.member.branch
    survey = surveys.create_survey(
        organization=own_branch,
        title="自评问卷",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        user=shuji,
    )
    surveys.add_question(
        survey, user=shuji, text="本支部", kind=QuestionKind.RATING, target_organization=own_branch
    )
    other = Department.objects.exclude(branch=own_branch).exclude(branch=None).first()
    surveys.add_question(
        survey, user=shuji, text="别的处室", kind=QuestionKind.RATING, target_department=other
    )
    responses(survey, 5, rating=5)
    close(survey)
    indicator = dict(indicators)["assess.grassroots_survey"]
    branches = Organization.objects.filter(pk__in=[own_branch.pk, other.branch_id])
    assert indicator.compute(branches, *PERIOD) == {}


def test_a_withheld_target_never_feeds_the_indicator(demo_user):
    """The office department is rated by five responses (shown), the office branch itself by
    one (withheld on the results page): the branch's satisfaction must rest on the shown
    ratings only, or the owner, reading both, solves the withheld rating from the score."""
    dangwei = demo_user("dangwei")
    survey = make_survey(dangwei)  # one question rating the 办公室 department
    office_branch = Department.objects.get(name="办公室").branch
    extra = surveys.add_question(
        survey,
        user=dangwei,
        text="对支部本身",
        kind=QuestionKind.RATING,
        target_organization=office_branch,
        required=False,
    )
    department_question = survey.questions.exclude(pk=extra.pk).get()
    tokens = surveys.make_links(survey, 5)
    surveys.submit_response(tokens[0], {department_question.pk: 4, extra.pk: 1})
    for token in tokens[1:]:
        surveys.submit_response(token, {department_question.pk: 4})
    close(survey)
    outcome = surveys.results(survey)
    assert [t.shown for t in outcome.targets] == [True, False]
    indicator = dict(indicators)["assess.grassroots_survey"]
    value, _evidence = indicator.compute(Organization.objects.filter(pk=office_branch.pk), *PERIOD)[
        office_branch.pk
    ]
    assert value == 75.0  # the five 4s alone, not (5×4 + 1) / 6


def test_results_show_only_once_the_survey_is_closed_and_it_is_never_reopened(
    demo_user, client_as, api_as
):
    """While answers come in, results changing one response at a time would let the owner,
    who holds the links, pair a change with a link just used: nothing shows until closing, and
    a survey whose results have shown is never reopened."""
    dangwei = demo_user("dangwei")
    survey = make_survey(dangwei)
    office_branch = Department.objects.get(name="办公室").branch
    responses(survey, 6, rating=4)
    page = client_as("dangwei").get(reverse("assess:survey_results", args=[survey.pk]))
    body = page.content.decode()
    assert 'data-testid="results-collecting"' in body and 'data-testid="average"' not in body
    api = api_as("dangwei").get(reverse("api:assess-survey-results", args=[survey.pk])).json()
    assert api["shown"] is False and api["collecting"] is True and api["targets"] == []
    indicator = dict(indicators)["assess.grassroots_survey"]
    assert indicator.compute(Organization.objects.filter(pk=office_branch.pk), *PERIOD) == {}

    client_as("dangwei").post(
        reverse("assess:survey_status", args=[survey.pk]), {"status": "closed"}
    )
    survey.refresh_from_db()
    assert surveys.results(survey).shown
    with pytest.raises(ValidationError):
        surveys.set_status(survey, SurveyStatus.OPEN, user=dangwei)
    page = client_as("dangwei").post(
        reverse("assess:survey_status", args=[survey.pk]), {"status": "open"}, follow=True
    )
    assert "不能重新开放" in page.content.decode()
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED


def test_a_survey_closed_below_the_threshold_may_be_reopened(demo_user):
    dangwei = demo_user("dangwei")
    survey = make_survey(dangwei)
    responses(survey, 2)
    surveys.set_status(survey, SurveyStatus.CLOSED, user=dangwei)
    surveys.set_status(survey, SurveyStatus.OPEN, user=dangwei)
    assert survey.status == SurveyStatus.OPEN
