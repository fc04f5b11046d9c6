from django.urls import path

from c2hub.listening import views

LISTENING = "sites/<slug:slug>/listening/"
ONE = LISTENING + "<int:listening_id>/"

urlpatterns = [
    path(LISTENING, views.listening_list, name="listening_list"),
    path(LISTENING + "new/", views.listening_create, name="listening_create"),
    path(ONE, views.listening_detail, name="listening_detail"),
    path(ONE + "comments/add/", views.comments_add, name="listening_comments_add"),
    path(ONE + "comments/", views.comments_list, name="listening_comments"),
    path(ONE + "comments/card/", views.comment_card, name="listening_card"),
    path(ONE + "comments/upload/", views.csv_upload, name="listening_csv"),
    path(ONE + "capture/", views.capture_toggle, name="listening_capture_toggle"),
    path(ONE + "settings/", views.listening_settings, name="listening_settings"),
    path(ONE + "themes/", views.themes_page, name="listening_themes"),
    path(ONE + "themes/status/", views.theming_status, name="listening_theming_status"),
    path(ONE + "priorities/", views.votes_page, name="listening_votes"),
    path(ONE + "report/", views.report_page, name="listening_report"),
    # The public capture page: no login, open only while the facilitator has capture open.
    path("listen/<str:token>/", views.public_capture, name="public_capture"),
]
