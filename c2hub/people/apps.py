from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "c2hub.people"
    label = "people"
    verbose_name = "People, organisations and groups"
