from .views import MaterialViewSet, SearchViewSet, StudySessionViewSet


def register(router):
    router.register("study-materials", MaterialViewSet, basename="study-material")
    router.register("study-search", SearchViewSet, basename="study-search")
    router.register("study-sessions", StudySessionViewSet, basename="study-session")
