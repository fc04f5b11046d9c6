from django.urls import path

from c2hub.newsletters import views

LIST = "sites/<slug:slug>/newsletters/"
ONE = LIST + "<int:number>/"
BLOCK = ONE + "blocks/<int:block_id>/"
PUBLIC = "p/<slug:slug>/"

urlpatterns = [
    path(LIST, views.newsletter_list, name="newsletter_list"),
    path(LIST + "subscribers/", views.subscribers, name="newsletter_subscribers"),
    path(
        LIST + "subscribers/<int:subscriber_id>/remove/", views.subscriber_remove, name="newsletter_subscriber_remove"
    ),
    path(LIST + "public-page/", views.public_page_settings, name="newsletter_public_settings"),
    path(ONE, views.newsletter_detail, name="newsletter_detail"),
    path(ONE + "title/", views.newsletter_rename, name="newsletter_rename"),
    path(ONE + "publish/", views.newsletter_publish, name="newsletter_publish"),
    path(ONE + "delete/", views.newsletter_delete, name="newsletter_delete"),
    path(ONE + "send/", views.newsletter_send, name="newsletter_send"),
    path(ONE + "send/status/", views.send_status, name="newsletter_send_status"),
    path(ONE + "evidence/", views.newsletter_evidence, name="newsletter_evidence"),
    path(ONE + "blocks/new/", views.block_add, name="newsletter_block_add"),
    path(BLOCK, views.block_edit, name="newsletter_block_edit"),
    path(BLOCK + "move/", views.block_move, name="newsletter_block_move"),
    path(BLOCK + "remove/", views.block_remove, name="newsletter_block_remove"),
    path(BLOCK + "image/", views.block_image, name="newsletter_block_image"),
    # The public partnership page and its newsletters: no login, only while the page is on.
    path(PUBLIC, views.public_page, name="public_page"),
    path(PUBLIC + "newsletters/", views.public_newsletters, name="public_newsletters"),
    path(PUBLIC + "newsletters/latest", views.public_newsletter_latest, name="public_newsletter_latest"),
    path(PUBLIC + "newsletters/<int:number>/", views.public_newsletter, name="public_newsletter"),
    path(
        PUBLIC + "newsletters/<int:number>/images/<int:block_id>",
        views.public_newsletter_image,
        name="public_newsletter_image",
    ),
    path(PUBLIC + "unsubscribe/<str:token>/", views.public_unsubscribe, name="public_unsubscribe"),
    path(PUBLIC + "confirm/<str:token>/", views.public_confirm, name="public_confirm"),
]
