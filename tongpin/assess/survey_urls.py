"""Public pages of the grassroots survey: one-time links answered without logging in."""

from django.urls import path

from . import survey_views

app_name = "survey"
urlpatterns = [
    path("done/", survey_views.survey_done, name="done"),
    path("<str:token>/", survey_views.survey_answer, name="answer"),
]
