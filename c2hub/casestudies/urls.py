from django.urls import path

from c2hub.casestudies import views

LIST = "sites/<slug:slug>/case-studies/"
ONE = LIST + "<int:case_study_id>/"

urlpatterns = [
    path("case-studies/", views.library, name="case_study_library"),
    path(LIST, views.case_study_list, name="case_study_list"),
    path(LIST + "new/", views.case_study_create, name="case_study_create"),
    path(ONE, views.case_study_detail, name="case_study_detail"),
    path(ONE + "edit/", views.case_study_edit, name="case_study_edit"),
    path(ONE + "quotes/new/", views.quote_add, name="case_study_quote_add"),
    path(ONE + "photos/new/", views.photo_add, name="case_study_photo_add"),
    path(ONE + "photos/<int:photo_id>/file/", views.photo_file, name="case_study_photo"),
    path(ONE + "<str:kind>/<int:item_id>/withdraw/", views.item_withdraw, name="case_study_item_withdraw"),
    path(ONE + "<str:kind>/<int:item_id>/remove/", views.item_remove, name="case_study_item_remove"),
    path(ONE + "publish/", views.case_study_publish, name="case_study_publish"),
    path(ONE + "unpublish/", views.case_study_unpublish, name="case_study_unpublish"),
    path(ONE + "download/", views.case_study_download, name="case_study_download"),
    path("p/<slug:slug>/stories/", views.public_list, name="public_case_studies"),
    path("p/<slug:slug>/stories/<int:case_study_id>/", views.public_detail, name="public_case_study"),
    path(
        "p/<slug:slug>/stories/<int:case_study_id>/photos/<int:photo_id>",
        views.public_photo,
        name="public_case_study_photo",
    ),
]
