"""The roster in Excel: the import template and reading an uploaded roster.

The columns follow the national party-member information system's basic fields, with Chinese
headers whatever the interface language (the file is exchanged with people and other systems).
Reading turns cells into Python values and reports problems per cell; deciding whether a row is
acceptable (scope, duplicates, consistency) is the services' job.
"""

import datetime
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .models import ETHNIC_GROUPS, Education, Gender, JobLevel, MemberStatus

ROSTER_LANGUAGE = "zh-hans"
TEMPLATE_ROWS = 2000  # rows prepared with dropdowns and text format
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
REQUIRED_FILL = PatternFill("solid", fgColor="7F0000")
HEADER_FONT = Font(bold=True, color="FFFFFF")


@dataclass(frozen=True)
class Column:
    key: str  # a Member field, or id_number / phone (sealed on save)
    label: object  # lazy; always rendered in Chinese
    kind: str  # text, date, choice, bool, id, phone, ethnicity, branch, group, department
    required: bool = False
    hint: object = ""
    width: int = 14
    choices: tuple = ()
    max_length: int = 0

    @property
    def header(self) -> str:
        with translation.override(ROSTER_LANGUAGE):
            return str(self.label)


DATE_HINT = gettext_lazy(
    "A date such as 2020-01-02 (2020/1/2, 2020.01.02 and 2020年1月2日 are also accepted)."
)

