from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "c2hub.commissioning"
    label = "commissioning"
    verbose_name = "The commissioner's view"
