"""Mounted at /orgs/: the tree, one organization, departments and the health check."""

from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("export/", views.tree_export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.tree_children, name="tree_children"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/add-child/", views.add_child, name="add_child"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/terms/add/", views.term_add, name="term_add"),
    path("terms/<int:pk>/edit/", views.term_edit, name="term_edit"),
    path("<int:pk>/posts/add/", views.post_add, name="post_add"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("departments/", views.departments, name="departments"),
    path("departments/export/", views.departments_export, name="departments_export"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("health/", views.health, name="health"),
]
