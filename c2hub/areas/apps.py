from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "c2hub.areas"
    label = "areas"
    verbose_name = "Area statistics (the public-data store)"
