import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tongpin.core.models import AuditEvent
from tongpin.members import excel, services
from tongpin.members.models import Member, MemberStatus
from tongpin.orgs.models import Organization, OrgKind

from .helpers import HEADERS, new_id_number, roster_file, roster_row

IMPORT = reverse("members:import")


def run(rows, username="shuji", demo_user=None, headers=None, dry_run=False):
    user = demo_user(username) if username else None
    return services.import_roster(
        roster_file(rows, headers), user=user, filename="roster.xlsx", dry_run=dry_run
    )


def messages(report):
    return [str(error) for error in report.errors]


@pytest.mark.django_db
def test_good_file_imports_every_row(demo_user, office):
    group = Organization.objects.filter(kind=OrgKind.GROUP, path__startswith=office.path).first()
    rows = [
        roster_row(姓名="张一"),
        roster_row(姓名="李二", 所在党小组=group.name, 入党日期="2012/7/1", 转正日期="2013.07.01"),
        roster_row(
            姓名="王三",
            性别=None,
            出生日期=None,
            申请入党日期="2022年3月1日",
            入党日期="2023-06-30",
            转正日期=None,
            党员状态="预备党员",
            是否领导干部="是",
            学历="硕士",
        ),
    ]
    count = Member.objects.count()
    report = run(rows, demo_user=demo_user)
    assert report.ok, messages(report)
    assert (report.created, report.updated, report.rows) == (3, 0, 3)
    assert Member.objects.count() == count + 3
    li = Member.objects.get(name="李二")
    assert li.group == group
    assert li.joined_on == datetime.date(2012, 7, 1)
    assert li.full_member_on == datetime.date(2013, 7, 1)
    assert li.id_number == rows[1]["身份证号"]
    assert li.phone == "13800138000"
    wang = Member.objects.get(name="王三")
    assert wang.status == MemberStatus.PROBATIONARY
    assert wang.birth_date == datetime.date(1990, 5, 17)  # from the ID number
    assert wang.gender == "male"
    assert wang.is_leading_cadre and wang.education == "master"
    assert wang.applied_on == datetime.date(2022, 3, 1)
    assert wang.history.get().history_type == "+"
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT).first()
    assert event.success and event.detail["created"] == 3


@pytest.mark.django_db
def test_existing_member_is_updated_by_id_number(demo_user, office_member):
    row = roster_row(
        姓名=office_member.name,
        身份证号=office_member.id_number,
        出生日期=office_member.birth_date,
        性别=office_member.get_gender_display(),
        入党日期=office_member.joined_on,
        申请入党日期=office_member.applied_on,
        转正日期=office_member.full_member_on,
        党员状态=office_member.get_status_display(),
        职务="新职务",
        所在处室=None,
        所在党小组=office_member.group.name if office_member.group else None,
    )
    count = Member.objects.count()
    report = run([row], demo_user=demo_user)
    assert report.ok, messages(report)
    assert (report.created, report.updated) == (0, 1)
    assert Member.objects.count() == count
    office_member.refresh_from_db()
    assert office_member.post == "新职务"
    assert office_member.department is None
    assert office_member.history.first().history_change_reason == "名册导入"
    # the same file again changes nothing
    report = run([row], demo_user=demo_user)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def bad_id(good: str) -> str:
    return good[:17] + ("0" if good[17] != "0" else "1")


