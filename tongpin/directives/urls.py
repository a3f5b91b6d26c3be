"""Mounted at /directives/: register directives, propose their tasks, follow the loop."""

from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("export/", views.directive_export, name="export"),
    path("new/", views.directive_create, name="create"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/ingest/", views.directive_ingest, name="ingest"),
    path("<int:pk>/history/", views.directive_history, name="history"),
    path("<int:pk>/edit/", views.directive_edit, name="edit"),
    path("<int:pk>/originals/<int:attachment>/", views.directive_original, name="original"),
]
