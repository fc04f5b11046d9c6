from django.urls import path

from c2hub.reports import views

BOARD = "sites/<slug:slug>/reports/board/"
REPORT = BOARD + "<int:report_id>/"

urlpatterns = [
    path(BOARD, views.board_report_list, name="board_report_list"),
    path(BOARD + "new/", views.board_report_new, name="board_report_new"),
    path(REPORT, views.board_report_detail, name="board_report_detail"),
    path(REPORT + "edit/", views.board_report_edit, name="board_report_edit"),
    path(REPORT + "approve/", views.board_report_approve, name="board_report_approve"),
    path(REPORT + "release/", views.board_report_release, name="board_report_release"),
    path(REPORT + "template/", views.board_report_template, name="board_report_template"),
    path(REPORT + "report.<str:fmt>", views.board_report_download, name="board_report_download"),
]
