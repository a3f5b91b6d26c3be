"""Who may open each page and API route of the orgs app (walked by tests/test_permission_walk.py).

Organizations, terms, committees and departments are public records of their branch, so an
ordinary member reads their own branch's; changing needs the subtree in one's change scope, and
only agency staff re-assign a department's branch. Platform administrators get 403 everywhere.
"""

from tongpin.demo.testing import (
    AGENCY_WIDE_CHANGE,
    AGENCY_WIDE_VIEW,
    ANY_CHANGE,
    DOMAIN_USERS,
    OFFICE_CHANGE,
    OFFICE_PUBLIC_VIEW,
    Route,
    office_branch,
    office_post,
    office_term,
    pk_of,
    some_department,
)


def _uncovered_department_name() -> str:
    return "数据中心"  # staffed, covered by no branch: only agency-wide views list it


ROUTES = [
    # pages ----------------------------------------------------------------------------------
    Route(
        "orgs:tree",
        get=DOMAIN_USERS,
        secret=lambda: office_branch().name,
        secret_view=OFFICE_PUBLIC_VIEW,
    ),
    Route("orgs:export", get=DOMAIN_USERS),
    Route(
        "orgs:detail",
        get=OFFICE_PUBLIC_VIEW,
        kwargs=pk_of(office_branch),
    ),
    # without HTMX the lazy-tree endpoint redirects to the tree opened at that node
    Route(
        "orgs:tree_children",
        get=OFFICE_PUBLIC_VIEW,
        kwargs=pk_of(office_branch),
        get_ok=(200, 302),
    ),
    Route("orgs:history", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_branch)),
    Route("orgs:edit", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_branch)),
    Route("orgs:add_child", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_branch)),
    Route("orgs:move", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_branch)),
    Route("orgs:term_add", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_branch)),
    Route("orgs:term_edit", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_term)),
    Route("orgs:post_add", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_branch)),
    Route("orgs:post_end", get=OFFICE_CHANGE, post=OFFICE_CHANGE, kwargs=pk_of(office_post)),
    Route(
        "orgs:departments",
        get=DOMAIN_USERS,
        secret=_uncovered_department_name,
        secret_view=AGENCY_WIDE_VIEW,
    ),
    Route("orgs:departments_export", get=DOMAIN_USERS),
    Route(
        "orgs:department_edit",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(some_department),
    ),
    Route(
        "orgs:health",
        get=DOMAIN_USERS,
        secret=_uncovered_department_name,
        secret_view=AGENCY_WIDE_VIEW,
    ),
    # API ------------------------------------------------------------------------------------
    Route("api:organization-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route("api:organization-detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_branch)),
    Route("api:organization-move", post=OFFICE_CHANGE, kwargs=pk_of(office_branch)),
    Route("api:department-list", get=DOMAIN_USERS),
    Route("api:department-detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(some_department)),
    Route("api:term-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route("api:term-detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_term)),
    Route("api:committee-post-list", get=DOMAIN_USERS, post=ANY_CHANGE),
    Route("api:committee-post-detail", get=OFFICE_PUBLIC_VIEW, kwargs=pk_of(office_post)),
    Route("api:health-list", get=DOMAIN_USERS),
]
