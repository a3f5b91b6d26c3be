"""Readable change history for any model with simple-history: who, when, request, before, after."""

from dataclasses import dataclass


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    at: object
    user: object
    kind: str  # "+" created, "~" changed, "-" deleted
    kind_label: str
    request_id: str
    reason: str
    changes: list


HIDDEN_FIELDS = {"updated_at", "created_at", "numchild", "depth", "path"}
SEALED_SUFFIX = "_sealed"
KIND_LABELS = {"+": "创建", "~": "修改", "-": "删除"}


def _display(record, field):
    value = getattr(record, field.attname, None)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        try:
            return str(getattr(record, field.name))
        except Exception:  # noqa: BLE001  (the related row may be gone; show its id)
            return f"#{value}"
    return value


def field_changes(record, model_fields: dict | None = None) -> list[FieldChange]:
    """What one historical row changed against the row before it (sealed values never shown)."""
    if record.history_type != "~":
        return []
    previous = record.prev_record
    if previous is None:
        return []
    if model_fields is None:
        model_fields = {f.name: f for f in record.instance_type._meta.concrete_fields}
    changes = []
    for change in record.diff_against(previous).changes:
        field = model_fields.get(change.field)
        if field is None or change.field in HIDDEN_FIELDS:
            continue
        sealed = change.field.endswith(SEALED_SUFFIX) or change.field.endswith("_digest")
        changes.append(
            FieldChange(
                field=change.field,
                label=str(field.verbose_name),
                old="（已加密）" if sealed else _display(previous, field),
                new="（已加密）" if sealed else _display(record, field),
            )
        )
    return changes


def history_entries(instance, limit: int = 200) -> list[HistoryEntry]:
    """Entries newest first, each with the fields it changed (sealed values never shown)."""
    records = list(instance.history.select_related("history_user").order_by("-history_id")[:limit])
    model_fields = {f.name: f for f in instance._meta.concrete_fields}
    entries = []
    for record in records:
        changes = field_changes(record, model_fields)
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                kind=record.history_type,
                kind_label=KIND_LABELS.get(record.history_type, record.history_type),
                request_id=getattr(record, "request_id", ""),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
