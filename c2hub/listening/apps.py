from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "c2hub.listening"
    label = "listening"
    verbose_name = "The listening event"

    def ready(self) -> None:
        from c2hub.listening.models import ListeningEvent
        from c2hub.programmes.records import RecordSource, register

        # A listening event (with its comments, themes and report) evidences step 3's criteria.
        register(
            RecordSource(
                label="Listening event",
                model=ListeningEvent,
                for_site=lambda site: ListeningEvent.objects.filter(event__site=site).select_related("event"),
            )
        )
