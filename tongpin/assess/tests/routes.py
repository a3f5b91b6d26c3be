"""Who may open each route of the assess app (walked by tests/test_permission_walk.py).

The demo run covers the whole agency: those who read the agency see every line; a branch's
committee (and its general branch) reads its own line of it; ordinary members see no scores.
"""

from tongpin.demo.testing import (
    AGENCY_WIDE_CHANGE,
    AGENCY_WIDE_VIEW,
    ANY_CHANGE,
    DOMAIN_USERS,
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
