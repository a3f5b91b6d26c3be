from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tongpin.core.roles import is_domain_user as _domain_user


class DirectivesConfig(AppConfig):
    name = "tongpin.directives"
    label = "directives"
    verbose_name = _("Directives")

    def ready(self):
        from tongpin.core.registry import NavEntry, demo_loaders, navigation, search_sources

        from .demo import load
        from .search import DirectiveSource

        search_sources.register("directives.directive", DirectiveSource())

        navigation.register(
            "directives.list",
            NavEntry(
                label=_("Directives"),
                url_name="directives:list",
                icon="flag",
                order=29,
                visible=_domain_user,
            ),
        )
        demo_loaders.register("directives", load)
