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
        # 第一议题: a meeting's first agenda item may point at a directive (life reads core's
        # registry and never imports this app)
        from django.urls import reverse

        from tongpin.core.registry import first_item_sources
        from tongpin.work.evidence import EvidenceSource

        first_item_sources.register(
            "directives.directive",
            EvidenceSource(
                label=_("Directive"),
                model="directives.Directive",
                candidates=_recent_directives,
                url=lambda pk: reverse("directives:detail", args=[pk]),
            ),
        )


def _recent_directives(user, organization):
    from .models import Directive

    return Directive.objects.restrict(user).order_by("-issued_on", "-created_at", "-pk")
