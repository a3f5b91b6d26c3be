"""Actions on the roster: create, update, transfer, reveal and import members.

Views, the API and the command line call these; each action runs in one transaction and, where
security-relevant, writes the audit log (security.md). Validation lives here once, so a form, an
API call and an Excel row are judged by the same rules.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tongpin.core import crypto
from tongpin.core.audit import record_event
from tongpin.core.middleware import get_request_id
from tongpin.core.models import AuditEvent
from tongpin.core.scoping import CHANGE, VIEW, Scope, require_reach, scope_of
from tongpin.core.validators import (
    id_birth_date,
    id_gender,
    normalize_id_number,
    validate_id_number,
    validate_phone,
)
from tongpin.orgs.models import Department, Organization, OrgKind

from . import excel
from .models import ETHNIC_GROUPS, Member, Transfer

# the fields a form, an API call or a roster row may set (ID and phone are sealed separately)
MEMBER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "applied_on",
    "joined_on",
    "full_member_on",
    "status",
    "branch",
    "group",
    "department",
    "post",
    "job_level",
    "is_leading_cadre",
)
# checked by the caller (forms and the importer resolve them from the user's scope); checking
# them again in clean_fields would cost a query per field and row
_NOT_CLEANED = (
    "id_number_sealed",
    "id_number_digest",
    "id_number_masked",
    "phone_sealed",
    "phone_masked",
    "branch",
    "group",
    "department",
    "user",
)
ADULT_AGE = 18  # rule DEV-01


# ---- scope ------------------------------------------------------------------------------------


def can_change_member(user, member: Member) -> bool:
    return Member.objects.restrict(user, CHANGE).filter(pk=member.pk).exists()


def has_change_scope(user) -> bool:
    """Whether ``user`` may change anything at all (creates, imports, the import menu entry)."""
    scope = scope_of(user, CHANGE)
    return scope.everything or bool(scope.org_paths)


def member_branches(user):
    """Active branches a new member may be put in by ``user``."""
    return Organization.objects.restrict(user, CHANGE).filter(kind=OrgKind.BRANCH, is_active=True)


def member_groups(user):
    return Organization.objects.restrict(user, CHANGE).filter(kind=OrgKind.GROUP, is_active=True)


def member_departments(user):
    return Department.objects.restrict(user, VIEW)


# ---- validation -------------------------------------------------------------------------------


def _id_message(code: str) -> str:
    return {
        "form": _("An ID number has 17 digits followed by a digit or X."),
        "date": _("The ID number contains a birth date that does not exist."),
        "check_digit": _("The ID number's check digit is wrong; check the number again."),
    }.get(code, _("The ID number is not valid."))


def id_number_taken(id_number: str, exclude_pk=None) -> bool:
    digest = crypto.blind_index(normalize_id_number(id_number))
    return Member.objects.filter(id_number_digest=digest).exclude(pk=exclude_pk).exists()


def _adult_on(birth: datetime.date) -> datetime.date:
    try:
        return birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        return birth.replace(year=birth.year + ADULT_AGE, month=3, day=1)


def member_errors(
    member: Member,
    *,
    id_number: str | None = None,
    phone: str | None = None,
    check_duplicate: bool = True,
    today: datetime.date | None = None,
) -> dict[str, list[str]]:
    """Every problem with ``member`` (fields already set), as field -> messages.

    ``id_number`` None keeps the member's current number. A missing birth date or gender is
    taken from the ID number, so nobody types a fact the ID already holds.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(name, message):
        messages = errors.setdefault(name, [])
        if str(message) not in messages:
            messages.append(str(message))

    if id_number is None and member.id_number_sealed:
        id_number, id_valid = member.id_number, True
    elif not id_number:
        id_valid = False
        add("id_number", _("Enter the ID number."))
    else:
        id_number = normalize_id_number(id_number)
        try:
            validate_id_number(id_number)
            id_valid = True
        except ValidationError as exc:
            id_valid = False
            add("id_number", _id_message(exc.code))
    if id_valid:
        if member.birth_date is None:
            member.birth_date = id_birth_date(id_number)
        if not member.gender:
            member.gender = id_gender(id_number)
        for name, message in member.clean_identity(id_number).items():
            add(name, message)
        if check_duplicate and id_number_taken(id_number, exclude_pk=member.pk):
            add("id_number", _("This ID number is already on the roster."))

    if phone:
        try:
            validate_phone(phone)
        except ValidationError:
            add("phone", _("Enter an 11-digit mobile number or a landline such as 010-12345678."))
    if not member.ethnicity:
        member.ethnicity = ETHNIC_GROUPS[0]
    elif member.ethnicity not in ETHNIC_GROUPS:
        add("ethnicity", _("Unknown ethnic group; use a name from the national standard."))
    if member.branch_id is None:
        add("branch", _("Choose the member's branch."))

    required = {
        "name": _("Enter the name."),
        "gender": _("Choose the gender."),
        "birth_date": _("Enter the birth date."),
        "joined_on": _("Enter the admission date."),
        "status": _("Choose whether the member is a full or probationary member."),
    }
    for name, message in required.items():
        if getattr(member, name) in (None, ""):
            add(name, message)
    for name in ("birth_date", "applied_on", "joined_on", "full_member_on"):
        value = getattr(member, name)
        if isinstance(value, datetime.date) and value > today:
            add(name, _("The date cannot be in the future."))
    exclude = (*_NOT_CLEANED, *errors)  # one message per field is enough
    for method, kwargs in ((member.clean_fields, {"exclude": exclude}), (member.clean, {})):
        try:
            method(**kwargs)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    add(name, message)

    if isinstance(member.birth_date, datetime.date):
        adult = _adult_on(member.birth_date)
        first = "applied_on" if member.applied_on else "joined_on"
        first_date = getattr(member, first)
        if isinstance(first_date, datetime.date) and first_date < adult:
            # rule DEV-01: an applicant is at least 18
            add(first, _("The member was under 18 on this date (rule DEV-01)."))
    return errors


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _save_new(member: Member) -> None:
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # another request saved the same ID number in between
        raise ValidationError(
            {"id_number": _("This ID number is already on the roster.")}
        ) from None


