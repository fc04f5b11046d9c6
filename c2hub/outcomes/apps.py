from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "c2hub.outcomes"
    label = "outcomes"
    verbose_name = "Neighbourhood outcomes and comparison areas"
