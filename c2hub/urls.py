from django.contrib import admin
from django.shortcuts import redirect, render
from django.urls import include, path

from c2hub.api.main import api

urlpatterns = [
    path("", lambda request: redirect("dashboard"), name="home"),
    path("account/", include("allauth.urls")),
    path("", include("c2hub.accounts.urls")),
    path("", include("c2hub.programmes.urls")),
    path("", include("c2hub.people.urls")),
    path("", include("c2hub.events.urls")),
    path("", include("c2hub.listening.urls")),
    path("", include("c2hub.wins.urls")),
    path("", include("c2hub.community.urls")),
    path("", include("c2hub.actions.urls")),
    path("", include("c2hub.areas.urls")),
    path("", include("c2hub.outcomes.urls")),
    path("", include("c2hub.casestudies.urls")),
    path("", include("c2hub.commissioning.urls")),
    path("", include("c2hub.newsletters.urls")),
    path("", include("c2hub.value.urls")),
    path("", include("c2hub.reports.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accessibility/", lambda r: render(r, "pages/accessibility.html"), name="accessibility"),
    path("privacy/", lambda r: render(r, "pages/privacy.html"), name="privacy"),
]

handler404 = "c2hub.errors.not_found"
handler403 = "c2hub.errors.forbidden"
handler400 = "c2hub.errors.bad_request"
handler500 = "c2hub.errors.server_error"
