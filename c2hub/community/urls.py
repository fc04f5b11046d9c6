from django.urls import path

from c2hub.community import views

GROUPS = "sites/<slug:slug>/community-groups/"
GROUP = GROUPS + "<int:group_id>/"

urlpatterns = [
    path(GROUPS, views.group_list, name="community_group_list"),
    path(GROUPS + "new/", views.group_create, name="community_group_create"),
    path(GROUPS + "coverage/", views.coverage_page, name="community_coverage"),
    path(GROUPS + "coverage/evidence/", views.coverage_evidence, name="community_coverage_evidence"),
    path(GROUPS + "volunteering-value/", views.volunteering_value_edit, name="volunteering_value"),
    path(GROUP, views.group_detail, name="community_group_detail"),
    path(GROUP + "edit/", views.group_edit, name="community_group_edit"),
    path(GROUP + "participation/", views.participation_save, name="participation_save"),
    path(GROUP + "participation/csv/", views.participation_import, name="participation_import"),
    path(GROUP + "evidence/", views.group_evidence, name="community_group_evidence"),
]
