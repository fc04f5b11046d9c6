from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "c2hub.listening"
    label = "listening"
    verbose_name = "The listening event"
