from .views import (
    AttendanceViewSet,
    ComplianceViewSet,
    MeetingViewSet,
    MemberReviewViewSet,
    MotionViewSet,
    TalkViewSet,
)


def register(router):
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("motions", MotionViewSet, basename="motion")
    router.register("talks", TalkViewSet, basename="talk")
    router.register("member-reviews", MemberReviewViewSet, basename="member-review")
    router.register("life-compliance", ComplianceViewSet, basename="life-compliance")
