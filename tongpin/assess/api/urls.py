from .views import AssessmentRunViewSet, ScoreViewSet


def register(router):
    router.register("assess-runs", AssessmentRunViewSet, basename="assess-run")
    router.register("assess-scores", ScoreViewSet, basename="assess-score")
    # ---- grassroots survey
    from .survey import register as register_survey

    register_survey(router)
