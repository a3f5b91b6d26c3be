from django.urls import path

from . import views

app_name = "life"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("export/", views.meeting_export, name="export"),
    path("calendar.ics", views.meeting_calendar, name="calendar"),
    path("add/", views.meeting_create, name="create"),
    path("plan/", views.plan, name="plan"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/record/", views.meeting_record, name="record"),
    path("<int:pk>/reschedule/", views.meeting_reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/motions/add/", views.motion_add, name="motion_add"),
    path("<int:pk>/minutes.docx", views.meeting_docx, name="docx"),
    path("<int:pk>/history/", views.meeting_history, name="history"),
    path("<int:pk>/attachments/<int:attachment>/", views.attachment, name="attachment"),
    path("<int:pk>/qr/", views.meeting_qr, name="qr"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    path("dual-life/", views.dual_life, name="dual_life"),
    path("dual-life/export/", views.dual_life_export, name="dual_life_export"),
    path("talks/", views.talk_list, name="talks"),
    path("talks/add/", views.talk_create, name="talk_create"),
    path("talks/export/", views.talk_export, name="talk_export"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<int:org>/<int:year>/", views.review_sheet, name="review_sheet"),
    path("reviews/export/", views.review_export, name="review_export"),
]
