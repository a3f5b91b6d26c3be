"""Who acts for an organization (core.registry.organization_users): role holders and the
members holding a current post on its committee, never a platform administrator."""

import pytest

from tongpin.core.loops import acts_for, organization_users
from tongpin.members.models import Member
from tongpin.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_committee_post_holders_act_for_their_organization(demo_user):
    dangwei = demo_user("dangwei")
    branch = Organization.objects.get(name="机关党委办公室党支部")
    assert dangwei in organization_users(branch)
    assert acts_for(dangwei, branch)
    assert not acts_for(dangwei, Organization.objects.get(name="办公室党支部"))


def test_a_platform_administrator_acts_for_no_organization(demo_user):
    sysadmin = demo_user("sysadmin")
    post = Member.objects.get(user=demo_user("shuji")).committee_posts.filter(ended_on=None)[0]
    member = Member.objects.filter(user=None).first()
    member.user = sysadmin
    member.save()
    post.pk, post.member = None, member
    post.save()
    assert sysadmin not in organization_users(post.organization)