# ---- create, update ---------------------------------------------------------------------------


def _member_fields(fields: dict) -> dict:
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    return fields


@transaction.atomic
def create_member(*, user, id_number: str, phone: str = "", **fields) -> Member:
    member = Member(**_member_fields(fields))
    if member.branch_id is None:
        raise ValidationError({"branch": _("Choose the member's branch.")})
    require_reach(user, member.branch, CHANGE)
    _raise_if(member_errors(member, id_number=id_number, phone=phone))
    member.id_number = id_number
    member.phone = phone or ""
    _save_new(member)
    return member


@transaction.atomic
def update_member(
    member: Member, *, user, id_number: str | None = None, phone: str | None = None, **fields
) -> Member:
    """Change a member's fields. ``id_number``/``phone`` None keep the sealed values."""
    if not can_change_member(user, member):
        raise PermissionDenied
    fields = _member_fields(fields)
    branch = fields.get("branch")
    if branch is not None and branch.pk != member.branch_id:
        # a move between branches is a transfer, with its own record
        raise ValidationError(
            {"branch": _("To move a member to another branch, record a transfer.")}
        )
    for name, value in fields.items():
        setattr(member, name, value)
    id_number = id_number or None
    _raise_if(member_errors(member, id_number=id_number, phone=phone))
    if id_number is not None:
        member.id_number = id_number
    if phone is not None:
        member.phone = phone
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError(
            {"id_number": _("This ID number is already on the roster.")}
        ) from None
    return member


# ---- personal data ----------------------------------------------------------------------------


