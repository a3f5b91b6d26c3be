"""Pages of the work domain. Views parse the request, call ``services`` and render; every
queryset shown or exported goes through ``restrict``."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongpin.accounts.models import Role, User
from tongpin.core import loops
from tongpin.core.access import domain_view
from tongpin.core.excel import build_workbook, export_xlsx, xlsx_response
from tongpin.core.loops import LoopStage
from tongpin.core.scoping import CHANGE, can_reach, require_reach
from tongpin.core.services import attachments_of
from tongpin.core.views import render_history, scoped_get
from tongpin.orgs.models import Department, Organization, OrgKind

from . import evidence, forms, rendering, services
from .filtersets import GoalFilterSet, TaskFilterSet
from .models import (
    STATE_COLOURS,
    BusinessGoal,
    LeaderDepartment,
    PartyTask,
    ProgressUpdate,
    QuarterlyReview,
    ResponsibilityItem,
    ResponsibilityKind,
    ResponsibilityList,
    ResponsibilityTemplate,
    WorkState,
    due_soon_days,
    headed_department_ids,
)

PAGE_SIZE = 50


# ---- parsing helpers --------------------------------------------------------------------------


def _year(request) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return services.working_year(timezone.localdate())


def _visible_orgs(user):
    return Organization.objects.restrict(user).exclude(kind=OrgKind.GROUP)


def _org_options(user) -> list[tuple[int, str]]:
    """(id, name indented by depth) of the organizations a select offers."""
    return [
        (pk, "\u3000" * (depth - 1) + name)
        for pk, depth, name in _visible_orgs(user).values_list("pk", "depth", "name")
    ]


def _default_org(user) -> Organization | None:
    """The top of the user's own part of the tree (what they plan), else what they read."""
    own = (
        Organization.objects.restrict(user, CHANGE)
        .exclude(kind=OrgKind.GROUP)
        .order_by("depth", "path")
        .first()
    )
    return own or _visible_orgs(user).order_by("depth", "path").first()


def _org(request) -> Organization | None:
    value = request.GET.get("org", "")
    if value.isdigit():
        found = _visible_orgs(request.user).filter(pk=int(value)).first()
        if found is not None:
            return found
    return _default_org(request.user)


def _states():
    return [(state.value, state.label, STATE_COLOURS[state]) for state in WorkState]


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# ---- the yearly plan --------------------------------------------------------------------------


@domain_view
@require_GET
def plan(request):
    user = request.user
    today = timezone.localdate()
    organization = _org(request)
    year = _year(request)
    context = {
        "organization": organization,
        "year": year,
        "years": [y for y, _label in forms.year_choices(today)],
        "organizations": _org_options(user),
        "states": _states(),
    }
    if organization is not None:
        context["plan"] = services.build_plan(user, organization, year, today)
        context["rows"] = rendering.plan_rows(context["plan"])
        context["can_change"] = can_reach(user, organization, CHANGE)
        context["ancestors"] = [
            a
            for a in _visible_orgs(user).filter(
                path__in=[organization.path[:i] for i in range(4, len(organization.path), 4)]
            )
        ]
    return render(request, "work/plan.html", context)


@domain_view
@require_GET
def plan_export(request):
    organization = _org(request)
    if organization is None:
        raise Http404
    year = _year(request)
    today = timezone.localdate()
    result = services.build_plan(request.user, organization, year, today)
    group_labels = {
        "inherited": _("Linked through the deployment"),
        "elsewhere": _("Serving business goals outside your view"),
        "unlinked": _("Not linked to any business goal"),
    }
    rows = []
    for group in result.groups:
        goal = group.goal
        goal_cells = (
            [goal.department_name, goal.title, goal.target_text, goal.actual_text, goal.state_label]
            if goal
            else ["", group_labels[group.kind], "", "", ""]
        )
        if not group.tasks:
            rows.append([*goal_cells, "", "", "", "", "", "", ""])
        for task in group.tasks:
            rollup = result.rollups.get(task.pk)
            rows.append(
                [
                    *goal_cells,
                    task.title,
                    task.get_category_display(),
                    task.owner_name or "",
                    task.deadline,
                    f"{task.progress}%",
                    task.state_label,
                    f"{rollup.done}/{rollup.total}" if rollup else "",
                ]
            )
    return export_xlsx(
        request,
        title=_("%(year)d plan of %(org)s") % {"year": year, "org": organization.name},
        headers=[
            _("Department"),
            _("Business goal"),
            _("Target"),
            _("Actual"),
            _("Goal state"),
            _("Party task"),
            _("Category"),
            _("Responsible person"),
            _("Deadline"),
            _("Progress"),
            _("State"),
            _("Done below"),
        ],
        rows=rows,
    )


# ---- party tasks ------------------------------------------------------------------------------


def _task_queryset(request):
    return (
        PartyTask.objects.restrict(request.user)
        .with_state(timezone.localdate())
        .with_loop_stage()
        .select_related("organization", "owner", "parent__organization")
    )


def _filtered_tasks(request):
    filterset = TaskFilterSet(
        request.GET or None, queryset=_task_queryset(request), request=request
    )
    # garbage in the query shows nothing rather than everything
    valid = not filterset.is_bound or filterset.is_valid()
    queryset = filterset.qs if valid else filterset.queryset.none()
    return filterset, queryset.order_by("deadline", "organization__path", "pk")


