from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tongpin.core.roles import is_domain_user as _party_user


class StudyConfig(AppConfig):
    name = "tongpin.study"
    label = "study"
    verbose_name = _("Study")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from tongpin.core.registry import NavEntry, demo_loaders, navigation, search_sources

        from . import search
        from .demo import load
        from .sources import MaterialSource, MinutesSource

        search_sources.register("study.material", MaterialSource())
        search_sources.register("life.minutes", MinutesSource())
        post_save.connect(search.on_save, dispatch_uid="study-search-save")
        post_delete.connect(search.on_delete, dispatch_uid="study-search-delete")
        demo_loaders.register("study", load)
        __import__(f"{self.name}.indicators", fromlist=["_"]).register()  # for assessment
        navigation.register(
            "study.library",
            NavEntry(
                label=_("Study"),
                url_name="study:library",
                icon="book",
                order=40,
                visible=_party_user,
            ),
        )
