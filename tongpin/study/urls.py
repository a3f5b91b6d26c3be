from django.urls import path

from . import views

app_name = "study"
urlpatterns = [
    path("", views.library, name="library"),
    path("materials/add/", views.material_create, name="material_create"),
    path("materials/<int:pk>/", views.material_detail, name="material"),
    path("materials/<int:pk>/edit/", views.material_edit, name="material_edit"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/export/", views.session_export, name="sessions_export"),
    path("sessions/add/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("report/", views.report, name="report"),
    path("report/export/", views.report_export, name="report_export"),
]
