from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "tongpin.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from tongpin.core.registry import scope_contributors

        from . import checks  # noqa: F401  (registers ORG-01/03/04/06/07 health checks)
        from .scopes import member_scope

        scope_contributors.register("members.self", member_scope)