def reveal_identity(member: Member, *, user) -> dict:
    """The full ID and phone numbers, for users who may change the member; every try audited."""
    allowed = can_change_member(user, member)
    record_event(
        AuditEvent.Kind.REVEAL,
        user=user,
        obj=member,
        success=allowed,
        summary=f"{member.name} {member.id_number_masked}",
        detail={"fields": ["id_number", "phone"]},
    )
    if not allowed:
        raise PermissionDenied
    return {"id_number": member.id_number, "phone": member.phone}


# ---- transfer ---------------------------------------------------------------------------------


def transfer_targets():
    """Any active branch may receive a member (the receiving branch then sees the record)."""
    return Organization.objects.filter(kind=OrgKind.BRANCH, is_active=True)


@transaction.atomic
def transfer_member(
    member: Member, to_branch: Organization, date: datetime.date, reason: str, user
) -> Transfer:
    """组织关系转接: move ``member`` to ``to_branch``; the group is cleared, the move recorded."""
    if not can_change_member(user, member):
        raise PermissionDenied
    member = Member.objects.select_for_update().select_related("branch").get(pk=member.pk)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if to_branch is None:
        errors["to_branch"] = [_("Choose the receiving branch.")]
    elif to_branch.kind != OrgKind.BRANCH or not to_branch.is_active:
        errors["to_branch"] = [_("Members are transferred to an active branch.")]
    elif to_branch.pk == member.branch_id:
        errors["to_branch"] = [_("The member already belongs to this branch.")]
    if date is None:
        errors["transferred_on"] = [_("Enter the transfer date.")]
    elif date > timezone.localdate():
        errors["transferred_on"] = [_("The date cannot be in the future.")]
    else:
        last = (
            member.transfers.order_by("-transferred_on")
            .values_list("transferred_on", flat=True)
            .first()
        )
        if last and date < last:
            errors["transferred_on"] = [
                _("The member's last transfer was on %(date)s; a new one cannot be earlier.")
                % {"date": last.isoformat()}
            ]
    if not reason:
        errors["reason"] = [_("Give the reason for the transfer.")]
    elif len(reason) > 200:
        errors["reason"] = [_("At most 200 characters.")]
    _raise_if(errors)

    from_branch = member.branch
    member.branch = to_branch
    member.group = None
    member._change_reason = _("Transferred from %(from)s to %(to)s: %(reason)s") % {
        "from": from_branch,
        "to": to_branch,
        "reason": reason,
    }
    member.save()
    transfer = Transfer.objects.create(
        member=member,
        from_branch=from_branch,
        to_branch=to_branch,
        transferred_on=date,
        reason=reason,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    record_event(
        AuditEvent.Kind.TRANSFER,
        user=user,
        obj=member,
        summary=f"{member.name}: {from_branch} → {to_branch}",
        detail={
            "transfer_id": transfer.pk,
            "from_branch": from_branch.pk,
            "to_branch": to_branch.pk,
            "date": date.isoformat(),
            "reason": reason,
        },
    )
    return transfer


# ---- roster import ----------------------------------------------------------------------------


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list = field(default_factory=list)  # excel.CellError

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("%(n)d problems found; nothing was imported.") % {"n": len(self.errors)}
        values = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _(
                    "Check passed: %(created)d members would be added, %(updated)d updated and "
                    "%(unchanged)d left as they are. Nothing was saved."
                )
                % values
            )
        return (
            _("Imported: %(created)d members added, %(updated)d updated, %(unchanged)d unchanged.")
            % values
        )


def roster_options(user):
    """What a roster of ``user`` may name: branches, groups (with their branch), departments.

    ``user`` None is the command line acting as the system, with the whole tree.
    """
    if user is None:
        branches = Organization.objects.filter(kind=OrgKind.BRANCH, is_active=True)
        groups = Organization.objects.filter(kind=OrgKind.GROUP, is_active=True)
        departments = Department.objects.all()
    else:
        branches, groups, departments = (
            member_branches(user),
            member_groups(user),
            member_departments(user),
        )
    branch_names = dict(
        Organization.objects.filter(kind=OrgKind.BRANCH).values_list("path", "name")
    )
    groups = list(groups)
    for group in groups:
        group.branch_name = branch_names.get(group.path[: -Organization.steplen], "")
    return list(branches), groups, list(departments)


