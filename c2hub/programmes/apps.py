from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "c2hub.programmes"
    label = "programmes"
    verbose_name = "Programmes, sites and the pathway"
