from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "c2hub.community"
    label = "community"
    verbose_name = "Community groups, activities and volunteering"

    def ready(self) -> None:
        from c2hub.community.models import CommunityGroup
        from c2hub.community.selectors import CRITERION_GROUPS, group_suggestions
        from c2hub.programmes import records, suggestions

        records.register(
            records.RecordSource(
                label="Community group or activity",
                model=CommunityGroup,
                for_site=lambda site: CommunityGroup.objects.filter(site=site).order_by("name", "id"),
            )
        )
        suggestions.register(
            suggestions.SuggestionSource(
                name="community", criterion_keys=frozenset(CRITERION_GROUPS), suggest=group_suggestions
            )
        )
