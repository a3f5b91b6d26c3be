from . import views


def register(router):
    router.register("organizations", views.OrganizationViewSet, basename="organization")
    router.register("departments", views.DepartmentViewSet, basename="department")
    router.register("terms", views.TermViewSet, basename="term")
    router.register("committee-posts", views.CommitteePostViewSet, basename="committee-post")
    # GET /api/health/ → api:health-list
    router.register("health", views.HealthViewSet, basename="health")
