from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "tongpin.orgs"
    label = "orgs"
    verbose_name = _("Organizations")

    def ready(self):
        from . import checks  # noqa: F401  (registers the health checks on terms)
