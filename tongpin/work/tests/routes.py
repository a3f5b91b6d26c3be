"""Who may open each page and API route of the work app (walked by tests/test_permission_walk.py).

Party tasks, business goals, progress and responsibility lists are public records of their
organization: a branch's members read them. Business goals are changed by committee staff and
the department's head only (a branch links to them, it does not rewrite them). Quarterly reviews
are the committee's own. Platform administrators get 403 everywhere.
"""

from tongpin.demo.testing import (
    AGENCY_WIDE_CHANGE,
    AGENCY_WIDE_VIEW,
    ANY_CHANGE,
    DOMAIN_USERS,
    OFFICE_CHANGE,
    OFFICE_PUBLIC_VIEW,
    Route,
    office_branch,
    pk_of,
)

GOAL_VIEW = AGENCY_WIDE_VIEW | {"zongzhi", "chuzhang"}  # a goal of 政策法规处
GOAL_CHANGE = frozenset({"dangwei", "chuzhang"})
LAGGING_VIEW = AGENCY_WIDE_VIEW | {"shuji2"}  # records of 经济运行调节处党支部
LEADER_LINK_VIEW = frozenset({"dangwei", "lingdao", "chuzhang"})


def office_task():
    """An office task owned by its secretary (not by the ordinary member)."""
    from tongpin.work.models import PartyTask

    return PartyTask.objects.get(organization=office_branch(), title="组织观看爱国主义教育影片")


def deployed_task():
    """The committee's task deployed to every branch (demo), and the office's copy of it."""
    from tongpin.work.demo import DEPLOYED_TITLE
    from tongpin.work.models import PartyTask

    return PartyTask.objects.get(organization__depth=1, title=DEPLOYED_TITLE)


def office_copy():
    return deployed_task().children.get(organization=office_branch())


def policy_goal():
    from tongpin.work.models import BusinessGoal

    return BusinessGoal.objects.get(title="出台优化营商环境政策文件")


def policy_measurement():
    from tongpin.work.models import GoalMeasurement

    goal = policy_goal()
    found = goal.measurements.order_by("pk").first()
    if found is None:
        found = GoalMeasurement.objects.create(goal=goal, measured_on=goal.created_at, value=1)
    return found


