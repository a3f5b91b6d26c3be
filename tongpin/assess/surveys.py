"""Grassroots survey (以下看上、基层评机关): questionnaires answered through one-time links.

Anonymity by construction: a link keeps only the SM3 hash of its token and a ``used`` flag; a
response keeps its survey, the date and the answers, under a random key. Submitting flips the
flag with a conditional UPDATE and stores the response in the same transaction, and writes no
history or audit row. Results (and every breakdown of them) show only from
``TONGPIN["SURVEY_MIN_RESPONSES"]`` responses.
"""

import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongpin.core import crypto
from tongpin.core.scoping import require_reach

from .models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyLink,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)

MAX_LINKS = 500
# 5 非常满意 … 1 很不满意
RATING_LABELS = {
    5: gettext_lazy("Very satisfied"),
    4: gettext_lazy("Satisfied"),
    3: gettext_lazy("Fairly satisfied"),
    2: gettext_lazy("Dissatisfied"),
    1: gettext_lazy("Very dissatisfied"),
}


def rating_label(value: int) -> str:
    return str(RATING_LABELS[value])


def min_responses() -> int:
    return settings.TONGPIN.get("SURVEY_MIN_RESPONSES", 5)


def hash_token(token: str) -> str:
    return crypto.sm3_digest(token.encode("utf-8")).hex()


# ---- actions of the survey's owner -----------------------------------------------------


@transaction.atomic
def create_survey(*, organization, title, intro="", period_start, period_end, user) -> Survey:
    require_reach(user, organization)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    return Survey.objects.create(
        organization=organization,
        title=title,
        intro=intro,
        period_start=period_start,
        period_end=period_end,
        created_by=user,
    )


@transaction.atomic
def add_question(survey: Survey, *, user, **fields) -> SurveyQuestion:
    require_reach(user, survey.organization)
    if survey.responses.exists():
        raise ValidationError(_("Questions cannot change once responses have been received."))
    if fields.get("target_department") and fields.get("target_organization"):
        raise ValidationError(_("A question rates one department or one organization."))
    if fields.get("kind") == QuestionKind.CHOICE and len(_options(fields.get("options", ""))) < 2:
        raise ValidationError({"options": _("Give at least two options, one a line.")})
    last = survey.questions.order_by("-order").values_list("order", flat=True).first()
    return SurveyQuestion.objects.create(survey=survey, order=(last or 0) + 10, **fields)


