from django.urls import path

from c2hub.outcomes import views

urlpatterns = [
    path("sites/<slug:slug>/outcomes/", views.site_outcomes, name="site_outcomes"),
    path("sites/<slug:slug>/outcomes/data/<slug:key>.csv", views.site_outcomes_csv, name="site_outcomes_csv"),
    path("sites/<slug:slug>/outcomes/lsoas/", views.site_geography, name="site_geography"),
    path("sites/<slug:slug>/outcomes/comparison-areas/", views.site_comparison_areas, name="site_comparison_areas"),
    path("sites/<slug:slug>/outcomes/changes/", views.site_area_changes, name="site_area_changes"),
    path(
        "sites/<slug:slug>/outcomes/changes/<int:change_id>/delete/",
        views.site_area_change_delete,
        name="site_area_change_delete",
    ),
    path("sites/<slug:slug>/outcomes/evaluations/", views.site_evaluations, name="site_evaluations"),
    path("sites/<slug:slug>/outcomes/evaluations/<int:run_id>/", views.site_evaluation, name="site_evaluation"),
]
