"""This app's own records offered as evidence of progress (see ``evidence.py``)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .evidence import EvidenceSource, evidence_sources


def _tasks(user, organization):
    from .models import PartyTask

    # the organization's other tasks, and those of the level that deployed work to it
    return (
        PartyTask.objects.restrict(user)
        .filter(Q(organization=organization) | Q(children__organization=organization))
        .distinct()
        .order_by("-deadline", "-pk")
    )


def _goals(user, organization):
    from .services import subtree_goals

    return subtree_goals(organization).restrict(user).order_by("-year", "deadline", "pk")


def _reviews(user, organization):
    from .models import QuarterlyReview

    return (
        QuarterlyReview.objects.restrict(user)
        .filter(
            organization__path__in=[
                organization.path[:i] for i in range(4, len(organization.path) + 1, 4)
            ]
        )
        .select_related("organization")
    )


evidence_sources.register(
    "work.task",
    EvidenceSource(
        label=_("Party task"),
        model="work.PartyTask",
        candidates=_tasks,
        url=lambda pk: reverse("work:task_detail", args=[pk]),
    ),
)
evidence_sources.register(
    "work.goal",
    EvidenceSource(
        label=_("Business goal"),
        model="work.BusinessGoal",
        candidates=_goals,
        url=lambda pk: reverse("work:goal_detail", args=[pk]),
    ),
)
evidence_sources.register(
    "work.review",
    EvidenceSource(
        label=_("Quarterly review"),
        model="work.QuarterlyReview",
        candidates=_reviews,
        url=lambda pk: reverse("work:review_detail", args=[pk]),
    ),
)