def _options(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@transaction.atomic
def delete_question(question: SurveyQuestion, *, user) -> None:
    require_reach(user, question.survey.organization)
    if question.survey.responses.exists():
        raise ValidationError(_("Questions cannot change once responses have been received."))
    question.delete()


@transaction.atomic
def set_status(survey: Survey, status: str, *, user) -> Survey:
    """Close or reopen. Results show only once the survey is closed, so the owner cannot watch
    them change one response at a time (and pair a change with a link just used); for the same
    reason a survey whose results have shown is never reopened."""
    require_reach(user, survey.organization)
    if (
        status == SurveyStatus.OPEN
        and survey.status == SurveyStatus.CLOSED
        and survey.responses.count() >= min_responses()
    ):
        raise ValidationError(
            _("Its results have been shown, so this survey cannot be reopened: start a new one.")
        )
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    return survey


@transaction.atomic
def issue_links(survey: Survey, count: int, *, group: str = "", user) -> list[str]:
    """``count`` new one-time tokens (160 random bits each). Only their hashes are stored: the
    caller shows the tokens once; lost links are replaced by issuing new ones."""
    require_reach(user, survey.organization)
    return make_links(survey, count, group)


def make_links(survey: Survey, count: int, group: str = "") -> list[str]:
    """``issue_links`` without the permission check (the demo loader)."""
    if not 1 <= count <= MAX_LINKS:
        raise ValidationError(
            {"count": _("Issue between 1 and %(max)d links at a time.") % {"max": MAX_LINKS}}
        )
    tokens = [secrets.token_urlsafe(20) for _i in range(count)]
    today = timezone.localdate()
    SurveyLink.objects.bulk_create(
        SurveyLink(survey=survey, token_hash=hash_token(t), group=group, issued_on=today)
        for t in tokens
    )
    return tokens


def issued_tokens(survey: Survey, tokens) -> list[tuple[str, str]]:
    """(token, group) of the given tokens that are links of ``survey`` (to re-export the sheet
    shown once); unknown tokens are left out. Whether a link was used is not said: the owner
    knows who got which link, and should not follow who answered."""
    by_hash = {hash_token(t): t for t in tokens if t}
    groups = dict(
        SurveyLink.objects.filter(survey=survey, token_hash__in=list(by_hash)).values_list(
            "token_hash", "group"
        )
    )
    return [(t, groups[h]) for h, t in by_hash.items() if h in groups]


def link_counts(survey: Survey) -> dict:
    links = survey.links.all()
    return {"issued": links.count(), "used": links.filter(used=True).count()}


# ---- the public side -------------------------------------------------------------------


def open_link(token: str) -> Survey | None:
    """The survey a token may still answer, or None (unknown, used or closed: one answer)."""
    if not token or len(token) > 100:
        return None
    link = (
        SurveyLink.objects.filter(
            token_hash=hash_token(token), used=False, survey__status=SurveyStatus.OPEN
        )
        .select_related("survey")
        .first()
    )
    return link.survey if link else None


class LinkUsed(Exception):
    """The token is unknown, already used or its survey closed."""


def submit_response(token: str, answers: dict) -> None:
    """Stores one response and spends the token, both or neither.

    ``answers``: question id -> rating (int), choice (str) or text (str). The link is marked
    used by ``UPDATE … WHERE used = false``: of two concurrent submissions only one updates a
    row, the other is refused. Nothing here names the link on the response side, and no history
    or audit row is written (either would pair the request with the response).
    """
    token_hash = hash_token(token or "")
    with transaction.atomic():
        link = (
            SurveyLink.objects.filter(token_hash=token_hash, survey__status=SurveyStatus.OPEN)
            .values("pk", "survey_id")
            .first()
        )
        if link is None:
            raise LinkUsed
        spent = SurveyLink.objects.filter(pk=link["pk"], used=False).update(used=True)
        if spent != 1:
            raise LinkUsed
        survey = Survey.objects.get(pk=link["survey_id"])
        _store(survey, answers)


def _store(survey: Survey, answers: dict) -> SurveyResponse:
    questions = {q.pk: q for q in survey.questions.all()}
    response = SurveyResponse.objects.create(survey=survey, submitted_on=timezone.localdate())
    rows = []
    for question_id, value in answers.items():
        question = questions.get(int(question_id))
        if question is None or value in (None, ""):
            continue
        answer = SurveyAnswer(response=response, question=question)
        if question.kind == QuestionKind.RATING:
            rating = int(value)
            if rating not in RATING_LABELS:
                raise ValidationError(_("A rating is between 1 and 5."))
            answer.rating = rating
        elif question.kind == QuestionKind.CHOICE:
            if value not in question.option_list():
                raise ValidationError(_("Choose one of the options."))
            answer.choice = value
        else:
            answer.text = str(value)[:5000]
        rows.append(answer)
    missing = [
        q for q in questions.values() if q.required and q.pk not in {a.question_id for a in rows}
    ]
    if missing:
        raise ValidationError(_("Please answer every required question."))
    # shuffled, so even the insertion order inside one response says nothing
    secrets.SystemRandom().shuffle(rows)
    SurveyAnswer.objects.bulk_create(rows)
    return response


# ---- results ---------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: SurveyQuestion
    count: int = 0
    average: float | None = None
    # (label, count) in the order of the scale or of the options
    distribution: list = field(default_factory=list)
    texts: list = field(default_factory=list)


@dataclass
class TargetResult:
    label: str
    responses: int  # responses that answered some question on this target
    shown: bool
    questions: list  # QuestionResult, empty when not shown


@dataclass
class SurveyResults:
    responses: int
    minimum: int
    shown: bool
    collecting: bool = False  # still open: nothing shown until it is closed
    targets: list = field(default_factory=list)

    @property
    def missing(self) -> int:
        return max(0, self.minimum - self.responses)


def results(survey: Survey) -> SurveyResults:
    """Counts, averages and distributions per question, grouped by rated target. Nothing is
    computed below the threshold; a target (or a question) answered by fewer responses than the
    threshold is withheld even when the survey has more."""
    minimum = min_responses()
    total = survey.responses.count()
    # shown only once closed: results changing with each response would pair answers and links
    collecting = survey.status == SurveyStatus.OPEN
    outcome = SurveyResults(
        responses=total,
        minimum=minimum,
        shown=total >= minimum and not collecting,
        collecting=collecting,
    )
    if not outcome.shown:
        return outcome
    questions = list(survey.questions.select_related("target_department", "target_organization"))
    answers = defaultdict(list)
    for question_id, response_id, rating, choice, text in SurveyAnswer.objects.filter(
        question__survey=survey
    ).values_list("question_id", "response_id", "rating", "choice", "text"):
        answers[question_id].append((response_id, rating, choice, text))
    groups: dict = {}
    for question in questions:
        key = (question.target_department_id, question.target_organization_id)
        label = str(question.target) if question.target else _("The agency as a whole")
        groups.setdefault(key, (label, []))[1].append(question)
    for label, members in groups.values():
        respondents = {r for q in members for r, *_rest in answers[q.pk]}
        shown = len(respondents) >= minimum
        target = TargetResult(label=label, responses=len(respondents), shown=shown, questions=[])
        if shown:
            target.questions = [
                _question_result(q, answers[q.pk], minimum)
                for q in members
                if len(answers[q.pk]) >= minimum
            ]
        outcome.targets.append(target)
    return outcome


def _question_result(question, rows, minimum) -> QuestionResult:
    result = QuestionResult(question=question, count=len(rows))
    if question.kind == QuestionKind.RATING:
        ratings = [rating for _r, rating, _c, _t in rows if rating]
        counts = Counter(ratings)
        result.distribution = [
            (rating_label(v), counts[v]) for v in sorted(RATING_LABELS, reverse=True)
        ]
        result.average = round(sum(ratings) / len(ratings), 2) if ratings else None
    elif question.kind == QuestionKind.CHOICE:
        counts = Counter(choice for _r, _rt, choice, _t in rows if choice)
        result.distribution = [(option, counts[option]) for option in question.option_list()]
    else:
        # sorted, not in submission order
        result.texts = sorted(text for *_rest, text in rows if text)
    return result


def result_rows(outcome: SurveyResults) -> list[list]:
    """The shown results as table rows (for Excel and the API): nothing below the threshold."""
    rows = []
    for target in outcome.targets:
        for item in target.questions:
            if item.texts:
                detail = " / ".join(item.texts)
            else:
                detail = "；".join(f"{label} {count}" for label, count in item.distribution)
            rows.append([target.label, item.question.text, item.count, item.average, detail])
    return rows


# ---- the survey indicator ----------------------------------------------------------------


def grassroots_satisfaction(organizations, period_start, period_end):
    """Per organization: the average rating (1–5) of the questions rating it, or a department it
    covers, in surveys overlapping the period, scaled to 0–100. A survey counts for an
    organization only when it was run by a level above it (a branch never rates itself, nor
    another branch, into an assessment) and at least the threshold of its responses rated it;
    a question answered by fewer than the threshold (withheld from the results) is left out, so
    no score reveals a withheld rating. Evidence lists the surveys and their response counts,
    never a response."""
    minimum = min_responses()
    paths = dict(organizations.order_by().values_list("pk", "path"))
    org_ids = set(paths)
    rows = (
        SurveyAnswer.objects.filter(
            rating__isnull=False,
            question__kind=QuestionKind.RATING,
            # closed surveys only, as on the results page
            question__survey__status=SurveyStatus.CLOSED,
            question__survey__period_start__lte=period_end,
            question__survey__period_end__gte=period_start,
        )
        .values_list(
            "question_id",
            "question__target_organization_id",
            "question__target_department__branch_id",
            "question__survey_id",
            "question__survey__title",
            "question__survey__organization__path",
            "response_id",
            "rating",
        )
        .order_by()
    )
    rows = list(rows)
    # as on the results page: a question shows (and counts) from the threshold of answers
    answered = Counter(row[0] for row in rows)
    # (org, survey) -> ratings and respondents
    ratings, respondents, titles = defaultdict(list), defaultdict(set), {}
    for row in rows:
        question_id, target_org, department_branch, survey_id, title, owner_path = row[:6]
        response_id, rating = row[6:]
        if answered[question_id] < minimum:
            continue
        org_id = target_org or department_branch
        if org_id not in org_ids:
            continue
        # only a survey of a level above the rated organization
        if paths[org_id] == owner_path or not paths[org_id].startswith(owner_path):
            continue
        ratings[(org_id, survey_id)].append(rating)
        respondents[(org_id, survey_id)].add(response_id)
        titles[survey_id] = title
    totals, evidence = defaultdict(list), defaultdict(list)
    for (org_id, survey_id), values in sorted(ratings.items()):
        count = len(respondents[(org_id, survey_id)])
        if count < minimum:
            continue
        totals[org_id].extend(values)
        evidence[org_id].append(("assess.survey", survey_id, f"{titles[survey_id]} ({count})"))
    return {
        org_id: (round((sum(values) / len(values) - 1) * 25, 1), evidence[org_id])
        for org_id, values in totals.items()
    }
