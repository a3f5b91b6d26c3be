import pytest

from tongpin.study import search
from tongpin.study.models import Material


@pytest.fixture
def material():
    return Material.objects.filter(organization__depth=1).order_by("pk").first()


@pytest.mark.django_db
def test_staff_corrects_a_material_and_search_follows(client_as, demo_user, material):
    data = {
        "title": "更正后的学习材料",
        "body": "坚持以学促干，推动同频共振的新提法。",
        "tags": "更正",
    }
    before = material.history.count()
    response = client_as("dangwei").post(f"/study/materials/{material.pk}/edit/", data)
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.title == "更正后的学习材料"
    assert material.history.count() == before + 1  # the correction is in the change history
    assert material.history.first().history_user.username == "dangwei"
    hits = search.search(demo_user("dangyuan"), "同频共振 新提法").hits
    assert any(h.object_id == material.pk for h in hits)


@pytest.mark.django_db
def test_a_branch_cannot_edit_the_committees_material(client_as, material):
    response = client_as("shuji").post(
        f"/study/materials/{material.pk}/edit/", {"title": "x", "body": "y"}
    )
    assert response.status_code == 403
    material.refresh_from_db()
    assert material.title != "x"


@pytest.mark.django_db
def test_empty_text_is_refused_with_a_message(client_as, material):
    response = client_as("dangwei").post(
        f"/study/materials/{material.pk}/edit/", {"title": "标题", "body": ""}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or response.context["form"].errors
