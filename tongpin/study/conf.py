"""Study rules as settings (rules.md STD-06): ``settings.TONGPIN["STUDY"]`` overrides them."""

from django.conf import settings

DEFAULTS = {
    # STD-06: class hours a year per member; more for secretaries and committee members
    "hours_member": 32,
    "hours_committee": 56,
}


def study_settings() -> dict:
    return {**DEFAULTS, **getattr(settings, "TONGPIN", {}).get("STUDY", {})}
