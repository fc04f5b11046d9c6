from django.urls import path

from c2hub.wins import views

WINS = "sites/<slug:slug>/wins/"
WIN = WINS + "<int:win_id>/"
BIDS = "sites/<slug:slug>/funding-bids/"

urlpatterns = [
    path(WINS, views.win_list, name="win_list"),
    path(WINS + "new/", views.win_create, name="win_create"),
    path(WIN, views.win_detail, name="win_detail"),
    path(WIN + "edit/", views.win_edit, name="win_edit"),
    path(WIN + "delete/", views.win_delete, name="win_delete"),
    path(WIN + "file/", views.win_file, name="win_file"),
    path(WIN + "evidence/", views.win_evidence, name="win_evidence"),
    path(BIDS, views.bid_list, name="bid_list"),
    path(BIDS + "new/", views.bid_create, name="bid_create"),
    path(BIDS + "<int:bid_id>/edit/", views.bid_edit, name="bid_edit"),
]
