"""Who may open each route of the study app (walked by tests/test_permission_walk.py).

Materials of the agency committee are handed down to every organization: every domain user reads
them and searches. Adding a material or a session needs a change scope somewhere. A session of the office branch
is public to its members; class hours and the cadence are for those who look after organizations.
"""

from tongpin.demo.testing import (
    ANY_CHANGE,
    DOMAIN_USERS,
    OFFICE_CHANGE,
    OFFICE_PUBLIC_VIEW,
    Route,
    pk_of,
)

# users with a subtree in their view scope: the ones who look after organizations
STAFF_VIEW = ANY_CHANGE | {"lingdao"}


def agency_material():
    from tongpin.study.models import Material

    return Material.objects.filter(organization__depth=1).order_by("pk").first()


def office_session():
    """The office branch's own research session (not the joint one)."""
    from tongpin.study.models import StudySession, StudyTier

    return StudySession.objects.filter(
        organization__name="办公室党支部", tier=StudyTier.RESEARCH
    ).first()


ROUTES = [
    Route("study:library", get=DOMAIN_USERS),
    Route("study:material_create", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("study:material", get=DOMAIN_USERS, kwargs=pk_of(agency_material)),
    # the agency committee's material: only agency staff change it
    Route(
        "study:material_edit",
        get=frozenset({"dangwei"}),
        post=frozenset({"dangwei"}),
        kwargs=pk_of(agency_material),
    ),
    Route("api:study-material-list", get=DOMAIN_USERS),
    Route("api:study-material-detail", get=DOMAIN_USERS, kwargs=pk_of(agency_material)),
    Route("api:study-search-list", get=DOMAIN_USERS),
    Route("study:sessions", get=DOMAIN_USERS),
    Route("study:sessions_export", get=DOMAIN_USERS, note="an .xlsx download, audited"),
    Route("study:session_create", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("study:session", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_session)),
    # correcting a session is for those who change its organization
    Route(
        "study:session_edit",
        get=OFFICE_CHANGE,
        post=OFFICE_CHANGE,
        kwargs=pk_of(office_session),
    ),
    Route("study:report", get=STAFF_VIEW),
    Route("study:report_export", get=STAFF_VIEW, note="an .xlsx download, audited"),
    Route("api:study-session-list", get=DOMAIN_USERS),
    Route("api:study-session-detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_session)),
]
