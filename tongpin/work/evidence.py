"""Records a progress update may link to as evidence, instead of re-uploading files.

A module offers its records here in its ``AppConfig.ready()`` (``life`` its meetings, ``study``
its sessions)::

    from tongpin.work.evidence import EvidenceSource, evidence_sources

    evidence_sources.register(
        "life.meeting",
        EvidenceSource(
            label=_("Meeting"),
            model="life.Meeting",
            candidates=lambda user, organization: Meeting.objects.restrict(user).filter(...),
            url=lambda pk: reverse("life:meeting_detail", args=[pk]),
        ),
    )

The update stores the record's content type and id (no foreign key into the other app) and the
record's name at the time. Linking is checked with the record model's own ``restrict``: nobody can
link, and so reveal the name of, a record they could not read.

Offered by this app itself: another party task of the organization (e.g. the theme day already
recorded as a task), a business goal whose actual values show the effect, and a quarterly review
where the work was checked.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tongpin.core.registry import Registry
from tongpin.core.scoping import VIEW

CANDIDATE_LIMIT = 100


@dataclass(frozen=True)
class EvidenceSource:
    label: object  # lazy translation
    model: str  # "app_label.ModelName"; the model declares a scope_spec
    # candidates(user, organization) -> queryset of records worth offering (already restricted)
    candidates: Callable
    url: Callable[[int], str] | None = field(default=None)

    def model_class(self):
        return apps.get_model(self.model)


evidence_sources = Registry("evidence_sources")


def source_for_content_type(content_type_id: int):
    for key, source in evidence_sources:
        if ContentType.objects.get_for_model(source.model_class()).pk == content_type_id:
            return key, source
    return None, None


def choices(user, organization, exclude=None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices ``"key:pk"`` for a select, each group one source."""
    groups = []
    for key, source in evidence_sources:
        queryset = source.candidates(user, organization)
        if exclude is not None and queryset.model is type(exclude):
            queryset = queryset.exclude(pk=exclude.pk)
        options = [(f"{key}:{obj.pk}", str(obj)) for obj in queryset[:CANDIDATE_LIMIT]]
        if options:
            groups.append((str(source.label), options))
    return groups


def resolve(user, value: str):
    """``"key:pk"`` → (content type, object) the user may read; ValidationError otherwise."""
    key, _sep, pk = (value or "").partition(":")
    source = evidence_sources.items.get(key)
    if source is None or not pk.isdigit():
        raise ValidationError(_("Choose a record from the list."))
    model = source.model_class()
    obj = model.objects.restrict(user, VIEW).filter(pk=int(pk)).first()
    if obj is None:
        raise ValidationError(_("Choose a record from the list."))
    return ContentType.objects.get_for_model(model), obj


def url_of(update) -> str:
    if update.linked_type_id is None or update.linked_id is None:
        return ""
    _key, source = source_for_content_type(update.linked_type_id)
    if source is None or source.url is None:
        return ""
    return source.url(update.linked_id)
