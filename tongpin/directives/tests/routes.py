"""Who may open each page and API route of the directives app (walked by
tests/test_permission_walk.py).

A directive is a public record of the organization that registered it, read also by the
organizations implementing it (and those above them): the demo's notice of the agency committee
goes to three branches of the 党总支 zongzhi runs, so committee staff, leaders and zongzhi read
it; the other branches do not. Whoever may change the registering organization proposes its tasks.
Platform administrators get 403 everywhere.
"""

from tongpin.demo.testing import (
    AGENCY_WIDE_CHANGE,
    AGENCY_WIDE_VIEW,
    ANY_CHANGE,
    DOMAIN_USERS,
    Route,
    pk_of,
    root_organization,
)

TITLE = "关于做好年度机关党建工作的通知"
# committee staff and leaders, and the 党总支 above the branches implementing the demo's notice
DIRECTIVE_READERS = AGENCY_WIDE_VIEW | {"zongzhi"}


def root_directive():
    """A directive of the agency committee (the demo's, else made on demand)."""
    from tongpin.directives.models import Directive

    found = Directive.objects.filter(organization=root_organization()).order_by("pk").first()
    if found is None:
        found = Directive.objects.create(
            organization=root_organization(),
            title=TITLE,
            text="一、加强理论学习。各支部要严格落实“第一议题”制度。",
        )
    return found


ROUTES = [
    Route("directives:list", get=DOMAIN_USERS),
    Route("directives:export", get=DOMAIN_USERS),
    Route("directives:create", get=ANY_CHANGE, post=ANY_CHANGE),
    Route("directives:detail", get=DIRECTIVE_READERS, kwargs=pk_of(root_directive)),
    Route(
        "directives:ingest",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(root_directive),
    ),
    Route("directives:history", get=DIRECTIVE_READERS, kwargs=pk_of(root_directive)),
    # API --------------------------------------------------------------------------------------
    Route("api:directive-list", get=DOMAIN_USERS),
    Route("api:directive-detail", get=DIRECTIVE_READERS, kwargs=pk_of(root_directive)),
    Route("api:directive-ingest", post=DOMAIN_USERS),
]

# ---- edit page and original documents


def root_directive_original():
    """The root directive and an original document stored on it (made on demand)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tongpin.accounts.models import User
    from tongpin.core.services import attach, attachments_of

    directive = root_directive()
    item = attachments_of(directive).order_by("pk").first()
    if item is None:
        item = attach(
            directive,
            SimpleUploadedFile("通知.txt", "一、加强理论学习。".encode()),
            user=User.objects.get(username="dangwei"),
        )
    return {"pk": directive.pk, "attachment": item.pk}


ROUTES += [
    Route(
        "directives:edit",
        get=AGENCY_WIDE_CHANGE,
        post=AGENCY_WIDE_CHANGE,
        kwargs=pk_of(root_directive),
    ),
    Route("directives:original", get=DIRECTIVE_READERS, kwargs=root_directive_original),
]
