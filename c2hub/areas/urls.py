from django.urls import path

from c2hub.areas import views

urlpatterns = [
    path("areas/import/", views.import_start, name="areas_import"),
    path("areas/import/<int:run_id>/", views.import_status, name="areas_import_status"),
]
