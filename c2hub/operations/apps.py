from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "c2hub.operations"
    label = "operations"
    verbose_name = "Running C2 Hub"
