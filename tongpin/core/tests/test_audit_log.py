"""The security audit log: append-only, chained, and read by the auditor alone."""

import datetime
import io

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tongpin.accounts import services
from tongpin.accounts.models import Role
from tongpin.core.audit import record_event
from tongpin.core.models import AuditEvent, verify_audit_chain

pytestmark = pytest.mark.django_db


def some_events(n=3):
    return [
        record_event(AuditEvent.Kind.EXPORT, username=f"u{i}", summary=f"event {i}")
        for i in range(n)
    ]


# ---- append-only ------------------------------------------------------------------------


def test_events_cannot_be_updated_or_deleted_through_the_orm():
    event = some_events(1)[0]
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(summary="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.summary = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    # bulk_update opens no savepoint: give it one so the test's transaction survives
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["summary"])
    assert AuditEvent.objects.get(pk=event.pk).summary == "event 0"


# ---- the chain --------------------------------------------------------------------------


def test_chain_holds_for_untouched_events():
    some_events()
    assert verify_audit_chain() is None


def test_chain_detects_a_row_changed_behind_the_application():
    events = some_events(4)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET summary = %s WHERE id = %s", ["innocent", events[1].pk]
        )
    assert verify_audit_chain() == events[1].pk


def test_chain_detects_a_removed_row():
    events = some_events(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    assert verify_audit_chain() == events[3].pk


def test_chain_check_page(client_as):
    events = some_events()
    client = client_as("auditor")
    response = client.get(reverse("audit:chain"))
    assert response.status_code == 200
    assert "完整" in response.content.decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET success = %s WHERE id = %s", [False, events[0].pk]
        )
    response = client.get(reverse("audit:chain"), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "<html" not in text  # the HTMX fragment only
    assert f"#{events[0].pk}" in text and "被破坏" in text


# ---- the auditor's pages ----------------------------------------------------------------


def test_audit_list_filters(client_as, demo_user):
    services.grant_role(demo_user("secadmin"), demo_user("dangyuan"), Role.LEADER)
    record_event(AuditEvent.Kind.LOGIN_FAILED, success=False, username="mallory")
    client = client_as("auditor")
    page = client.get(reverse("audit:list"))
    assert page.status_code == 200 and "审计日志" in page.content.decode()

    def listed(**query):
        response = client.get(reverse("audit:list"), query)
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    assert {e.kind for e in listed(kind="permission")} == {"permission"}
    assert [e.username for e in listed(success="no")] == ["mallory"]
    assert all(e.username == "secadmin" for e in listed(user="secadm"))
    assert len(listed(q="dangyuan")) == 1
    today = timezone.localdate()
    assert len(listed(start=today.isoformat(), end=today.isoformat())) >= 2
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert listed(start=tomorrow) == []


def test_bad_filter_input_gives_chinese_errors_not_server_errors(client_as):
    client = client_as("auditor")
    response = client.get(reverse("audit:list"), {"start": "2026-13-45", "page": "x"})
    assert response.status_code == 200 and "有效的日期" in response.content.decode()
    response = client.get(reverse("audit:list"), {"start": "2026-05-02", "end": "2026-05-01"})
    assert "开始日期不能晚于结束日期" in response.content.decode()
    response = client.get(reverse("audit:list"), {"kind": "nonsense"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    response = client.get(reverse("audit:changes"), {"record": "abc", "model": "x.y"})
    assert response.status_code == 200
    assert client.get(reverse("audit:detail", args=[999999])).status_code == 404


def test_export_is_xlsx_of_the_filtered_rows_and_is_audited(client_as):
    some_events(3)
    record_event(AuditEvent.Kind.LOGIN, username="other", summary="other")
    client = client_as("auditor")
    response = client.get(reverse("audit:export"), {"kind": "export"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "日期" and "事件" in rows[0]
    assert len(rows) == 1 + 3 and {r[2] for r in rows[1:]} == {"u0", "u1", "u2"}
    export = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, username="auditor").get()
    assert export.detail["rows"] == 3


def test_event_detail(client_as):
    event = some_events(1)[0]
    response = client_as("auditor").get(reverse("audit:detail", args=[event.pk]))
    assert response.status_code == 200 and event.chain in response.content.decode()


def test_auditor_cannot_change_anything(client_as, api_as, demo_user):
    client = client_as("auditor")
    event = some_events(1)[0]
    for url in [
        reverse("audit:list"),
        reverse("audit:detail", args=[event.pk]),
        reverse("audit:chain"),
        reverse("audit:changes"),
        reverse("audit:export"),
    ]:
        assert client.post(url).status_code == 405, url
    assert (
        client.post(
            reverse("accounts:role_grant", args=[demo_user("dangyuan").pk]), {"role": Role.LEADER}
        ).status_code
        == 403
    )
    assert client.post(reverse("accounts:user_create"), {"username": "z"}).status_code == 403
    api = api_as("auditor")
    assert api.post("/api/audit-events/", {}).status_code == 405
    assert api.delete(f"/api/audit-events/{event.pk}/").status_code == 405
    assert AuditEvent.objects.get(pk=event.pk).summary == "event 0"


# ---- change history ---------------------------------------------------------------------


def test_change_history_shows_who_what_when_and_request(client_as, demo_user):
    secadmin = client_as("secadmin")
    dangyuan = demo_user("dangyuan")
    response = secadmin.post(
        reverse("accounts:role_grant", args=[dangyuan.pk]), {"role": Role.LEADER}
    )
    request_id = response["X-Request-ID"]
    client = client_as("auditor")
    response = client.get(reverse("audit:changes"), {"model": "accounts.roleassignment"})
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["user"].username == "secadmin" and row["kind"] == "+"
    assert row["request_id"] == request_id
    assert "机关领导" in row["object"]
    text = response.content.decode()
    assert "变更记录" in text and "角色授权" in text
    # the same change found by its request id
    rows = client.get(reverse("audit:changes"), {"request_id": request_id}).context["rows"]
    assert [r["kind"] for r in rows] == ["+"]


def test_change_history_lists_field_changes_across_models(client_as, demo_user):
    user = demo_user("dangyuan")
    user.full_name = "改过的名字"
    user.save()
    client = client_as("auditor")
    response = client.get(reverse("audit:changes"), {"model": "accounts.user", "record": user.pk})
    rows = response.context["rows"]
    changed = [r for r in rows if r["kind"] == "~"][0]
    assert any(c.new == "改过的名字" for c in changed["changes"])
    # all models together, newest first, paginated
    everything = client.get(reverse("audit:changes")).context["page"]
    assert everything.paginator.count > 600  # the demo roster's creation rows among them
    dates = [r.history_date for r in everything.object_list]
    assert dates == sorted(dates, reverse=True)
    second = client.get(reverse("audit:changes"), {"page": 2}).context["page"]
    assert second.object_list[0].history_date <= dates[-1]


def test_sealed_values_never_appear_in_the_change_history(client_as, demo_user):
    member = demo_user("dangyuan").member
    member.phone = "13900001111"
    member.save()
    client = client_as("auditor")
    response = client.get(
        reverse("audit:changes"), {"model": "members.member", "record": member.pk}
    )
    text = response.content.decode()
    assert "13900001111" not in text and member.phone_sealed not in text


# ---- API ----------------------------------------------------------------------------------


def test_audit_events_api_is_auditor_only(api_as):
    some_events(2)
    for username in ["sysadmin", "secadmin", "dangwei", "shuji", "lingdao"]:
        assert api_as(username).get("/api/audit-events/").status_code == 403
    client = api_as("auditor")
    data = client.get("/api/audit-events/", {"kind": "export"}).json()
    assert data["count"] == 2 and data["results"][0]["kind_label"] == "导出"
    assert client.get("/api/audit-events/", {"username": "u1"}).json()["count"] == 1
    assert client.post("/api/audit-events/", {"kind": "login"}).status_code == 405
