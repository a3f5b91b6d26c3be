"""Pages of organizational life. Views parse the request, call ``services`` and render; every
queryset goes through ``restrict``."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongpin.core import first_items
from tongpin.core.access import domain_view
from tongpin.core.audit import record_event
from tongpin.core.excel import export_xlsx
from tongpin.core.models import AuditEvent
from tongpin.core.scoping import CHANGE, VIEW, looks_after_organizations, scope_of
from tongpin.core.services import attachments_of, validate_upload
from tongpin.core.views import render_history, scoped_get
from tongpin.members.models import Member
from tongpin.orgs.models import Organization, OrgKind

from . import conf, documents, services
from .filtersets import MeetingFilterSet, TalkFilterSet
from .forms import (
    GRADE_CHOICES,
    CancelForm,
    MeetingForm,
    MotionForm,
    PlanForm,
    RecordForm,
    RescheduleForm,
    TalkForm,
    parse_count,
    parse_year,
)
from .models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberReview,
    Motion,
    ReviewGrade,
    Talk,
)

PAGE_SIZE = 50


def _meetings(user, action=VIEW):
    return Meeting.objects.restrict(user, action).select_related("organization")


def _staff_only(request) -> None:
    """Reports on many people are for those who look after organizations, not every member."""
    if not looks_after_organizations(request.user):
        raise PermissionDenied


def _sees_attendance(user, meeting) -> bool:
    """Attendance with reasons is not a public record: the organization's own staff only."""
    return scope_of(user, VIEW).covers_path(meeting.organization.path)


def _changeable(request, pk) -> Meeting:
    """404 if out of sight, 403 if visible but not the user's to change."""
    meeting = scoped_get(Meeting, request.user, pk)
    if not services.can_change_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _scope_orgs(request, action=VIEW):
    """Organizations in scope, narrowed to the subtree of ``?org=`` when it is one of them."""
    organizations = services.organizations_for(request.user, action)
    chosen = None
    raw = request.GET.get("org", "")
    if raw.isdigit():
        chosen = organizations.filter(pk=int(raw)).first()
        if chosen is not None:
            organizations = organizations.filter(path__startswith=chosen.path)
    return organizations, chosen


# ---- meetings -------------------------------------------------------------------------------


