from django.apps import AppConfig


class ValueConfig(AppConfig):
    name = "c2hub.value"
    label = "value"
    verbose_name = "Value for money: unit costs and scenarios"