COLUMNS = [
    Column(
        "name",
        pgettext_lazy("roster column", "Name"),
        "text",
        required=True,
        hint=gettext_lazy("Required."),
        width=10,
        max_length=50,
    ),
    Column(
        "gender",
        pgettext_lazy("roster column", "Gender"),
        "choice",
        hint=gettext_lazy("Male or female; may be left empty: taken from the ID number."),
        width=6,
        choices=tuple(Gender.choices),
    ),
    Column(
        "ethnicity",
        pgettext_lazy("roster column", "Ethnicity"),
        "ethnicity",
        hint=gettext_lazy("Choose from the list; empty means Han."),
        width=10,
    ),
    Column(
        "birth_date",
        pgettext_lazy("roster column", "Birth date"),
        "date",
        hint=format_lazy(
            "{}{}", gettext_lazy("May be left empty: taken from the ID number. "), DATE_HINT
        ),
        width=12,
    ),
    Column(
        "id_number",
        pgettext_lazy("roster column", "ID number"),
        "id",
        required=True,
        hint=gettext_lazy(
            "Required. 18-character citizen ID number, entered as text (a number cell loses "
            "the last digits). A member already on the roster is updated."
        ),
        width=21,
    ),
    Column(
        "education",
        pgettext_lazy("roster column", "Education"),
        "choice",
        hint=gettext_lazy("Choose from the list."),
        width=12,
        choices=tuple(Education.choices),
    ),
    Column(
        "applied_on",
        pgettext_lazy("roster column", "Application date"),
        "date",
        hint=DATE_HINT,
        width=14,
    ),
    Column(
        "joined_on",
        pgettext_lazy("roster column", "Admission date"),
        "date",
        required=True,
        hint=format_lazy("{}{}", gettext_lazy("Required. "), DATE_HINT),
        width=12,
    ),
    Column(
        "full_member_on",
        pgettext_lazy("roster column", "Full membership date"),
        "date",
        hint=format_lazy(
            "{}{}",
            gettext_lazy("Required for a full member; empty for a probationary member. "),
            DATE_HINT,
        ),
        width=12,
    ),
    Column(
        "status",
        pgettext_lazy("roster column", "Member status"),
        "choice",
        required=True,
        hint=gettext_lazy("Required. Full member or probationary member."),
        width=10,
        choices=tuple(MemberStatus.choices),
    ),
    Column(
        "branch",
        pgettext_lazy("roster column", "Branch"),
        "branch",
        required=True,
        hint=gettext_lazy(
            "Required. The branch's full name, as listed on the sheet of options. A member "
            "already on the roster stays in their branch: use a transfer to move them."
        ),
        width=22,
    ),
    Column(
        "group",
        pgettext_lazy("roster column", "Party group"),
        "group",
        hint=gettext_lazy("Optional. A party group of the member's branch."),
        width=20,
    ),
    Column(
        "department",
        pgettext_lazy("roster column", "Department"),
        "department",
        hint=gettext_lazy("Optional. As listed on the sheet of options."),
        width=18,
    ),
    Column(
        "post",
        pgettext_lazy("roster column", "Post"),
        "text",
        hint=gettext_lazy("Optional, e.g. deputy division director."),
        width=12,
        max_length=50,
    ),
    Column(
        "job_level",
        pgettext_lazy("roster column", "Job level"),
        "choice",
        hint=gettext_lazy("Choose from the list."),
        width=10,
        choices=tuple(JobLevel.choices),
    ),
    Column(
        "is_leading_cadre",
        pgettext_lazy("roster column", "Leading cadre"),
        "bool",
        hint=gettext_lazy("Yes or no; empty means no."),
        width=10,
    ),
    Column(
        "phone",
        pgettext_lazy("roster column", "Phone"),
        "phone",
        hint=gettext_lazy("Optional. A mobile number or a landline such as 010-12345678."),
        width=14,
    ),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
# common short forms people type for the national system's education levels
CHOICE_ALIASES = {
    "education": {
        "博士": "doctorate",
        "研究生（博士）": "doctorate",
        "硕士": "master",
        "研究生": "master",
        "研究生（硕士）": "master",
        "本科": "bachelor",
        "大学": "bachelor",
        "专科": "college",
        "大专": "college",
        "中专": "secondary",
        "中职": "secondary",
        "初中": "below",
    },
}
BOOL_WORDS = {
    "是": True,
    "否": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "y": True,
    "n": False,
    "1": True,
    "0": False,
    "√": True,
    "×": False,
}


def yes_no() -> list[str]:
    with translation.override(ROSTER_LANGUAGE):
        return [str(_("Yes")), str(_("No"))]


def choice_labels(column: Column) -> list[str]:
    with translation.override(ROSTER_LANGUAGE):
        return [str(label) for _value, label in column.choices]


# ---- the template -----------------------------------------------------------------------------


def build_template(*, branches, groups, departments) -> Workbook:
    """An empty roster with Chinese headers, a hint on each header, dropdowns for every column
    with fixed values, and a second sheet listing the organizations the user may use."""
    with translation.override(ROSTER_LANGUAGE):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("Member roster"))
        options = workbook.create_sheet(str(_("Options")))
        sheet.append([column.header for column in COLUMNS])

        option_lists: list[tuple[str, list[str]]] = [
            (str(pgettext_lazy("roster column", "Branch")), [b.name for b in branches]),
            (str(pgettext_lazy("roster column", "Party group")), [g.name for g in groups]),
            (str(_("Branch of the group")), [getattr(g, "branch_name", "") for g in groups]),
            (str(pgettext_lazy("roster column", "Department")), [d.name for d in departments]),
            (str(pgettext_lazy("roster column", "Ethnicity")), list(ETHNIC_GROUPS)),
        ]
        for column in COLUMNS:
            if column.kind == "choice":
                option_lists.append((column.header, choice_labels(column)))
        option_lists.append((COLUMNS_BY_KEY["is_leading_cadre"].header, yes_no()))
        ranges = {}
        for index, (title, values) in enumerate(option_lists, start=1):
            letter = get_column_letter(index)
            options.cell(row=1, column=index, value=title).font = Font(bold=True)
            for row, value in enumerate(values, start=2):
                options.cell(row=row, column=index, value=value)
            options.column_dimensions[letter].width = max(12, min(40, len(title) * 2 + 4))
            last = max(2, len(values) + 1)
            ranges[title] = f"{quote_sheetname(options.title)}!${letter}$2:${letter}${last}"
        options.freeze_panes = "A2"

        for index, column in enumerate(COLUMNS, start=1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index)
            cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
            cell.font = HEADER_FONT
            cell.alignment = Alignment(horizontal="center")
            if column.hint:
                cell.comment = Comment(str(column.hint), str(_("Tongpin")), width=260, height=110)
            sheet.column_dimensions[letter].width = column.width
            target = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
            if column.kind in ("id", "phone", "text", "date"):
                # text format keeps ID numbers whole and leading zeros of landlines
                if column.kind != "date":
                    sheet.column_dimensions[letter].number_format = "@"
                else:
                    sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
            source = None
            if column.kind in ("choice", "bool", "ethnicity", "branch", "group", "department"):
                title = column.header
                source = ranges.get(title)
            if source:
                validation = DataValidation(
                    type="list",
                    formula1=source,
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle=str(_("Value not in the list")),
                    error=str(_("Choose a value from the list.")),
                )
                validation.add(target)
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "B2"
    return workbook


# ---- reading ----------------------------------------------------------------------------------


class RosterFileError(Exception):
    """The file as a whole cannot be read (type, size, corruption, headers)."""


@dataclass
class CellError:
    row: int
    column: str  # the header, as in the file
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        return _("Row %(row)d 「%(column)s」: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class RosterRow:
    number: int  # as Excel shows it
    values: dict  # column key -> raw cell value (None when empty)


@dataclass
class RosterSheet:
    columns: list  # Column objects present in the file, in file order
    rows: list  # RosterRow


def check_upload(name: str, size: int) -> None:
    limit = settings.TONGPIN["IMPORT_MAX_BYTES"]
    if not name.lower().endswith(".xlsx"):
        raise RosterFileError(_("Upload an Excel workbook (.xlsx); other file types are refused."))
    if size > limit:
        raise RosterFileError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": _megabytes(size), "limit": _megabytes(limit)}
        )
    if size == 0:
        raise RosterFileError(_("The file is empty."))


