"""A party task's progress can point at a meeting already recorded (enter once, reuse)."""

import pytest
from django.core.exceptions import ValidationError

from tongpin.life.models import Meeting
from tongpin.orgs.models import Organization
from tongpin.work import evidence


@pytest.fixture
def office():
    return Organization.objects.get(name="办公室党支部")


@pytest.mark.django_db
def test_held_meetings_are_offered_as_evidence(demo_user, office):
    held = Meeting.objects.filter(organization__path__startswith=office.path, held_on__isnull=False)
    assert held.exists()
    groups = dict(evidence.choices(demo_user("shuji"), office))
    offered = {value for value, _label in groups["会议"]}
    assert f"life.meeting:{held.first().pk}" in offered
    # planned (not yet held) meetings are no evidence
    planned = Meeting.objects.filter(organization=office, held_on__isnull=True).first()
    if planned is not None:
        assert f"life.meeting:{planned.pk}" not in offered


@pytest.mark.django_db
def test_linking_a_meeting_follows_its_scope(demo_user, office):
    meeting = Meeting.objects.filter(organization=office, held_on__isnull=False).first()
    content_type, obj = evidence.resolve(demo_user("shuji"), f"life.meeting:{meeting.pk}")
    assert obj == meeting and content_type.model == "meeting"
    with pytest.raises(ValidationError):
        evidence.resolve(demo_user("shuji2"), f"life.meeting:{meeting.pk}")
