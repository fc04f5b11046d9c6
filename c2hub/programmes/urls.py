from django.urls import path

from c2hub.programmes import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("programmes/<slug:programme_slug>/sites/new/", views.site_create, name="site_create"),
    path("sites/<slug:slug>/", views.site_overview, name="site_overview"),
    path("sites/<slug:slug>/edit/", views.site_edit, name="site_edit"),
    path("sites/<slug:slug>/funding/new/", views.funding_line_add, name="funding_line_add"),
    path("sites/<slug:slug>/pathway/steps/<int:number>/due/", views.step_due_date, name="step_due_date"),
    path("sites/<slug:slug>/timeline/", views.timeline, name="site_timeline"),
    path("sites/<slug:slug>/pathway/", views.pathway, name="site_pathway"),
    path("sites/<slug:slug>/pathway/criteria/<int:criterion_id>/", views.criterion_detail, name="criterion_detail"),
    path(
        "sites/<slug:slug>/pathway/criteria/<int:criterion_id>/evidence/",
        views.evidence_add,
        name="evidence_add",
    ),
    path(
        "sites/<slug:slug>/pathway/evidence/<int:evidence_id>/verify/",
        views.evidence_verify,
        name="evidence_verify",
    ),
    path(
        "sites/<slug:slug>/pathway/evidence/<int:evidence_id>/file/",
        views.evidence_file,
        name="evidence_file",
    ),
    path("sites/<slug:slug>/pathway/steps/<int:number>/complete/", views.step_complete, name="step_complete"),
    path("sites/<slug:slug>/pathway/steps/<int:number>/reopen/", views.step_reopen, name="step_reopen"),
]
