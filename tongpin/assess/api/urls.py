from .views import (
    AssessmentRunViewSet,
    IndicatorSystemViewSet,
    RectificationItemViewSet,
    ScoreViewSet,
)


def register(router):
    router.register("assess-runs", AssessmentRunViewSet, basename="assess-run")
    router.register("assess-scores", ScoreViewSet, basename="assess-score")
    router.register("assess-systems", IndicatorSystemViewSet, basename="assess-system")
    router.register(
        "assess-rectifications", RectificationItemViewSet, basename="assess-rectification"
    )
    # ---- grassroots survey
    from .survey import register as register_survey

    register_survey(router)
