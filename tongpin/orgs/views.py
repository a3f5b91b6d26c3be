"""Pages of the organization tree. Views parse the request and call ``services``."""

import copy
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from tongpin.core.access import domain_view
from tongpin.core.excel import export_xlsx
from tongpin.core.scoping import CHANGE, VIEW, require_reach
from tongpin.core.views import render_history, scoped_get

from . import forms, roster, services
from .checks import RULE_TITLES, SEVERITY_LABELS
from .models import Department, Organization, OrgKind, Term, TermStatus

# platform administrators see no domain data (least privilege, security.md)
domain_page = domain_view


def members_list_url(organization) -> str:
    """The roster filtered to ``organization`` (the members app owns that page)."""
    try:
        return reverse("members:list") + f"?org={organization.pk}"
    except NoReverseMatch:
        return ""


# ---- tree -------------------------------------------------------------------------------------


@domain_page
@require_GET
def tree(request):
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()[:50]
    if query:
        results = services.search_organizations(request.user, query)
        context = {"query": query, "results": results}
        if request.htmx:
            return render(request, "orgs/_search_results.html", context)
    else:
        results = None
        if request.htmx and "q" in request.GET:  # the search box was cleared
            return render(request, "orgs/_search_results.html", {"query": "", "results": None})
    expand = None
    expand_id = request.GET.get("expand", "")
    if expand_id.isascii() and expand_id.isdigit():
        expand = Organization.objects.restrict(request.user).filter(pk=expand_id).first()
    return render(
        request,
        "orgs/tree.html",
        {
            "roots": services.tree_nodes(request.user, today, expand=expand),
            "departments": services.departments_for(request.user),
            "query": query,
            "results": results,
            "expand": expand,
        },
    )


@domain_page
@require_GET
def tree_children(request, pk):
    organization = scoped_get(Organization, request.user, pk)
    if not request.htmx:  # no JavaScript: the whole tree, opened down to this node
        return redirect(f"{reverse('orgs:tree')}?expand={organization.pk}#org-{organization.pk}")
    nodes = services.child_nodes(request.user, organization, timezone.localdate())
    return render(request, "orgs/_tree_nodes.html", {"nodes": nodes})


@domain_page
@require_GET
def tree_export(request):
    rows = services.tree_rows(request.user, timezone.localdate())
    return export_xlsx(
        request,
        title=_("Organizations"),
        headers=[
            _("Name"),
            _("Short name"),
            _("Kind"),
            _("Parent organization"),
            pgettext("count", "Members"),
            _("Full members"),
            _("Secretary"),
            _("Term ends on"),
            _("Established on"),
        ],
        rows=(
            [
                "\u3000" * (org.depth - 1) + org.name,
                org.short_name,
                org.get_kind_display(),
                org.parent_name,
                org.member_count,
                org.full_count,
                org.secretary_name or "",
                org.term_end,
                org.established_on,
            ]
            for org in rows
        ),
    )


# ---- one organization -------------------------------------------------------------------------


@domain_page
@require_GET
def detail(request, pk):
    user = request.user
    today = timezone.localdate()
    organization = scoped_get(Organization, user, pk)
    committee = list(
        roster.current_posts(today)
        .restrict(user)
        .filter(organization=organization)
        .select_related("member", "term")
    )
    # secretary first, then deputy, organization, publicity, discipline, members
    rank = {post: i for i, post in enumerate(roster.committee_post_model().Post.values)}
    committee.sort(key=lambda p: (rank.get(p.post, len(rank)), p.started_on, p.pk))
    terms = list(Term.objects.restrict(user).filter(organization=organization))
    for term in terms:
        term.state = term.status(today)
        term.state_label = TermStatus(term.state).label
    findings = services.run_health_checks(
        Organization.objects.restrict(user).filter(pk=organization.pk), today
    )
    return render(
        request,
        "orgs/detail.html",
        {
            "organization": organization,
            "ancestors": services.visible_ancestors(user, organization),
            "children": services.child_nodes(user, organization, today),
            "committee": committee,
            "terms": terms,
            "departments": services.covered_departments(user, organization),
            "counts": roster.member_counts(organization),
            "members_url": members_list_url(organization),
            "findings": findings,
            "rule_titles": RULE_TITLES,
            "moves": organization.moves.restrict(user).select_related(
                "from_parent", "to_parent", "moved_by"
            ),
            "can_change": services.can_change(user, organization),
            "can_move": organization.kind != OrgKind.AGENCY_COMMITTEE,
            "has_committee": organization.kind != OrgKind.GROUP,
        },
    )


