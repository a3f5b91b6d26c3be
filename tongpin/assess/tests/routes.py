"""Who may open each route of the assess app (walked by tests/test_permission_walk.py).

The demo run covers the whole agency: those who read the agency see every line; a branch's
committee (and its general branch) reads its own line of it; ordinary members see no scores.
"""

from tongpin.demo.testing import (
    AGENCY_WIDE_CHANGE,
    AGENCY_WIDE_VIEW,
    ANY_CHANGE,
    DOMAIN_USERS,
    EVERYONE,
    OFFICE_VIEW,
    Route,
    pk_of,
)

# who reads some branch's line of the agency-wide demo run
RUN_VIEW = AGENCY_WIDE_VIEW | ANY_CHANGE


def demo_run():
    from tongpin.assess.models import AssessmentRun

    return AssessmentRun.objects.order_by("pk").first()


def office_score():
    from tongpin.assess.models import Score

    return Score.objects.filter(organization__name="办公室党支部").order_by("pk").first()


ROUTES = [
    Route("assess:runs", get=DOMAIN_USERS),
    Route("assess:run_start", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("assess:run", get=RUN_VIEW, kwargs=pk_of(demo_run)),
    Route("assess:run_close", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(demo_run)),
    Route("assess:run_export", get=RUN_VIEW, kwargs=pk_of(demo_run)),
    Route("assess:score", get=OFFICE_VIEW, kwargs=pk_of(office_score)),
    Route("api:assess-run-list", get=DOMAIN_USERS),
    Route("api:assess-run-detail", get=RUN_VIEW, kwargs=pk_of(demo_run)),
    Route("api:assess-score-list", get=DOMAIN_USERS),
    Route("api:assess-score-detail", get=OFFICE_VIEW, kwargs=pk_of(office_score)),
]

# ---- grassroots survey
# the demo survey belongs to the agency committee: those who read or change the agency's records
# see and run it; the answer pages are public (a fresh one-time link is issued for the walk).


def demo_survey():
    from tongpin.assess.models import Survey

    return Survey.objects.order_by("pk").first()


def demo_survey_question():
    return demo_survey().questions.order_by("pk").first()


def fresh_survey_token():
    from tongpin.assess import surveys

    return {"token": surveys.make_links(demo_survey(), 1)[0]}


ROUTES += [
    Route("assess:surveys", get=DOMAIN_USERS),
    Route("assess:survey_create", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("assess:survey", get=AGENCY_WIDE_VIEW, kwargs=pk_of(demo_survey)),
    Route(
        "assess:survey_question_add",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(demo_survey),
    ),
    Route(
        "assess:survey_question_delete",
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(demo_survey_question),
        note="refused with a message: the demo survey has responses",
    ),
    Route("assess:survey_status", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(demo_survey)),
    Route(
        "assess:survey_links",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(demo_survey),
    ),
    Route("assess:survey_links_export", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(demo_survey)),
    Route("assess:survey_results", get=AGENCY_WIDE_VIEW, kwargs=pk_of(demo_survey)),
    Route("assess:survey_results_export", get=AGENCY_WIDE_VIEW, kwargs=pk_of(demo_survey)),
    Route("survey:answer", get=EVERYONE, post=EVERYONE, kwargs=fresh_survey_token),
    Route("survey:done", get=EVERYONE),
    Route("api:assess-survey-list", get=DOMAIN_USERS),
    Route("api:assess-survey-detail", get=AGENCY_WIDE_VIEW, kwargs=pk_of(demo_survey)),
    Route("api:assess-survey-results", get=AGENCY_WIDE_VIEW, kwargs=pk_of(demo_survey)),
]
