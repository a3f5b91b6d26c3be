"""One router for the whole API; each app contributes its viewsets."""

from rest_framework.routers import DefaultRouter

from tongpin.accounts.api.urls import register as register_accounts
from tongpin.assess.api.urls import register as register_assess
from tongpin.core.api_views import register as register_core
from tongpin.directives.api.urls import register as register_directives
from tongpin.life.api.urls import register as register_life
from tongpin.members.api.urls import register as register_members
from tongpin.orgs.api.urls import register as register_orgs
from tongpin.study.api.urls import register as register_study
from tongpin.work.api.urls import register as register_work

router = DefaultRouter()
for register in (
    register_core,
    register_orgs,
    register_accounts,
    register_members,
    register_work,
    register_life,
    register_directives,
    register_study,
    register_assess,
):
    register(router)

app_name = "api"
urlpatterns = router.urls