@domain_page
@require_GET
def history(request, pk):
    organization = scoped_get(Organization, request.user, pk)
    return render_history(
        request, organization, back_url=reverse("orgs:detail", args=[organization.pk])
    )


def _changeable(request, pk) -> Organization:
    """404 when the user cannot see the organization, 403 when they may not change it."""
    organization = scoped_get(Organization, request.user, pk)
    require_reach(request.user, organization, CHANGE)
    return organization


@domain_page
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    organization = _changeable(request, pk)
    # the form edits a copy, so the page header keeps the saved name while errors show
    form = forms.OrganizationForm(request.POST or None, instance=copy.copy(organization))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(
                form.instance,
                user=request.user,
                **{name: form.cleaned_data[name] for name in services.ORGANIZATION_FIELDS},
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "organization": organization,
            "form": form,
            "title": _("Edit %(org)s") % {"org": organization},
        },
    )


@domain_page
@require_http_methods(["GET", "POST"])
def add_child(request, pk):
    parent = _changeable(request, pk)
    form = forms.ChildForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data
        }
        try:
            child = services.add_child(parent, user=request.user, **fields)
        except ValidationError as error:
            form.add_errors(error, "kind")
        else:
            messages.success(request, _("%(org)s has been set up.") % {"org": child})
            return redirect("orgs:detail", pk=child.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "organization": parent,
            "form": form,
            "title": _("New organization under %(org)s") % {"org": parent},
        },
    )


