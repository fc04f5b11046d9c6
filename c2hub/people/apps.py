from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "c2hub.people"
    label = "people"
    verbose_name = "People, organisations and groups"

    def ready(self) -> None:
        from c2hub.people.models import Group
        from c2hub.programmes.records import RecordSource, register

        # A group (e.g. the Strategic Steering Network) can evidence a pathway criterion.
        register(
            RecordSource(
                label="Group", model=Group, for_site=lambda site: Group.objects.filter(site=site)
            )
        )
