from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tongpin.core.roles import is_domain_user as _party_user
from tongpin.core.scoping import looks_after_organizations as _party_staff


class OrgsConfig(AppConfig):
    name = "tongpin.orgs"
    label = "orgs"
    verbose_name = _("Organizations")

    def ready(self):
        from tongpin.core.registry import NavEntry, navigation

        from . import checks  # noqa: F401  (registers the health checks on terms)

        navigation.register(
            "orgs.tree",
            NavEntry(
                label=_("Organization tree"),
                url_name="orgs:tree",
                icon="diagram-3",
                order=10,
                visible=_party_user,
            ),
        )
        navigation.register(
            "orgs.departments",
            NavEntry(
                label=_("Departments"),
                url_name="orgs:departments",
                icon="building",
                order=11,
                visible=_party_user,
            ),
        )
        navigation.register(
            "orgs.health",
            NavEntry(
                label=_("Organization health check"),
                url_name="orgs:health",
                icon="heart-pulse",
                order=12,
                visible=_party_staff,
            ),
        )
