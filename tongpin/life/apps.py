from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _party_user(user) -> bool:
    # platform administrators see no domain data (least privilege, security.md)
    return not getattr(user, "platform_role", "")


def _party_staff(user) -> bool:
    """Those who look after organizations (an ordinary member's scope holds no subtree)."""
    from .services import has_org_view_scope

    return _party_user(user) and has_org_view_scope(user)


class LifeConfig(AppConfig):
    name = "tongpin.life"
    label = "life"
    verbose_name = _("Organizational life")

    def ready(self):
        from tongpin.core.registry import NavEntry, demo_loaders, navigation

        from .demo import load

        demo_loaders.register("life", load)
        navigation.register(
            "life.meetings",
            NavEntry(
                label=_("Organizational life"),
                url_name="life:list",
                icon="calendar-check",
                order=30,
                visible=_party_user,
            ),
        )
        navigation.register(
            "life.compliance",
            NavEntry(
                label=_("Life compliance"),
                url_name="life:compliance",
                icon="clipboard2-check",
                order=31,
                visible=_party_staff,
            ),
        )
        navigation.register(
            "life.talks",
            NavEntry(
                label=_("Heart-to-heart talks"),
                url_name="life:talks",
                icon="chat-heart",
                order=32,
                visible=_party_staff,
            ),
        )
        navigation.register(
            "life.reviews",
            NavEntry(
                label=_("Member review"),
                url_name="life:reviews",
                icon="award",
                order=33,
                visible=_party_staff,
            ),
        )
