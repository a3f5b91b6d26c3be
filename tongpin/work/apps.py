from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tongpin.core.roles import is_domain_user as _domain_user
from tongpin.core.scoping import looks_after_organizations as _staff


def _leading(user) -> bool:
    """Leaders (who read everything) and department heads; from the cached scope, no query."""
    from tongpin.core.scoping import VIEW, scope_of

    if not _domain_user(user):
        return False
    scope = scope_of(user, VIEW)
    return scope.everything or bool(scope.department_ids)


class WorkConfig(AppConfig):
    name = "tongpin.work"
    label = "work"
    verbose_name = _("Party and business work")

    def ready(self):
        from tongpin.core.registry import NavEntry, demo_loaders, navigation, supervision_sources

        from . import demo, services, sources  # noqa: F401  (sources: this app's evidence)

        entries = [
            ("work.plan", _("Yearly plan"), "work:plan", "kanban", _domain_user),
            ("work.goals", _("Business goals"), "work:goal_list", "bullseye", _domain_user),
            ("work.tasks", _("Party tasks"), "work:task_list", "list-check", _domain_user),
            ("work.supervision", _("Supervision"), "work:supervision", "alarm", _staff),
            ("work.disconnect", _("Disconnect check"), "work:disconnect", "intersect", _staff),
            (
                "work.responsibility",
                _("Responsibility lists"),
                "work:responsibility_lists",
                "card-checklist",
                _domain_user,
            ),
            ("work.reviews", _("Quarterly reviews"), "work:review_list", "clipboard-check", _staff),
            ("work.leader", _("Leader's view"), "work:leader", "person-workspace", _leading),
        ]
        for order, (key, label, url_name, icon, visible) in enumerate(entries, start=30):
            navigation.register(
                key,
                NavEntry(label=label, url_name=url_name, icon=icon, order=order, visible=visible),
            )
        demo_loaders.register("work", demo.load)
        supervision_sources.register("work.party_tasks", services.supervision_rows)
        __import__(f"{self.name}.indicators", fromlist=["_"]).register()  # for assessment
