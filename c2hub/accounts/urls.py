from django.urls import path

from c2hub.accounts import views

urlpatterns = [
    path("account/settings/", views.account_settings, name="account_settings"),
    path("account/settings/tokens/", views.api_token_create, name="api_token_create"),
    path(
        "account/settings/tokens/<int:token_id>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("audit/", views.audit_log, name="audit_log"),
]
