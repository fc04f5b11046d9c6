from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "c2hub.actions"
    label = "actions"
    verbose_name = "The action plan: objectives, actions, updates and agency responsiveness"

    def ready(self) -> None:
        from c2hub.actions.models import Action, Objective
        from c2hub.actions.suggestions import CRITERION_KEYS, action_suggestions
        from c2hub.programmes import records, suggestions

        records.register(
            records.RecordSource(
                label="Action",
                model=Action,
                for_site=lambda site: Action.objects.filter(site=site).order_by("-updated_at", "-id"),
            )
        )
        records.register(
            records.RecordSource(
                label="Objective",
                model=Objective,
                for_site=lambda site: Objective.objects.filter(site=site).order_by("order", "id"),
            )
        )
        suggestions.register(
            suggestions.SuggestionSource(name="actions", criterion_keys=CRITERION_KEYS, suggest=action_suggestions)
        )
