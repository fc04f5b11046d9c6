from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "c2hub.reports"
    label = "reports"
    verbose_name = "Reports for boards and commissioners"
