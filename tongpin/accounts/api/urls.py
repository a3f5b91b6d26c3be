from .views import RoleAssignmentViewSet, UserViewSet


def register(router):
    router.register("users", UserViewSet, basename="user")
    router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
