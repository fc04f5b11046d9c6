from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "c2hub.events"
    label = "events"
    verbose_name = "Events, meetings, walkabouts and the learning programme"
