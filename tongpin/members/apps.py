from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _not_platform_admin(user) -> bool:
    # platform administrators see no domain data (least privilege, security.md)
    return not user.platform_role


def _may_import(user) -> bool:
    from .services import has_change_scope

    return has_change_scope(user)


class MembersConfig(AppConfig):
    name = "tongpin.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from tongpin.core.registry import (
            NavEntry,
            navigation,
            organization_users,
            scope_contributors,
        )

        from . import checks  # noqa: F401  (registers ORG-01/03/04/06/07 health checks)
        from .scopes import committee_post_holders, member_scope

        scope_contributors.register("members.self", member_scope)
        organization_users.register("members.committee", committee_post_holders)
        navigation.register(
            "members.list",
            NavEntry(
                label=_("Member roster"),
                url_name="members:list",
                icon="people",
                order=20,
                visible=_not_platform_admin,
            ),
        )
        navigation.register(
            "members.transfers",
            NavEntry(
                label=_("Transfers"),
                url_name="members:transfers",
                icon="arrow-left-right",
                order=21,
                visible=_not_platform_admin,
            ),
        )
        navigation.register(
            "members.import",
            NavEntry(
                label=_("Roster import"),
                url_name="members:import",
                icon="upload",
                order=22,
                visible=_may_import,
            ),
        )
