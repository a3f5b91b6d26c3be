"""Settings of the assessment module: defaults, overridden by ``TONGPIN["ASSESS"]``."""

from django.conf import settings

DEFAULTS = {
    # a score below this is a problem found, proposed as a rectification item
    "problem_below": 60,
    # 评先评优 candidates of a closed run: the top N by outcome total ...
    "candidates_top": 3,
    # ... and, if set, only those whose total reaches this
    "candidates_min_total": None,
}


def assess_settings() -> dict:
    return {**DEFAULTS, **getattr(settings, "TONGPIN", {}).get("ASSESS", {})}
