"""Neighbourhood outcomes for the demo sites: comparison areas, a change in Camborne's area and one
finished evaluation, so the outcomes pages show real 2024 crime, comparisons and a verdict.

Runs after the area statistics are imported (``demo.areas.demo_areas_ensure``). Idempotent: a
site that already has comparison areas, the change or a finished evaluation is left as it is.
"""

from __future__ import annotations

import datetime as dt

from c2hub.areas import queries
from c2hub.outcomes import services
from c2hub.outcomes.models import AreaChange, ComparisonArea, EvaluationRun
from c2hub.programmes.models import Site

CAMBORNE = "camborne"
REGENERATION = "£2.2m housing regeneration"
#: The demo's crime runs from January to April 2024, so its evaluation starts in March 2024 (two
#: months before, two after): far too short to tell, which is what the verdict says.
DEMO_TREATMENT_START = dt.date(2024, 3, 1)


def demo_outcomes_ensure(sites: dict[str, Site] | None = None) -> str:
    """Comparison areas for every demo site with LSOAs, Camborne's change and evaluation."""
    if not queries.crime_months():
        return "Outcomes: no crime in the area statistics, nothing to do."
    sites = sites or {s.slug: s for s in Site.objects.all()}
    made = []
    for site in sites.values():
        site.refresh_from_db()
        if not site.lsoa_codes or ComparisonArea.objects.filter(site=site).exists():
            continue
        services.comparison_suggest(actor=None, site=site)
        made.append(f"{site.name} ({services.comparison_accept_all(actor=None, site=site)})")
    camborne = sites.get(CAMBORNE)
    if camborne is not None and camborne.lsoa_codes:
        if not AreaChange.objects.filter(site=camborne, title=REGENERATION).exists():
            services.area_change_add(
                actor=None, site=camborne, title=REGENERATION, starts_on=dt.date(2024, 2, 12),
                description="An example for the demo, not a real scheme: record the real changes in the area.",
            )
        if not EvaluationRun.objects.filter(site=camborne, status=EvaluationRun.Status.FINISHED).exists():
            run = services.evaluation_request(
                actor=None, site=camborne, treatment_start=DEMO_TREATMENT_START, enqueue=False,
                treatment_label="Demo: a start inside the months of crime the demo holds",
            )
            services.evaluation_execute(run)
    return "Outcomes: comparison areas for " + (", ".join(made) if made else "no new sites") + "."
