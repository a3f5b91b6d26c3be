"""The tree navigator, the department list and their exports."""

import io

import pytest
from openpyxl import load_workbook

from tongpin.core.excel import XLSX_TYPE
from tongpin.core.models import AuditEvent
from tongpin.members.models import Member, MemberStatus
from tongpin.orgs import roster
from tongpin.orgs.models import Department, Organization, OrgKind

pytestmark = pytest.mark.django_db


def nodes_in(html: str) -> int:
    return html.count('data-testid="tree-node"')


def test_roster_constants_match_the_members_app():
    # orgs reads the roster through the app registry; its status and post names must agree
    assert roster.FULL_STATUS == MemberStatus.FULL
    assert roster.PROBATIONARY_STATUS == MemberStatus.PROBATIONARY
    assert roster.SECRETARY_POST == roster.committee_post_model().Post.SECRETARY


def test_agency_staff_see_the_root_with_its_first_level_open(client_as, root):
    response = client_as("dangwei").get("/orgs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "组织体系" in html
    assert root.name in html
    first_level = Organization.objects.filter(depth=2).count()
    assert nodes_in(html) == 1 + first_level
    # deeper levels wait for HTMX, with a link that works without JavaScript
    assert 'hx-trigger="toggle once from:closest details"' in html
    general = Organization.objects.get(name="第一党总支")
    assert f'href="/orgs/{general.pk}/children/"' in html


def test_node_shows_kind_and_subtree_member_count(client_as, org):
    general = org("第一党总支")
    html = client_as("dangwei").get("/orgs/").content.decode()
    total = Member.objects.filter(branch__path__startswith=general.path).count()
    full = Member.objects.filter(
        branch__path__startswith=general.path, status=MemberStatus.FULL
    ).count()
    start = html.index(f'id="org-{general.pk}"')
    node = html[start : html.index("</summary>", start)]
    assert "党总支" in node
    assert f"{total}<" in node and f"（{full}）" in node


def test_member_sees_just_their_branch(client_as, office):
    html = client_as("dangyuan").get("/orgs/").content.decode()
    assert f'id="org-{office.pk}"' in html
    assert "机关党委</a>" not in html
    assert "第一党总支" not in html
    # the branch and, opened below it, its groups
    assert nodes_in(html) == 1 + Organization.objects.get_children(office).count()


def test_secretary_sees_their_subtree_only(client_as, office, economy):
    html = client_as("shuji").get("/orgs/").content.decode()
    assert f'id="org-{office.pk}"' in html
    assert economy.name not in html


def test_children_load_with_htmx_and_fall_back_without(client_as, org):
    general = org("第一党总支")
    client = client_as("dangwei")
    response = client.get(f"/orgs/{general.pk}/children/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert nodes_in(html) == Organization.objects.get_children(general).count()
    assert "办公室党支部" in html
    fallback = client.get(f"/orgs/{general.pk}/children/")
    assert fallback.status_code == 302
    assert fallback["Location"] == f"/orgs/?expand={general.pk}#org-{general.pk}"
    opened = client.get(fallback["Location"]).content.decode()
    assert "办公室党支部" in opened


def test_children_of_an_organization_out_of_scope_are_404(client_as, office):
    response = client_as("shuji2").get(f"/orgs/{office.pk}/children/", HTTP_HX_REQUEST="true")
    assert response.status_code == 404


def test_search_as_you_type_is_scoped(client_as):
    response = client_as("shuji2").get("/orgs/", {"q": "办公室"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "没有找到匹配的党组织" in html
    found = client_as("dangwei").get("/orgs/", {"q": "办公室"}, HTTP_HX_REQUEST="true")
    assert "办公室党支部" in found.content.decode()


def test_tree_lists_departments_and_marks_the_uncovered(client_as):
    html = client_as("dangwei").get("/orgs/").content.decode()
    assert "数据中心" in html
    assert 'data-testid="uncovered"' in html
    shuji = client_as("shuji").get("/orgs/").content.decode()
    assert "数据中心" not in shuji
    assert "办公室" in shuji


@pytest.mark.parametrize("username", ["dangwei", "shuji"])
def test_tree_query_count_does_not_grow_with_the_tree(
    client_as, django_assert_max_num_queries, frame_queries, username, office, org
):
    general = org("第一党总支")
    client = client_as(username)
    frame = frame_queries(client)
    # the visible paths, the shown nodes with their counts, the departments
    with django_assert_max_num_queries(frame + 3):
        client.get("/orgs/")
    with django_assert_max_num_queries(frame + 4):
        client.get(f"/orgs/?expand={office.pk}")
    with django_assert_max_num_queries(frame + 2):
        client.get(f"/orgs/{general.pk}/children/", HTTP_HX_REQUEST="true")


def test_departments_page(client_as, django_assert_max_num_queries, frame_queries, department):
    client = client_as("dangwei")
    frame = frame_queries(client)
    with django_assert_max_num_queries(frame + 1):
        response = client.get("/orgs/departments/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<tr id="dept-') == Department.objects.count()
    office = department("办公室")
    count = Member.objects.filter(department=office).count()
    row = html[html.index(f'id="dept-{office.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "办公室党支部" in row and f">{count}<" in row
    assert "调整所属党支部" in html
    assert "调整所属党支部" not in client_as("lingdao").get("/orgs/departments/").content.decode()


def test_only_agency_staff_change_a_departments_branch(client_as, department, org):
    data_centre = department("数据中心")
    target = org("国民经济综合处党支部")
    url = f"/orgs/departments/{data_centre.pk}/edit/"
    assert client_as("lingdao").post(url, {"branch": target.pk}).status_code == 403
    assert client_as("zongzhi").get(url).status_code == 404  # not visible to him at all
    office = department("办公室")
    assert client_as("shuji").get(f"/orgs/departments/{office.pk}/edit/").status_code == 403
    response = client_as("dangwei").post(url, {"branch": target.pk})
    assert response.status_code == 302
    data_centre.refresh_from_db()
    assert data_centre.branch == target
    # a group is not offered as a covering branch
    group = Organization.objects.filter(kind=OrgKind.GROUP).first()
    response = client_as("dangwei").post(url, {"branch": group.pk})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.content)).active


def test_tree_export(client_as, office, django_assert_max_num_queries, frame_queries):
    client = client_as("zongzhi")
    frame = frame_queries(client)
    # one query for the rows (counts, secretary, term end annotated), one audit event
    with django_assert_max_num_queries(frame + 3):
        response = client.get("/orgs/export/")
    sheet = _sheet(response)
    header = [c.value for c in sheet[1]]
    assert header == [
        "名称",
        "简称",
        "组织类别",
        "上级党组织",
        "党员数",
        "正式党员数",
        "书记",
        "任期届满日期",
        "成立日期",
    ]
    rows = {row[0].strip("\u3000"): row for row in sheet.iter_rows(min_row=2, values_only=True)}
    general = Organization.objects.get(name="第一党总支")
    assert len(rows) == Organization.objects.filter(path__startswith=general.path).count()
    office_row = rows["办公室党支部"]
    assert office_row[2] == "党支部"
    assert office_row[3] == "第一党总支"
    assert office_row[4] == Member.objects.filter(branch=office).count()
    secretary = office.committee_posts.get(post="secretary").member.name
    assert office_row[6] == secretary
    assert office_row[7] is not None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, username="zongzhi").exists()


def test_departments_export(client_as):
    sheet = _sheet(client_as("dangwei").get("/orgs/departments/export/"))
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == Department.objects.count()
    assert rows["数据中心"][2] == "无党支部覆盖"
    assert rows["办公室"][2] == "办公室党支部"
    shuji = _sheet(client_as("shuji").get("/orgs/departments/export/"))
    assert [r[1] for r in shuji.iter_rows(min_row=2, values_only=True)] == ["办公室"]


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_platform_admins_are_refused(client_as, username):
    client = client_as(username)
    for url in ["/orgs/", "/orgs/departments/", "/orgs/health/", "/orgs/export/"]:
        assert client.get(url).status_code == 403
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, username=username).exists()


def test_menu_entries(client_as):
    html = client_as("shuji").get("/").content.decode()
    for label in ["组织体系", "处室", "组织体检"]:
        assert label in html
    member = client_as("dangyuan").get("/").content.decode()
    assert "组织体系" in member and "组织体检" not in member
    assert "组织体系" not in client_as("sysadmin").get("/").content.decode()


def test_department_head_sees_their_departments_branch(client_as, org):
    html = client_as("chuzhang").get("/orgs/").content.decode()
    assert f'id="org-{org("政策法规处党支部").pk}"' in html
    assert "办公室党支部" not in html


def test_bad_input_never_breaks_a_page(client_as, api_as):
    huge = "9" * 30
    client = client_as("dangwei")
    assert client.get(f"/orgs/?expand={huge}").status_code == 200
    assert client.get("/orgs/?expand=１２&q=" + "长" * 200).status_code == 200
    assert client.get(f"/orgs/{huge}/").status_code == 404
    assert client.get(f"/orgs/health/?org={huge}").status_code == 200
    api = api_as("dangwei")
    assert api.get(f"/api/organizations/?parent={huge}").status_code == 400
    assert api.get("/api/organizations/?kind=nope").status_code == 400
    assert api.get(f"/api/health/?org={huge}").status_code == 404
    bad = api.post("/api/organizations/", {"name": "", "kind": "zz", "parent": "x"}, format="json")
    assert bad.status_code == 400
