from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from tongpin.core.api import RestrictedReadOnlyViewSet
from tongpin.orgs.models import Organization

from .. import ingest
from ..models import Directive
from . import serializers


class DirectiveViewSet(RestrictedReadOnlyViewSet):
    """Directives registered by organizations in the caller's scope, with the organizations
    implementing them and the party tasks made from them. ``ingest`` reads a pasted text or an
    uploaded document (.txt, .docx, text PDF) and returns the cleaned text and the proposed
    action items, without saving anything."""

    queryset = Directive.objects.prefetch_related(
        Prefetch("targets", queryset=Organization.objects.only("pk")), "tasks"
    )
    serializer_class = serializers.DirectiveSerializer
    filterset_fields = ["organization", "level"]

    def get_queryset(self):
        return super().get_queryset().order_by("-issued_on", "-pk")

    @extend_schema(
        request=serializers.IngestSerializer, responses=serializers.IngestResultSerializer
    )
    @action(
        detail=False,
        methods=["post"],
        parser_classes=[JSONParser, MultiPartParser, FormParser],
        serializer_class=serializers.IngestSerializer,
    )
    def ingest(self, request):
        given = serializers.IngestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        document = given.validated_data.get("document")
        try:
            raw = ingest.read_document(document) if document else given.validated_data["text"]
        except ingest.IngestError as error:
            raise drf_serializers.ValidationError({"document": str(error)}) from error
        return Response(ingest.ingest(raw))
