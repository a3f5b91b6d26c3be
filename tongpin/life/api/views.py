from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from tongpin.core.access import IsDomainUser
from tongpin.core.api import RestrictedReadOnlyViewSet
from tongpin.core.scoping import looks_after_organizations
from tongpin.orgs.models import Organization

from .. import services
from ..filtersets import MeetingFilterSet, TalkFilterSet
from ..forms import parse_year
from ..models import Attendance, Meeting, MemberReview, Motion, Talk
from .serializers import (
    AttendanceSerializer,
    ComplianceSerializer,
    MeetingSerializer,
    MemberReviewSerializer,
    MotionSerializer,
    RecordSerializer,
    TalkSerializer,
    _django_errors,
)


class MeetingViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """Meetings in the caller's scope; POST adds one outside the plan; ``record`` records it."""

    queryset = Meeting.objects.select_related("organization", "host")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet

    @extend_schema(request=RecordSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        meeting = self.get_object()  # restricted by CHANGE: a POST
        serializer = RecordSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        entries = {
            item["member"]: services.AttendanceEntry(item["status"], item.get("reason", ""))
            for item in data.pop("attendance", [])
        }
        try:
            services.record_meeting(meeting, user=request.user, attendance=entries, **data)
        except DjangoValidationError as error:
            raise _django_errors(error) from None
        return Response(MeetingSerializer(meeting, context={"request": request}).data)


class AttendanceViewSet(RestrictedReadOnlyViewSet):
    """Attendance rows: staff see their organizations', members their own."""

    queryset = Attendance.objects.select_related("member")
    serializer_class = AttendanceSerializer
    filterset_fields = ["meeting", "member", "status"]


class MotionViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """Votes at assemblies (rule BR-03); POST records one at a held meeting."""

    queryset = Motion.objects.all()
    serializer_class = MotionSerializer
    filterset_fields = ["meeting"]


class TalkViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """Heart-to-heart talks (rule BR-11)."""

    queryset = Talk.objects.select_related("organization")
    serializer_class = TalkSerializer
    filterset_class = TalkFilterSet


class MemberReviewViewSet(RestrictedReadOnlyViewSet):
    """Democratic review of members (rule BR-10): staff see their branches', members their own."""

    queryset = MemberReview.objects.select_related("member")
    serializer_class = MemberReviewSerializer
    filterset_fields = ["year", "organization", "member", "grade"]


class ComplianceViewSet(viewsets.ViewSet):
    """Compliance per organization and kind for a year (the compliance engine)."""

    permission_classes = [IsDomainUser]
    serializer_class = ComplianceSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Year; the current year by default."),
            OpenApiParameter("org", int, description="Organization id: its subtree only."),
        ],
        responses=ComplianceSerializer(many=True),
    )
    def list(self, request):
        if not looks_after_organizations(request.user):
            raise PermissionDenied
        year = parse_year(request.query_params.get("year"), timezone.localdate().year)
        organizations = Organization.objects.restrict(request.user).filter(is_active=True)
        raw = request.query_params.get("org", "")
        if raw.isdigit():
            chosen = organizations.filter(pk=int(raw)).first()
            organizations = (
                organizations.filter(path__startswith=chosen.path)
                if chosen
                else organizations.none()
            )
        rows = services.compliance(organizations, year)
        return Response(ComplianceSerializer(rows, many=True).data)
