from django.urls import path

from . import views

app_name = "assess"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("new/", views.run_start, name="run_start"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/close/", views.run_close, name="run_close"),
    path("<int:pk>/export/", views.run_export, name="run_export"),
    path("scores/<int:pk>/", views.score_detail, name="score"),
]
