from django.urls import path

from c2hub.events import views

EVENTS = "sites/<slug:slug>/events/"
EVENT = EVENTS + "<int:event_id>/"

urlpatterns = [
    path(EVENTS, views.event_list, name="event_list"),
    path(EVENTS + "new/", views.event_create, name="event_create"),
    path(EVENT, views.event_detail, name="event_detail"),
    path(EVENT + "edit/", views.event_edit, name="event_edit"),
    path(EVENT + "status/", views.event_status, name="event_status"),
    path(EVENT + "attendance/", views.attendance_add, name="attendance_add"),
    path(EVENT + "attendance/<int:attendance_id>/remove/", views.attendance_remove, name="attendance_remove"),
    path(EVENT + "head-counts/", views.head_counts, name="head_counts"),
    path(EVENT + "evidence/", views.event_evidence, name="event_evidence"),
    path(EVENT + "minutes/", views.minutes_page, name="minutes"),
    path(EVENT + "minutes/decisions/", views.decision_add, name="decision_add"),
    path(EVENT + "minutes/decisions/<int:decision_id>/remove/", views.decision_remove, name="decision_remove"),
    path(EVENT + "minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path(EVENT + "minutes/publication/", views.minutes_publication, name="minutes_publication"),
    path(EVENT + "findings/new/", views.finding_add, name="finding_add"),
    path(EVENT + "findings/<int:finding_id>/photo/", views.finding_photo, name="finding_photo"),
    path(EVENT + "findings/<int:finding_id>/remove/", views.finding_remove, name="finding_remove"),
    path(EVENT + "findings/<int:finding_id>/evidence/", views.finding_evidence, name="finding_evidence"),
    path("sites/<slug:slug>/learning-programme/", views.learning_programme, name="learning_programme"),
    path(
        "sites/<slug:slug>/learning-programme/learners/<int:membership_id>/completion/",
        views.learner_completion,
        name="learner_completion",
    ),
]
