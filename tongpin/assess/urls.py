from django.urls import path

from . import survey_views, views

app_name = "assess"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("new/", views.run_start, name="run_start"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/close/", views.run_close, name="run_close"),
    path("<int:pk>/export/", views.run_export, name="run_export"),
    path("scores/<int:pk>/", views.score_detail, name="score"),
]

# ---- grassroots survey (the public answer pages are in survey_urls.py, under /s/)
urlpatterns += [
    path("surveys/", survey_views.survey_list, name="surveys"),
    path("surveys/new/", survey_views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", survey_views.survey_detail, name="survey"),
    path(
        "surveys/<int:pk>/questions/new/",
        survey_views.survey_question_add,
        name="survey_question_add",
    ),
    path(
        "surveys/questions/<int:pk>/delete/",
        survey_views.survey_question_delete,
        name="survey_question_delete",
    ),
    path("surveys/<int:pk>/status/", survey_views.survey_status, name="survey_status"),
    path("surveys/<int:pk>/links/", survey_views.survey_links, name="survey_links"),
    path(
        "surveys/<int:pk>/links/export/",
        survey_views.survey_links_export,
        name="survey_links_export",
    ),
    path("surveys/<int:pk>/results/", survey_views.survey_results, name="survey_results"),
    path(
        "surveys/<int:pk>/results/export/",
        survey_views.survey_results_export,
        name="survey_results_export",
    ),
]
