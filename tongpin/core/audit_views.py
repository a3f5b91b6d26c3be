"""The auditor's pages (security.md 8.1.4.3, 三员分立): search and export the security audit log,
check its chain, and read the change history of every model. Read-only: GET only.

Core imports no app: the platform role is read from the account model's ``is_auditor``.
"""

import datetime
import heapq
import itertools

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from simple_history.models import registered_models
from simple_history.utils import get_history_model_for_model

from .excel import export_xlsx
from .history import KIND_LABELS, field_changes
from .models import AuditEvent, verify_audit_chain
from .views import user_passes_or_403

PAGE_SIZE = 50


def is_auditor(user) -> bool:
    return bool(getattr(user, "is_auditor", False))


auditor_only = user_passes_or_403(is_auditor)


def _day_range(start: datetime.date | None, end: datetime.date | None):
    """Aware datetimes from local midnight of ``start`` to local midnight after ``end``."""
    zone = timezone.get_current_timezone()
    after = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone) if start else None
    before = (
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        if end
        else None
    )
    return after, before


class DateRangeForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    user = forms.CharField(label=_("User"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return data


class AuditFilterForm(DateRangeForm):
    SUCCESS_CHOICES = [("", _("All")), ("yes", _("Succeeded")), ("no", _("Failed"))]

    kind = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All"))] + AuditEvent.Kind.choices
    )
    success = forms.ChoiceField(label=_("Result"), required=False, choices=SUCCESS_CHOICES)
    q = forms.CharField(label=_("Summary contains"), required=False, max_length=100)

    field_order = ["user", "kind", "success", "start", "end", "q"]

    def events(self):
        """The filtered events; nothing if the filter is invalid."""
        if not self.is_valid():
            return AuditEvent.objects.none()
        data = self.cleaned_data
        events = AuditEvent.objects.all()
        if data["user"]:
            events = events.filter(username__icontains=data["user"].strip())
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["success"]:
            events = events.filter(success=data["success"] == "yes")
        after, before = _day_range(data["start"], data["end"])
        if after:
            events = events.filter(at__gte=after)
        if before:
            events = events.filter(at__lt=before)
        if data["q"]:
            events = events.filter(summary__icontains=data["q"].strip())
        return events.order_by("-id")


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@auditor_only
@require_GET
def event_list(request):
    form = AuditFilterForm(request.GET)
    page = Paginator(form.events(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@auditor_only
@require_GET
def event_detail(request, pk):
    return render(
        request, "core/audit_detail.html", {"event": get_object_or_404(AuditEvent, pk=pk)}
    )


@auditor_only
@require_GET
def event_export(request):
    form = AuditFilterForm(request.GET)
    rows = (
        (
            event.at,
            timezone.localtime(event.at).strftime("%H:%M:%S"),
            event.username,
            event.get_kind_display(),
            event.success,
            f"{event.object_type} {event.object_id}".strip(),
            event.summary,
            event.ip,
            event.request_id,
        )
        for event in form.events().iterator()
    )
    headers = [
        gettext("Date"),
        gettext("Time"),
        gettext("User"),
        gettext("Event"),
        gettext("Success"),
        pgettext("audit", "Object"),
        pgettext("audit", "Summary"),
        gettext("IP address"),
        gettext("Request"),
    ]
    return export_xlsx(request, title=gettext("Audit log"), headers=headers, rows=rows)


@auditor_only
@require_GET
def chain_check(request):
    broken_at = verify_audit_chain()
    context = {"broken_at": broken_at, "checked": AuditEvent.objects.count()}
    template = "core/audit_chain_result.html" if request.htmx else "core/audit_chain.html"
    return render(request, template, context)


# ---- change history across models ---------------------------------------------------------


def tracked_models() -> dict[str, type]:
    """Every model with a simple-history change log, by ``app_label.model`` label."""
    return {model._meta.label_lower: model for model in registered_models.values()}


class ChangeFilterForm(DateRangeForm):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit", "Action"),
        required=False,
        choices=[("", _("All")), ("+", _("Created")), ("~", _("Changed")), ("-", _("Deleted"))],
    )
    record = forms.IntegerField(label=_("Record id"), required=False, min_value=1)
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=32)

    field_order = ["model", "record", "action", "user", "start", "end", "request_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        models = sorted(tracked_models().items(), key=lambda item: str(item[1]._meta.verbose_name))
        self.fields["model"].choices = [("", _("All"))] + [
            (label, model._meta.verbose_name) for label, model in models
        ]

    def querysets(self) -> list:
        if not self.is_valid():
            return []
        data = self.cleaned_data
        models = tracked_models()
        chosen = [models[data["model"]]] if data["model"] else list(models.values())
        after, before = _day_range(data["start"], data["end"])
        querysets = []
        for model in chosen:
            rows = get_history_model_for_model(model).objects.select_related("history_user")
            if data["record"]:
                rows = rows.filter(**{model._meta.pk.attname: data["record"]})
            if data["action"]:
                rows = rows.filter(history_type=data["action"])
            if data["user"]:
                rows = rows.filter(history_user__username__icontains=data["user"].strip())
            if after:
                rows = rows.filter(history_date__gte=after)
            if before:
                rows = rows.filter(history_date__lt=before)
            if data["request_id"]:
                rows = rows.filter(request_id=data["request_id"].strip())
            querysets.append(rows.order_by("-history_date", "-history_id"))
        return querysets


class MergedHistory:
    """Historical rows of several models as one list, newest first, for Django's Paginator.

    Each page reads at most ``top`` rows of each model and merges them; no union query is
    needed across tables whose columns differ.
    """

    def __init__(self, querysets):
        self.querysets = querysets

    def count(self) -> int:
        return sum(qs.count() for qs in self.querysets)

    def __getitem__(self, window: slice):
        start, stop = window.start or 0, window.stop
        merged = heapq.merge(
            *(qs[:stop] for qs in self.querysets),
            key=lambda row: (row.history_date, row.history_id),
            reverse=True,
        )
        return list(itertools.islice(merged, start, stop))


def _object_label(record) -> str:
    try:
        return str(record.instance)
    except Exception:  # noqa: BLE001  (a related row may be gone; the id still identifies it)
        return f"#{record.pk}"


def change_rows(records):
    for record in records:
        model = record.instance_type
        yield {
            "at": record.history_date,
            "user": record.history_user,
            "model": model._meta.verbose_name,
            "record_id": getattr(record, model._meta.pk.attname),
            "object": _object_label(record),
            "kind": record.history_type,
            "kind_label": KIND_LABELS.get(record.history_type, record.history_type),
            "changes": field_changes(record),
            "reason": record.history_change_reason or "",
            "request_id": getattr(record, "request_id", ""),
        }


@auditor_only
@require_GET
def change_list(request):
    form = ChangeFilterForm(request.GET)
    page = Paginator(MergedHistory(form.querysets()), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_changes.html",
        {
            "form": form,
            "page": page,
            "rows": list(change_rows(page.object_list)),
            "query": _query_without_page(request),
        },
    )