def roster_template(user):
    branches, groups, departments = roster_options(user)
    return excel.build_template(branches=branches, groups=groups, departments=departments)


class _Lookups:
    """Names in a roster resolved once per import, against what the importer may use."""

    def __init__(self, user):
        self.scope = Scope(everything=True) if user is None else scope_of(user, CHANGE)
        self.branches: dict[str, list[Organization]] = {}
        for org in Organization.objects.filter(kind=OrgKind.BRANCH):
            self.branches.setdefault(org.name, []).append(org)
        self.groups: dict[tuple[str, str], Organization] = {}
        for org in Organization.objects.filter(kind=OrgKind.GROUP, is_active=True):
            self.groups[(org.path[: -Organization.steplen], org.name)] = org
        self.departments = {d.name: d for d in Department.objects.all()}
        allowed = Department.objects.all() if user is None else member_departments(user)
        self.allowed_departments = set(allowed.values_list("pk", flat=True))

    def branch(self, name: str) -> Organization:
        found = self.branches.get(name, [])
        active = [b for b in found if b.is_active]
        if not found:
            raise excel.CellValueError(
                _("No branch is called 「%(name)s」; use a name from the sheet of options.")
                % {"name": name}
            )
        if not active:
            raise excel.CellValueError(_("This branch has been dissolved."))
        reachable = [b for b in active if self.scope.covers_path(b.path)]
        if not reachable:
            raise excel.CellValueError(_("This branch is outside the part you manage."))
        if len(reachable) > 1:
            raise excel.CellValueError(
                _("Several branches have this name; ask the agency committee.")
            )
        return reachable[0]

    def group(self, branch: Organization, name: str) -> Organization:
        group = self.groups.get((branch.path, name))
        if group is None:
            raise excel.CellValueError(
                _("「%(branch)s」 has no party group 「%(name)s」.")
                % {"branch": branch.name, "name": name}
            )
        return group

    def department(self, name: str) -> Department:
        department = self.departments.get(name)
        if department is None:
            raise excel.CellValueError(
                _("No department is called 「%(name)s」; use a name from the sheet of options.")
                % {"name": name}
            )
        if department.pk not in self.allowed_departments:
            raise excel.CellValueError(_("This department is not among the ones you may use."))
        return department


# model fields as their roster columns, for messages from member_errors
_FIELD_COLUMNS = {column.key: column for column in excel.COLUMNS}
_COMPARED = [name for name in MEMBER_FIELDS if name not in ("branch", "group", "department")] + [
    "branch_id",
    "group_id",
    "department_id",
]


def _existing_members(digests, user) -> tuple[dict, set]:
    """Members already on the roster by digest, and the pks of those ``user`` may change."""
    found, changeable = {}, set()
    digests = list(digests)
    for start in range(0, len(digests), 500):
        chunk = digests[start : start + 500]
        for member in Member.objects.filter(id_number_digest__in=chunk):
            found[member.id_number_digest] = member
        allowed = Member.objects.filter(id_number_digest__in=chunk)
        if user is not None:
            allowed = allowed.restrict(user, CHANGE)
        changeable.update(allowed.values_list("pk", flat=True))
    return found, changeable


