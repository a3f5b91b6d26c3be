"""Pages of the study app: the library with its Chinese full-text search, materials."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tongpin.core import first_items
from tongpin.core.access import domain_view
from tongpin.core.excel import export_xlsx
from tongpin.core.scoping import CHANGE, VIEW, can_reach, looks_after_organizations
from tongpin.members.models import Member
from tongpin.orgs.models import Organization, OrgKind

from . import conf, search, services
from .forms import MaterialForm, SessionForm

PAGE_SIZE = 20


def _page_number(request) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


def _can_add(user) -> bool:
    return Organization.objects.restrict(user, CHANGE).exists()


@domain_view
@require_GET
def library(request):
    """The library; with ``q`` a full-text search over every text the user may read."""
    query = request.GET.get("q", "").strip()[:200]
    number = _page_number(request)
    context = {
        "query": query,
        "can_add": _can_add(request.user),
        "is_staff": looks_after_organizations(request.user),
    }
    if query:
        result = search.search(
            request.user, query, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        )
        context.update(
            result=result,
            number=number,
            has_next=number * PAGE_SIZE < result.total,
            has_previous=number > 1,
        )
    else:
        materials = services.visible_materials(request.user)
        context["page"] = Paginator(materials, PAGE_SIZE).get_page(number)
    return render(request, "study/library.html", context)


@domain_view
@require_GET
def material_detail(request, pk):
    material = get_object_or_404(services.visible_materials(request.user), pk=pk)
    query = request.GET.get("q", "").strip()[:200]
    terms = search.query_words(query) if query else []
    return render(
        request,
        "study/material_detail.html",
        {
            "material": material,
            "query": query,
            "body_html": search.highlight(material.body, terms, whole=True) if terms else None,
            "can_change": can_reach(request.user, material.organization, CHANGE),
        },
    )


@domain_view
@require_http_methods(["GET", "POST"])
def material_create(request):
    if not _can_add(request.user):
        raise PermissionDenied
    form = MaterialForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material = services.create_material(
                data["organization"],
                user=request.user,
                title=data["title"],
                body=data["body"],
                source=data.get("source") or "",
                published_on=data.get("published_on"),
                tags=data.get("tags") or "",
                file_name=data.get("file_name", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The material is in the library."))
            return redirect(material.get_absolute_url())
    return render(request, "study/material_form.html", {"form": form})


@domain_view
@require_http_methods(["GET", "POST"])
def material_edit(request, pk):
    material = get_object_or_404(services.visible_materials(request.user), pk=pk)
    if not can_reach(request.user, material.organization, CHANGE):
        raise PermissionDenied
    initial = {
        "organization": material.organization,
        "title": material.title,
        "source": material.source,
        "published_on": material.published_on,
        "tags": material.tags,
        "body": material.body,
    }
    form = MaterialForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    form.fields["organization"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_material(
                material,
                user=request.user,
                title=data["title"],
                body=data["body"],
                source=data.get("source") or "",
                published_on=data.get("published_on"),
                tags=data.get("tags") or "",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(material.get_absolute_url())
    return render(request, "study/material_form.html", {"form": form, "material": material})


# ---- study sessions ----------------------------------------------------------------------


def _year(request) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year


@domain_view
@require_GET
def session_list(request):
    sessions = services.sessions_for(request.user).prefetch_related("partners")
    page = Paginator(sessions, PAGE_SIZE).get_page(_page_number(request))
    return render(
        request,
        "study/session_list.html",
        {
            "page": page,
            "can_add": _can_add(request.user),
            "is_staff": looks_after_organizations(request.user),
        },
    )


@domain_view
@require_GET
def session_detail(request, pk):
    session = get_object_or_404(services.sessions_for(request.user), pk=pk)
    staff = can_reach(request.user, session.organization, VIEW) and looks_after_organizations(
        request.user
    )
    return render(
        request,
        "study/session_detail.html",
        {
            "session": session,
            # who was there is for the organization's staff (as meeting attendance is)
            "participants": services.participants(session) if staff else None,
            "count": services.participants(session).count(),
            "can_change": can_reach(request.user, session.organization, CHANGE),
            "first_item_url": first_items.url_for(
                request.user, session.first_item_type_id, session.first_item_id
            ),
        },
    )


@domain_view
@require_http_methods(["GET", "POST"])
def session_create(request):
    if not _can_add(request.user):
        raise PermissionDenied
    initial = {"held_on": timezone.localdate(), "hours": "2"}
    meeting = _meeting_to_prefill(request)
    if meeting is not None:
        initial.update(SessionForm.prefill(meeting))
    form = SessionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.record_session(
                data["organization"],
                user=request.user,
                tier=data["tier"],
                form=data["form"],
                topic=data["topic"],
                held_on=data.get("held_on"),
                hours=data["hours"],
                meeting=data.get("meeting"),
                members=data.get("members") or (),
                partners=data.get("partners") or (),
                materials=data.get("materials") or (),
                summary=data.get("summary") or "",
                first_item=data.get("first_item"),
                first_item_title=data.get("first_item_title") or "",
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The study session is recorded."))
            return redirect(session.get_absolute_url())
    return render(request, "study/session_form.html", {"form": form})


@domain_view
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    """Correct a session; its organization, meeting and attendance stay as recorded."""
    session = get_object_or_404(services.sessions_for(request.user), pk=pk)
    if not can_reach(request.user, session.organization, CHANGE):
        raise PermissionDenied
    initial = {
        "tier": session.tier,
        "form": session.form,
        "topic": session.topic,
        "held_on": session.held_on,
        "hours": session.hours,
        "materials": list(session.materials.values_list("pk", flat=True)),
        "summary": session.summary,
        "first_item": first_items.value_of(session.first_item_type_id, session.first_item_id),
        "first_item_title": session.first_item_title,
    }
    form = SessionForm(request.POST or None, user=request.user, initial=initial)
    for name in ("organization", "meeting", "members", "partners"):
        del form.fields[name]  # as recorded
    if session.meeting_id:
        form.fields["held_on"].disabled = True  # the meeting's date
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_session(
                session,
                user=request.user,
                tier=data["tier"],
                form=data["form"],
                topic=data["topic"],
                held_on=data.get("held_on"),
                hours=data["hours"],
                materials=data.get("materials") or (),
                summary=data.get("summary") or "",
                first_item=data.get("first_item"),
                first_item_title=data.get("first_item_title") or "",
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect(session.get_absolute_url())
    return render(request, "study/session_form.html", {"form": form, "session": session})


def _meeting_to_prefill(request):
    """``?meeting=<pk>``: a held meeting the user may change, whose session is being recorded."""
    from tongpin.life.models import Meeting, MeetingStatus

    raw = request.GET.get("meeting", "")
    if not raw.isdigit():
        return None
    return (
        Meeting.objects.restrict(request.user, CHANGE)
        .filter(pk=int(raw), status=MeetingStatus.HELD)
        .first()
    )


@domain_view
@require_GET
def report(request):
    """STD-06 class hours per member (roster order, never ranked) and the cadence flags."""
    if not looks_after_organizations(request.user):
        raise PermissionDenied
    year = _year(request)
    organizations = Organization.objects.restrict(request.user).filter(
        is_active=True, kind=OrgKind.BRANCH
    )
    members = Member.objects.restrict(request.user)
    rows = services.training_hours(members, year)
    flags = services.cadence(organizations, year, timezone.localdate())
    return render(
        request,
        "study/report.html",
        {
            "year": year,
            "rows": rows,
            "short": sum(1 for row in rows if not row.met),
            "flags": flags,
            "settings": conf.study_settings(),
        },
    )


@domain_view
@require_GET
def session_export(request):
    """The sessions the user may read, as the 学习台账 (.xlsx)."""
    sessions = services.sessions_for(request.user).select_related("organization", "meeting")
    rows = [
        (
            session.held_on,
            session.organization.name,
            session.get_tier_display(),
            session.get_form_display(),
            session.topic,
            session.hours,
            "、".join(p.name for p in session.partners.all()),
            _("Yes") if session.meeting_id else _("No"),
        )
        for session in sessions.prefetch_related("partners")
    ]
    return export_xlsx(
        request,
        title=_("Study sessions"),
        headers=[
            _("date held"),
            _("Organization"),
            _("tier"),
            _("Kind"),
            _("topic"),
            _("class hours"),
            _("Joint study partners"),
            _("Held in a meeting"),
        ],
        rows=rows,
    )


@domain_view
@require_GET
def report_export(request):
    """STD-06 class hours per member for a year (roster order, never ranked), as .xlsx."""
    if not looks_after_organizations(request.user):
        raise PermissionDenied
    year = _year(request)
    rows = services.training_hours(Member.objects.restrict(request.user), year)
    return export_xlsx(
        request,
        title=_("Training hours %(year)s") % {"year": year},
        headers=[_("Branch"), _("Name"), _("class hours"), _("Required"), _("Met")],
        rows=[
            (row.member.branch.name, row.member.name, row.hours, row.required, row.met)
            for row in rows
        ],
    )