@domain_view
@require_GET
def task_list(request):
    filterset, tasks = _filtered_tasks(request)
    page = _page(request, tasks)
    page.object_list = list(page.object_list)
    rollups = services.rollups([t.pk for t in page.object_list], timezone.localdate())
    for task in page.object_list:
        task.rollup = rollups.get(task.pk)
    return render(
        request,
        "work/task_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": _query_without_page(request),
            "can_create": services.has_change_scope(request.user),
        },
    )


@domain_view
@require_GET
def task_export(request):
    _filterset, tasks = _filtered_tasks(request)
    tasks = list(tasks)
    rollups = services.rollups([t.pk for t in tasks], timezone.localdate())
    goal_titles = defaultdict(list)
    for task_id, title in (
        PartyTask.goals.through.objects.filter(task_id__in=[t.pk for t in tasks])
        .values_list("task_id", "goal__title")
        .order_by("pk")
    ):
        goal_titles[task_id].append(title)
    return export_xlsx(
        request,
        title=_("Party tasks"),
        headers=[
            _("Year"),
            _("Organization"),
            _("Party task"),
            _("Category"),
            _("Responsible person"),
            _("Deadline"),
            _("Progress"),
            _("State"),
            _("Completed on"),
            _("Business goals served"),
            _("Deployed by"),
            _("Done below"),
        ],
        rows=(
            [
                t.year,
                t.organization.name,
                t.title,
                t.get_category_display(),
                t.owner.name if t.owner_id else "",
                t.deadline,
                f"{t.progress}%",
                t.state_label,
                t.completed_on,
                "；".join(goal_titles.get(t.pk, [])),
                t.parent.organization.name if t.parent_id and t.parent else "",
                f"{rollups[t.pk].done}/{rollups[t.pk].total}" if t.pk in rollups else "",
            ]
            for t in tasks
        ),
    )


def _task(request, pk) -> PartyTask:
    return get_object_or_404(
        PartyTask.objects.restrict(request.user)
        .with_state(timezone.localdate())
        .select_related("organization", "owner", "parent__organization", "source_review"),
        pk=pk,
    )


def _changeable_task(request, pk) -> PartyTask:
    task = _task(request, pk)
    require_reach(request.user, task.organization, CHANGE)
    return task


@domain_view
@require_GET
def task_detail(request, pk):
    user = request.user
    today = timezone.localdate()
    task = _task(request, pk)
    children = list(
        PartyTask.objects.restrict(user)
        .filter(parent=task)
        .with_state(today)
        .with_loop_stage()
        .select_related("organization", "owner")
        .order_by("organization__path")
    )
    updates = list(ProgressUpdate.objects.restrict(user).filter(task=task).select_related("author"))
    files = defaultdict(list)
    if updates:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(ProgressUpdate)
        from tongpin.core.models import Attachment

        for item in Attachment.objects.filter(
            content_type=content_type, object_id__in=[u.pk for u in updates]
        ):
            files[item.object_id].append(item)
    for update in updates:
        update.files = files.get(update.pk, [])
        update.linked_url = evidence.url_of(update)
    return render(
        request,
        "work/task_detail.html",
        {
            "task": task,
            "goals": list(task.goals.restrict(user).select_related("department")),
            "children": children,
            "rollup": services.rollups([task.pk], today).get(task.pk),
            "updates": updates,
            "can_change": services.can_change_task(user, task),
            # a deployed task's progress stops once its completion is reported (闭环)
            "can_report": services.can_report(user, task)
            and (task.parent_id is None or loops.may_report(task, user)),
            "loop_steps": task.loop_steps(),
            "may_report": loops.may_report(task, user),
            "may_verify": loops.may_verify(task, user),
            "may_close": loops.may_close(task, user),
            "may_close_children": services.can_change_task(user, task)
            and any(child.loop_stage == LoopStage.VERIFIED for child in children),
            "can_deploy": services.can_change_task(user, task)
            and services.deploy_targets(user, task).exists(),
            "parent_visible": task.parent_id
            and PartyTask.objects.restrict(user).filter(pk=task.parent_id).exists(),
            "responsibility_items": list(
                ResponsibilityItem.objects.restrict(user)
                .filter(task=task)
                .select_related("responsibility_list")
            ),
        },
    )


@domain_view
@require_GET
def task_history(request, pk):
    task = _task(request, pk)
    return render_history(request, task, back_url=reverse("work:task_detail", args=[task.pk]))


def _task_fields(form) -> dict:
    return {
        name: form.cleaned_data[name] for name in services.TASK_FIELDS if name in form.cleaned_data
    }


