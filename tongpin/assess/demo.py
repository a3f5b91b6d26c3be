"""Demo data: the 四强党支部 system and an open run over the demo agency for this year."""

import datetime


def load(*, today: datetime.date, seed: int = 0) -> None:
    from tongpin.orgs.models import Organization

    from . import services

    system = services.ensure_four_strong_template()
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        services.open_run(system, root, (datetime.date(today.year, 1, 1), today))
    load_survey(today=today)


# ---- grassroots survey
# 基层评机关: the agency committee's survey of three departments, answered through six of its
# eight one-time links (enough responses for the results and the indicator to show).
SURVEY_TITLE = "{year}年度基层评机关满意度测评"
SURVEY_QUESTIONS = [
    ("对办公室服务基层工作的总体评价", "办公室"),
    ("对政策法规处服务基层工作的总体评价", "政策法规处"),
    ("对经济运行调节处服务基层工作的总体评价", "经济运行调节处"),
]
# one row per response: the ratings of the three questions
SURVEY_RATINGS = [(5, 4, 4), (4, 4, 3), (5, 5, 4), (4, 3, 4), (5, 4, 5), (3, 4, 4)]


def load_survey(*, today: datetime.date) -> None:
    from tongpin.orgs.models import Department, Organization

    from . import surveys
    from .models import QuestionKind, Survey, SurveyQuestion

    root = Organization.objects.filter(depth=1).order_by("path").first()
    title = SURVEY_TITLE.format(year=today.year)
    if root is None or Survey.objects.filter(organization=root, title=title).exists():
        return
    survey = Survey.objects.create(
        organization=root,
        title=title,
        intro="请基层党支部对机关各处室服务基层情况作出评价。本问卷匿名填写，每个链接只能提交一次。",
        period_start=datetime.date(today.year, 1, 1),
        period_end=datetime.date(today.year, 12, 31),
    )
    questions = []
    for order, (text, department) in enumerate(SURVEY_QUESTIONS, start=1):
        questions.append(
            SurveyQuestion.objects.create(
                survey=survey,
                text=text,
                kind=QuestionKind.RATING,
                order=order * 10,
                target_department=Department.objects.filter(name=department).first(),
            )
        )
    questions.append(
        SurveyQuestion.objects.create(
            survey=survey, text="意见和建议", kind=QuestionKind.TEXT, required=False, order=90
        )
    )
    tokens = surveys.make_links(survey, len(SURVEY_RATINGS) + 2, group="基层党支部")
    for token, ratings in zip(tokens, SURVEY_RATINGS, strict=False):
        answers = {q.pk: r for q, r in zip(questions, ratings, strict=False)}
        surveys.submit_response(token, answers)
