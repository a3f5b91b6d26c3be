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
    path("<int:pk>/ranking/", views.ranking, name="ranking"),
    path("<int:pk>/org/<int:org_pk>/", views.feedback, name="feedback"),
    path("<int:pk>/org/<int:org_pk>/export/", views.feedback_export, name="feedback_export"),
    path("<int:pk>/org/<int:org_pk>/docx/", views.feedback_docx, name="feedback_docx"),
    path(
        "<int:pk>/org/<int:org_pk>/items/<int:item_pk>/score/",
        views.score_enter,
        name="score_enter",
    ),
    path("<int:pk>/org/<int:org_pk>/report/", views.secretary_report, name="secretary_report"),
    path(
        "<int:pk>/org/<int:org_pk>/rectification/new/",
        views.rectification_create,
        name="rectification_create",
    ),
    path(
        "<int:pk>/org/<int:org_pk>/problems/<int:score_pk>/propose/",
        views.rectification_propose,
        name="rectification_propose",
    ),
    path("rectification/", views.rectification_list, name="rectifications"),
    path("rectification/export/", views.rectification_export, name="rectification_export"),
    path("rectification/<int:pk>/", views.rectification_detail, name="rectification"),
    path(
        "rectification/<int:pk>/measures/",
        views.rectification_measures,
        name="rectification_measures",
    ),
    path("rectification/<int:pk>/report/", views.rectification_report, name="rectification_report"),
    path("rectification/<int:pk>/verify/", views.rectification_verify, name="rectification_verify"),
    path("rectification/<int:pk>/close/", views.rectification_close, name="rectification_close"),
    path("files/<int:file_id>/", views.attachment, name="attachment"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/export/", views.candidates_export, name="candidates_export"),
    path("systems/", views.system_list, name="systems"),
    path("systems/new/", views.system_create, name="system_create"),
    path("systems/<int:pk>/", views.system_detail, name="system"),
    path("systems/<int:pk>/copy/", views.system_copy, name="system_copy"),
    path("systems/<int:pk>/history/", views.system_history, name="system_history"),
    path("systems/<int:pk>/items/new/", views.item_create, name="item_create"),
    path("systems/items/<int:pk>/", views.item_edit, name="item_edit"),
    path("systems/items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("systems/items/<int:pk>/history/", views.item_history, name="item_history"),
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
