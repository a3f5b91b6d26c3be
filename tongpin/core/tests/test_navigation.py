import pytest


@pytest.mark.django_db
def test_sidebar_groups_entries_under_their_module(client_as):
    response = client_as("dangwei").get("/")
    sections = dict(response.context["nav_sections"])
    # headings are the registering apps' names, each entry under its own module
    assert [str(e.label) for e in sections["党员"]][:1] == ["党员名册"]
    assert "年度工作计划" in [str(e.label) for e in sections["党建业务融合"]]
    flat = [e for entries in sections.values() for e in entries]
    assert len(flat) == len(response.context["nav_entries"])
    html = response.content.decode()
    assert 'class="tp-nav-section">党员<' in html


@pytest.mark.django_db
def test_auditor_sees_only_the_audit_section_and_profile(client_as):
    sections = dict(client_as("auditor").get("/").context["nav_sections"])
    assert set(sections) == {"安全审计", "账号"}
    assert [str(e.label) for e in sections["安全审计"]] == ["审计日志", "变更记录"]
