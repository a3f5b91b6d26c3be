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
    OFFICE_CHANGE,
    OFFICE_VIEW,
    Route,
    office_branch,
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


def closed_run():
    from tongpin.assess.models import AssessmentRun

    return AssessmentRun.objects.filter(status="closed").order_by("pk").first()


def office_in(run_getter):
    return lambda: {"pk": run_getter().pk, "org_pk": office_branch().pk}


def office_manual_item():
    from tongpin.assess.models import ItemKind

    run = closed_run()
    item = run.system.items.filter(kind=ItemKind.MANUAL).first()
    return {"pk": run.pk, "org_pk": office_branch().pk, "item_pk": item.pk}


def office_item():
    """The office branch's reported rectification item (with its evidence file)."""
    from tongpin.assess.models import RectificationItem

    return RectificationItem.objects.filter(
        organization__name="办公室党支部", reported_on__isnull=False
    ).first()


def office_item_file():
    from tongpin.core.services import attachments_of

    return {"file_id": attachments_of(office_item()).first().pk}


def four_strong_system():
    from tongpin.assess.models import IndicatorSystem

    return IndicatorSystem.objects.get(template="four_strong")


def four_strong_item():
    return four_strong_system().items.order_by("pk").first()


ROUTES = [
    Route("assess:runs", get=DOMAIN_USERS),
    Route("assess:run_start", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("assess:run", get=RUN_VIEW, kwargs=pk_of(demo_run)),
    Route("assess:run_close", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(demo_run)),
    Route("assess:run_export", get=RUN_VIEW, kwargs=pk_of(demo_run)),
    Route("assess:score", get=OFFICE_VIEW, kwargs=pk_of(office_score)),
    Route("assess:ranking", get=RUN_VIEW, kwargs=pk_of(closed_run)),
    Route("assess:feedback", get=OFFICE_VIEW, kwargs=office_in(demo_run)),
    Route("assess:feedback_export", get=OFFICE_VIEW, kwargs=office_in(demo_run)),
    Route("assess:feedback_docx", get=OFFICE_VIEW, kwargs=office_in(demo_run)),
    # the run is closed: nobody scores it any more
    Route("assess:score_enter", post=frozenset(), kwargs=office_manual_item),
    Route("assess:secretary_report", post=OFFICE_CHANGE, kwargs=office_in(demo_run)),
    Route(
        "assess:rectification_create",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=office_in(demo_run),
    ),
    Route(
        "assess:rectification_propose",
        post=AGENCY_WIDE_CHANGE,
        kwargs=lambda: {**office_in(demo_run)(), "score_pk": office_score().pk},
    ),
    Route("assess:rectifications", get=DOMAIN_USERS),
    Route("assess:rectification_export", get=DOMAIN_USERS),
    Route("assess:rectification", get=OFFICE_VIEW, kwargs=pk_of(office_item)),
    Route("assess:rectification_measures", post=OFFICE_CHANGE, kwargs=pk_of(office_item)),
    Route("assess:rectification_report", post=OFFICE_CHANGE, kwargs=pk_of(office_item)),
    Route("assess:rectification_verify", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(office_item)),
    Route("assess:rectification_close", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(office_item)),
    Route("assess:attachment", get=OFFICE_VIEW, kwargs=office_item_file),
    Route("assess:candidates", get=DOMAIN_USERS),
    Route("assess:candidates_export", get=DOMAIN_USERS),
    Route("assess:systems", get=AGENCY_WIDE_CHANGE),
    Route("assess:system_create", get=AGENCY_WIDE_CHANGE, post=AGENCY_WIDE_CHANGE),
    Route(
        "assess:system",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(four_strong_system),
    ),
    Route("assess:system_copy", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(four_strong_system)),
    Route("assess:system_history", get=AGENCY_WIDE_CHANGE, kwargs=pk_of(four_strong_system)),
    Route(
        "assess:item_create",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(four_strong_system),
    ),
    Route(
        "assess:item_edit",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(four_strong_item),
    ),
    Route("assess:item_delete", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(four_strong_item)),
    Route("assess:item_history", get=AGENCY_WIDE_CHANGE, kwargs=pk_of(four_strong_item)),
    # the demo score is computed: dangwei is told so (400), the branch may not score itself
    Route("api:assess-score-enter", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(office_score)),
    Route("api:assess-system-list", get=DOMAIN_USERS),
    Route("api:assess-system-detail", get=DOMAIN_USERS, kwargs=pk_of(four_strong_system)),
    Route("api:assess-rectification-list", get=DOMAIN_USERS),
    Route("api:assess-rectification-detail", get=OFFICE_VIEW, kwargs=pk_of(office_item)),
    Route("api:assess-rectification-report", post=OFFICE_CHANGE, kwargs=pk_of(office_item)),
    Route("api:assess-rectification-verify", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(office_item)),
    Route("api:assess-rectification-close", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(office_item)),
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


def open_survey():
    """An open survey to answer (the demo's is closed: its collection is over)."""
    import datetime

    from tongpin.assess.models import QuestionKind, Survey, SurveyQuestion, SurveyStatus
    from tongpin.orgs.models import Organization

    root = Organization.objects.get(depth=1)
    survey, created = Survey.objects.get_or_create(
        organization=root,
        title="权限检查用问卷",
        status=SurveyStatus.OPEN,
        defaults={
            "period_start": datetime.date(2030, 1, 1),
            "period_end": datetime.date(2030, 12, 31),
        },
    )
    if created:  # a required rating: the walk's garbage POSTs never use up a link
        SurveyQuestion.objects.create(
            survey=survey, text="总体评价", kind=QuestionKind.RATING, required=True, order=10
        )
    return survey


def fresh_survey_token():
    from tongpin.assess import surveys

    return {"token": surveys.make_links(open_survey(), 1)[0]}


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
