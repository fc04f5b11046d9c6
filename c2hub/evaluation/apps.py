from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "c2hub.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation methods (difference-in-differences, synthetic control)"
