"""``tongpin import-roster``: errors one per line and exit status 1; a summary and 0 on success."""

from unittest import mock

import pytest
from django.db import connections

from tongpin import cli
from tongpin.members.models import Member

from .helpers import roster_file, roster_row


def write(tmp_path, rows, name="roster.xlsx"):
    path = tmp_path / name
    path.write_bytes(roster_file(rows).getvalue())
    return path


def run_cli(*args) -> int:
    # run_from_argv closes every connection when done; keep the test's transaction open
    with mock.patch.object(connections, "close_all"):
        try:
            cli.main(["tongpin", "import-roster", *map(str, args)])
        except SystemExit as exit:
            return exit.code
    return 0


@pytest.mark.django_db
def test_success_exits_0_with_summary(tmp_path, capsys):
    count = Member.objects.count()
    path = write(
        tmp_path, [roster_row(), roster_row(所在党支部="经济运行调节处党支部", 所在处室=None)]
    )
    assert run_cli(path) == 0
    out = capsys.readouterr().out
    assert "导入完成：新增 2 名党员" in out
    assert Member.objects.count() == count + 2


@pytest.mark.django_db
def test_errors_exit_1_one_per_line(tmp_path, capsys):
    count = Member.objects.count()
    path = write(tmp_path, [roster_row(姓名=None), roster_row(), roster_row(党员状态="群众")])
    assert run_cli(path) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("第")]
    assert lines == ["第2行「姓名」：必填项，不能为空。", lines[1]]
    assert lines[1].startswith("第4行「党员状态」：")
    assert "发现 2 处问题" in err
    assert Member.objects.count() == count


@pytest.mark.django_db
def test_user_scope_applies(tmp_path, capsys):
    path = write(tmp_path, [roster_row(所在党支部="经济运行调节处党支部", 所在处室=None)])
    assert run_cli(path, "--user", "shuji") == 1
    assert "第2行「所在党支部」" in capsys.readouterr().err
    assert run_cli(path, "--user", "shuji2") == 0


@pytest.mark.django_db
def test_dry_run_saves_nothing(tmp_path, capsys):
    count = Member.objects.count()
    assert run_cli(write(tmp_path, [roster_row()]), "--dry-run") == 0
    assert "检查通过" in capsys.readouterr().out
    assert Member.objects.count() == count


@pytest.mark.django_db
def test_bad_arguments_exit_1(tmp_path, capsys):
    path = write(tmp_path, [roster_row()])
    assert run_cli(path, "--user", "nobody") == 1
    assert run_cli(path, "--user", "lingdao") == 1
    assert run_cli(tmp_path / "missing.xlsx") == 1
    csv = tmp_path / "roster.csv"
    csv.write_text("a,b")
    assert run_cli(csv) == 1
    assert ".xlsx" in capsys.readouterr().err
