from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "c2hub.api"
    label = "c2hub_api"
    verbose_name = "API"
