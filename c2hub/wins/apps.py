from django.apps import AppConfig


class WinsConfig(AppConfig):
    name = "c2hub.wins"
    label = "wins"
    verbose_name = "Wins and funding bids"

    def ready(self) -> None:
        from c2hub.programmes import records, suggestions
        from c2hub.wins.models import Win
        from c2hub.wins.selectors import CRITERION_WINS, win_suggestions

        records.register(
            records.RecordSource(
                label="Win",
                model=Win,
                for_site=lambda site: Win.objects.filter(site=site).order_by("-won_on", "-id"),
            )
        )
        suggestions.register(
            suggestions.SuggestionSource(name="wins", criterion_keys=frozenset(CRITERION_WINS), suggest=win_suggestions)
        )
