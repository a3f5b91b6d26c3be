"""``tongpin ingest PATH [--json]``."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tongpin.work.models import TaskCategory

from .test_ingest import SAMPLES


def run(*args) -> str:
    out = StringIO()
    call_command("ingest", *args, stdout=out)
    return out.getvalue()


def test_json_prints_one_object_with_text_and_items():
    output = run(str(SAMPLES / "directive-traditional-annotated.txt"), "--json")
    assert "机关党建" in output  # not escaped
    payload = json.loads(output)
    assert set(payload) == {"text", "items"}
    assert "(jī)" not in payload["text"] and "機" not in payload["text"]
    assert payload["items"]
    for item in payload["items"]:
        assert set(item) == {"title", "sentence", "category"}
        assert item["category"] in TaskCategory.values


def test_readable_output_lists_the_items():
    output = run(str(SAMPLES / "directive-simplified-webpage.txt"))
    assert "分享到微信" not in output
    assert "自觉带头践行“两个维护”" in output
    assert "[政治建设]" in output


def test_missing_file_is_an_error():
    with pytest.raises(CommandError, match="文件不存在"):
        run("/nonexistent/通知.txt")


def test_command_line_exit_code_and_stderr(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tongpin.cli", "ingest", str(tmp_path / "missing.docx")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "文件不存在" in result.stderr
    assert result.stdout == ""

    path = tmp_path / "notice.txt"
    path.write_text(
        "关于加强学习的通知\n一、加强理论学习。各支部要落实第一议题制度。\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "tongpin.cli", "ingest", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [item["title"] for item in payload["items"]] == ["加强理论学习", "落实第一议题制度"]
