"""Who may open each accounts route (walked by tests/test_permission_walk.py).

Three-role separation (三员分立): the account pages are the system administrator's, the role
pages and the role-assignment API the security administrator's; nobody else reaches either.
"""

from tongpin.demo.testing import ALL_USERS, EVERYONE, Route, pk_of, some_user

SYSADMIN = frozenset({"sysadmin"})
SECADMIN = frozenset({"secadmin"})


def office_assignment():
    """shuji's grant as secretary of 办公室党支部."""
    from tongpin.accounts.models import RoleAssignment

    return RoleAssignment.objects.get(user__username="shuji")


ROUTES = [
    # a logged-in user is sent on from the login page (302)
    Route("accounts:login", get=EVERYONE, post=EVERYONE, get_ok=(200, 302)),
    Route("accounts:logout", post=EVERYONE, note="POST only; flushes the session"),
    Route("accounts:password_change", get=ALL_USERS, post=ALL_USERS),
    Route("accounts:profile", get=ALL_USERS),
    Route("accounts:token", post=ALL_USERS, note="creates or rotates the caller's own token"),
    # system administrator
    Route("accounts:user_list", get=SYSADMIN),
    Route("accounts:user_create", get=SYSADMIN, post=SYSADMIN),
    Route("accounts:user_detail", get=SYSADMIN, kwargs=pk_of(some_user)),
    Route("accounts:user_set_active", post=SYSADMIN, kwargs=pk_of(some_user)),
    Route("accounts:user_reset_password", post=SYSADMIN, kwargs=pk_of(some_user)),
    # security administrator
    Route("accounts:role_list", get=SECADMIN),
    Route("accounts:role_user", get=SECADMIN, kwargs=pk_of(some_user)),
    Route("accounts:role_grant", post=SECADMIN, kwargs=pk_of(some_user)),
    Route("accounts:platform_role", post=SECADMIN, kwargs=pk_of(some_user)),
    Route("accounts:unlock", post=SECADMIN, kwargs=pk_of(some_user)),
    Route("accounts:role_revoke", post=SECADMIN, kwargs=pk_of(office_assignment)),
    # API
    Route("api:user-me", get=ALL_USERS),
    Route("api:role-assignment-list", get=SECADMIN, post=SECADMIN),
    Route("api:role-assignment-detail", get=SECADMIN, kwargs=pk_of(office_assignment)),
]
