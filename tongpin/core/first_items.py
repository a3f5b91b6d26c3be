"""Choices for a first agenda item (第一议题) from ``registry.first_item_sources``.

A choice is ``"key:pk"``; resolving it checks the record with its model's own ``restrict``, so
nobody can link (and so reveal the title of) a record they could not read.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .registry import first_item_sources
from .scoping import VIEW

CANDIDATE_LIMIT = 50


def choices(user, organization) -> list:
    """Grouped choices for a select, each group one source (its most recent records)."""
    groups = []
    for key, source in first_item_sources:
        options = [
            (f"{key}:{obj.pk}", str(obj))
            for obj in source.candidates(user, organization)[:CANDIDATE_LIMIT]
        ]
        if options:
            groups.append((str(source.label), options))
    return groups


def value_of(content_type_id, object_id) -> str:
    """The choice value of a stored link ("" when none or its source is gone)."""
    key, _source = _source_for(content_type_id)
    return f"{key}:{object_id}" if key and object_id else ""


def resolve(user, value: str):
    """``"key:pk"`` → (content type, object) the user may read; ValidationError otherwise."""
    key, _sep, pk = (value or "").partition(":")
    source = first_item_sources.items.get(key)
    if source is None or not pk.isdigit():
        raise ValidationError(_("Choose a record from the list."))
    model = apps.get_model(source.model)
    obj = model.objects.restrict(user, VIEW).filter(pk=int(pk)).first()
    if obj is None:
        raise ValidationError(_("Choose a record from the list."))
    return ContentType.objects.get_for_model(model), obj


def url_for(user, content_type_id, object_id) -> str:
    """The linked record's page, if ``user`` may read the record ("" otherwise)."""
    key, source = _source_for(content_type_id)
    if source is None or not object_id:
        return ""
    try:
        resolve(user, f"{key}:{object_id}")
    except ValidationError:
        return ""
    return source.url(object_id)


def _source_for(content_type_id):
    if not content_type_id:
        return None, None
    for key, source in first_item_sources:
        model = apps.get_model(source.model)
        if ContentType.objects.get_for_model(model).pk == content_type_id:
            return key, source
    return None, None
