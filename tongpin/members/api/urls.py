from .views import MemberViewSet, TransferViewSet


def register(router):
    router.register("members", MemberViewSet, basename="member")
    router.register("transfers", TransferViewSet, basename="transfer")
