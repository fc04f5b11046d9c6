from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "c2hub.community"
    label = "community"
    verbose_name = "Community groups, activities and volunteering"
