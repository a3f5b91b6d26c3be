import pytest
from django.urls import reverse

KEYS = {"list": "members:list", "transfers": "members:transfers", "import": "members:import"}


def menu(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["nav_entries"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,expected",
    [
        ("dangwei", {"list", "transfers", "import"}),
        ("shuji", {"list", "transfers", "import"}),
        ("zongzhi", {"list", "transfers", "import"}),
        ("lingdao", {"list", "transfers"}),
        ("chuzhang", {"list", "transfers"}),
        ("dangyuan", {"list", "transfers"}),
        ("sysadmin", set()),
        ("auditor", set()),
    ],
)
def test_menu_entries(client_as, username, expected):
    names = {entry.url_name for entry in menu(client_as(username))}
    assert {key for key, url_name in KEYS.items() if url_name in names} == expected


@pytest.mark.django_db
def test_menu_reads_in_chinese(client_as):
    html = client_as("shuji").get(reverse("members:list")).content.decode()
    for label in ("党员名册", "组织关系转接", "名册导入"):
        assert label in html