def _parse_row(row: excel.RosterRow, columns, lookups: _Lookups, report: ImportReport) -> dict:
    """Cell values as Python values; each bad cell reported once."""
    parsed = {}
    bad = set()

    def fail(column, message):
        bad.add(column.key)
        report.errors.append(excel.CellError(row.number, column.header, str(message)))

    for column in columns:
        raw = row.values.get(column.key)
        if raw is None and column.required:
            fail(column, _("Required; the cell is empty."))
            continue
        try:
            if column.kind == "date":
                value = excel.parse_date(raw)
            elif column.kind == "choice":
                value = excel.parse_choice(raw, column)
            elif column.kind == "bool":
                value = excel.parse_bool(raw)
            elif column.kind == "id":
                value = excel.parse_id_number(raw)
            elif column.kind in ("text", "ethnicity", "phone"):
                value = excel.parse_text(raw, column.max_length)
            elif column.kind == "branch":
                value = lookups.branch(excel.parse_text(raw))
            elif column.kind == "department":
                value = lookups.department(excel.parse_text(raw)) if raw is not None else None
            else:  # group: resolved below, once the branch is known
                value = excel.parse_text(raw)
        except excel.CellValueError as exc:
            fail(column, exc)
            continue
        parsed[column.key] = value
    group_column = _FIELD_COLUMNS["group"]
    if "group" in parsed:
        name = parsed.pop("group")
        if not name:
            parsed["group"] = None
        elif "branch" in parsed:
            try:
                parsed["group"] = lookups.group(parsed["branch"], name)
            except excel.CellValueError as exc:
                fail(group_column, exc)
    parsed["_bad"] = bad
    return parsed


def check_roster(sheet: excel.RosterSheet, user, report: ImportReport):
    """Validate every row; return (new members, (member, changed fields) to update)."""
    lookups = _Lookups(user)
    columns = sheet.columns
    present = {column.key for column in columns}
    parsed_rows = [(row, _parse_row(row, columns, lookups, report)) for row in sheet.rows]

    digests: dict[str, int] = {}  # digest -> first row with it
    row_digest = {}
    for row, parsed in parsed_rows:
        id_number = parsed.get("id_number")
        if not id_number or "id_number" in parsed["_bad"]:
            continue
        try:
            validate_id_number(id_number)
        except ValidationError:
            continue  # reported with the row's other checks
        digest = crypto.blind_index(id_number)
        row_digest[row.number] = digest
        if digest in digests:
            parsed["_bad"].add("id_number")
            report.errors.append(
                excel.CellError(
                    row.number,
                    _FIELD_COLUMNS["id_number"].header,
                    _("The same ID number as row %(row)d.") % {"row": digests[digest]},
                )
            )
        else:
            digests[digest] = row.number
    existing, changeable = _existing_members(digests, user)

    to_create, to_update = [], []
    today = timezone.localdate()
    for row, parsed in parsed_rows:
        bad = parsed.pop("_bad")
        current = existing.get(row_digest.get(row.number))
        if current is not None and "id_number" not in bad:
            if current.pk not in changeable:
                report.errors.append(
                    excel.CellError(
                        row.number,
                        _FIELD_COLUMNS["id_number"].header,
                        _("This ID number belongs to a member outside the part you manage."),
                    )
                )
                continue
            branch = parsed.get("branch")
            if branch is not None and branch.pk != current.branch_id:
                report.errors.append(
                    excel.CellError(
                        row.number,
                        _FIELD_COLUMNS["branch"].header,
                        _(
                            "This member belongs to 「%(branch)s」; record a transfer to move "
                            "them to another branch."
                        )
                        % {"branch": current.branch},
                    )
                )
                continue
            member = current
            before = {name: getattr(member, name) for name in _COMPARED}
        else:
            member, before = Member(), None
        for key, value in parsed.items():
            if key in MEMBER_FIELDS and key in present:
                setattr(member, key, value)
        id_number = parsed.get("id_number") if "id_number" not in bad else None
        errors = member_errors(
            member,
            id_number=id_number if id_number else "",
            phone=parsed.get("phone") or "",
            check_duplicate=False,
            today=today,
        )
        for name, messages in errors.items():
            column = _FIELD_COLUMNS.get(name)
            if column is None or column.key in bad:
                continue  # the cell's own problem is already reported
            if name in ("birth_date", "gender") and name not in present:
                column = _FIELD_COLUMNS["id_number"]
            bad.add(column.key)
            report.errors.append(excel.CellError(row.number, column.header, messages[0]))
        if bad:
            continue
        if before is None:
            member.id_number = id_number
            member.phone = parsed.get("phone", "")
            to_create.append(member)
            continue
        changed = [name for name in _COMPARED if getattr(member, name) != before[name]]
        if "phone" in present and parsed.get("phone", "") != member.phone:
            member.phone = parsed.get("phone", "")
            changed += ["phone_sealed", "phone_masked"]
        if changed:
            to_update.append((member, changed))
        else:
            report.unchanged += 1
    report.errors.sort(key=lambda e: (e.row, _column_order(e.column)))
    return to_create, to_update


