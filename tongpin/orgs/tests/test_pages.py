"""One organization: its page, edits, lower organizations, moves, terms and committee posts."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tongpin.core.models import AuditEvent
from tongpin.members.models import CommitteePost, Member, MemberStatus
from tongpin.orgs.models import Organization, OrganizationMove, OrgKind, Term

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


# ---- detail -----------------------------------------------------------------------------------


def test_detail_shows_committee_terms_departments_and_counts(
    client_as, office, django_assert_max_num_queries, frame_queries
):
    client = client_as("shuji")
    frame = frame_queries(client)
    # each section one query, plus the health checks of this one organization
    with django_assert_max_num_queries(frame + 18):
        response = client.get(f"/orgs/{office.pk}/")
    assert response.status_code == 200
    html = html_of(response)
    secretary = CommitteePost.objects.get(organization=office, post="secretary")
    assert secretary.member.name in html
    assert "书记" in html and "组织委员" in html
    term = office.terms.get()
    assert term.elected_on.isoformat() in html
    assert "任期内" in html
    assert "办公室</span>" in html  # the department it covers
    full = Member.objects.filter(branch=office, status=MemberStatus.FULL).count()
    probationary = Member.objects.filter(branch=office, status=MemberStatus.PROBATIONARY).count()
    assert (
        f"共 {full + probationary} 名，其中正式党员 {full} 名、预备党员 {probationary} 名" in html
    )
    assert f'href="/orgs/{office.pk}/history/"' in html
    assert "该党组织未调整过隶属关系" in html
    # the roster filtered to this organization (the members app's page)
    try:
        roster = reverse("members:list")
    except NoReverseMatch:
        roster = None
    if roster:
        assert f'href="{roster}?org={office.pk}"' in html


def test_detail_breadcrumbs_stop_at_the_users_scope(client_as, office, root):
    staff = html_of(client_as("dangwei").get(f"/orgs/{office.pk}/"))
    crumbs = staff[staff.index('data-testid="breadcrumbs"') :]
    crumbs = crumbs[: crumbs.index("</ol>")]
    assert root.name in crumbs and "第一党总支" in crumbs
    mine = html_of(client_as("shuji").get(f"/orgs/{office.pk}/"))
    crumbs = mine[mine.index('data-testid="breadcrumbs"') :]
    crumbs = crumbs[: crumbs.index("</ol>")]
    assert "第一党总支" not in crumbs


def test_detail_shows_the_organizations_findings(client_as, org):
    html = html_of(client_as("dangwei").get(f"/orgs/{org('农村经济处党支部').pk}/"))
    findings = html[html.index('data-testid="findings"') :]
    assert "ORG-05" in findings and "尚未按期换届" in findings
    assert "逾期未换届" in html


def test_detail_out_of_scope_is_404(client_as, office):
    assert client_as("shuji2").get(f"/orgs/{office.pk}/").status_code == 404
    assert client_as("chuzhang").get(f"/orgs/{office.pk}/").status_code == 404
    assert client_as("dangyuan").get(f"/orgs/{office.pk}/").status_code == 200


def test_readers_get_no_edit_buttons(client_as, office):
    html = html_of(client_as("lingdao").get(f"/orgs/{office.pk}/"))
    assert f"/orgs/{office.pk}/edit/" not in html
    assert f"/orgs/{office.pk}/edit/" in html_of(client_as("shuji").get(f"/orgs/{office.pk}/"))


def test_history_page(client_as, office):
    client = client_as("shuji")
    client.post(
        f"/orgs/{office.pk}/edit/",
        {"name": office.name, "short_name": "办公室支部", "is_active": "on"},
    )
    response = client.get(f"/orgs/{office.pk}/history/")
    assert response.status_code == 200
    assert "办公室支部" in html_of(response)


# ---- edit and create --------------------------------------------------------------------------


def test_secretary_edits_own_branch(client_as, office):
    response = client_as("shuji").post(
        f"/orgs/{office.pk}/edit/",
        {
            "name": "办公室党支部",
            "short_name": "办公室支部",
            "established_on": "2012-07-01",
            "is_active": "on",
            "note": "机关第一个党支部",
        },
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.short_name == "办公室支部"
    assert office.established_on == datetime.date(2012, 7, 1)


def test_edit_errors_are_chinese(client_as, office, org):
    response = client_as("shuji").post(f"/orgs/{office.pk}/edit/", {"name": ""})
    assert response.status_code == 200
    assert "该字段是必填项" in html_of(response)
    general = org("第一党总支")
    response = client_as("zongzhi").post(
        f"/orgs/{general.pk}/edit/", {"name": general.name, "is_joint": "on", "is_active": "on"}
    )
    assert "只有党支部才能设为联合党支部" in html_of(response)


def test_edit_refused_outside_change_scope(client_as, office):
    assert client_as("shuji2").get(f"/orgs/{office.pk}/edit/").status_code == 404
    assert client_as("lingdao").get(f"/orgs/{office.pk}/edit/").status_code == 403
    assert client_as("dangyuan").post(f"/orgs/{office.pk}/edit/", {"name": "x"}).status_code == 403
    office.refresh_from_db()
    assert office.name == "办公室党支部"


def test_create_child_with_wrong_kind_is_refused_with_a_message(client_as, office):
    before = Organization.objects.count()
    response = client_as("shuji").post(
        f"/orgs/{office.pk}/add-child/", {"kind": OrgKind.GENERAL_BRANCH, "name": "新党总支"}
    )
    assert response.status_code == 200
    assert "办公室党支部 下不能设立党总支。" in html_of(response)
    assert Organization.objects.count() == before


def test_create_child_group(client_as, office):
    response = client_as("shuji").post(
        f"/orgs/{office.pk}/add-child/", {"kind": OrgKind.GROUP, "name": "办公室第三党小组"}
    )
    assert response.status_code == 302
    group = Organization.objects.get(name="办公室第三党小组")
    assert Organization.objects.get_parent(group) == office
    assert group.kind == OrgKind.GROUP
    assert response["Location"] == f"/orgs/{group.pk}/"


def test_create_child_form_offers_the_allowed_kinds(client_as, root):
    html = html_of(client_as("dangwei").get(f"/orgs/{root.pk}/add-child/"))
    assert (
        "机关党委 下可设立：党总支、党支部。" in html
        or f"{root.name} 下可设立：党总支、党支部。" in html
    )


def test_create_child_refused_outside_scope(client_as, office, economy):
    assert client_as("shuji").get(f"/orgs/{economy.pk}/add-child/").status_code == 404
    assert (
        client_as("lingdao")
        .post(f"/orgs/{office.pk}/add-child/", {"kind": OrgKind.GROUP, "name": "x"})
        .status_code
        == 403
    )
    assert not Organization.objects.filter(name="x").exists()


# ---- move -------------------------------------------------------------------------------------


def test_agency_staff_move_a_branch(client_as, office, root):
    members_before = set(Member.objects.filter(branch=office).values_list("pk", flat=True))
    groups = list(Organization.objects.get_children(office))
    response = client_as("dangwei").post(
        f"/orgs/{office.pk}/move/", {"new_parent": root.pk, "reason": "机关党委〔2026〕5号"}
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert Organization.objects.get_parent(office) == root
    # the groups moved with it and the members kept their branch
    for group in groups:
        group.refresh_from_db()
        assert group.path.startswith(office.path)
    assert set(Member.objects.filter(branch=office).values_list("pk", flat=True)) == members_before
    move = OrganizationMove.objects.get(organization=office)
    assert move.from_parent.name == "第一党总支" and move.to_parent == root
    assert move.reason == "机关党委〔2026〕5号"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MOVE, object_id=str(office.pk)).exists()
    html = html_of(client_as("dangwei").get(f"/orgs/{office.pk}/"))
    assert "机关党委〔2026〕5号" in html


def economy_branch(org):
    return org("经济运行调节处党支部")


def test_move_needs_a_reason(client_as, office, root):
    response = client_as("dangwei").post(f"/orgs/{office.pk}/move/", {"new_parent": root.pk})
    assert response.status_code == 200
    assert "该字段是必填项" in html_of(response)
    assert not OrganizationMove.objects.exists()


def test_move_refused_outside_scope(client_as, office, root, org):
    # zongzhi may change 办公室党支部 but not the root: the root is no choice for him
    response = client_as("zongzhi").post(
        f"/orgs/{office.pk}/move/", {"new_parent": root.pk, "reason": "试试"}
    )
    assert response.status_code == 200
    assert 'data-testid="no-targets"' in html_of(response)
    group = Organization.objects.get_children(office).first()
    response = client_as("zongzhi").post(
        f"/orgs/{group.pk}/move/", {"new_parent": economy_branch(org).pk, "reason": "试试"}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in html_of(response)
    # shuji2 cannot see 办公室党支部 at all; lingdao sees it but changes nothing
    economy = org("经济运行调节处党支部")
    assert (
        client_as("shuji2")
        .post(f"/orgs/{office.pk}/move/", {"new_parent": economy.pk, "reason": "x"})
        .status_code
        == 404
    )
    assert client_as("lingdao").get(f"/orgs/{office.pk}/move/").status_code == 403
    office.refresh_from_db()
    assert Organization.objects.get_parent(office).name == "第一党总支"
    assert not OrganizationMove.objects.exists()


def test_move_offers_only_allowed_parents(client_as, office):
    html = html_of(client_as("dangwei").get(f"/orgs/{office.pk}/move/"))
    assert "第二党总支" in html  # a general branch may hold a branch
    assert "经济运行调节处党支部</option>" not in html  # a branch may not
    assert "第一党总支</option>" not in html  # where it stands already


def test_move_page_says_when_there_is_nowhere_to_go(client_as, office):
    response = client_as("shuji").get(f"/orgs/{office.pk}/move/")
    assert response.status_code == 200
    assert 'data-testid="no-targets"' in html_of(response)


# ---- terms ------------------------------------------------------------------------------------


def test_record_an_election_closes_the_old_term(client_as, office):
    old = office.terms.get()
    elected = timezone.localdate()
    response = client_as("shuji").post(
        f"/orgs/{office.pk}/terms/add/",
        {"body": Term.Body.COMMITTEE, "elected_on": elected.isoformat(), "is_current": "on"},
    )
    assert response.status_code == 302
    new = office.terms.get(is_current=True)
    assert new.pk != old.pk
    assert new.ends_on == elected.replace(year=elected.year + 3)  # rule ORG-05 default
    old.refresh_from_db()
    assert not old.is_current


def test_postponement_rules(client_as, office):
    term = office.terms.get()
    url = f"/orgs/terms/{term.pk}/edit/"
    data = {
        "body": Term.Body.COMMITTEE,
        "elected_on": term.elected_on.isoformat(),
        "ends_on": term.ends_on.isoformat(),
        "is_current": "on",
    }
    too_late = term.ends_on + datetime.timedelta(days=400)
    response = client_as("shuji").post(url, {**data, "postponed_to": too_late.isoformat()})
    assert response.status_code == 200
    assert "换届延期一般不超过一年（ORG-05）" in html_of(response)
    later = term.ends_on + datetime.timedelta(days=200)
    response = client_as("shuji").post(url, {**data, "postponed_to": later.isoformat()})
    assert "延期换届须经上级党组织批准" in html_of(response)
    response = client_as("shuji").post(
        url,
        {**data, "postponed_to": later.isoformat(), "postponement_approval": "一总支〔2026〕3号"},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.postponed_to == later
    assert term.effective_end == later


def test_branch_cannot_elect_a_discipline_committee(client_as, office):
    response = client_as("shuji").post(
        f"/orgs/{office.pk}/terms/add/",
        {"body": Term.Body.DISCIPLINE_COMMITTEE, "elected_on": "2026-01-05", "is_current": "on"},
    )
    assert response.status_code == 200
    assert office.terms.count() == 1


def test_terms_refused_outside_scope(client_as, office):
    term = office.terms.get()
    assert client_as("shuji2").get(f"/orgs/terms/{term.pk}/edit/").status_code == 404
    assert client_as("dangyuan").get(f"/orgs/terms/{term.pk}/edit/").status_code == 403
    assert client_as("lingdao").get(f"/orgs/{office.pk}/terms/add/").status_code == 403


# ---- committee posts --------------------------------------------------------------------------


def _ordinary(office, status=MemberStatus.FULL):
    return (
        Member.objects.filter(branch=office, status=status, committee_posts__isnull=True)
        .order_by("pk")
        .first()
    )


def test_add_and_end_a_post(client_as, office):
    member = _ordinary(office)
    today = timezone.localdate()
    client = client_as("shuji")
    response = client.post(
        f"/orgs/{office.pk}/posts/add/",
        {"post": "member", "member": member.pk, "started_on": today.isoformat()},
    )
    assert response.status_code == 302
    post = CommitteePost.objects.get(organization=office, member=member)
    assert member.name in html_of(client.get(f"/orgs/{office.pk}/"))
    response = client.post(f"/orgs/posts/{post.pk}/end/", {"ended_on": today.isoformat()})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.ended_on == today
    # ended before it began: refused
    again = client.post(
        f"/orgs/{office.pk}/posts/add/",
        {"post": "publicity", "member": member.pk, "started_on": today.isoformat()},
    )
    assert again.status_code == 302
    second = CommitteePost.objects.get(organization=office, member=member, post="publicity")
    response = client.post(
        f"/orgs/posts/{second.pk}/end/",
        {"ended_on": (today - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 200
    assert CommitteePost.objects.get(pk=second.pk).ended_on is None


def test_probationary_member_cannot_hold_a_post(client_as, office):
    member = _ordinary(office, MemberStatus.PROBATIONARY)
    if member is None:
        member = _ordinary(office)
        member.status = MemberStatus.PROBATIONARY
        member.full_member_on = None
        member.save()
    response = client_as("shuji").post(
        f"/orgs/{office.pk}/posts/add/",
        {"post": "member", "member": member.pk, "started_on": "2026-01-05"},
    )
    assert response.status_code == 200
    assert "ORG-09" in html_of(response)
    assert not CommitteePost.objects.filter(member=member).exists()


def test_post_member_must_belong_to_the_subtree(client_as, office, economy):
    stranger = _ordinary(economy)
    response = client_as("dangwei").post(
        f"/orgs/{office.pk}/posts/add/",
        {"post": "member", "member": stranger.pk, "started_on": "2026-01-05"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in html_of(response)
    assert not CommitteePost.objects.filter(member=stranger, organization=office).exists()


def test_a_second_secretary_is_refused(client_as, office):
    response = client_as("shuji").post(
        f"/orgs/{office.pk}/posts/add/",
        {"post": "secretary", "member": _ordinary(office).pk, "started_on": "2026-01-05"},
    )
    assert response.status_code == 200
    assert "已有书记，请先办理现任书记离任" in html_of(response)


def test_posts_refused_outside_scope(client_as, office):
    post = office.committee_posts.first()
    assert client_as("shuji2").get(f"/orgs/posts/{post.pk}/end/").status_code == 404
    assert (
        client_as("dangyuan")
        .post(f"/orgs/posts/{post.pk}/end/", {"ended_on": "2026-01-01"})
        .status_code
        == 403
    )
    assert client_as("lingdao").get(f"/orgs/{office.pk}/posts/add/").status_code == 403
    post.refresh_from_db()
    assert post.ended_on is None


def test_committee_lists_the_secretary_first(client_as, office):
    html = html_of(client_as("shuji").get(f"/orgs/{office.pk}/"))
    table = html[html.index('data-testid="committee"') :]
    body = table[table.index("<tbody>") :]
    first_post = body[body.index("<td>") + 4 : body.index("</td>")]
    assert first_post == "书记"
