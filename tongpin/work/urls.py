"""Mounted at /work/: the plan, goals, tasks, supervision, the disconnect check, responsibility
lists, quarterly reviews and the leader's view."""

from django.urls import path

from . import views

app_name = "work"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("plan/export/", views.plan_export, name="plan_export"),
    # party tasks
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/export/", views.task_export, name="task_export"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/deploy/", views.task_deploy, name="task_deploy"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/history/", views.task_history, name="task_history"),
    # the closed loop: report completion, verify (or send back), close (销号)
    path("tasks/<int:pk>/report/", views.task_report, name="task_report"),
    path("tasks/<int:pk>/verify/", views.task_verify, name="task_verify"),
    path("tasks/<int:pk>/close/", views.task_close, name="task_close"),
    path("tasks/<int:pk>/close-verified/", views.task_close_verified, name="task_close_verified"),
    path("updates/<int:pk>/files/<int:file_id>/", views.attachment, name="attachment"),
    # business goals
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/export/", views.goal_export, name="goal_export"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/import/", views.goal_import, name="goal_import"),
    path("goals/import/template/", views.goal_import_template, name="goal_import_template"),
    path("goals/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/measure/", views.goal_measure, name="goal_measure"),
    path("goals/<int:pk>/complete/", views.goal_complete, name="goal_complete"),
    path("goals/<int:pk>/history/", views.goal_history, name="goal_history"),
    # supervision and the disconnect check
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/export/", views.supervision_export, name="supervision_export"),
    path("supervision/remind/", views.supervision_remind, name="supervision_remind"),
    path("disconnect/", views.disconnect, name="disconnect"),
    path("disconnect/export/", views.disconnect_export, name="disconnect_export"),
    # responsibility lists
    path("responsibility/", views.responsibility_lists, name="responsibility_lists"),
    path("responsibility/export/", views.responsibility_export, name="responsibility_export"),
    path("responsibility/generate/", views.responsibility_generate, name="responsibility_generate"),
    path("responsibility/<int:pk>/", views.responsibility_detail, name="responsibility_detail"),
    path(
        "responsibility/<int:pk>/history/",
        views.responsibility_history,
        name="responsibility_history",
    ),
    path("responsibility/<int:pk>/issue/", views.responsibility_issue, name="responsibility_issue"),
    path("responsibility/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("responsibility/items/<int:pk>/follow/", views.item_follow, name="item_follow"),
    path("responsibility/templates/", views.template_list, name="template_list"),
    path("responsibility/templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    # quarterly reviews
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/export/", views.review_export, name="review_export"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/follow-up/", views.review_follow_up, name="review_follow_up"),
    # leader's view
    path("leader/", views.leader, name="leader"),
    path("leader/export/", views.leader_export, name="leader_export"),
    path("leader/<int:pk>/departments/", views.leader_departments, name="leader_departments"),
]
