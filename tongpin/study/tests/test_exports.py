import io

import pytest
from openpyxl import load_workbook

from tongpin.core.models import AuditEvent
from tongpin.study.models import StudySession


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


@pytest.mark.django_db
def test_sessions_export_is_scoped_and_audited(client_as, demo_user):
    sheet = _sheet(client_as("shuji").get("/study/sessions/export/"))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    from tongpin.study import services

    assert len(rows) == services.sessions_for(demo_user("shuji")).count()
    assert len(rows) < StudySession.objects.count() or StudySession.objects.count() == len(rows)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, username="shuji").exists()


@pytest.mark.django_db
def test_hours_export_lists_members_in_roster_order(client_as):
    sheet = _sheet(client_as("shuji").get("/study/report/export/?year=2026"))
    from django.utils.translation import gettext, override

    header = [c.value for c in sheet[1]]
    with override("zh-hans"):
        assert header[:2] == [gettext("Branch"), gettext("Name")]
    assert all(not h.isascii() for h in header)  # Chinese headers
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and {r[0] for r in rows} == {"办公室党支部"}


@pytest.mark.django_db
def test_hours_export_refused_to_ordinary_members(client_as):
    assert client_as("dangyuan").get("/study/report/export/").status_code == 403
