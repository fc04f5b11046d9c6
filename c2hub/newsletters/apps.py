from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "c2hub.newsletters"
    label = "newsletters"
    verbose_name = "Newsletter and public partnership page"

    def ready(self) -> None:
        from c2hub.newsletters.models import IssueStatus, NewsletterIssue
        from c2hub.newsletters.selectors import CHANNEL_CRITERIA, newsletter_suggestions
        from c2hub.programmes import records, suggestions

        records.register(
            records.RecordSource(
                label="Newsletter",
                model=NewsletterIssue,
                for_site=lambda site: NewsletterIssue.objects.filter(site=site, status=IssueStatus.PUBLISHED),
            )
        )
        suggestions.register(
            suggestions.SuggestionSource(
                name="newsletters", criterion_keys=CHANNEL_CRITERIA, suggest=newsletter_suggestions
            )
        )