def limits() -> dict:
    return {
        "rows": settings.TONGPIN["IMPORT_MAX_ROWS"],
        "size": _megabytes(settings.TONGPIN["IMPORT_MAX_BYTES"]),
    }


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def read_roster(handle, name: str, size: int | None = None) -> RosterSheet:
    """Read the first sheet of an uploaded roster: headers on row 1, one member per row."""
    if size is None:
        handle.seek(0, 2)
        size = handle.tell()
    check_upload(name, size)
    handle.seek(0)
    if handle.read(4) != b"PK\x03\x04":
        raise RosterFileError(_("The file is not a valid .xlsx workbook."))
    handle.seek(0)
    max_rows = settings.TONGPIN["IMPORT_MAX_ROWS"]
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            lines = sheet.iter_rows(values_only=True)
            header = next(lines, None)
            columns, positions = _header_columns(header or ())
            rows = []
            # read_only mode yields empty tuples for gaps, so counting keeps Excel's numbering
            for number, line in enumerate(lines, start=2):
                values = {
                    c.key: _strip(line[p]) if p < len(line) else None
                    for c, p in zip(columns, positions, strict=True)
                }
                if all(v is None for v in values.values()):
                    continue
                if len(rows) >= max_rows:
                    raise RosterFileError(
                        _("The file has more than %(max)d members; split it into several files.")
                        % {"max": max_rows}
                    )
                rows.append(RosterRow(number, values))
        finally:
            workbook.close()
    except RosterFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError, EOFError):
        raise RosterFileError(_("The workbook is damaged and cannot be read.")) from None
    except Exception as exc:  # noqa: BLE001  (openpyxl and lxml raise many kinds on bad input)
        raise RosterFileError(_("The workbook is damaged and cannot be read.")) from exc
    if not rows:
        raise RosterFileError(_("The workbook holds no members below the header row."))
    return RosterSheet(columns=columns, rows=rows)


def read_roster_path(path: Path) -> RosterSheet:
    try:
        size = path.stat().st_size
    except OSError:
        raise RosterFileError(_("The file %(path)s cannot be opened.") % {"path": path}) from None
    check_upload(path.name, size)
    with path.open("rb") as handle:
        return read_roster(handle, path.name, size)


def _strip(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _header_columns(header) -> tuple[list, list]:
    by_header = {column.header: column for column in COLUMNS}
    columns, positions, seen = [], [], set()
    for position, title in enumerate(header):
        title = re.sub(r"\s+", "", str(title)) if title is not None else ""
        title = title.lstrip("*＊")  # a required mark some people add
        column = by_header.get(title)
        if column is not None and column.key not in seen:
            seen.add(column.key)
            columns.append(column)
            positions.append(position)
    missing = [c.header for c in COLUMNS if c.required and c.key not in seen]
    if missing:
        raise RosterFileError(
            _("Row 1 lacks the required columns %(columns)s; start from the template.")
            % {"columns": "、".join(f"「{m}」" for m in missing)}
        )
    return columns, positions


# ---- cell values ------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class CellValueError(ValueError):
    pass


def parse_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 10000101 <= value <= 99991231:
            value = str(int(value))  # 20200102 typed as a number
        else:
            raise CellValueError(_("Not a date; write it as 2020-01-02."))
    text = str(value).strip()
    match = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if not match:
        raise CellValueError(_("Not a date; write it as 2020-01-02."))
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellValueError(_("%(text)s is not a date that exists.") % {"text": text}) from None


def parse_text(value, max_length: int = 0) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.strftime("%Y-%m-%d")
    text = str(value).strip()
    if max_length and len(text) > max_length:
        raise CellValueError(
            _("At most %(max)d characters (this has %(n)d).") % {"max": max_length, "n": len(text)}
        )
    return text


def parse_id_number(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel keeps 15 significant digits: an 18-digit number has lost its tail
        raise CellValueError(
            _(
                "The ID number was entered as a number and lost its last digits; format the "
                "column as text and enter it again."
            )
        )
    return parse_text(value).upper().replace(" ", "")


def parse_choice(value, column: Column) -> str:
    if value is None:
        return ""
    text = parse_text(value)
    with translation.override(ROSTER_LANGUAGE):
        by_label = {str(label): code for code, label in column.choices}
    by_code = {code: code for code, _label in column.choices}
    by_current = {str(label): code for code, label in column.choices}
    aliases = CHOICE_ALIASES.get(column.key, {})
    for lookup in (by_label, by_current, by_code, aliases):
        if text in lookup:
            return lookup[text]
    raise CellValueError(
        _("Unknown value 「%(value)s」; choose one of %(choices)s.")
        % {"value": text, "choices": "、".join(choice_labels(column))}
    )


def parse_bool(value) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = parse_text(value).lower()
    if text in BOOL_WORDS:
        return BOOL_WORDS[text]
    raise CellValueError(
        _("Unknown value 「%(value)s」; choose one of %(choices)s.")
        % {"value": text, "choices": "、".join(yes_no())}
    )