def office_update():
    """A progress update on an office task, with a file attached (made on demand)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tongpin.core.models import Attachment
    from tongpin.work.models import ProgressUpdate

    update = (
        ProgressUpdate.objects.filter(task__organization=office_branch()).order_by("pk").first()
    )
    found = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(update), object_id=update.pk
    ).first()
    if found is None:
        path = "attachments/walk/progress.txt"
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile("学习记录".encode()))
        found = Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(update),
            object_id=update.pk,
            file=path,
            name="学习记录.txt",
            size=12,
            digest="0" * 64,
        )
    return update, found


def office_list():
    from tongpin.work.models import ResponsibilityList

    return ResponsibilityList.objects.filter(organization=office_branch()).order_by("pk").first()


def office_item():
    return office_list().items.filter(task__isnull=True).order_by("order").first()


def a_template():
    from tongpin.work.models import ResponsibilityTemplate

    return ResponsibilityTemplate.objects.order_by("pk").first()


def root_review():
    from tongpin.work.models import QuarterlyReview

    return QuarterlyReview.objects.filter(organization__depth=1).order_by("pk").first()


def leader_account():
    from tongpin.accounts.models import User

    return User.objects.get(username="lingdao")


def leader_link():
    from tongpin.work.models import LeaderDepartment

    return LeaderDepartment.objects.get(leader__username="lingdao", department__name="政策法规处")


def _attachment_kwargs():
    update, found = office_update()
    return {"pk": update.pk, "file_id": found.pk}


def _lagging_task_title() -> str:
    return "开展支部党员联谊活动"  # unlinked task of 经济运行调节处党支部 (shuji2)


ROUTES = [
    # the plan --------------------------------------------------------------------------------
    Route(
        "work:plan",
        get=DOMAIN_USERS,
        secret=lambda: "组织观看爱国主义教育影片",
        secret_view=OFFICE_PUBLIC_VIEW,
    ),
    Route("work:plan_export", get=DOMAIN_USERS),
    # party tasks -------------------------------------------------------------------------------
    Route(
        "work:task_list",
        get=DOMAIN_USERS,
        secret=_lagging_task_title,
        secret_view=LAGGING_VIEW,
    ),
    Route("work:task_export", get=DOMAIN_USERS),
    Route("work:task_create", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("work:task_detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_task)),
    Route("work:task_edit", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_task)),
    Route("work:task_deploy", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_task)),
    Route("work:task_progress", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_task)),
    Route("work:task_history", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_task)),
    # the closed loop: the office reports, the committee that deployed verifies and closes
    Route("work:task_report", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_task)),
    Route("work:task_verify", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(office_copy)),
    Route("work:task_close", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(office_copy)),
    Route("work:task_close_verified", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(deployed_task)),
    Route("work:attachment", get=OFFICE_PUBLIC_VIEW, kwargs=_attachment_kwargs),
    # business goals ----------------------------------------------------------------------------
    Route(
        "work:goal_list",
        get=DOMAIN_USERS,
        secret=lambda: "出台优化营商环境政策文件",
        secret_view=GOAL_VIEW,
    ),
    Route("work:goal_export", get=DOMAIN_USERS),
    Route("work:goal_create", get=GOAL_CHANGE, post=GOAL_CHANGE),
    Route("work:goal_import", get=GOAL_CHANGE, post=GOAL_CHANGE),
    Route("work:goal_import_template", get=GOAL_CHANGE),
    Route("work:goal_detail", get=GOAL_VIEW, kwargs=pk_of(policy_goal)),
    Route("work:goal_edit", get=GOAL_CHANGE, post=GOAL_CHANGE, kwargs=pk_of(policy_goal)),
    Route("work:goal_measure", get=GOAL_CHANGE, post=GOAL_CHANGE, kwargs=pk_of(policy_goal)),
    Route("work:goal_complete", post=GOAL_CHANGE, kwargs=pk_of(policy_goal)),
    Route("work:goal_history", get=GOAL_VIEW, kwargs=pk_of(policy_goal)),
    # supervision and the disconnect check ------------------------------------------------------
    Route(
        "work:supervision",
        get=DOMAIN_USERS,
        secret=lambda: "经济运行调节处党支部",
        secret_view=LAGGING_VIEW,
    ),
    Route("work:supervision_export", get=DOMAIN_USERS),
    Route("work:supervision_remind", post=ANY_CHANGE),
    Route(
        "work:disconnect",
        get=DOMAIN_USERS,
        secret=_lagging_task_title,
        secret_view=LAGGING_VIEW,
    ),
    Route("work:disconnect_export", get=DOMAIN_USERS),
    # responsibility lists ----------------------------------------------------------------------
    Route("work:responsibility_lists", get=DOMAIN_USERS),
    Route("work:responsibility_export", get=DOMAIN_USERS),
    Route("work:responsibility_generate", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("work:responsibility_detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_list)),
    Route("work:responsibility_history", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_list)),
    Route("work:responsibility_issue", post=OFFICE_CHANGE, kwargs=pk_of(office_list)),
    Route("work:item_edit", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_item)),
    Route("work:item_follow", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_item)),
    Route("work:template_list", get=AGENCY_WIDE_VIEW),
    Route(
        "work:template_edit",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(a_template),
    ),
    # quarterly reviews -------------------------------------------------------------------------
    Route("work:review_list", get=DOMAIN_USERS),
    Route("work:review_export", get=DOMAIN_USERS),
    Route("work:review_create", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("work:review_detail", get=AGENCY_WIDE_VIEW, kwargs=pk_of(root_review)),
    Route(
        "work:review_follow_up",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(root_review),
    ),
    # leader's view -----------------------------------------------------------------------------
    Route("work:leader", get=DOMAIN_USERS),
    Route("work:leader_export", get=DOMAIN_USERS),
    Route(
        "work:leader_departments",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(leader_account),
    ),
    # API ---------------------------------------------------------------------------------------
    Route("api:business-goal-list", get=DOMAIN_USERS, post=GOAL_CHANGE),
    Route("api:business-goal-detail", get=GOAL_VIEW, kwargs=pk_of(policy_goal)),
    Route("api:goal-measurement-list", get=DOMAIN_USERS, post=GOAL_CHANGE),
    Route("api:goal-measurement-detail", get=GOAL_VIEW, kwargs=pk_of(policy_measurement)),
    Route("api:party-task-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route("api:party-task-detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_task)),
    Route("api:party-task-deploy", post=OFFICE_CHANGE, kwargs=pk_of(office_task)),
    Route("api:party-task-progress", post=OFFICE_CHANGE, kwargs=pk_of(office_task)),
    Route("api:party-task-report", post=OFFICE_CHANGE, kwargs=pk_of(office_task)),
    Route("api:party-task-verify", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(office_copy)),
    Route("api:party-task-close", post=AGENCY_WIDE_CHANGE, kwargs=pk_of(office_copy)),
    Route("api:progress-update-list", get=DOMAIN_USERS),
    Route(
        "api:progress-update-detail",
        get=OFFICE_PUBLIC_VIEW,
        kwargs=lambda: {"pk": office_update()[0].pk},
    ),
    Route("api:responsibility-list-list", get=DOMAIN_USERS),
    Route("api:responsibility-list-detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_list)),
    Route("api:responsibility-template-list", get=DOMAIN_USERS),
    Route("api:responsibility-template-detail", get=AGENCY_WIDE_VIEW, kwargs=pk_of(a_template)),
    Route("api:quarterly-review-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route("api:quarterly-review-detail", get=AGENCY_WIDE_VIEW, kwargs=pk_of(root_review)),
    Route("api:leader-department-list", get=DOMAIN_USERS),
    Route("api:leader-department-detail", get=LEADER_LINK_VIEW, kwargs=pk_of(leader_link)),
    Route("api:disconnect-list", get=DOMAIN_USERS),
    Route("api:supervision-list", get=DOMAIN_USERS),
]