def _column_order(header: str) -> int:
    for index, column in enumerate(excel.COLUMNS):
        if column.header == header:
            return index
    return len(excel.COLUMNS)


def import_roster(
    sheet_or_file, *, user, filename: str = "", dry_run: bool = False
) -> ImportReport:
    """All or nothing: every row is checked first; one bad row and nothing is saved.

    ``sheet_or_file``: a parsed :class:`excel.RosterSheet` or an uploaded file. ``user`` None is
    the command line acting as the system (the whole tree).
    """
    if user is not None and not has_change_scope(user):
        raise PermissionDenied
    report = ImportReport(dry_run=dry_run)
    try:
        if isinstance(sheet_or_file, excel.RosterSheet):
            sheet = sheet_or_file
        else:
            filename = filename or getattr(sheet_or_file, "name", "")
            sheet = excel.read_roster(sheet_or_file, filename, getattr(sheet_or_file, "size", None))
    except excel.RosterFileError as exc:
        report.errors.append(excel.CellError(0, "", str(exc)))
        audit_import(report, user, filename)
        return report
    report.rows = len(sheet.rows)
    to_create, to_update = check_roster(sheet, user, report)
    if report.errors or dry_run:
        if not report.errors:
            report.created, report.updated = len(to_create), len(to_update)
        audit_import(report, user, filename)
        return report
    actor = user if user is not None and user.is_authenticated else None
    reason = _("Roster import")
    history = {"request_id": get_request_id()}
    with transaction.atomic():
        if to_create:
            try:
                with transaction.atomic():
                    bulk_create_with_history(
                        to_create,
                        Member,
                        batch_size=500,
                        default_user=actor,
                        default_change_reason=reason,
                        custom_historical_attrs=history,
                    )
            except IntegrityError:
                # someone added one of these ID numbers while the file was being checked
                report.errors.append(
                    excel.CellError(
                        0, "", _("An ID number in the file was added meanwhile; try again.")
                    )
                )
                audit_import(report, user, filename)
                return report
        if to_update:
            now = timezone.now()
            fields = sorted({name for _member, changed in to_update for name in changed})
            fields = [name.removesuffix("_id") if name.endswith("_id") else name for name in fields]
            members = []
            for member, _changed in to_update:
                member.updated_at = now
                members.append(member)
            bulk_update_with_history(
                members,
                Member,
                [*fields, "updated_at"],
                batch_size=500,
                default_user=actor,
                default_change_reason=reason,
                custom_historical_attrs=history,
            )
        report.created, report.updated = len(to_create), len(to_update)
        audit_import(report, user, filename)
    return report


def audit_import(report: ImportReport, user, filename: str) -> None:
    record_event(
        AuditEvent.Kind.IMPORT,
        user=user,
        success=report.ok,
        username="" if user is not None else "system",
        summary=f"{filename}: {report.summary()}"[:500],
        detail={
            "file": filename,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": len(report.errors),
            "dry_run": report.dry_run,
        },
    )


def transfers_for(user):
    return Transfer.objects.restrict(user, VIEW).select_related(
        "member", "from_branch", "to_branch", "recorded_by"
    )
