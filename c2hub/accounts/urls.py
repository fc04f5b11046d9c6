from django.urls import path

from c2hub.accounts import views

urlpatterns = [
    path("account/settings/", views.account_settings, name="account_settings"),
    path("audit/", views.audit_log, name="audit_log"),
]
