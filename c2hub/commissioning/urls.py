from django.urls import path

from c2hub.commissioning import views

urlpatterns = [
    path("commissioning/", views.overview, name="commissioner_overview"),
    path("commissioning/<slug:slug>/", views.site_view, name="commissioner_site"),
]
