from django.urls import path

from c2hub.actions import views

ACTIONS = "sites/<slug:slug>/actions/"
ACTION = ACTIONS + "<int:action_id>/"

urlpatterns = [
    path(ACTIONS, views.action_plan, name="action_plan"),
    path(ACTIONS + "new/", views.action_create, name="action_create"),
    path(ACTIONS + "priorities/", views.priorities_page, name="action_priorities"),
    path(ACTIONS + "objectives/new/", views.objective_create, name="objective_create"),
    path(ACTIONS + "responsiveness/", views.responsiveness_page, name="responsiveness"),
    path(ACTIONS + "responsiveness/evidence/", views.responsiveness_evidence, name="responsiveness_evidence"),
    path(ACTION, views.action_detail, name="action_detail"),
    path(ACTION + "edit/", views.action_edit, name="action_edit"),
    path(ACTION + "updates/", views.update_add, name="action_update_add"),
    path(ACTION + "evidence/", views.action_evidence, name="action_evidence"),
    path("sites/<slug:slug>/you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
]
