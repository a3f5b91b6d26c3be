"""Pages of the grassroots survey: the owner's (logged in) and the public answer page (no login).

The public pages never say more than "invalid or used" about a token, write no history or audit
row, and slow down a client that keeps trying tokens that do not work.
"""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongpin.core.access import domain_view
from tongpin.core.excel import export_xlsx
from tongpin.core.middleware import client_ip
from tongpin.core.scoping import CHANGE, VIEW, scope_of

from . import surveys
from .models import Survey, SurveyQuestion, SurveyStatus
from .survey_forms import AnswerForm, LinkForm, QuestionForm, SurveyForm

# a client whose tokens failed this many times in the window gets 429 until it ends
FAILURES_ALLOWED = 30
FAILURE_WINDOW_SECONDS = 600


def _may_create(user) -> bool:
    scope = scope_of(user, CHANGE)
    return scope.everything or bool(scope.org_paths)


def _survey(user, pk, action=VIEW) -> Survey:
    return get_object_or_404(
        Survey.objects.restrict(user, action).select_related("organization"), pk=pk
    )


@domain_view
@require_GET
def survey_list(request):
    return render(
        request,
        "assess/survey_list.html",
        {
            "surveys": Survey.objects.restrict(request.user, VIEW).select_related("organization"),
            "may_create": _may_create(request.user),
        },
    )


@domain_view
@require_http_methods(["GET", "POST"])
def survey_create(request):
    if not _may_create(request.user):
        raise PermissionDenied
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            survey = surveys.create_survey(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            return redirect("assess:survey", pk=survey.pk)
    return render(request, "assess/survey_form.html", {"form": form})


@domain_view
@require_GET
def survey_detail(request, pk):
    survey = _survey(request.user, pk)
    may_change = Survey.objects.restrict(request.user, CHANGE).filter(pk=pk).exists()
    return render(
        request,
        "assess/survey_detail.html",
        {
            "survey": survey,
            "questions": survey.questions.select_related(
                "target_department", "target_organization"
            ),
            "links": surveys.link_counts(survey),
            "responses": survey.responses.count(),
            "minimum": surveys.min_responses(),
            "may_change": may_change,
            "locked": survey.responses.exists(),
        },
    )


@domain_view
@require_http_methods(["GET", "POST"])
def survey_question_add(request, pk):
    survey = _survey(request.user, pk, CHANGE)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.add_question(survey, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            return redirect("assess:survey", pk=survey.pk)
    return render(request, "assess/survey_question_form.html", {"form": form, "survey": survey})


@domain_view
@require_POST
def survey_question_delete(request, pk):
    question = get_object_or_404(SurveyQuestion.objects.restrict(request.user, CHANGE), pk=pk)
    try:
        surveys.delete_question(question, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("assess:survey", pk=question.survey_id)


@domain_view
@require_POST
def survey_status(request, pk):
    survey = _survey(request.user, pk, CHANGE)
    status = request.POST.get("status")
    if status not in SurveyStatus.values:
        return redirect("assess:survey", pk=survey.pk)
    try:
        surveys.set_status(survey, status, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("assess:survey", pk=survey.pk)


def _qr_svg(url: str) -> str:
    import qrcode
    from qrcode.image.svg import SvgPathImage

    return qrcode.make(url, image_factory=SvgPathImage, box_size=8, border=2).to_string(
        encoding="unicode"
    )


@domain_view
@require_http_methods(["GET", "POST"])
def survey_links(request, pk):
    """Issue links; the page after issuing is the only time their tokens are shown."""
    survey = _survey(request.user, pk, CHANGE)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tokens = surveys.issue_links(
                survey,
                form.cleaned_data["count"],
                group=form.cleaned_data["group"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_errors(error, "count")
        else:
            links = []
            for token in tokens:
                url = request.build_absolute_uri(reverse("survey:answer", args=[token]))
                links.append({"token": token, "url": url, "qr": mark_safe(_qr_svg(url))})  # noqa: S308  (our own SVG)
            response = render(
                request,
                "assess/survey_links_issued.html",
                {"survey": survey, "links": links, "group": form.cleaned_data["group"]},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "assess/survey_links.html",
        {"survey": survey, "form": form, "counts": surveys.link_counts(survey)},
    )


@domain_view
@require_POST
def survey_links_export(request, pk):
    """The sheet of links just issued, as Excel: the page posts its tokens back (the server
    keeps none); only tokens that are links of this survey are written."""
    survey = _survey(request.user, pk, CHANGE)
    rows = surveys.issued_tokens(survey, request.POST.getlist("token")[: surveys.MAX_LINKS])
    if not rows:
        return redirect("assess:survey_links", pk=survey.pk)
    lines = [
        [index, group, request.build_absolute_uri(reverse("survey:answer", args=[token]))]
        for index, (token, group) in enumerate(rows, start=1)
    ]
    response = export_xlsx(
        request,
        title=f"{survey.title}-{_('Links')}",
        headers=[_("No."), _("Issued to"), _("Link")],
        rows=lines,
    )
    response["Cache-Control"] = "no-store"
    return response


@domain_view
@require_GET
def survey_results(request, pk):
    survey = _survey(request.user, pk)
    return render(
        request,
        "assess/survey_results.html",
        {"survey": survey, "results": surveys.results(survey)},
    )


@domain_view
@require_GET
def survey_results_export(request, pk):
    survey = _survey(request.user, pk)
    outcome = surveys.results(survey)
    if not outcome.shown:
        messages.info(
            request,
            _("Results show from %(min)d responses; %(missing)d more are needed.")
            % {"min": outcome.minimum, "missing": outcome.missing},
        )
        return redirect("assess:survey_results", pk=survey.pk)
    return export_xlsx(
        request,
        title=survey.title,
        headers=[_("Rated"), _("Question"), _("Answers"), _("Average"), _("Distribution")],
        rows=surveys.result_rows(outcome),
    )


# ---- public ------------------------------------------------------------------------------


def _failure_key(request) -> str:
    return f"tongpin:survey-failures:{client_ip(request)}"


def _throttled(request) -> bool:
    return cache.get(_failure_key(request), 0) >= FAILURES_ALLOWED


def _count_failure(request) -> None:
    key = _failure_key(request)
    if not cache.add(key, 1, FAILURE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, FAILURE_WINDOW_SECONDS)


def _refused(request):
    """The same page for an unknown, used or closed token: nothing says which."""
    _count_failure(request)
    return render(request, "assess/survey_invalid.html", status=404)


@require_http_methods(["GET", "POST"])
def survey_answer(request, token):
    if _throttled(request):
        return render(request, "assess/survey_invalid.html", {"throttled": True}, status=429)
    survey = surveys.open_link(token)
    if survey is None:
        return _refused(request)
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.submit_response(token, form.answers())
        except surveys.LinkUsed:
            return _refused(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("survey:done")
    response = render(request, "assess/survey_answer.html", {"survey": survey, "form": form})
    response["Cache-Control"] = "no-store"
    # the token is in the URL: never send it to another site (same-origin keeps the
    # Origin header the CSRF check needs; no-referrer would send "null")
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def survey_done(request):
    return render(request, "assess/survey_done.html")
