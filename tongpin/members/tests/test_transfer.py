import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tongpin.core.models import AuditEvent
from tongpin.core.scoping import CHANGE, VIEW
from tongpin.members import services
from tongpin.members.models import Member, Transfer
from tongpin.orgs.models import Organization, OrgKind

TODAY = datetime.date.today()


def transfer_url(member):
    return reverse("members:transfer", args=[member.pk])


@pytest.mark.django_db
def test_transfer_moves_member_and_scope(client_as, demo_user, office_member, economy):
    # the group is cleared by a transfer
    office_member.group = Organization.objects.filter(
        kind=OrgKind.GROUP, path__startswith=office_member.branch.path
    ).first()
    office_member.save()
    shuji, shuji2 = demo_user("shuji"), demo_user("shuji2")
    assert not Member.objects.restrict(shuji2).filter(pk=office_member.pk).exists()

    response = client_as("shuji").post(
        transfer_url(office_member),
        {"to_branch": economy.pk, "transferred_on": TODAY.isoformat(), "reason": "工作调动"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:transfers")

    office_member.refresh_from_db()
    assert office_member.branch == economy
    assert office_member.group is None
    transfer = Transfer.objects.get(member=office_member)
    assert transfer.from_branch.name == "办公室党支部"
    assert transfer.to_branch == economy
    assert transfer.recorded_by == shuji
    # history keeps the move with its reason
    latest = office_member.history.first()
    assert latest.branch_id == economy.pk
    assert "工作调动" in latest.history_change_reason
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.TRANSFER).first()
    assert event.object_id == str(office_member.pk) and event.username == "shuji"

    # the scope moved with the member: the receiving branch sees them, the source no longer
    shuji, shuji2 = demo_user("shuji"), demo_user("shuji2")  # fresh scope caches
    assert Member.objects.restrict(shuji2, CHANGE).filter(pk=office_member.pk).exists()
    assert not Member.objects.restrict(shuji).filter(pk=office_member.pk).exists()
    # both see the transfer itself
    assert Transfer.objects.restrict(shuji, VIEW).filter(pk=transfer.pk).exists()
    assert Transfer.objects.restrict(shuji2, VIEW).filter(pk=transfer.pk).exists()
    assert (
        client_as("shuji").get(reverse("members:detail", args=[office_member.pk])).status_code
        == 404
    )
    assert (
        client_as("shuji2").get(reverse("members:detail", args=[office_member.pk])).status_code
        == 200
    )
    page = client_as("shuji").get(reverse("members:transfers")).content.decode()
    assert office_member.name in page and "工作调动" in page
    page = client_as("shuji2").get(reverse("members:detail", args=[office_member.pk]))
    assert "工作调动" in page.content.decode()  # the transfer history on the member page


@pytest.mark.django_db
def test_transfer_refused(client_as, office_member):
    assert client_as("lingdao").get(transfer_url(office_member)).status_code == 403
    assert client_as("shuji2").get(transfer_url(office_member)).status_code == 404
    assert client_as("dangyuan").get(transfer_url(office_member)).status_code == 404


@pytest.mark.django_db
def test_transfer_form_errors(client_as, office_member, economy):
    client = client_as("shuji")
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        transfer_url(office_member),
        {"to_branch": economy.pk, "transferred_on": future, "reason": "工作调动"},
    )
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    response = client.post(
        transfer_url(office_member),
        {"to_branch": office_member.branch_id, "transferred_on": TODAY, "reason": "x"},
    )
    assert "to_branch" in response.context["form"].errors
    response = client.post(transfer_url(office_member), {"to_branch": economy.pk})
    assert {"transferred_on", "reason"} <= set(response.context["form"].errors)
    office_member.refresh_from_db()
    assert office_member.branch.name == "办公室党支部"


@pytest.mark.django_db
def test_transfer_service_rules(demo_user, office_member, economy):
    with pytest.raises(PermissionDenied):
        services.transfer_member(office_member, economy, TODAY, "x", demo_user("lingdao"))
    with pytest.raises(ValidationError) as error:
        services.transfer_member(
            office_member, office_member.branch, TODAY, "x", demo_user("shuji")
        )
    assert "to_branch" in error.value.message_dict
    economy.is_active = False
    economy.save()
    with pytest.raises(ValidationError):
        services.transfer_member(office_member, economy, TODAY, "x", demo_user("shuji"))


@pytest.mark.django_db
def test_transfer_cannot_predate_the_last_one(demo_user, office_member, economy, office):
    services.transfer_member(office_member, economy, TODAY, "调出", demo_user("dangwei"))
    with pytest.raises(ValidationError) as error:
        services.transfer_member(
            office_member, office, TODAY - datetime.timedelta(days=10), "调回", demo_user("dangwei")
        )
    assert "transferred_on" in error.value.message_dict


@pytest.mark.django_db
def test_transfer_list_query_count(
    client_as, demo_user, django_assert_max_num_queries, office, without_menu
):
    dangwei = demo_user("dangwei")
    target = Member.objects.exclude(branch=office).first().branch
    for member in Member.objects.filter(branch=office)[:5]:
        services.transfer_member(member, target, TODAY, "调动", dangwei)
    client = client_as("shuji")
    client.get(reverse("members:transfers"))
    # pinned: the same with 5 rows as with 50 (member, branches and recorder come joined)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("members:transfers"))
    assert len(response.context["page"].object_list) == 5
