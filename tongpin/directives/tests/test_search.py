"""Directives are found by the library's full-text search, within their scope."""

import pytest

from tongpin.directives.demo import NOTICE_TITLE
from tongpin.directives.models import Directive
from tongpin.study import search


@pytest.mark.django_db
def test_a_directive_is_found_in_scope_only(demo_user):
    directive = Directive.objects.get(title=NOTICE_TITLE)
    hits = search.search(demo_user("dangwei"), "第一议题 集中学习").hits
    assert any(h.source == "directives.directive" and h.object_id == directive.pk for h in hits)
    # a traditional-Chinese query finds the simplified text too
    hits = search.search(demo_user("dangwei"), "機關黨建").hits
    assert any(h.source == "directives.directive" for h in hits)
    # another branch's secretary cannot open the committee's directive, so does not find it
    hits = search.search(demo_user("shuji2"), "第一议题 集中学习").hits
    assert not any(h.source == "directives.directive" for h in hits)
