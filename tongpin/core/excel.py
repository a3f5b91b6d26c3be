"""Excel (.xlsx) output shared by every list: 台账 in the format people already use."""

import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .audit import record_event
from .models import AuditEvent

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def _cell(value):
    """Dates stay dates; everything else becomes text Excel shows as is.

    Text starting with = + - @ is prefixed with a quote so a cell can never run as a formula.
    """
    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text[:1] in ("=", "+", "-", "@"):
        text = "'" + text
    return text


def build_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(h) for h in headers])
    for column, _header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(horizontal="center")
    widths = [max(6, len(str(h)) * 2 + 2) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        for i, value in enumerate(values):
            widths[i] = min(40, max(widths[i], len(str(value)) + 2))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, workbook: Workbook) -> HttpResponse:
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_xlsx(request, *, title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    """Build, audit (security.md: exports are audited) and return an .xlsx download."""
    rows = list(rows)
    record_event(
        AuditEvent.Kind.EXPORT,
        request=request,
        summary=f"{title}: {len(rows)}",
        detail={"title": str(title), "rows": len(rows), "path": request.get_full_path()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(f"{title}-{stamp}.xlsx", build_workbook(str(title), headers, rows))
