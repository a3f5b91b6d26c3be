from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export/", views.member_export, name="export"),
    path("add/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/reveal/", views.member_reveal, name="reveal"),
    path("<int:pk>/history/", views.member_history, name="history"),
    path("<int:pk>/transfer/", views.member_transfer, name="transfer"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("import/", views.roster_import, name="import"),
    path("import/template/", views.roster_template, name="roster_template"),
]