# each kind of problem, in the third row of a file whose other rows are good
BAD_ROWS = [
    ("missing name", {"姓名": None}, "姓名", "必填"),
    ("bad check digit", {"身份证号": bad_id(new_id_number())}, "身份证号", "校验位"),
    ("malformed ID", {"身份证号": "11010119900101"}, "身份证号", "X"),
    ("ID as a number", {"身份证号": 110101199001011234}, "身份证号", "文本格式"),
    ("ID and birth date differ", {"出生日期": datetime.date(1991, 5, 17)}, "出生日期", "不一致"),
    ("ID and gender differ", {"性别": "女"}, "性别", "不一致"),
    ("unknown branch", {"所在党支部": "不存在党支部"}, "所在党支部", "没有名为"),
    ("branch out of scope", {"所在党支部": "经济运行调节处党支部"}, "所在党支部", "管理范围"),
    ("group not in branch", {"所在党小组": "政策法规处第一党小组"}, "所在党小组", "下没有"),
    ("unknown department", {"所在处室": "不存在处"}, "所在处室", "没有名为"),
    ("bad date", {"入党日期": "去年七月"}, "入党日期", "不是有效的日期"),
    ("impossible date", {"入党日期": "2021-02-29"}, "入党日期", "不是实际存在的日期"),
    ("future date", {"申请入党日期": "2099-01-01"}, "申请入党日期", "不能晚于今天"),
    ("dates out of order", {"转正日期": datetime.date(2011, 1, 1)}, "转正日期", "应晚于入党日期"),
    ("full member without date", {"转正日期": None}, "转正日期", "须填写转正日期"),
    ("unknown status", {"党员状态": "积极分子"}, "党员状态", "无法识别"),
    ("unknown gender", {"性别": "未知"}, "性别", "无法识别"),
    ("unknown education", {"学历": "幼儿园"}, "学历", "无法识别"),
    ("unknown yes/no", {"是否领导干部": "也许"}, "是否领导干部", "无法识别"),
    ("unknown ethnicity", {"民族": "火星族"}, "民族", "民族"),
    ("bad phone", {"联系电话": "12345"}, "联系电话", "手机号"),
    ("name too long", {"姓名": "名" * 51}, "姓名", "最多 50 个字"),
    ("under 18", {"申请入党日期": datetime.date(2005, 1, 1)}, "申请入党日期", "未满18周岁"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("label,cells,column,reason", BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_one_bad_row_saves_nothing(demo_user, label, cells, column, reason):
    rows = [roster_row(姓名="好人甲"), roster_row(**cells), roster_row(姓名="好人乙")]
    count = Member.objects.count()
    report = run(rows, demo_user=demo_user)
    assert Member.objects.count() == count
    assert not report.ok
    assert len(report.errors) == 1, messages(report)
    error = report.errors[0]
    assert (error.row, error.column) == (3, column)
    assert reason in error.message
    assert str(error).startswith(f"第3行「{column}」：")


@pytest.mark.django_db
def test_duplicate_id_within_the_file(demo_user):
    first = roster_row(姓名="甲")
    second = roster_row(姓名="乙", 身份证号=first["身份证号"])
    report = run([first, second], demo_user=demo_user)
    assert messages(report) == ["第3行「身份证号」：与第2行的身份证号重复。"]


@pytest.mark.django_db
def test_duplicate_id_of_a_member_out_of_scope(demo_user, economy_member):
    row = roster_row(身份证号=economy_member.id_number)
    count = Member.objects.count()
    report = run([row], demo_user=demo_user)
    assert Member.objects.count() == count
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号")]
    assert economy_member.name not in messages(report)[0]


@pytest.mark.django_db
def test_existing_member_cannot_change_branch_by_import(demo_user, office_member):
    row = roster_row(
        身份证号=office_member.id_number,
        出生日期=office_member.birth_date,
        性别=office_member.get_gender_display(),
        所在党支部="政策法规处党支部",
    )
    report = run([row], username="dangwei", demo_user=demo_user)
    assert [(e.row, e.column) for e in report.errors] == [(2, "所在党支部")]
    assert "组织关系转接" in report.errors[0].message


@pytest.mark.django_db
def test_every_error_is_reported(demo_user):
    rows = [
        roster_row(姓名=None, 所在处室="不存在处"),
        roster_row(),
        roster_row(入党日期="2020-13-01", 党员状态="x"),
    ]
    report = run(rows, demo_user=demo_user)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "姓名"),
        (2, "所在处室"),
        (4, "入党日期"),
        (4, "党员状态"),
    ]


@pytest.mark.django_db
def test_blank_rows_are_skipped_and_numbering_kept(demo_user):
    rows = [roster_row(), {}, roster_row(姓名=None)]
    report = run(rows, demo_user=demo_user)
    assert [(e.row, e.column) for e in report.errors] == [(4, "姓名")]


@pytest.mark.django_db
def test_dry_run_saves_nothing(demo_user):
    count = Member.objects.count()
    report = run([roster_row(), roster_row()], demo_user=demo_user, dry_run=True)
    assert report.ok and report.created == 2
    assert "检查通过" in report.summary()
    assert Member.objects.count() == count


@pytest.mark.django_db
def test_system_import_reaches_every_branch(demo_user):
    report = run(
        [roster_row(所在党支部="经济运行调节处党支部", 所在处室=None)],
        username=None,
        demo_user=demo_user,
    )
    assert report.ok, messages(report)
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT).first()
    assert event.username == "system"


@pytest.mark.django_db
def test_importer_needs_change_scope(demo_user):
    with pytest.raises(PermissionDenied):
        run([roster_row()], username="lingdao", demo_user=demo_user)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2020-01-02", datetime.date(2020, 1, 2)),
        ("2020/1/2", datetime.date(2020, 1, 2)),
        ("2020.01.02", datetime.date(2020, 1, 2)),
        ("2020年1月2日", datetime.date(2020, 1, 2)),
        ("20200102", datetime.date(2020, 1, 2)),
        (20200102, datetime.date(2020, 1, 2)),
        (datetime.datetime(2020, 1, 2, 0, 0), datetime.date(2020, 1, 2)),
    ],
)
def test_date_formats(text, expected):
    assert excel.parse_date(text) == expected


@pytest.mark.parametrize("text", ["2020-02-30", "2020-1", "二〇二〇年", 43831, "2020-01-02x"])
def test_bad_dates(text):
    with pytest.raises(excel.CellValueError):
        excel.parse_date(text)


# ---- files ------------------------------------------------------------------------------


def file_error(demo_user, handle, name="roster.xlsx"):
    handle.name = name
    report = services.import_roster(handle, user=demo_user("shuji"), filename=name)
    assert not report.ok
    return messages(report)[0]


