"""Quarterly review: business targets and party tasks inspected together, with follow-ups."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tongpin.work import services
from tongpin.work.models import BusinessGoal, PartyTask, QuarterlyReview

pytestmark = pytest.mark.django_db


def test_review_records_both_sides_and_produces_follow_ups(client_as, org, today, year):
    office = org("办公室党支部")
    client = client_as("shuji")
    response = client.post(
        "/work/reviews/new/",
        {
            "organization": office.pk,
            "year": year,
            "quarter": 4,
            "held_on": today.isoformat(),
            "conclusion": "业务目标和党建任务一起检查，整体推进顺利。",
        },
    )
    assert response.status_code == 302, response.content.decode()
    review = QuarterlyReview.objects.get(organization=office, year=year, quarter=4)
    figures = review.figures
    end = datetime.date(year, 12, 31)  # due by the end of the quarter
    assert (
        figures["tasks"]
        == PartyTask.objects.filter(
            organization__path__startswith=office.path, year=year, deadline__lte=end
        ).count()
    )
    assert (
        figures["goals"]
        == BusinessGoal.objects.filter(
            department__branch=office, year=year, deadline__lte=end
        ).count()
    )
    assert (
        figures["tasks_unlinked"]
        == PartyTask.objects.filter(title="组织观看爱国主义教育影片", deadline__lte=end).count()
    )
    response = client.post(
        f"/work/reviews/{review.pk}/follow-up/",
        {
            "title": "补齐党建任务与督办工作的结合点",
            "category": "organizational",
            "deadline": (today + datetime.timedelta(days=30)).isoformat(),
            "goals": [BusinessGoal.objects.get(title="省政府督办事项按时办结").pk],
        },
    )
    assert response.status_code == 302
    follow_up = PartyTask.objects.get(source_review=review)
    assert follow_up.organization == office and follow_up.goals.count() == 1
    page = client.get(f"/work/reviews/{review.pk}/").content.decode()
    assert "补齐党建任务与督办工作的结合点" in page
    # a second review of the same quarter is refused in words
    response = client.post(
        "/work/reviews/new/",
        {
            "organization": office.pk,
            "year": year,
            "quarter": 4,
            "held_on": today.isoformat(),
            "conclusion": "重复",
        },
    )
    assert response.status_code == 200
    assert QuarterlyReview.objects.filter(organization=office, year=year).count() == 1


def test_review_service_rules(demo_user, org, today, year):
    with pytest.raises(ValidationError):
        services.create_review(
            user=demo_user("shuji"),
            organization=org("办公室党支部"),
            year=year,
            quarter=1,
            held_on=today,
            conclusion="  ",
        )


def test_reviews_are_the_committees_own(client_as):
    review = QuarterlyReview.objects.filter(organization__depth=1).first()
    assert client_as("dangwei").get(f"/work/reviews/{review.pk}/").status_code == 200
    assert client_as("dangyuan").get(f"/work/reviews/{review.pk}/").status_code == 404
    assert client_as("shuji").get(f"/work/reviews/{review.pk}/").status_code == 404
    assert client_as("dangwei").get("/work/reviews/export/").status_code == 200
