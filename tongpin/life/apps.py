from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tongpin.core.roles import is_domain_user as _party_user
from tongpin.core.scoping import looks_after_organizations as _party_staff


def _held_meetings(user, organization):
    """Meetings already held in ``organization``'s subtree: evidence for a party task."""
    from .models import Meeting

    return (
        Meeting.objects.restrict(user)
        .filter(organization__path__startswith=organization.path, held_on__isnull=False)
        .select_related("organization")
        .order_by("-held_on")
    )


class LifeConfig(AppConfig):
    name = "tongpin.life"
    label = "life"
    verbose_name = _("Organizational life")

    def ready(self):
        from tongpin.core.registry import NavEntry, demo_loaders, navigation

        from .demo import load

        demo_loaders.register("life", load)
        __import__(f"{self.name}.indicators", fromlist=["_"]).register()  # for assessment
        # a task's progress can point at a meeting already recorded instead of re-uploading it
        from django.urls import reverse

        from tongpin.work.evidence import EvidenceSource, evidence_sources

        evidence_sources.register(
            "life.meeting",
            EvidenceSource(
                label=_("Meeting"),
                model="life.Meeting",
                candidates=_held_meetings,
                url=lambda pk: reverse("life:detail", args=[pk]),
            ),
        )
        navigation.register(
            "life.meetings",
            NavEntry(
                label=_("Organizational life"),
                url_name="life:list",
                icon="calendar-check",
                order=30,
                visible=_party_user,
            ),
        )
        navigation.register(
            "life.compliance",
            NavEntry(
                label=_("Life compliance"),
                url_name="life:compliance",
                icon="clipboard2-check",
                order=31,
                visible=_party_staff,
            ),
        )
        navigation.register(
            "life.talks",
            NavEntry(
                label=_("Heart-to-heart talks"),
                url_name="life:talks",
                icon="chat-heart",
                order=32,
                visible=_party_staff,
            ),
        )
        navigation.register(
            "life.reviews",
            NavEntry(
                label=_("Member review"),
                url_name="life:reviews",
                icon="award",
                order=33,
                visible=_party_staff,
            ),
        )
