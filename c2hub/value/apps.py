from django.apps import AppConfig


class ValueConfig(AppConfig):
    name = "c2hub.value"
    label = "value"
    verbose_name = "Value for money: unit costs and scenarios"

    def ready(self) -> None:
        from c2hub.programmes import records
        from c2hub.value.models import Scenario

        # A saved scenario can be linked as evidence (e.g. for a board's value-for-money question).
        records.register(
            records.RecordSource(
                label="Value-for-money scenario",
                model=Scenario,
                for_site=lambda site: Scenario.objects.filter(site=site).order_by("-created_at"),
            )
        )