@pytest.mark.django_db
def test_non_xlsx_refused(demo_user):
    assert ".xlsx" in file_error(demo_user, io.BytesIO(b"a,b\n1,2\n"), name="roster.csv")


@pytest.mark.django_db
def test_corrupt_file_gives_a_message(demo_user):
    assert "损坏" in file_error(demo_user, io.BytesIO(b"PK\x03\x04" + b"\x00" * 200))
    assert "有效" in file_error(demo_user, io.BytesIO(b"not a zip file at all"))
    # a real zip that is not a workbook
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    buffer.seek(0)
    assert "损坏" in file_error(demo_user, buffer)


@pytest.mark.django_db
def test_oversized_file_refused(demo_user, settings):
    settings.TONGPIN = {**settings.TONGPIN, "IMPORT_MAX_BYTES": 100}
    message = file_error(demo_user, roster_file([roster_row()]))
    assert "上限" in message


@pytest.mark.django_db
def test_too_many_rows_refused(demo_user, settings):
    settings.TONGPIN = {**settings.TONGPIN, "IMPORT_MAX_ROWS": 2}
    message = file_error(demo_user, roster_file([roster_row(), roster_row(), roster_row()]))
    assert "超过 2 人" in message


@pytest.mark.django_db
def test_missing_required_column(demo_user):
    headers = [h for h in HEADERS if h != "身份证号"]
    message = file_error(demo_user, roster_file([roster_row()], headers=headers))
    assert "第1行" in message and "「身份证号」" in message


@pytest.mark.django_db
def test_header_only_file(demo_user):
    assert "没有党员数据" in file_error(demo_user, roster_file([]))


@pytest.mark.django_db
def test_failed_import_is_audited(demo_user):
    run([roster_row(姓名=None)], demo_user=demo_user)
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT).first()
    assert event.success is False
    assert event.detail["errors"] == 1


# ---- pages ------------------------------------------------------------------------------


def upload(rows, name="roster.xlsx"):
    return SimpleUploadedFile(name, roster_file(rows).getvalue())


@pytest.mark.django_db
def test_import_page_lists_errors_with_row_and_column(client_as):
    count = Member.objects.count()
    rows = [roster_row(), roster_row(身份证号=bad_id(new_id_number()))]
    response = client_as("shuji").post(IMPORT, {"file": upload(rows)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "第3行" in html and "身份证号" in html and "校验位" in html
    assert "本次未导入任何数据" in html
    assert Member.objects.count() == count


@pytest.mark.django_db
def test_import_page_success(client_as):
    count = Member.objects.count()
    response = client_as("shuji").post(IMPORT, {"file": upload([roster_row(), roster_row()])})
    assert response.status_code == 200
    assert "导入完成：新增 2 名党员" in response.content.decode()
    assert Member.objects.count() == count + 2


@pytest.mark.django_db
def test_import_page_refuses_other_files(client_as):
    response = client_as("shuji").post(IMPORT, {"file": SimpleUploadedFile("roster.csv", b"a,b")})
    assert response.status_code == 200
    assert "请上传 Excel 工作簿" in response.content.decode()
    response = client_as("shuji").post(
        IMPORT, {"file": SimpleUploadedFile("roster.xlsx", b"PK\x03\x04garbage")}
    )
    assert response.status_code == 200
    assert "工作簿已损坏" in response.content.decode()


@pytest.mark.django_db
def test_import_outside_scope_refused_on_the_page(client_as):
    count = Member.objects.count()
    response = client_as("shuji").post(
        IMPORT, {"file": upload([roster_row(所在党支部="经济运行调节处党支部", 所在处室=None)])}
    )
    html = response.content.decode()
    assert "第2行" in html and "所在党支部" in html and "不在您的管理范围内" in html
    assert Member.objects.count() == count


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["lingdao", "dangyuan", "chuzhang", "sysadmin", "auditor"])
def test_import_pages_need_change_scope(client_as, username):
    client = client_as(username)
    assert client.get(IMPORT).status_code == 403
    assert client.get(reverse("members:roster_template")).status_code == 403


@pytest.mark.django_db
def test_template_download(client_as, office, economy):
    response = client_as("shuji").get(reverse("members:roster_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, options = workbook.worksheets
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["E1"].comment is not None  # hints on the headers
    assert sheet.data_validations.dataValidation  # dropdowns
    branches = [c.value for c in options["A"][1:] if c.value]
    assert branches == ["办公室党支部"]
    groups = [c.value for c in options["B"][1:] if c.value]
    assert groups and all(g.startswith("办公室") for g in groups)
    assert "经济运行调节处党支部" not in [c.value for row in options.iter_rows() for c in row]


@pytest.mark.django_db
def test_template_round_trip(client_as, demo_user):
    response = client_as("shuji").get(reverse("members:roster_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    row = roster_row(姓名="模板党员")
    sheet.append([row[h] for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "模板.xlsx"
    report = services.import_roster(buffer, user=demo_user("shuji"), filename="模板.xlsx")
    assert report.ok, messages(report)
    assert Member.objects.filter(name="模板党员").exists()