@domain_view
@require_http_methods(["GET", "POST"])
def task_create(request):
    user = request.user
    if not services.has_change_scope(user):
        raise PermissionDenied
    organization = None
    value = request.GET.get("org", "")
    if value.isdigit():
        organization = services.task_organizations(user).filter(pk=int(value)).first()
    form = forms.TaskForm(request.POST or None, user=user, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(
                user=user,
                organization=form.cleaned_data["organization"],
                goals=form.cleaned_data["goals"],
                **_task_fields(form),
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The task has been added to the plan."))
            return redirect("work:task_detail", pk=task.pk)
    return render(request, "work/form.html", {"form": form, "title": _("New party task")})


@domain_view
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    task = _changeable_task(request, pk)
    form = forms.TaskForm(request.POST or None, instance=task, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(
                form.instance,
                user=request.user,
                goals=form.cleaned_data["goals"],
                **_task_fields(form),
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("work:task_detail", pk=task.pk)
    return render(
        request,
        "work/form.html",
        {"form": form, "title": _("Edit %(title)s") % {"title": task.title}, "back": task},
    )


@domain_view
@require_http_methods(["GET", "POST"])
def task_deploy(request, pk):
    task = _changeable_task(request, pk)
    form = forms.DeployForm(request.POST or None, user=request.user, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            children = services.deploy_task(
                task,
                user=request.user,
                targets=form.cleaned_data["targets"],
                deadline=form.cleaned_data.get("deadline"),
            )
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(
                request,
                _("Deployed to %(n)d organizations.") % {"n": len(children)},
            )
            return redirect("work:task_detail", pk=task.pk)
    already = set(task.children.values_list("organization_id", flat=True))
    return render(request, "work/deploy.html", {"task": task, "form": form, "already": already})


@domain_view
@require_http_methods(["GET", "POST"])
def task_progress(request, pk):
    task = _task(request, pk)
    if not services.can_report(request.user, task):
        raise PermissionDenied
    form = forms.ProgressForm(
        request.POST or None, request.FILES or None, user=request.user, task=task
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_progress(
                task,
                user=request.user,
                progress=form.cleaned_data["progress"],
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                linked=form.cleaned_data["linked"],
                reported_on=form.cleaned_data["reported_on"],
            )
        except ValidationError as error:
            form.add_errors(error, "files")
        else:
            messages.success(request, _("Progress has been recorded."))
            return redirect("work:task_detail", pk=task.pk)
    return render(
        request,
        "work/form.html",
        {
            "form": form,
            "title": _("Report progress: %(title)s") % {"title": task.title},
            "back": task,
            "multipart": True,
        },
    )


# ---- the closed loop (部署 → 落实 → 报告 → 核验 → 销号) ------------------------------------------


@domain_view
@require_http_methods(["GET", "POST"])
def task_report(request, pk):
    """报告完成: the completion report with evidence (a deployed task then awaits verification)."""
    task = _task(request, pk)
    if not services.can_report(request.user, task):
        raise PermissionDenied
    form = forms.CompletionForm(
        request.POST or None, request.FILES or None, user=request.user, task=task
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_completion(
                task,
                user=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                linked=form.cleaned_data["linked"],
            )
        except ValidationError as error:
            form.add_errors(error, "text")
        else:
            messages.success(
                request,
                _("Completion reported; it awaits verification by %(org)s.")
                % {"org": task.parent.organization}
                if task.parent_id
                else _("Completion reported; the task is closed."),
            )
            return redirect("work:task_detail", pk=task.pk)
    return render(
        request,
        "work/form.html",
        {
            "form": form,
            "title": _("Report completion: %(title)s") % {"title": task.title},
            "back": task,
            "multipart": True,
        },
    )


def _loop_action(request, task, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("work:task_detail", pk=task.pk)


@domain_view
@require_POST
def task_verify(request, pk):
    """核验 by the deploying level: pass, or send back to 落实 with a note."""
    task = _task(request, pk)
    if task.parent_id is None:
        raise Http404
    require_reach(request.user, task.parent.organization, CHANGE)
    form = forms.VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the report passes or goes back."))
        return redirect("work:task_detail", pk=task.pk)
    passed = form.cleaned_data["decision"] == forms.VerifyForm.PASS
    return _loop_action(
        request,
        task,
        lambda: services.verify_task(
            task, user=request.user, passed=passed, note=form.cleaned_data["note"]
        ),
        _("Verified.") if passed else _("Sent back with your note."),
    )


@domain_view
@require_POST
def task_close(request, pk):
    """销号 by the deploying level (or, for a task of the organization's own, itself)."""
    task = _task(request, pk)
    closer = task.parent.organization if task.parent_id else task.organization
    require_reach(request.user, closer, CHANGE)
    return _loop_action(
        request, task, lambda: services.close_task(task, user=request.user), _("Closed.")
    )


@domain_view
@require_POST
def task_close_verified(request, pk):
    """Batch 销号 of every verified deployed copy of the task."""
    task = _changeable_task(request, pk)
    return _loop_action(
        request,
        task,
        lambda: services.close_verified_children(task, user=request.user),
        _("The verified tasks are closed."),
    )


@domain_view
@require_GET
def attachment(request, pk, file_id):
    """A file of a progress update: readable by whoever reads the update."""
    update = scoped_get(ProgressUpdate, request.user, pk)
    item = attachments_of(update).filter(pk=file_id).first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


# ---- business goals ---------------------------------------------------------------------------


def _goal_queryset(request):
    return (
        BusinessGoal.objects.restrict(request.user)
        .with_state(timezone.localdate())
        .select_related("department", "owner")
    )


def _filtered_goals(request):
    filterset = GoalFilterSet(
        request.GET or None, queryset=_goal_queryset(request), request=request
    )
    # garbage in the query shows nothing rather than everything
    valid = not filterset.is_bound or filterset.is_valid()
    queryset = filterset.qs if valid else filterset.queryset.none()
    return filterset, queryset.order_by("year", "department__sort_order", "deadline", "pk")


def _support_counts(goal_ids) -> dict:
    from django.db.models import Count

    return dict(
        PartyTask.goals.through.objects.filter(goal_id__in=list(goal_ids))
        .values("goal_id")
        .annotate(n=Count("pk"))
        .values_list("goal_id", "n")
    )


@domain_view
@require_GET
def goal_list(request):
    filterset, goals = _filtered_goals(request)
    page = _page(request, goals)
    page.object_list = list(page.object_list)
    support = _support_counts(g.pk for g in page.object_list)
    for goal in page.object_list:
        goal.support = support.get(goal.pk, 0)
    return render(
        request,
        "work/goal_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": _query_without_page(request),
            "can_create": services.may_enter_goals(request.user),
        },
    )


@domain_view
@require_GET
def goal_export(request):
    _filterset, goals = _filtered_goals(request)
    goals = list(goals)
    support = _support_counts(g.pk for g in goals)
    return export_xlsx(
        request,
        title=_("Business goals"),
        headers=[
            services.GOAL_IMPORT_COLUMNS["year"],
            services.GOAL_IMPORT_COLUMNS["department"],
            services.GOAL_IMPORT_COLUMNS["title"],
            services.GOAL_IMPORT_COLUMNS["target_value"],
            services.GOAL_IMPORT_COLUMNS["unit"],
            services.GOAL_IMPORT_COLUMNS["deadline"],
            services.GOAL_IMPORT_COLUMNS["description"],
            _("Latest actual value"),
            _("Responsible person"),
            _("State"),
            _("Party tasks serving it"),
        ],
        rows=(
            [
                g.year,
                g.department.name,
                g.title,
                float(g.target_value) if g.target_value is not None else "",
                g.unit,
                g.deadline,
                g.description,
                float(g.actual_value) if g.actual_value is not None else "",
                g.owner.name if g.owner_id else "",
                g.state_label,
                support.get(g.pk, 0),
            ]
            for g in goals
        ),
    )


def _goal(request, pk) -> BusinessGoal:
    return get_object_or_404(_goal_queryset(request), pk=pk)


def _changeable_goal(request, pk) -> BusinessGoal:
    goal = _goal(request, pk)
    if not services.can_change_goal(request.user, goal):
        raise PermissionDenied
    return goal


@domain_view
@require_GET
def goal_detail(request, pk):
    user = request.user
    today = timezone.localdate()
    goal = _goal(request, pk)
    tasks = list(
        PartyTask.objects.restrict(user)
        .filter(goal_links__goal=goal)
        .with_state(today)
        .select_related("organization", "owner")
        .order_by("organization__path", "deadline")
    )
    return render(
        request,
        "work/goal_detail.html",
        {
            "goal": goal,
            "measurements": list(goal.measurements.restrict(user).select_related("recorded_by")),
            "tasks": tasks,
            "hidden_tasks": goal.task_links.count() - len(tasks),
            "can_change": services.can_change_goal(user, goal),
            "measure_form": forms.MeasurementForm(initial={"measured_on": today}),
            "complete_form": forms.CompleteGoalForm(
                initial={"completed_on": goal.completed_on or today}
            ),
        },
    )


@domain_view
@require_GET
def goal_history(request, pk):
    goal = _goal(request, pk)
    return render_history(request, goal, back_url=reverse("work:goal_detail", args=[goal.pk]))


@domain_view
@require_http_methods(["GET", "POST"])
def goal_create(request):
    if not services.may_enter_goals(request.user):
        raise PermissionDenied
    form = forms.GoalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        department = data.pop("department")
        if not data.get("deadline"):
            data.pop("deadline", None)
        try:
            goal = services.create_goal(user=request.user, department=department, **data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The business goal has been added."))
            return redirect("work:goal_detail", pk=goal.pk)
    return render(request, "work/form.html", {"form": form, "title": _("New business goal")})


@domain_view
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk):
    goal = _changeable_goal(request, pk)
    form = forms.GoalForm(request.POST or None, instance=goal, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("deadline"):
            data["deadline"] = services.end_of_year(data["year"])
        try:
            services.update_goal(form.instance, user=request.user, **data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("work:goal_detail", pk=goal.pk)
    return render(
        request,
        "work/form.html",
        {"form": form, "title": _("Edit %(title)s") % {"title": goal.title}, "back_goal": goal},
    )


@domain_view
@require_http_methods(["GET", "POST"])
def goal_measure(request, pk):
    goal = _changeable_goal(request, pk)
    form = forms.MeasurementForm(
        request.POST or None, initial={"measured_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_measurement(goal, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The actual value has been recorded."))
            return redirect("work:goal_detail", pk=goal.pk)
    return render(
        request,
        "work/form.html",
        {
            "form": form,
            "title": _("Record an actual value: %(title)s") % {"title": goal.title},
            "back_goal": goal,
        },
    )


@domain_view
@require_POST
def goal_complete(request, pk):
    goal = _changeable_goal(request, pk)
    form = forms.CompleteGoalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid completion date."))
    else:
        services.set_goal_completed(
            goal, user=request.user, completed_on=form.cleaned_data["completed_on"]
        )
        messages.success(request, _("Saved."))
    return redirect("work:goal_detail", pk=goal.pk)


@domain_view
@require_http_methods(["GET", "POST"])
def goal_import(request):
    if not services.may_enter_goals(request.user):
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_goals(user=request.user, uploaded=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_errors(error, "file")
        else:
            if result.created:
                messages.success(
                    request, _("%(n)d business goals imported.") % {"n": result.created}
                )
                return redirect("work:goal_list")
    return render(
        request,
        "work/goal_import.html",
        {"form": form, "result": result, "columns": services.GOAL_IMPORT_COLUMNS.values()},
    )


@domain_view
@require_GET
def goal_import_template(request):
    """An empty sheet with the import's columns and one example row."""
    if not services.may_enter_goals(request.user):
        raise PermissionDenied
    department = services.goal_departments(request.user).first()
    year = timezone.localdate().year
    workbook = build_workbook(
        _("Business goals"),
        list(services.GOAL_IMPORT_COLUMNS.values()),
        [[year, department.name if department else "", "……", 100, "%", f"{year}-12-31", ""]],
    )
    return xlsx_response(_("Business goal import template") + ".xlsx", workbook)


# ---- supervision (督办) -----------------------------------------------------------------------


def _supervision_items(request):
    today = timezone.localdate()
    tasks = services.supervised_tasks(request.user, today)
    goals = services.supervised_goals(request.user, today)
    organization = None
    value = request.GET.get("org", "")
    if value.isdigit():
        organization = _visible_orgs(request.user).filter(pk=int(value)).first()
    if organization is not None:
        tasks = tasks.filter(organization__path__startswith=organization.path)
        goals = goals.filter(pk__in=services.subtree_goals(organization).values("pk"))
    return organization, list(tasks), list(goals)


def _verification_items(request, organization):
    """Deployed tasks awaiting the user's verification or 销号, and other modules' rows."""
    today = timezone.localdate()
    waiting = services.awaiting_verification(request.user)
    if organization is not None:
        waiting = waiting.filter(organization__path__startswith=organization.path)
    others = services.other_supervision_rows(request.user, today, organization)
    return list(waiting), others


@domain_view
@require_GET
def supervision(request):
    organization, tasks, goals = _supervision_items(request)
    waiting, others = _verification_items(request, organization)
    levels = services.level_summary(tasks)
    groups = defaultdict(list)
    for task in tasks:
        groups[task.organization.kind].append(task)
    return render(
        request,
        "work/supervision.html",
        {
            "organization": organization,
            "organizations": _org_options(request.user),
            "levels": levels,
            "task_groups": [
                (OrgKind(kind).label, groups[kind])
                for kind in (OrgKind.AGENCY_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
                if groups.get(kind)
            ],
            "tasks": tasks,
            "goals": goals,
            "overdue": sum(1 for t in tasks if t.state == WorkState.OVERDUE)
            + sum(1 for g in goals if g.state == WorkState.OVERDUE),
            "due_soon": sum(1 for t in tasks if t.state == WorkState.DUE_SOON)
            + sum(1 for g in goals if g.state == WorkState.DUE_SOON),
            "can_remind": services.has_change_scope(request.user),
            "due_soon_days": due_soon_days(),
            "waiting": waiting,
            "awaiting_count": sum(1 for t in waiting if t.awaiting_verification)
            + sum(1 for row in others if row.awaiting_verification),
            "others": others,
        },
    )


@domain_view
@require_GET
def supervision_export(request):
    organization, tasks, goals = _supervision_items(request)
    waiting, others = _verification_items(request, organization)
    rows = [
        [
            _("Party task"),
            OrgKind(t.organization.kind).label,
            t.organization.name,
            t.title,
            t.owner.name if t.owner_id else "",
            t.deadline,
            f"{t.progress}%",
            t.state_label,
        ]
        for t in tasks
    ] + [
        [
            _("Business goal"),
            _("Department"),
            g.department.name,
            g.title,
            g.owner.name if g.owner_id else "",
            g.deadline,
            f"{g.percent}%" if g.percent is not None else "",
            g.state_label,
        ]
        for g in goals
    ]
    rows += [
        [
            _("Party task"),
            OrgKind(t.organization.kind).label,
            t.organization.name,
            t.title,
            t.owner.name if t.owner_id else "",
            t.deadline,
            f"{t.progress}%",
            t.loop_stage_label,
        ]
        for t in waiting
    ] + [
        [
            row.kind,
            OrgKind(row.organization.kind).label,
            row.organization.name,
            row.title,
            "",
            row.deadline,
            "",
            row.stage,
        ]
        for row in others
    ]
    return export_xlsx(
        request,
        title=_("Supervision"),
        headers=[
            _("Item"),
            _("Level"),
            _("Organization or department"),
            _("Title"),
            _("Responsible person"),
            _("Deadline"),
            _("Progress"),
            _("State"),
        ],
        rows=rows,
    )


@domain_view
@require_POST
def supervision_remind(request):
    """Queue reminders for the overdue and due-soon items in the user's change scope."""
    from .tasks import remind_in_scope

    if not services.has_change_scope(request.user):
        raise PermissionDenied
    remind_in_scope(request.user.pk)
    messages.success(
        request,
        _("Reminders are being sent; each responsible person is reminded of an item only once."),
    )
    return redirect("work:supervision")


# ---- the disconnect (两张皮) view --------------------------------------------------------------


def _disconnect(request):
    user = request.user
    year = _year(request)
    organization = _org(request)
    tasks = PartyTask.objects.restrict(user).filter(year=year)
    goals = BusinessGoal.objects.restrict(user).filter(year=year)
    if organization is not None:
        tasks = tasks.filter(organization__path__startswith=organization.path)
        goals = goals.filter(pk__in=services.subtree_goals(organization).values("pk"))
    today = timezone.localdate()
    unlinked = list(
        services.unlinked_tasks(tasks)
        .with_state(today)
        .select_related("organization", "owner")
        .order_by("organization__path", "deadline", "pk")
    )
    unsupported = list(
        services.unsupported_goals(goals)
        .with_state(today)
        .select_related("department", "owner")
        .order_by("department__sort_order", "deadline", "pk")
    )
    return organization, year, unlinked, unsupported


@domain_view
@require_GET
def disconnect(request):
    organization, year, unlinked, unsupported = _disconnect(request)
    rows = []
    if organization is not None:
        children = list(
            _visible_orgs(request.user)
            .filter(path__startswith=organization.path, depth__lte=organization.depth + 1)
            .order_by("path")
        )
        rows = services.fusion_rows(request.user, year, children)
    history = []
    if organization is not None:
        for past in (year - 1, year):
            row = services.fusion_rows(request.user, past, [organization])[0]
            history.append((past, row))
    chart = {
        "quarters": [f"{y}Q{q}" for y, _row in history for q in range(1, 5)],
        "values": [v for _y, row in history for v in row.by_quarter],
    }
    return render(
        request,
        "work/disconnect.html",
        {
            "organization": organization,
            "organizations": _org_options(request.user),
            "year": year,
            "years": [y for y, _label in forms.year_choices()],
            "unlinked": unlinked,
            "unsupported": unsupported,
            "rows": rows,
            "history": history,
            "chart": chart,
        },
    )


@domain_view
@require_GET
def disconnect_export(request):
    organization, year, unlinked, unsupported = _disconnect(request)
    rows = [
        [
            _("Party task serving no business goal"),
            t.organization.name,
            t.title,
            t.deadline,
            t.state_label,
        ]
        for t in unlinked
    ] + [
        [
            _("Business goal with no party work behind it"),
            g.department.name,
            g.title,
            g.deadline,
            g.state_label,
        ]
        for g in unsupported
    ]
    return export_xlsx(
        request,
        title=_("Disconnect check %(year)d") % {"year": year},
        headers=[
            _("Disconnect finding"),
            _("Organization or department"),
            _("Title"),
            _("Deadline"),
            _("State"),
        ],
        rows=rows,
    )


# ---- responsibility lists ---------------------------------------------------------------------


def _lists(request):
    queryset = ResponsibilityList.objects.restrict(request.user).select_related("organization")
    year = request.GET.get("year", "")
    if year.isdigit():
        queryset = queryset.filter(year=int(year))
    kind = request.GET.get("kind", "")
    if kind in ResponsibilityKind.values:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-year", "kind", "organization__path", "holder_name")


@domain_view
@require_GET
def responsibility_lists(request):
    from django.db.models import Count, Q

    queryset = _lists(request).annotate(
        item_count=Count("items"), followed=Count("items", filter=Q(items__task__isnull=False))
    )
    page = _page(request, queryset)
    return render(
        request,
        "work/responsibility_lists.html",
        {
            "page": page,
            "query": _query_without_page(request),
            "kinds": ResponsibilityKind.choices,
            "kind": request.GET.get("kind", ""),
            "year": request.GET.get("year", ""),
            "years": [y for y, _label in forms.year_choices()],
            "can_generate": services.has_change_scope(request.user),
            "can_edit_templates": services.is_agency_wide(request.user, CHANGE),
        },
    )


@domain_view
@require_GET
def responsibility_export(request):
    items = (
        ResponsibilityItem.objects.restrict(request.user)
        .filter(responsibility_list__in=_lists(request))
        .select_related("responsibility_list__organization", "task")
        .order_by(
            "responsibility_list__year",
            "responsibility_list__organization__path",
            "responsibility_list_id",
            "order",
        )
    )
    return export_xlsx(
        request,
        title=_("Responsibility lists"),
        headers=[
            _("Year"),
            _("List"),
            _("Organization"),
            _("Responsible person"),
            _("Issued on"),
            _("No."),
            _("Category"),
            _("Duty"),
            _("Measures"),
            _("Followed as task"),
        ],
        rows=(
            [
                i.responsibility_list.year,
                i.responsibility_list.title,
                i.responsibility_list.organization.name,
                i.responsibility_list.holder_name,
                i.responsibility_list.issued_on,
                i.order,
                i.get_category_display(),
                i.text,
                i.measures,
                i.task.title if i.task_id else "",
            ]
            for i in items
        ),
    )


def _list(request, pk) -> ResponsibilityList:
    return get_object_or_404(
        ResponsibilityList.objects.restrict(request.user).select_related("organization", "holder"),
        pk=pk,
    )


@domain_view
@require_GET
def responsibility_detail(request, pk):
    responsibility_list = _list(request, pk)
    today = timezone.localdate()
    items = list(responsibility_list.items.select_related("task").order_by("order", "pk"))
    for item in items:
        if item.task_id:
            item.task.state_value = item.task.compute_state(today)
    return render(
        request,
        "work/responsibility_detail.html",
        {
            "list": responsibility_list,
            "items": items,
            "departments": list(responsibility_list.departments.all()),
            "can_change": can_reach(request.user, responsibility_list.organization, CHANGE),
        },
    )


@domain_view
@require_GET
def responsibility_history(request, pk):
    responsibility_list = _list(request, pk)
    return render_history(
        request,
        responsibility_list,
        back_url=reverse("work:responsibility_detail", args=[responsibility_list.pk]),
    )


@domain_view
@require_http_methods(["GET", "POST"])
def responsibility_generate(request):
    user = request.user
    if not services.has_change_scope(user):
        raise PermissionDenied
    form = forms.GenerateListsForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        what = form.cleaned_data["what"]
        try:
            if what == form.WHAT_BRANCHES:
                created = services.generate_branch_lists(user=user, year=year)
            elif what == form.WHAT_LEADERS:
                root = Organization.objects.restrict(user, CHANGE).filter(depth=1).first()
                if root is None:
                    raise PermissionDenied
                created = services.generate_leader_lists(user=user, year=year, root=root)
            else:
                root = Organization.objects.restrict(user, CHANGE).filter(depth=1).first()
                if root is None:
                    raise PermissionDenied
                secretary = services.secretary_of(root)
                created = [
                    services.generate_list(
                        user=user,
                        kind=ResponsibilityKind.AGENCY_COMMITTEE,
                        year=year,
                        organization=root,
                        holder_name=secretary.name if secretary else str(_("Secretary")),
                        holder_post=_("Secretary of %(org)s") % {"org": root},
                        holder=secretary.user if secretary and secretary.user_id else None,
                    )
                ]
        except ValidationError as error:
            form.add_errors(error, "what")
        else:
            messages.success(request, _("%(n)d lists are ready.") % {"n": len(created)})
            return redirect(reverse("work:responsibility_lists") + f"?year={year}")
    return render(
        request,
        "work/form.html",
        {"form": form, "title": _("Generate responsibility lists from the templates")},
    )


@domain_view
@require_POST
def responsibility_issue(request, pk):
    responsibility_list = _list(request, pk)
    require_reach(request.user, responsibility_list.organization, CHANGE)
    services.issue_list(responsibility_list, user=request.user)
    messages.success(request, _("The list has been issued to its holder."))
    return redirect("work:responsibility_detail", pk=responsibility_list.pk)


def _item(request, pk) -> ResponsibilityItem:
    item = get_object_or_404(
        ResponsibilityItem.objects.restrict(request.user).select_related(
            "responsibility_list__organization"
        ),
        pk=pk,
    )
    require_reach(request.user, item.responsibility_list.organization, CHANGE)
    return item


@domain_view
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = _item(request, pk)
    form = forms.ItemForm(
        request.POST or None,
        initial={"category": item.category, "text": item.text, "measures": item.measures},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("work:responsibility_detail", pk=item.responsibility_list_id)
    return render(
        request,
        "work/form.html",
        {"form": form, "title": _("Edit duty"), "back_list": item.responsibility_list},
    )


@domain_view
@require_http_methods(["GET", "POST"])
def item_follow(request, pk):
    item = _item(request, pk)
    if item.task_id:
        return redirect("work:task_detail", pk=item.task_id)
    form = forms.FollowItemForm(
        request.POST or None,
        initial={"deadline": services.end_of_year(item.responsibility_list.year)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = services.follow_item_as_task(
                item, user=request.user, deadline=form.cleaned_data["deadline"]
            )
        except ValidationError as error:
            form.add_errors(error, "deadline")
        else:
            messages.success(request, _("The duty is now followed as a party task."))
            return redirect("work:task_detail", pk=task.pk)
    return render(
        request,
        "work/form.html",
        {
            "form": form,
            "title": _("Follow as a party task: %(text)s") % {"text": item.text[:40]},
            "back_list": item.responsibility_list,
        },
    )


@domain_view
@require_GET
def template_list(request):
    templates = list(
        ResponsibilityTemplate.objects.restrict(request.user).prefetch_related(
            Prefetch(
                "items",
                queryset=ResponsibilityTemplate.items.rel.related_model.objects.order_by("order"),
            )
        )
    )
    if not templates and not services.is_agency_wide(request.user):
        raise PermissionDenied
    return render(
        request,
        "work/template_list.html",
        {"templates": templates, "can_edit": services.is_agency_wide(request.user, CHANGE)},
    )


@domain_view
@require_http_methods(["GET", "POST"])
def template_edit(request, pk):
    template = scoped_get(ResponsibilityTemplate, request.user, pk, CHANGE)
    lines = []
    for item in template.items.order_by("order"):
        prefix = f"【{item.get_category_display()}】" if item.category else ""
        lines.append(prefix + item.text)
    form = forms.TemplateForm(request.POST or None, initial={"items": "\n".join(lines)})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_template(template, user=request.user, lines=form.cleaned_data["items"])
        except ValidationError as error:
            form.add_errors(error, "items")
        else:
            messages.success(request, _("Saved."))
            return redirect("work:template_list")
    return render(
        request, "work/form.html", {"form": form, "title": template.name, "back_templates": True}
    )


@domain_view
@require_http_methods(["GET", "POST"])
def leader_departments(request, pk):
    if not services.is_agency_wide(request.user, CHANGE):
        raise PermissionDenied
    leader = get_object_or_404(
        User.objects.filter(role_assignments__role=Role.LEADER, is_active=True).distinct(), pk=pk
    )
    form = forms.LeaderDepartmentsForm(
        request.POST or None,
        initial={
            "departments": list(leader.led_departments.values_list("department_id", flat=True))
        },
    )
    if request.method == "POST" and form.is_valid():
        services.set_leader_departments(
            user=request.user, leader=leader, departments=form.cleaned_data["departments"]
        )
        messages.success(request, _("Saved."))
        return redirect("work:leader")
    return render(
        request,
        "work/form.html",
        {"form": form, "title": _("Departments in charge of %(name)s") % {"name": leader}},
    )


# ---- quarterly reviews ------------------------------------------------------------------------


def _reviews(request):
    return QuarterlyReview.objects.restrict(request.user).select_related(
        "organization", "created_by"
    )


@domain_view
@require_GET
def review_list(request):
    from django.db.models import Count

    page = _page(
        request,
        _reviews(request)
        .annotate(follow_up_count=Count("follow_ups"))
        .order_by("-year", "-quarter", "organization__path", "pk"),
    )
    return render(
        request,
        "work/review_list.html",
        {
            "page": page,
            "query": _query_without_page(request),
            "can_create": services.has_change_scope(request.user),
        },
    )


@domain_view
@require_GET
def review_export(request):
    reviews = list(_reviews(request))
    return export_xlsx(
        request,
        title=_("Quarterly reviews"),
        headers=[
            _("Organization"),
            _("Year"),
            _("Quarter"),
            _("Held on"),
            _("Business goals"),
            _("Goals done"),
            _("Party tasks"),
            _("Tasks done"),
            _("Tasks overdue"),
            _("Tasks serving no goal"),
            _("Conclusion"),
        ],
        rows=(
            [
                r.organization.name,
                r.year,
                f"Q{r.quarter}",
                r.held_on,
                r.figures.get("goals", ""),
                r.figures.get("goals_done", ""),
                r.figures.get("tasks", ""),
                r.figures.get("tasks_done", ""),
                r.figures.get("tasks_overdue", ""),
                r.figures.get("tasks_unlinked", ""),
                r.conclusion,
            ]
            for r in reviews
        ),
    )


@domain_view
@require_http_methods(["GET", "POST"])
def review_create(request):
    if not services.has_change_scope(request.user):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.create_review(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect("work:review_detail", pk=review.pk)
    return render(request, "work/form.html", {"form": form, "title": _("New quarterly review")})


def _review(request, pk) -> QuarterlyReview:
    return get_object_or_404(_reviews(request), pk=pk)


@domain_view
@require_GET
def review_detail(request, pk):
    review = _review(request, pk)
    today = timezone.localdate()
    goals, tasks = services.review_items(
        request.user, review.organization, review.year, review.quarter, today
    )
    follow_ups = list(
        PartyTask.objects.restrict(request.user)
        .filter(source_review=review)
        .with_state(today)
        .select_related("owner")
    )
    return render(
        request,
        "work/review_detail.html",
        {
            "review": review,
            "goals": list(goals),
            "tasks": list(tasks),
            "follow_ups": follow_ups,
            "can_change": can_reach(request.user, review.organization, CHANGE),
        },
    )


@domain_view
@require_http_methods(["GET", "POST"])
def review_follow_up(request, pk):
    review = _review(request, pk)
    require_reach(request.user, review.organization, CHANGE)
    form = forms.FollowUpForm(request.POST or None, user=request.user, review=review)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.add_follow_up(review, user=request.user, **data)
        except ValidationError as error:
            form.add_errors(error)
        else:
            messages.success(request, _("The follow-up item has been added to the plan."))
            return redirect("work:review_detail", pk=review.pk)
    return render(
        request,
        "work/form.html",
        {"form": form, "title": _("Follow-up item of %(review)s") % {"review": review}},
    )


# ---- leader's view ----------------------------------------------------------------------------


def _leader_departments(request):
    """The departments a leader looks after: those in charge, or those headed; ``?all=1`` or no
    such link shows every department the user reads."""
    user = request.user
    visible = Department.objects.restrict(user).order_by("sort_order", "name")
    own = list(
        LeaderDepartment.objects.restrict(user)
        .filter(leader=user)
        .values_list("department_id", flat=True)
    ) + headed_department_ids(user)
    if own and request.GET.get("all") != "1":
        return visible.filter(pk__in=own), True
    return visible, False


def _leader_data(request):
    today = timezone.localdate()
    year = _year(request)
    departments, own = _leader_departments(request)
    departments = list(departments)
    goals = list(
        BusinessGoal.objects.restrict(request.user)
        .filter(year=year, department__in=departments)
        .with_state(today)
        .select_related("department", "owner")
        .order_by("department__sort_order", "deadline", "pk")
    )
    tasks_by_goal = defaultdict(list)
    links = (
        PartyTask.goals.through.objects.filter(goal__in=goals)
        .filter(task__in=PartyTask.objects.restrict(request.user).values("pk"))
        .select_related("task__organization")
        .order_by("task__organization__path", "task__deadline")
    )
    for link in links:
        task = link.task
        task.state_value = task.compute_state(today)
        tasks_by_goal[link.goal_id].append(task)
    by_department = defaultdict(list)
    for goal in goals:
        goal.support_tasks = tasks_by_goal.get(goal.pk, [])
        by_department[goal.department_id].append(goal)
    return year, own, [(d, by_department.get(d.pk, [])) for d in departments]


@domain_view
@require_GET
def leader(request):
    user = request.user
    year, own, sections = _leader_data(request)
    leaders = []
    if services.is_agency_wide(user, CHANGE):
        leaders = list(
            User.objects.filter(role_assignments__role=Role.LEADER, is_active=True).distinct()
        )
    return render(
        request,
        "work/leader.html",
        {
            "year": year,
            "years": [y for y, _label in forms.year_choices()],
            "own": own,
            "show_all": request.GET.get("all") == "1",
            "sections": sections,
            "leaders": leaders,
        },
    )


@domain_view
@require_GET
def leader_export(request):
    year, _own, sections = _leader_data(request)
    rows = []
    for department, goals in sections:
        for goal in goals:
            tasks = goal.support_tasks or [None]
            for task in tasks:
                rows.append(
                    [
                        department.name,
                        goal.title,
                        goal.target_text,
                        goal.actual_text,
                        goal.state_label,
                        task.organization.name if task else "",
                        task.title if task else _("No party work behind it"),
                        task.state_label if task else "",
                    ]
                )
    return export_xlsx(
        request,
        title=_("Leader's view %(year)d") % {"year": year},
        headers=[
            _("Department"),
            _("Business goal"),
            _("Target"),
            _("Actual"),
            _("Goal state"),
            _("Organization"),
            _("Party task"),
            _("State"),
        ],
        rows=rows,
    )