@domain_view
@require_GET
def meeting_list(request):
    filterset = MeetingFilterSet(
        request.GET or None,
        queryset=_meetings(request.user).select_related("host"),
        request=request,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = services.has_change_scope(request.user)
    to_record = 0
    if can_create:
        to_record = (
            _meetings(request.user, CHANGE)
            .filter(status=MeetingStatus.PLANNED, planned_on__lte=timezone.localdate())
            .count()
        )
    context = {
        "filterset": filterset,
        "page": page,
        "can_create": can_create,
        "to_record": to_record,
        "today": timezone.localdate(),
        "query": request.GET.urlencode(),
    }
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "life/_meeting_table.html" if partial else "life/meeting_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@domain_view
@require_GET
def meeting_export(request):
    filterset = MeetingFilterSet(
        request.GET or None,
        queryset=_meetings(request.user).select_related("host"),
        request=request,
    )
    headers = [
        _("Organization"),
        pgettext("meeting", "Kind"),
        pgettext("meeting", "Topic"),
        _("Rule"),
        pgettext("meeting", "Status"),
        _("Planned date"),
        _("Date held"),
        _("Place"),
        _("Host"),
        _("Expected"),
        _("Present"),
        _("Quorum met"),
        _("Late"),
    ]
    rows = (
        [
            m.organization.name,
            m.get_kind_display(),
            m.title,
            conf.rule_for(m.kind).get("rule", ""),
            m.get_status_display(),
            m.planned_on,
            m.held_on,
            m.place,
            m.host.name if m.host_id else "",
            m.expected_count if m.is_held else "",
            m.present_count if m.is_held else "",
            "" if m.quorum_met is None else m.quorum_met,
            m.is_late,
        ]
        for m in filterset.qs
    )
    return export_xlsx(request, title=_("Meetings"), headers=headers, rows=rows)


@domain_view
@require_GET
def meeting_calendar(request):
    """The filtered meetings (planned by default) as .ics for a phone calendar."""
    data = request.GET.copy()
    data.setdefault("status", MeetingStatus.PLANNED)
    filterset = MeetingFilterSet(data, queryset=_meetings(request.user), request=request)
    meetings = list(filterset.qs[:2000])
    record_event(
        AuditEvent.Kind.EXPORT,
        request=request,
        summary="{}: {}".format(_("Meeting calendar"), len(meetings)),
        detail={"rows": len(meetings), "path": request.get_full_path()},
    )
    body = documents.calendar_ics(meetings, _("Organizational life"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=tongpin-life.ics"
    return response


@domain_view
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    if not services.has_change_scope(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                meeting = services.create_meeting(
                    data["organization"],
                    data["kind"],
                    data["planned_on"],
                    user=request.user,
                    title=data["title"],
                )
                if data.get("first_item") is not None:
                    services.link_first_item(meeting, data["first_item"], user=request.user)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The meeting was added."))
            return redirect("life:detail", pk=meeting.pk)
    return render(request, "life/meeting_form.html", {"form": form})


def _study_session_url(meeting) -> str:
    """The study app's form, prefilled from this meeting (its attendance and 第一议题 are reused,
    never entered twice); the study app lies above life, so it is found by name, if installed."""
    from django.apps import apps

    if not apps.is_installed("tongpin.study"):
        return ""
    return f"{reverse('study:session_create')}?meeting={meeting.pk}"


@domain_view
@require_GET
def meeting_detail(request, pk):
    meeting = get_object_or_404(
        _meetings(request.user).select_related("host", "recorder", "first_item_type"), pk=pk
    )
    attendances = (
        Attendance.objects.restrict(request.user)
        .filter(meeting=meeting)
        .select_related("member")
        .order_by("member__name")
    )
    can_change = services.can_change_meeting(request.user, meeting)
    votes_allowed = (conf.rule_for(meeting.kind).get("quorum") or {}).get("basis") == "voting"
    context = {
        "meeting": meeting,
        "rule": conf.rule_for(meeting.kind),
        "attendances": attendances,
        "sees_attendance": _sees_attendance(request.user, meeting),
        "motions": Motion.objects.restrict(request.user).filter(meeting=meeting),
        "attachments": attachments_of(meeting),
        "first_item_url": first_items.url_for(
            request.user, meeting.first_item_type_id, meeting.first_item_id
        ),
        "can_change": can_change,
        "study_session_url": _study_session_url(meeting) if can_change and meeting.is_held else "",
        "votes_allowed": votes_allowed,
        "motion_form": MotionForm() if can_change and meeting.is_held and votes_allowed else None,
        "checkin_open": services.checkin_open(meeting),
        "today": timezone.localdate(),
        "on_roster": services.roster(meeting.organization, meeting.kind)
        .filter(user_id=request.user.pk)
        .exists(),
    }
    return render(request, "life/meeting_detail.html", context)


def _attendance_from_post(post, sheet) -> dict:
    entries = {}
    for row in sheet:
        status = post.get(f"att-{row.member_id}")
        if status is None:
            continue
        reason = post.get(f"reason-{row.member_id}", "")[:200]
        entries[row.member_id] = services.AttendanceEntry(status=status, reason=reason)
    return entries


@domain_view
@require_http_methods(["GET", "POST"])
def meeting_record(request, pk):
    """Record once: details, attendance pre-filled from the roster (all present), files."""
    meeting = _changeable(request, pk)
    if meeting.status == MeetingStatus.CANCELLED:
        messages.error(request, _("A cancelled meeting cannot be recorded."))
        return redirect("life:detail", pk=meeting.pk)
    sheet = services.attendance_sheet(meeting)
    form = RecordForm(request.POST or None, meeting=meeting, user=request.user)
    errors = {}
    file_errors = []
    if request.method == "POST":
        entries = _attendance_from_post(request.POST, sheet)
        errors = services.attendance_errors(entries)
        files = request.FILES.getlist("files")[:10]
        for uploaded in files:
            try:
                validate_upload(uploaded)
            except ValidationError as error:
                file_errors.extend(error.messages)
        # show what was entered if the page comes back with errors
        for row in sheet:
            if row.member_id in entries:
                row.status = entries[row.member_id].status
                row.reason = entries[row.member_id].reason
        if form.is_valid() and not errors and not file_errors:
            try:
                services.record_meeting(
                    meeting,
                    user=request.user,
                    attendance=entries,
                    files=files,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_errors(error)
            else:
                messages.success(request, _("The meeting was recorded."))
                return redirect("life:detail", pk=meeting.pk)
    for row in sheet:
        row.error = errors.get(row.member_id, "")
    context = {
        "meeting": meeting,
        "form": form,
        "sheet": sheet,
        "statuses": AttendanceStatus.choices,
        "file_errors": file_errors,
        "present": sum(1 for row in sheet if row.status == AttendanceStatus.PRESENT),
    }
    return render(request, "life/meeting_record.html", context)


@domain_view
@require_http_methods(["GET", "POST"])
def meeting_reschedule(request, pk):
    meeting = _changeable(request, pk)
    form = RescheduleForm(request.POST or None, initial={"planned_on": meeting.planned_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule(meeting, form.cleaned_data["planned_on"], user=request.user)
        except ValidationError as error:
            form.add_errors(error, "planned_on")
        else:
            messages.success(request, _("The meeting was moved."))
            return redirect("life:detail", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "action": _("Move the meeting")}
    return render(request, "life/meeting_action.html", context)


@domain_view
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting = _changeable(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(meeting, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_errors(error, "reason")
        else:
            messages.success(request, _("The meeting was cancelled."))
            return redirect("life:detail", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "action": _("Cancel the meeting")}
    return render(request, "life/meeting_action.html", context)


@domain_view
@require_POST
def motion_add(request, pk):
    meeting = _changeable(request, pk)
    form = MotionForm(request.POST)
    if form.is_valid():
        try:
            motion = services.record_motion(meeting, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if motion.passed:
                messages.success(request, _("Vote recorded: passed."))
            else:
                messages.warning(request, _("Vote recorded: not passed (rule BR-03)."))
    else:
        messages.error(request, _("Enter the matter and the vote counts."))
    return redirect("life:detail", pk=meeting.pk)


@domain_view
@require_GET
def meeting_docx(request, pk):
    meeting = get_object_or_404(_meetings(request.user).select_related("host", "recorder"), pk=pk)
    if not _sees_attendance(request.user, meeting):
        raise PermissionDenied
    attendances = list(meeting.attendances.select_related("member").order_by("member__name"))
    body = documents.minutes_docx(meeting, attendances, list(meeting.motions.all()))
    record_event(
        AuditEvent.Kind.EXPORT,
        request=request,
        obj=meeting,
        summary="{}: {}".format(_("Minutes"), meeting),
    )
    name = f"{meeting.organization.name}-{meeting.get_kind_display()}-{meeting.day:%Y%m%d}.docx"
    response = HttpResponse(body, content_type=documents.DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@domain_view
@require_GET
def meeting_history(request, pk):
    meeting = scoped_get(Meeting, request.user, pk)
    return render_history(request, meeting, back_url=reverse("life:detail", args=[meeting.pk]))


@domain_view
@require_GET
def attachment(request, pk, attachment):
    meeting = scoped_get(Meeting, request.user, pk)
    item = attachments_of(meeting).filter(pk=attachment).first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@domain_view
@require_GET
def meeting_qr(request, pk):
    """The check-in QR code to show at the meeting; scanning it is optional, never required."""
    meeting = _changeable(request, pk)
    url = request.build_absolute_uri(reverse("life:checkin", args=[meeting.checkin_token]))
    context = {
        "meeting": meeting,
        "svg": documents.qr_svg(url),
        "url": url,
        "open": services.checkin_open(meeting),
    }
    return render(request, "life/meeting_qr.html", context)


@domain_view
@require_http_methods(["GET", "POST"])
def checkin(request, token):
    meeting = get_object_or_404(_meetings(request.user), checkin_token=token[:32])
    on_roster = services.roster(meeting.organization, meeting.kind).filter(user_id=request.user.pk)
    if request.method == "POST":
        if not on_roster.exists():
            raise PermissionDenied
        try:
            services.check_in(meeting, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("You are checked in. Thank you."))
            return redirect("life:checkin", token=meeting.checkin_token)
    mine = Attendance.objects.filter(meeting=meeting, member__user_id=request.user.pk).first()
    context = {
        "meeting": meeting,
        "on_roster": on_roster.exists(),
        "attendance": mine,
        "open": services.checkin_open(meeting),
    }
    return render(request, "life/checkin.html", context)


# ---- plan -----------------------------------------------------------------------------------


@domain_view
@require_http_methods(["GET", "POST"])
def plan(request):
    """One organization's year: every required kind by month; generate or extend the plan."""
    _staff_only(request)
    year = parse_year(request.GET.get("year") or request.POST.get("year"))
    organizations = services.organizations_for(request.user)
    chosen = None
    raw = request.GET.get("org") or request.POST.get("organization") or ""
    if str(raw).isdigit():
        chosen = organizations.filter(pk=int(raw)).first()
    if chosen is None:
        chosen = organizations.exclude(kind=OrgKind.GROUP).first()
    form = PlanForm(
        request.POST or None,
        user=request.user,
        initial={"organization": chosen, "year": year},
    )
    if request.method == "POST":
        if not services.has_change_scope(request.user):
            raise PermissionDenied
        if form.is_valid():
            target = form.cleaned_data["organization"]
            year = form.cleaned_data["year"]
            subtree = services.organizations_for(request.user, CHANGE).filter(
                path__startswith=target.path
            )
            created = services.generate_plans(list(subtree), year, user=request.user)
            messages.success(
                request,
                _("%(n)d meetings were added to the plan for %(year)d.")
                % {"n": len(created), "year": year},
            )
            return redirect(f"{reverse('life:plan')}?org={target.pk}&year={year}")
    grid = []
    if chosen is not None:
        # the organization itself and its party groups; a branch further down is chosen on its own
        own = Q(organization=chosen) | Q(
            organization__kind=OrgKind.GROUP, organization__path__startswith=chosen.path
        )
        meetings = (
            Meeting.objects.restrict(request.user)
            .filter(own, planned_on__year=year)
            .select_related("organization")
            .order_by("organization__path", "kind", "planned_on")
        )
        grid = services.plan_grid(meetings)
    context = {
        "form": form,
        "chosen": chosen,
        "year": year,
        "grid": grid,
        "months": range(1, 13),
        "organizations": services.org_options(organizations),
        "can_change": services.has_change_scope(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "life/plan.html", context)


# ---- compliance -----------------------------------------------------------------------------


def _compliance_context(request):
    _staff_only(request)
    year = parse_year(request.GET.get("year"))
    organizations, chosen = _scope_orgs(request)
    rows = services.compliance(organizations, year)
    coverage = services.talk_coverage(organizations, year)
    return year, chosen, rows, coverage, organizations


@domain_view
@require_GET
def compliance_page(request):
    year, chosen, rows, coverage, organizations = _compliance_context(request)
    kinds = [k for k in MeetingKind.values if any(r.kind == k for r in rows)]
    table = services.compliance_table(rows, kinds, coverage)
    context = {
        "year": year,
        "chosen": chosen,
        "kinds": [(k, MeetingKind(k).label, conf.rule_for(k).get("rule", "")) for k in kinds],
        "table": table,
        "coverage": coverage,
        "organizations": services.org_options(services.organizations_for(request.user)),
        "totals": services.compliance_totals(rows),
    }
    return render(request, "life/compliance.html", context)


@domain_view
@require_GET
def compliance_export(request):
    year, _chosen, rows, coverage, _orgs = _compliance_context(request)
    headers = [
        _("Organization"),
        pgettext("meeting", "Kind"),
        _("Rule"),
        _("Required in the year"),
        _("Due so far"),
        _("Held"),
        _("Periods covered"),
        _("Missing"),
        _("Late"),
        _("Quorum failures"),
        _("Still planned"),
        _("Talk pairs done (BR-11)"),
        _("Talk pairs required (BR-11)"),
    ]
    data = []
    for row in rows:
        talks = coverage.get(row.organization_id)
        first = row.kind == next(r.kind for r in rows if r.organization_id == row.organization_id)
        data.append(
            [
                row.organization,
                row.kind_label,
                row.rule,
                row.required,
                row.due,
                row.held,
                row.covered,
                row.missing,
                row.late,
                row.quorum_failures,
                row.planned,
                talks.done if talks and first else "",
                talks.required if talks and first else "",
            ]
        )
    return export_xlsx(
        request,
        title=_("Life compliance %(year)d") % {"year": year},
        headers=headers,
        rows=data,
    )


# ---- BR-12 ----------------------------------------------------------------------------------


def _dual_life_rows(request):
    _staff_only(request)
    year = parse_year(request.GET.get("year"))
    organizations, chosen = _scope_orgs(request)
    members = Member.objects.restrict(request.user).filter(
        branch__in=organizations.order_by().values("pk")
    )
    return year, chosen, services.dual_life_report(members, year)


@domain_view
@require_GET
def dual_life(request):
    year, chosen, rows = _dual_life_rows(request)
    context = {
        "year": year,
        "chosen": chosen,
        "rows": rows,
        "organizations": services.org_options(services.organizations_for(request.user)),
    }
    return render(request, "life/dual_life.html", context)


@domain_view
@require_GET
def dual_life_export(request):
    year, _chosen, rows = _dual_life_rows(request)
    headers = [
        pgettext("member", "Name"),
        _("Post"),
        _("Branch"),
        _("Branch life: expected"),
        _("Branch life: present"),
        _("Branch life: excused"),
        _("Branch life: absent"),
        _("Leadership group: expected"),
        _("Leadership group: present"),
    ]
    data = (
        [
            m.name,
            m.post,
            m.branch.name,
            m.branch_expected,
            m.branch_present,
            m.branch_excused,
            m.branch_absent,
            m.leadership_expected,
            m.leadership_present,
        ]
        for m in rows
    )
    return export_xlsx(
        request,
        title=_("Dual organizational life %(year)d") % {"year": year},
        headers=headers,
        rows=data,
    )


# ---- BR-11 ----------------------------------------------------------------------------------


def _talks(request):
    return TalkFilterSet(
        request.GET or None,
        queryset=Talk.objects.restrict(request.user).select_related(
            "organization", "member_a", "member_b"
        ),
        request=request,
    )


@domain_view
@require_GET
def talk_list(request):
    _staff_only(request)
    year = parse_year(request.GET.get("year"))
    filterset = _talks(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    organizations, chosen = _scope_orgs(request)
    branches = organizations.filter(kind=OrgKind.BRANCH)
    coverage = services.talk_coverage(branches, year)
    context = {
        "filterset": filterset,
        "page": page,
        "year": year,
        "coverage": [
            (branch, coverage.get(branch.pk) or services.TalkCoverage(branch.pk))
            for branch in branches
        ],
        "mode": conf.life_settings()["talk_pairs"],
        "chosen": chosen,
        "organizations": services.org_options(services.organizations_for(request.user)),
        "can_create": services.has_change_scope(request.user),
    }
    return render(request, "life/talk_list.html", context)


@domain_view
@require_http_methods(["GET", "POST"])
def talk_create(request):
    if not services.has_change_scope(request.user):
        raise PermissionDenied
    form = TalkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_talk(
                data["member"].branch,
                user=request.user,
                member=data["member"],
                partner=data["partner"],
                held_on=data["held_on"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The talk was recorded."))
            return redirect("life:talks")
    return render(request, "life/talk_form.html", {"form": form})


@domain_view
@require_GET
def talk_export(request):
    _staff_only(request)
    headers = [_("Branch"), _("Date"), _("Member"), _("Talked with"), _("Note")]
    rows = (
        [t.organization.name, t.held_on, t.member_a.name, t.member_b.name, t.note]
        for t in _talks(request).qs
    )
    return export_xlsx(request, title=_("Heart-to-heart talks"), headers=headers, rows=rows)


# ---- BR-10 ----------------------------------------------------------------------------------


@domain_view
@require_GET
def review_list(request):
    _staff_only(request)
    year = parse_year(request.GET.get("year"), timezone.localdate().year - 1)
    organizations, chosen = _scope_orgs(request)
    branches = list(services.branches_with_counts(organizations))
    summary = services.review_summary(organizations, year)
    context = {
        "year": year,
        "rows": [(branch, summary.get(branch.pk)) for branch in branches],
        "grades": ReviewGrade.choices,
        "share": conf.excellent_max_share(),
        "chosen": chosen,
        "organizations": services.org_options(services.organizations_for(request.user)),
    }
    return render(request, "life/review_list.html", context)


@domain_view
@require_http_methods(["GET", "POST"])
def review_sheet(request, org, year):
    _staff_only(request)
    branch = get_object_or_404(
        Organization.objects.restrict(request.user).filter(kind=OrgKind.BRANCH), pk=org
    )
    year = parse_year(year)
    can_change = scope_of(request.user, CHANGE).covers_path(branch.path)
    sheet = services.review_sheet(branch, year)
    errors = []
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        entries = {}
        for review in sheet:
            key = review.member_id
            if f"grade-{key}" not in request.POST:
                continue
            entries[key] = services.ReviewEntry(
                self_review=request.POST.get(f"self-{key}", review.self_review)[:4000],
                mutual_review=request.POST.get(f"mutual-{key}", review.mutual_review)[:4000],
                votes_excellent=parse_count(request.POST.get(f"ve-{key}")),
                votes_qualified=parse_count(request.POST.get(f"vq-{key}")),
                votes_basic=parse_count(request.POST.get(f"vb-{key}")),
                votes_unqualified=parse_count(request.POST.get(f"vu-{key}")),
                grade=request.POST.get(f"grade-{key}", "")[:12],
                handling=request.POST.get(f"handling-{key}", "")[:200],
            )
        if entries:
            try:
                services.save_reviews(branch, year, entries, user=request.user)
            except ValidationError as error:
                errors = error.messages
                for review in sheet:
                    entry = entries.get(review.member_id)
                    if entry:
                        review.__dict__.update(entry.__dict__)
            else:
                messages.success(request, _("The review was saved."))
                return redirect("life:review_sheet", org=branch.pk, year=year)
        else:
            errors = [_("Nothing to save.")]
    context = {
        "branch": branch,
        "year": year,
        "sheet": sheet,
        "grades": GRADE_CHOICES,
        "errors": errors,
        "can_change": can_change,
        "limit": services.excellent_limit(sum(1 for r in sheet if r.member.status == "full")),
        "share": conf.excellent_max_share(),
    }
    return render(request, "life/review_sheet.html", context)


@domain_view
@require_GET
def review_export(request):
    _staff_only(request)
    year = parse_year(request.GET.get("year"), timezone.localdate().year - 1)
    organizations, _chosen = _scope_orgs(request)
    reviews = (
        MemberReview.objects.restrict(request.user)
        .filter(year=year, organization__in=organizations.order_by().values("pk"))
        .select_related("organization", "member")
    )
    headers = [
        _("Branch"),
        pgettext("member", "Name"),
        _("Year"),
        _("Rated excellent"),
        _("Rated qualified"),
        _("Rated basically qualified"),
        _("Rated unqualified"),
        _("Grade"),
        _("Follow-up"),
    ]
    rows = (
        [
            r.organization.name,
            r.member.name,
            r.year,
            r.votes_excellent,
            r.votes_qualified,
            r.votes_basic,
            r.votes_unqualified,
            r.get_grade_display(),
            r.handling,
        ]
        for r in reviews
    )
    return export_xlsx(
        request,
        title=_("Member review %(year)d") % {"year": year},
        headers=headers,
        rows=rows,
    )
