from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "c2hub.actions"
    label = "actions"
    verbose_name = "The action plan: objectives, actions, updates and agency responsiveness"
