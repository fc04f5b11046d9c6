from django.urls import path

from c2hub.value import views

LIBRARY = "programmes/<slug:programme_slug>/unit-costs/"
VALUE = "sites/<slug:slug>/value-for-money/"

urlpatterns = [
    path(LIBRARY, views.unit_cost_list, name="unit_cost_list"),
    path(LIBRARY + "new/", views.unit_cost_create, name="unit_cost_create"),
    path(LIBRARY + "import/", views.unit_cost_import, name="unit_cost_import"),
    path(LIBRARY + "home-office/", views.unit_cost_home_office, name="unit_cost_home_office"),
    path(LIBRARY + "export.csv", views.unit_cost_csv, name="unit_cost_csv"),
    path(LIBRARY + "<int:unit_cost_id>/edit/", views.unit_cost_edit, name="unit_cost_edit"),
    path(VALUE, views.value_for_money, name="value_for_money"),
    path(VALUE + "scenarios/<int:scenario_id>/", views.scenario_detail, name="value_scenario"),
    path(VALUE + "scenarios/<int:scenario_id>/export.csv", views.scenario_csv, name="value_scenario_csv"),
]
