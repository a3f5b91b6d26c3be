"""The plan's rows as HTML, built with string joins rather than template tags.

A committee's yearly plan can hold thousands of goals and tasks; through the template engine
(a lookup, a ``{% url %}`` and a translation per cell) the 2,000-item plan took ~440 ms, well over
the 150 ms budget (bench/work_plan.py). Every value is escaped here; the markup is the same as the
rest of the page (Bootstrap), and translated words are looked up once per page, not per row.
"""

from html import escape  # the stdlib's: Django's lazy-aware wrapper costs per call here

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import STATE_COLOURS, TaskCategory, WorkState


def _badge(colour: str, text: str, extra: str = "") -> str:
    return f'<span class="badge text-bg-{colour}"{extra}>{text}</span>'


def plan_rows(plan) -> str:
    task_url = reverse("work:task_detail", args=[0]).removesuffix("0/")
    goal_url = reverse("work:goal_detail", args=[0]).removesuffix("0/")
    states = {
        state.value: _badge(
            STATE_COLOURS[state], escape(str(state.label)), f' data-state="{state.value}"'
        )
        for state in WorkState
    }
    categories = {value: escape(str(label)) for value, label in TaskCategory.choices}
    words = {
        "target": escape(_("target")),
        "actual": escape(_("actual")),
        "from": escape(_("from")),
        "unsupported": escape(_("No party work behind it")),
        "inherited": escape(_("Deployed from above")),
        "elsewhere": escape(_("Serving business goals outside your view")),
        "inherited_help": escape(
            _(
                "Serving the goals the upper level linked; link goals of your own units when you can."
            )
        ),
        "unlinked": escape(_("Not linked to any business goal")),
        "unlinked_help": escape(
            _("Party work that serves no business goal: the disconnect to end.")
        ),
        "rollup_title": escape(_("Done by the organizations it was deployed to")),
    }
    out = []
    append = out.append
    for group in plan.groups:
        css = " bg-warning-subtle" if group.kind == "unlinked" else ""
        append(
            f'<div class="row g-0 border-bottom px-2 py-2{css}" data-testid="plan-group" '
            f'data-kind="{group.kind}"><div class="col-md-5 pe-md-3 mb-2 mb-md-0">'
        )
        goal = group.goal
        if goal is not None:
            details = [escape(goal.department_name)]
            if goal.target_value is not None:
                details.append(f"{words['target']} {escape(goal.target_text)}")
            if goal.actual_value is not None:
                details.append(f"{words['actual']} {escape(goal.actual_text)}")
            details.append(goal.deadline.isoformat())
            append(
                f'<a href="{goal_url}{goal.pk}/" class="fw-semibold">{escape(goal.title)}</a> '
                f'{states[goal.state]}<div class="small text-muted">{" · ".join(details)}</div>'
            )
            if not group.support:
                append(
                    '<div class="small text-danger"><i class="bi bi-exclamation-triangle"></i> '
                    f"{words['unsupported']}</div>"
                )
        elif group.kind == "elsewhere":
            append(f'<span class="fw-semibold">{words["elsewhere"]}</span>')
        elif group.kind == "inherited":
            append(
                f'<span class="fw-semibold">{words["inherited"]}</span>'
                f'<div class="small text-muted">{words["inherited_help"]}</div>'
            )
        else:
            append(
                '<span class="fw-semibold text-danger"><i class="bi bi-exclamation-triangle"></i> '
                f'{words["unlinked"]}</span><div class="small text-muted">'
                f"{words['unlinked_help']}</div>"
            )
        append('</div><div class="col-md-7">')
        if not group.tasks and group.support:
            below = escape(
                _("%(n)s party tasks of organizations below serve it") % {"n": group.support}
            )
            append(f'<div class="small text-muted">{below}</div>')
        elif not group.tasks:
            append('<div class="small text-muted">—</div>')
        for index, task in enumerate(group.tasks):
            border = " border-top" if index else ""
            meta = [categories.get(task.category, "")]
            if task.owner_name:
                meta.append(escape(task.owner_name))
            meta += [task.deadline.isoformat(), f"{task.progress}%"]
            append(
                f'<div class="d-flex flex-wrap align-items-baseline gap-1 small py-1{border}" '
                f'data-testid="plan-task"><a href="{task_url}{task.pk}/" class="me-1">'
                f"{escape(task.title)}</a> {states[task.state]} "
                f'<span class="text-muted">{" · ".join(meta)}</span>'
            )
            if task.parent_org_name:
                append(
                    f' <span class="badge text-bg-light border">{words["from"]} '
                    f"{escape(task.parent_org_name)}</span>"
                )
            rollup = task.rollup
            if rollup is not None:
                done = escape(
                    _("%(done)s/%(total)s done") % {"done": rollup.done, "total": rollup.total}
                )
                extra = ' data-testid="rollup" title="' + words["rollup_title"] + '"'
                append(" " + _badge("info", done, extra))
                if rollup.overdue:
                    append(
                        " " + _badge("danger", escape(_("%(n)s overdue") % {"n": rollup.overdue}))
                    )
                if rollup.awaiting_verification:  # reports waiting for this level (闭环)
                    waiting = _("%(n)s awaiting verification") % {"n": rollup.awaiting_verification}
                    append(" " + _badge("warning", escape(waiting), ' data-testid="awaiting"'))
            append("</div>")
        append("</div></div>")
    return mark_safe("".join(out))  # noqa: S308  (every value above is escaped)
