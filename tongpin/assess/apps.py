from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tongpin.core.roles import is_domain_user as _party_user


class AssessConfig(AppConfig):
    name = "tongpin.assess"
    label = "assess"
    verbose_name = _("Assessment")

    def ready(self):
        from tongpin.core.registry import NavEntry, demo_loaders, navigation

        from .demo import load

        demo_loaders.register("assess", load)
        navigation.register(
            "assess.runs",
            NavEntry(
                label=_("Assessment"),
                url_name="assess:runs",
                icon="bar-chart-line",
                order=60,
                visible=_party_user,
            ),
        )
        # ---- grassroots survey
        navigation.register(
            "assess.surveys",
            NavEntry(
                label=_("Grassroots surveys"),
                url_name="assess:surveys",
                icon="ui-checks",
                order=61,
                visible=_party_user,
            ),
        )
        from .surveys import register as register_survey_indicator

        register_survey_indicator()
