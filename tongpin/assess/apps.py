from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tongpin.core.roles import is_domain_user as _party_user


class AssessConfig(AppConfig):
    name = "tongpin.assess"
    label = "assess"
    verbose_name = _("Assessment")

    def ready(self):
        from tongpin.core import registry
        from tongpin.core.registry import NavEntry, demo_loaders, navigation

        from . import indicators, rectification
        from .demo import load

        demo_loaders.register("assess", load)
        indicators.register()
        for key, label, url_name, icon, order in (
            ("assess.runs", _("Assessment"), "assess:runs", "bar-chart-line", 60),
            (
                "assess.rectifications",
                _("Rectification items"),
                "assess:rectifications",
                "clipboard-check",
                61,
            ),
            (
                "assess.candidates",
                _("Candidates for commendation"),
                "assess:candidates",
                "award",
                62,
            ),
            ("assess.surveys", _("Grassroots surveys"), "assess:surveys", "ui-checks", 63),
        ):
            navigation.register(
                key,
                NavEntry(
                    label=label, url_name=url_name, icon=icon, order=order, visible=_party_user
                ),
            )
        # rectification items overdue or awaiting verification appear on work's 督办 page
        registry.supervision_sources.register(
            "assess.rectification", rectification.supervision_rows
        )
