"""The auditor's pages, mounted at /audit/."""

from django.urls import path

from . import audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.event_list, name="list"),
    path("export/", audit_views.event_export, name="export"),
    path("chain/", audit_views.chain_check, name="chain"),
    path("changes/", audit_views.change_list, name="changes"),
    path("<int:pk>/", audit_views.event_detail, name="detail"),
]
