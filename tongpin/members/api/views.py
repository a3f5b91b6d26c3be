from rest_framework import mixins

from tongpin.core.api import RestrictedModelViewSet, RestrictedReadOnlyViewSet

from ..filtersets import MemberFilterSet
from ..models import Member, Transfer
from .serializers import MemberSerializer, TransferSerializer


class MemberViewSet(RestrictedModelViewSet):
    """Members in the caller's scope. ID and phone numbers are returned masked only."""

    queryset = Member.objects.select_related("branch", "group", "department")
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class TransferViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """Transfers out of and into the caller's organizations; POST performs a transfer."""

    queryset = Transfer.objects.select_related("member", "from_branch", "to_branch")
    serializer_class = TransferSerializer
