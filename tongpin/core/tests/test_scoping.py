import pytest

from tongpin.core.scoping import CHANGE, VIEW, Scope, ScopeSpec, minimal_roots, scope_filter
from tongpin.members.models import Member
from tongpin.orgs.models import Organization


def test_minimal_roots_drops_nested_paths():
    assert minimal_roots({"0001", "00010002", "0003"}) == frozenset({"0001", "0003"})


def test_everything_needs_no_filter():
    assert scope_filter(ScopeSpec(org=""), Scope(everything=True)) is None


@pytest.mark.django_db
def test_secretary_reaches_only_own_branch(demo_user):
    shuji = demo_user("shuji")
    branch = shuji.member.branch
    visible = Member.objects.restrict(shuji, VIEW)
    assert visible.count() == Member.objects.filter(branch=branch).count()
    assert set(visible.values_list("branch_id", flat=True)) == {branch.pk}
    assert Member.objects.restrict(shuji, CHANGE).count() == visible.count()


@pytest.mark.django_db
def test_general_branch_secretary_reaches_subtree(demo_user):
    zongzhi = demo_user("zongzhi")
    general = zongzhi.role_assignments.get().organization
    expected = Member.objects.filter(branch__path__startswith=general.path).count()
    assert expected > 0
    assert Member.objects.restrict(zongzhi).count() == expected


@pytest.mark.django_db
def test_member_sees_own_record_and_branch_public_rows(demo_user):
    dangyuan = demo_user("dangyuan")
    assert list(Member.objects.restrict(dangyuan)) == [dangyuan.member]
    assert Member.objects.restrict(dangyuan, CHANGE).count() == 0
    orgs = Organization.objects.restrict(dangyuan)
    assert all(o.path.startswith(dangyuan.member.branch.path) for o in orgs)
    assert dangyuan.member.branch in orgs


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_platform_admins_see_no_domain_data(demo_user, username):
    user = demo_user(username)
    assert Member.objects.restrict(user).count() == 0
    assert Organization.objects.restrict(user).count() == 0


@pytest.mark.django_db
def test_leader_reads_everything_changes_nothing(demo_user):
    lingdao = demo_user("lingdao")
    assert Member.objects.restrict(lingdao).count() == Member.objects.count()
    assert Member.objects.restrict(lingdao, CHANGE).count() == 0


@pytest.mark.django_db
def test_department_head_reads_department(demo_user):
    chuzhang = demo_user("chuzhang")
    department = chuzhang.role_assignments.get().department
    visible = Member.objects.restrict(chuzhang)
    assert visible.filter(department=department).count() == visible.count() > 0
    assert Member.objects.restrict(chuzhang, CHANGE).count() == 0


@pytest.mark.django_db
def test_anonymous_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert Member.objects.restrict(AnonymousUser()).count() == 0