@domain_page
@require_http_methods(["GET", "POST"])
def move(request, pk):
    organization = _changeable(request, pk)
    form = forms.MoveForm(
        request.POST or None, choices=services.parent_choices(request.user, organization)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.move_organization(
                organization,
                form.cleaned_data["new_parent"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_errors(error, "new_parent")
        except PermissionError as error:
            raise PermissionDenied from error
        else:
            messages.success(request, _("%(org)s has been moved.") % {"org": organization})
            return redirect("orgs:detail", pk=organization.pk)
    parent = services.visible_ancestors(request.user, organization)[-1:]
    return render(
        request,
        "orgs/move.html",
        {
            "organization": organization,
            "form": form,
            "current_parent": parent[0] if parent else None,
        },
    )


# ---- terms and committee posts ----------------------------------------------------------------


def _term_form(request, organization, term=None):
    form = forms.TermForm(request.POST or None, instance=term, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_term(form.instance, user=request.user)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The term has been saved."))
            return redirect("orgs:detail", pk=organization.pk)
    title = _("Edit term") if term is not None else _("New term")
    return render(
        request,
        "orgs/form.html",
        {"organization": organization, "form": form, "title": f"{organization} · {title}"},
    )


@domain_page
@require_http_methods(["GET", "POST"])
def term_add(request, pk):
    organization = _changeable(request, pk)
    if organization.kind == OrgKind.GROUP:  # a party group holds no elections
        raise Http404
    return _term_form(request, organization)


@domain_page
@require_http_methods(["GET", "POST"])
def term_edit(request, pk):
    term = scoped_get(Term, request.user, pk)
    require_reach(request.user, term.organization, CHANGE)
    return _term_form(request, term.organization, term)


@domain_page
@require_http_methods(["GET", "POST"])
def post_add(request, pk):
    organization = _changeable(request, pk)
    if organization.kind == OrgKind.GROUP:
        raise Http404
    today = timezone.localdate()
    form = forms.CommitteePostForm(
        request.POST or None, organization=organization, user=request.user, today=today
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_committee_post(organization, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The post has been added."))
            return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "organization": organization,
            "form": form,
            "title": _("%(org)s · new committee post") % {"org": organization},
        },
    )


@domain_page
@require_http_methods(["GET", "POST"])
def post_end(request, pk):
    post_model = roster.committee_post_model()
    committee_post = get_object_or_404(
        post_model.objects.restrict(request.user).select_related("organization", "member"), pk=pk
    )
    organization = committee_post.organization
    require_reach(request.user, organization, CHANGE)
    form = forms.EndPostForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_committee_post(
                committee_post, user=request.user, ended_on=form.cleaned_data["ended_on"]
            )
        except ValidationError as error:
            form.add_errors(error, "ended_on")
        else:
            messages.success(request, _("The post has ended."))
            return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "organization": organization,
            "form": form,
            "title": _("End the post: %(post)s") % {"post": committee_post},
        },
    )


# ---- departments ------------------------------------------------------------------------------


@domain_page
@require_GET
def departments(request):
    return render(
        request,
        "orgs/departments.html",
        {
            "departments": services.departments_for(request.user),
            "can_edit": services.is_agency_staff(request.user),
        },
    )


@domain_page
@require_http_methods(["GET", "POST"])
def department_edit(request, pk):
    department = scoped_get(Department, request.user, pk)
    if not services.is_agency_staff(request.user):
        raise PermissionDenied
    branches = Organization.objects.restrict(request.user, CHANGE).filter(kind=OrgKind.BRANCH)
    form = forms.DepartmentForm(request.POST or None, instance=department, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_department_branch(
                department, user=request.user, branch=form.cleaned_data["branch"]
            )
        except ValidationError as error:
            form.add_errors(error, "branch")
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('orgs:departments')}#dept-{department.pk}")
    return render(
        request,
        "orgs/form.html",
        {"form": form, "title": _("Covering branch of %(dept)s") % {"dept": department}},
    )


@domain_page
@require_GET
def departments_export(request):
    return export_xlsx(
        request,
        title=_("Departments"),
        headers=[
            _("Code"),
            pgettext("orgs", "Department"),
            _("Covering branch"),
            pgettext("count", "Members"),
        ],
        rows=(
            [d.code, d.name, d.branch.name if d.branch else _("No covering branch"), d.member_count]
            for d in services.departments_for(request.user)
        ),
    )


# ---- health -----------------------------------------------------------------------------------


@domain_page
@require_GET
def health(request):
    user = request.user
    visible = Organization.objects.restrict(user, VIEW).exclude(kind=OrgKind.GROUP)
    form = forms.HealthFilterForm(request.GET or None, organizations=visible)
    organization = form.cleaned_data["org"] if form.is_valid() else None
    findings = services.findings_for(user, timezone.localdate(), organization)
    organizations = {o.pk: o for o in visible.filter(pk__in={f.organization_id for f in findings})}
    departments = {
        d.pk: d
        for d in Department.objects.restrict(user).filter(
            pk__in={f.department_id for f in findings}
        )
    }
    groups = [
        {
            "rule": rule,
            "title": RULE_TITLES.get(rule, ""),
            "findings": [
                {
                    "finding": f,
                    "severity": SEVERITY_LABELS.get(f.severity, f.severity),
                    "organization": organizations.get(f.organization_id),
                    "department": departments.get(f.department_id),
                }
                for f in items
            ],
        }
        for rule, items in groupby(findings, key=lambda f: f.rule)
    ]
    return render(
        request,
        "orgs/health.html",
        {
            "form": form,
            "groups": groups,
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" for f in findings),
            "scope": organization,
        },
    )
