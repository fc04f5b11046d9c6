from django.urls import path

from c2hub.people import views

PEOPLE = "sites/<slug:slug>/people/"
ORGS = "sites/<slug:slug>/organisations/"
GROUPS = "sites/<slug:slug>/groups/"

urlpatterns = [
    # People
    path(PEOPLE, views.people_list, name="people_list"),
    path(PEOPLE + "people.csv", views.people_csv, name="people_csv"),
    path(PEOPLE + "new/", views.person_create, name="person_create"),
    path(PEOPLE + "add-existing/", views.person_add_existing, name="person_add_existing"),
    path(PEOPLE + "<int:person_id>/", views.person_detail, name="person_detail"),
    path(PEOPLE + "<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path(PEOPLE + "<int:person_id>/consents/new/", views.consent_record, name="consent_record"),
    path(
        PEOPLE + "<int:person_id>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    # Organisations
    path(ORGS, views.organisation_list, name="organisation_list"),
    path(ORGS + "organisations.csv", views.organisation_csv, name="organisation_csv"),
    path(ORGS + "new/", views.organisation_create, name="organisation_create"),
    path(ORGS + "add-existing/", views.organisation_add_existing, name="organisation_add_existing"),
    path(ORGS + "<int:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path(ORGS + "<int:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    # Groups and memberships
    path(GROUPS, views.group_list, name="group_list"),
    path(GROUPS + "groups.csv", views.group_csv, name="group_csv"),
    path(GROUPS + "new/", views.group_create, name="group_create"),
    path(GROUPS + "<int:group_id>/", views.group_detail, name="group_detail"),
    path(GROUPS + "<int:group_id>/edit/", views.group_edit, name="group_edit"),
    path(GROUPS + "<int:group_id>/members/new/", views.membership_add, name="membership_add"),
    path(
        GROUPS + "<int:group_id>/members/<int:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
]
