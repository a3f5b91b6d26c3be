from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tongpin.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from tongpin.core.registry import (
            NavEntry,
            navigation,
            organization_users,
            scope_contributors,
        )

        from .models import PlatformRole
        from .scopes import organization_role_holders, role_scope

        scope_contributors.register("accounts.roles", role_scope)
        organization_users.register("accounts.roles", organization_role_holders)

        # one page set per platform role (三员分立); the audit pages live in core
        def acts_as(role):
            return lambda user: user.acts_as(role)

        for key, entry in {
            "accounts.users": NavEntry(
                label=_("Account management"),
                url_name="accounts:user_list",
                icon="people",
                order=900,
                visible=acts_as(PlatformRole.SYSTEM_ADMIN),
            ),
            "accounts.roles": NavEntry(
                label=_("Role grants"),
                url_name="accounts:role_list",
                icon="shield-lock",
                order=910,
                visible=acts_as(PlatformRole.SECURITY_ADMIN),
            ),
            "audit.events": NavEntry(
                label=_("Audit log"),
                url_name="audit:list",
                icon="journal-text",
                order=920,
                visible=acts_as(PlatformRole.AUDITOR),
                section=_("Security audit"),
            ),
            "audit.changes": NavEntry(
                label=_("Change history"),
                url_name="audit:changes",
                icon="clock-history",
                order=930,
                visible=acts_as(PlatformRole.AUDITOR),
                section=_("Security audit"),
            ),
            "accounts.profile": NavEntry(
                label=_("My profile"),
                url_name="accounts:profile",
                icon="person-circle",
                order=990,
            ),
        }.items():
            navigation.register(key, entry)
