"""The health check: the seeded findings of the demo agency, the page, and ``check-org``."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from tongpin.members.models import CommitteePost, Member, MemberStatus
from tongpin.orgs.models import Department, Organization
from tongpin.orgs.services import findings_for, run_health_checks

pytestmark = pytest.mark.django_db

# the demo agency's seeded findings (demo/services.py), by rule, severity and where
SEEDED = {
    ("ORG-01", "error", "数据中心"),
    ("ORG-01", "error", "价格监测中心党支部"),
    ("ORG-05", "error", "农村经济处党支部"),
    ("ORG-05", "warning", "价格处党支部"),
    ("ORG-07", "warning", "社会发展处党支部"),
}


def where(finding) -> str:
    if finding.organization_id:
        return Organization.objects.get(pk=finding.organization_id).name
    return Department.objects.get(pk=finding.department_id).name


def test_demo_agency_has_exactly_the_seeded_findings():
    findings = run_health_checks(Organization.objects.all(), timezone.localdate())
    assert {(f.rule, f.severity, where(f)) for f in findings} == SEEDED
    assert len(findings) == len(SEEDED)
    messages = {where(f): f.message for f in findings}
    data_centre = Department.objects.get(name="数据中心")
    staffed = Member.objects.filter(department=data_centre).count()
    assert messages["数据中心"] == f"处室“数据中心”有党员 {staffed} 名，但没有党支部覆盖。"
    assert messages["价格监测中心党支部"] == (
        "价格监测中心党支部 仅有正式党员 2 名，成立党支部须有正式党员 3 名以上。"
    )
    assert messages["农村经济处党支部"].startswith("农村经济处党支部：任期已于 ")
    assert messages["农村经济处党支部"].endswith("届满，尚未按期换届。")
    assert "请及早做好换届准备" in messages["价格处党支部"]
    secretary = CommitteePost.objects.get(
        organization__name="社会发展处党支部", post="secretary"
    ).member
    assert messages["社会发展处党支部"] == (
        f"社会发展处党支部：书记{secretary.name}党龄 0 年，不满 1 年。"
    )


def test_price_monitoring_branch_really_has_two_full_members():
    branch = Organization.objects.get(name="价格监测中心党支部")
    assert Member.objects.filter(branch=branch, status=MemberStatus.FULL).count() == 2


def test_health_page_groups_findings_by_rule(
    client_as, django_assert_max_num_queries, frame_queries
):
    client = client_as("dangwei")
    frame = frame_queries(client)
    # the registered checks run a fixed number of queries, whatever the tree's size
    with django_assert_max_num_queries(frame + 14):
        response = client.get("/orgs/health/")
    assert response.status_code == 200
    html = response.content.decode()
    for rule in ("ORG-01", "ORG-05", "ORG-07"):
        assert f'data-testid="rule-{rule}"' in html
    assert html.count('data-testid="finding"') == len(SEEDED)
    assert "党的组织和工作全覆盖" in html and "任期和按期换届" in html
    assert "3 个问题" in html and "2 项提醒" in html
    rural = Organization.objects.get(name="农村经济处党支部")
    assert f'href="/orgs/{rural.pk}/"' in html
    data_centre = Department.objects.get(name="数据中心")
    assert f'href="/orgs/departments/#dept-{data_centre.pk}"' in html


def test_secretary_sees_only_findings_of_their_subtree(client_as, demo_user):
    office = Organization.objects.get(name="办公室党支部")
    # give 办公室党支部 a finding of its own: its term has run out
    term = office.terms.get()
    term.ends_on = timezone.localdate() - datetime.timedelta(days=10)
    term.save()
    html = client_as("shuji").get("/orgs/health/").content.decode()
    assert html.count('data-testid="finding"') == 1
    assert "办公室党支部：任期已于" in html
    for name in ("数据中心", "价格监测中心党支部", "农村经济处党支部", "社会发展处党支部"):
        assert name not in html
    assert findings_for(demo_user("shuji2"), timezone.localdate()) == []
    zongzhi = findings_for(demo_user("zongzhi"), timezone.localdate())
    assert [f.organization_id for f in zongzhi] == [office.pk]


def test_health_page_limits_to_a_subtree(client_as):
    general = Organization.objects.get(name="第一党总支")
    html = client_as("dangwei").get("/orgs/health/", {"org": general.pk}).content.decode()
    assert "未发现问题" in html
    garbage = client_as("dangwei").get("/orgs/health/", {"org": "abc"})
    assert garbage.status_code == 200


# ---- check-org --------------------------------------------------------------------------------


def run_check(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("check_org", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_check_org_prints_one_tab_separated_line_per_finding():
    code, out, err = run_check()
    assert code == 1  # there are error findings
    lines = out.splitlines()
    assert len(lines) == len(SEEDED)
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == 3 for row in rows)
    assert [(r[0], r[1]) for r in rows] == [
        ("ORG-01", "error"),
        ("ORG-01", "error"),
        ("ORG-05", "error"),
        ("ORG-05", "warning"),
        ("ORG-07", "warning"),
    ]
    assert any("数据中心" in r[2] for r in rows)
    assert "5 findings, 3 errors" in err


def test_check_org_json_and_subtree():
    code, out, _err = run_check("--json")
    assert code == 1
    data = json.loads(out)
    assert {d["rule"] for d in data} == {"ORG-01", "ORG-05", "ORG-07"}
    assert set(data[0]) == {
        "rule",
        "severity",
        "message",
        "organization_id",
        "department_id",
        "member_id",
    }
    price = Organization.objects.get(name="价格处党支部")
    code, out, _err = run_check("--org", str(price.pk))
    assert code == 0  # only a warning there
    assert out.splitlines() == [out.splitlines()[0]]
    assert out.startswith("ORG-05\twarning\t价格处党支部：任期将于")
    clean = Organization.objects.get(name="第一党总支")
    code, out, _err = run_check("--org", str(clean.pk))
    assert (code, out) == (0, "")


def test_check_org_rejects_bad_arguments():
    from django.core.management import CommandError

    with pytest.raises(CommandError) as error:
        call_command("check_org", "--org", "999999")
    assert error.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("check_org", "--date", "2026-13-01")


def test_check_org_as_of_a_date():
    # a day well before the rural branch's term ended: no overdue election yet
    rural = Organization.objects.get(name="农村经济处党支部")
    day = rural.terms.get().ends_on - datetime.timedelta(days=200)
    code, out, _err = run_check("--org", str(rural.pk), "--date", day.isoformat())
    assert (code, out) == (0, "")


def test_a_new_empty_general_branch_is_flagged(demo_user):
    from tongpin.orgs.services import add_child

    root = Organization.objects.get(depth=1)
    general = add_child(root, user=demo_user("dangwei"), name="第四党总支", kind="general_branch")
    findings = run_health_checks(Organization.objects.filter(pk=general.pk), timezone.localdate())
    assert {(f.rule, f.severity) for f in findings} == {
        ("ORG-03", "warning"),  # 0 members: a general branch usually has 50 to 100
        ("ORG-05", "warning"),  # no term recorded
        ("ORG-06", "error"),  # no discipline member
    }
    size = next(f for f in findings if f.rule == "ORG-03")
    assert "有党员 0 名" in size.message
    # the existing general branches are within 50–100 members: no ORG-03 there
    first = Organization.objects.get(name="第一党总支")
    assert not [
        f
        for f in run_health_checks(Organization.objects.filter(pk=first.pk), timezone.localdate())
        if f.rule == "ORG-03"
    ]
