from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tongpin.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from tongpin.core.registry import scope_contributors

        from .scopes import role_scope

        scope_contributors.register("accounts.roles", role_scope)
