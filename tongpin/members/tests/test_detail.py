import pytest
from django.urls import reverse

from tongpin.core.models import AuditEvent
from tongpin.members.models import Member


def detail(member):
    return reverse("members:detail", args=[member.pk])


def reveal(member):
    return reverse("members:reveal", args=[member.pk])


@pytest.mark.django_db
def test_detail_shows_fields_masked(client_as, office_member):
    response = client_as("shuji").get(detail(office_member))
    assert response.status_code == 200
    html = response.content.decode()
    assert office_member.name in html
    assert office_member.id_number_masked in html
    assert office_member.id_number not in html
    assert office_member.phone not in html
    assert office_member.branch.name in html
    assert "第一党总支" in html  # the branch's place in the tree
    for text in (
        "基本信息",
        "党籍信息",
        "党龄",
        "委员职务",
        "组织关系转接记录",
        "显示完整身份证号",
    ):
        assert text in html


@pytest.mark.django_db
def test_party_standing_counts_from_full_membership(client_as, office_member):
    import datetime

    office_member.full_member_on = datetime.date.today().replace(
        year=datetime.date.today().year - 5
    )
    office_member.joined_on = office_member.full_member_on.replace(
        year=office_member.full_member_on.year - 1
    )
    office_member.applied_on = None
    office_member.save()
    response = client_as("shuji").get(detail(office_member))
    assert response.context["standing"] == 5  # rule DEV-16


@pytest.mark.django_db
def test_committee_posts_listed(client_as, demo_user):
    secretary = demo_user("shuji").member
    html = client_as("shuji").get(detail(secretary)).content.decode()
    assert "书记" in html


@pytest.mark.django_db
def test_out_of_scope_member_is_404(client_as, office_member):
    assert client_as("shuji2").get(detail(office_member)).status_code == 404
    assert client_as("dangyuan").get(detail(office_member)).status_code == 404
    assert client_as("sysadmin").get(detail(office_member)).status_code == 403
    assert client_as("shuji").get(reverse("members:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_member_sees_own_record_without_reveal(client_as, demo_user):
    me = demo_user("dangyuan").member
    response = client_as("dangyuan").get(detail(me))
    assert response.status_code == 200
    assert "显示完整身份证号" not in response.content.decode()


@pytest.mark.django_db
def test_reveal_shows_full_numbers_and_is_audited(client_as, demo_user, office_member):
    client = client_as("shuji")
    before = AuditEvent.objects.filter(kind=AuditEvent.Kind.REVEAL).count()
    response = client.post(reveal(office_member), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert office_member.id_number in html
    assert office_member.phone in html
    assert "<html" not in html  # an HTMX fragment
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.REVEAL).first()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REVEAL).count() == before + 1
    assert event.success
    assert event.username == "shuji"
    assert event.object_id == str(office_member.pk)
    assert office_member.id_number not in event.summary  # the log holds no full number


@pytest.mark.django_db
def test_reveal_without_htmx_renders_the_page(client_as, office_member):
    response = client_as("dangwei").post(reveal(office_member))
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert office_member.id_number in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["lingdao"])
def test_reveal_refused_without_change_scope(client_as, office_member, username):
    response = client_as(username).post(reveal(office_member), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert office_member.id_number not in response.content.decode()
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.REVEAL).first()
    assert event.success is False
    assert event.username == username


@pytest.mark.django_db
def test_member_cannot_reveal_own_record(client_as, demo_user):
    me = demo_user("dangyuan").member
    assert client_as("dangyuan").post(reveal(me)).status_code == 403


@pytest.mark.django_db
def test_reveal_out_of_scope_is_404_and_get_not_allowed(client_as, office_member):
    assert client_as("shuji2").post(reveal(office_member)).status_code == 404
    assert client_as("shuji").get(reveal(office_member)).status_code == 405


@pytest.mark.django_db
def test_leader_sees_no_reveal_button(client_as, office_member):
    html = client_as("lingdao").get(detail(office_member)).content.decode()
    assert "显示完整身份证号" not in html
    assert reverse("members:edit", args=[office_member.pk]) not in html


@pytest.mark.django_db
def test_history_page(client_as, office_member):
    office_member.post = "二级主任科员"
    office_member.save()
    response = client_as("shuji").get(reverse("members:history", args=[office_member.pk]))
    assert response.status_code == 200
    assert "二级主任科员" in response.content.decode()
    assert (
        client_as("shuji2").get(reverse("members:history", args=[office_member.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_detail_query_count(client_as, django_assert_max_num_queries, demo_user, without_menu):
    member = Member.objects.get(user=demo_user("shuji"))
    client = client_as("shuji")
    with django_assert_max_num_queries(15):
        assert client.get(detail(member)).status_code == 200
