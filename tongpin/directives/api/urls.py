from . import views


def register(router):
    router.register("directives", views.DirectiveViewSet, basename="directive")
