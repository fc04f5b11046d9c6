from django.apps import AppConfig


class WinsConfig(AppConfig):
    name = "c2hub.wins"
    label = "wins"
    verbose_name = "Wins and funding bids"
