from . import views


def register(router):
    router.register("business-goals", views.BusinessGoalViewSet, basename="business-goal")
    router.register("goal-measurements", views.GoalMeasurementViewSet, basename="goal-measurement")
    router.register("party-tasks", views.PartyTaskViewSet, basename="party-task")
    router.register("progress-updates", views.ProgressUpdateViewSet, basename="progress-update")
    router.register(
        "responsibility-lists", views.ResponsibilityListViewSet, basename="responsibility-list"
    )
    router.register(
        "responsibility-templates",
        views.ResponsibilityTemplateViewSet,
        basename="responsibility-template",
    )
    router.register("quarterly-reviews", views.QuarterlyReviewViewSet, basename="quarterly-review")
    router.register(
        "leader-departments", views.LeaderDepartmentViewSet, basename="leader-department"
    )
    # GET only: /api/disconnect/ → api:disconnect-list, /api/supervision/ → api:supervision-list
    router.register("disconnect", views.DisconnectViewSet, basename="disconnect")
    router.register("supervision", views.SupervisionViewSet, basename="supervision")
