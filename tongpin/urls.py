from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from tongpin.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/", include("tongpin.accounts.urls")),
    path("orgs/", include("tongpin.orgs.urls")),
    path("members/", include("tongpin.members.urls")),
    path("work/", include("tongpin.work.urls")),
    path("life/", include("tongpin.life.urls")),
    path("directives/", include("tongpin.directives.urls")),
    path("study/", include("tongpin.study.urls")),
    path("assess/", include("tongpin.assess.urls")),
    path("s/", include("tongpin.assess.survey_urls")),  # one-time survey links, no login
    path("audit/", include("tongpin.core.urls")),
    path("api/", include("tongpin.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
