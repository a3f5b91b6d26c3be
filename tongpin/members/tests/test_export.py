import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tongpin.core.models import AuditEvent
from tongpin.members.models import Member, MemberStatus

from .helpers import HEADERS

EXPORT = reverse("members:export")


def sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.django_db
def test_export_is_scoped_and_masked(client_as, office):
    rows = sheet_rows(client_as("shuji").get(EXPORT))
    header, body = rows[0], rows[1:]
    assert header[: len(HEADERS)] == HEADERS  # the roster's own columns: re-importable
    members = Member.objects.filter(branch=office)
    assert len(body) == members.count()
    ids = [row[HEADERS.index("身份证号")] for row in body]
    assert all("*" in value for value in ids)
    full = {m.id_number for m in members}
    assert not full & set(ids)
    assert {row[HEADERS.index("所在党支部")] for row in body} == {"办公室党支部"}
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).first()
    assert event.username == "shuji" and event.detail["rows"] == len(body)


@pytest.mark.django_db
def test_export_follows_the_filters(client_as):
    rows = sheet_rows(client_as("dangwei").get(EXPORT, {"status": "probationary"}))
    assert len(rows) - 1 == Member.objects.filter(status=MemberStatus.PROBATIONARY).count()
    assert {row[HEADERS.index("党员状态")] for row in rows[1:]} == {"预备党员"}


@pytest.mark.django_db
def test_full_ids_only_with_change_scope_and_audited(client_as, office):
    rows = sheet_rows(client_as("shuji").get(EXPORT, {"full_id": "1"}))
    ids = {row[HEADERS.index("身份证号")] for row in rows[1:]}
    assert ids == {m.id_number for m in Member.objects.filter(branch=office)}
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REVEAL, username="shuji").exists()
    assert client_as("lingdao").get(EXPORT, {"full_id": "1"}).status_code == 403
    assert client_as("dangyuan").get(EXPORT, {"full_id": "1"}).status_code == 403


@pytest.mark.django_db
def test_member_exports_only_self(client_as, demo_user):
    rows = sheet_rows(client_as("dangyuan").get(EXPORT))
    assert [row[0] for row in rows[1:]] == [demo_user("dangyuan").member.name]


@pytest.mark.django_db
def test_export_query_count(client_as, django_assert_max_num_queries, without_menu):
    client = client_as("dangwei")
    # all 600 demo members in one query; the rest is session, scope and the audit row
    with django_assert_max_num_queries(13):
        client.get(EXPORT)
