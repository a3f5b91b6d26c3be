"""Demo data: the templates, an open 四强党支部 run over the demo agency for this year, and
last year's closed agency assessment with rectification items in several stages."""

import datetime


def load(*, today: datetime.date, seed: int = 0) -> None:
    from tongpin.orgs.models import Organization

    from . import services

    system = services.ensure_four_strong_template()
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        services.open_run(system, root, (datetime.date(today.year, 1, 1), today))
    _load_closed_run(today)


def _load_closed_run(today: datetime.date) -> None:
    """Last year's agency assessment, closed, with problems turned into rectification items
    in several stages (assigned, reported with evidence, closed out, overdue)."""
    from django.core.files.base import ContentFile

    from tongpin.accounts.models import User
    from tongpin.core.services import attach
    from tongpin.members.models import Member
    from tongpin.orgs.models import Organization

    from . import services
    from .models import AssessmentRun, ItemKind, RectificationItem, RunStatus, TemplateKind

    services.ensure_templates()
    annual = services.ensure_template(TemplateKind.AGENCY_ANNUAL)
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is None or AssessmentRun.objects.filter(system=annual).exists():
        return
    last_year = today.year - 1
    run = services.open_run(
        annual, root, (datetime.date(last_year, 1, 1), datetime.date(last_year, 12, 31))
    )
    dangwei = User.objects.filter(username="dangwei").first()
    highlight = annual.items.get(kind=ItemKind.MANUAL)
    branches = list(services.branches_in(root))
    for index, branch in enumerate(branches):
        run.scores.filter(organization=branch, item=highlight).update(
            value=[92, 80, 55, 88, 70][index % 5],
            points=[92, 80, 55, 88, 70][index % 5],
            note="年度党建工作特色做法" if index % 5 != 2 else "未报送特色做法材料",
            entered_by=dangwei,
        )
    run.status = RunStatus.CLOSED
    run.closed_at = datetime.datetime.combine(
        datetime.date(today.year, 1, 15), datetime.time(9), tzinfo=datetime.UTC
    )
    run.save()
    by_name = {branch.name: branch for branch in branches}
    office = by_name.get("办公室党支部")
    shuji = User.objects.filter(username="shuji").first()
    secretary = Member.objects.filter(user=shuji).first()
    plans = [
        # (branch, problem, days from today to the deadline, stage)
        (office, "组织生活会会前谈心谈话不全", 20, "reported"),
        (office, "主题党日活动与业务结合不紧", 45, "deployed"),
        (branches[1] if len(branches) > 1 else None, "党建任务逾期未完成", -30, "implementing"),
        (branches[2] if len(branches) > 2 else None, "特色做法材料未报送", -60, "closed"),
    ]
    for branch, problem, days, stage in plans:
        if branch is None:
            continue
        score = run.scores.filter(organization=branch, item=highlight).first()
        owner = secretary if branch == office else branch.members.order_by("pk").first()
        item = RectificationItem.objects.create(
            organization=branch,
            run=run,
            score=score,
            problem=problem,
            owner=owner,
            deadline=today + datetime.timedelta(days=days),
            created_by=dangwei,
        )
        if stage == "deployed":
            continue
        item.measures = "制定整改方案，明确责任人和完成时限"
        if stage in ("reported", "closed"):
            item.reported_on = today - datetime.timedelta(days=5)
            item.report_text = "已完成整改，相关材料附后"
        if stage == "closed":
            item.verified_on = item.closed_on = today - datetime.timedelta(days=2)
            item.verified_by = dangwei
            item.verification_note = "经核实，整改到位"
        item.save()
        if stage == "reported":
            attach(item, ContentFile("整改情况报告".encode(), name="整改报告.txt"), user=shuji)
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
    from .models import QuestionKind, Survey, SurveyQuestion, SurveyStatus

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
    # collection is over: results show (and feed the satisfaction indicator) once closed
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status", "updated_at"])
