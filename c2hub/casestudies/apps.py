from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "c2hub.casestudies"
    label = "casestudies"
    verbose_name = "Case studies"

    def ready(self) -> None:
        from c2hub.casestudies.models import CaseStudy
        from c2hub.programmes import records

        records.register(
            records.RecordSource(
                label="Case study",
                model=CaseStudy,
                for_site=lambda site: CaseStudy.objects.filter(site=site).order_by("-updated_at"),
            )
        )
