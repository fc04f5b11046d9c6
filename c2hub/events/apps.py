from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "c2hub.events"
    label = "events"
    verbose_name = "Events, meetings, walkabouts and the learning programme"

    def ready(self) -> None:
        from c2hub.events.models import Event, WalkaboutFinding
        from c2hub.events.selectors import CRITERION_EVENTS, event_suggestions
        from c2hub.programmes import records, suggestions

        records.register(
            records.RecordSource(
                label="Event",
                model=Event,
                for_site=lambda site: Event.objects.filter(site=site).order_by("-starts_at"),
            )
        )
        records.register(
            records.RecordSource(
                label="Walkabout finding",
                model=WalkaboutFinding,
                for_site=lambda site: WalkaboutFinding.objects.filter(event__site=site).select_related("event"),
            )
        )
        suggestions.register(
            suggestions.SuggestionSource(
                name="events", criterion_keys=frozenset(CRITERION_EVENTS), suggest=event_suggestions
            )
        )
