"""Every read for value for money: the programme's unit-cost library, a site's programme costs from
its funding lines, the evaluation runs an effect can be taken from, and saved scenarios."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from c2hub.outcomes.models import EvaluationRun
from c2hub.people.models import OrganisationKind
from c2hub.programmes.models import FundingLine, Programme, Site
from c2hub.value.calculation import effect_from_did
from c2hub.value.models import Scenario, UnitCost

#: The bearer a commissioning organisation of each kind is (for "savings to the commissioner").
BEARER_OF_KIND: dict[str, str] = {
    OrganisationKind.ICB: "nhs",
    OrganisationKind.NHS_PROVIDER: "nhs",
    OrganisationKind.COUNCIL: "council",
    OrganisationKind.POLICE: "police",
    OrganisationKind.FIRE: "fire",
    OrganisationKind.HOUSING: "housing",
    OrganisationKind.EDUCATION: "education",
}
#: Funding lines counted as the programme's costs (a declined bid cost nothing).
COUNTED_FUNDING = (FundingLine.Status.AWARDED, FundingLine.Status.PENDING, FundingLine.Status.PLANNED)


def unit_costs(programme: Programme) -> QuerySet[UnitCost]:
    return UnitCost.objects.filter(programme=programme).order_by("name")


def unit_cost_get(programme: Programme, unit_cost_id: int) -> UnitCost:
    found = UnitCost.objects.filter(programme=programme, pk=unit_cost_id).first()
    if found is None:
        raise Http404("No such unit cost in this programme")
    return found


def programme_for_user(user: Any, slug: str, perm: str = "value.view_unit_costs") -> Programme:
    """The programme with this slug if the user works in one of its sites (else 404); with ``perm``
    (else 403)."""
    from django.core.exceptions import PermissionDenied

    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not user.has_perm("value.view_unit_costs", programme):
        raise Http404("No such programme")
    if not user.has_perm(perm, programme):
        raise PermissionDenied("You do not have permission to do this.")
    return programme


def commissioner_bearer(site: Site) -> str:
    org = site.commissioner
    return BEARER_OF_KIND.get(org.kind, "") if org is not None else ""


def _year_split(start: dt.date, end: dt.date) -> dict[int, float]:
    """The share of [start, end] (inclusive) falling in each calendar year, by days."""
    days = (end - start).days + 1
    shares: dict[int, float] = {}
    for year in range(start.year, end.year + 1):
        lo, hi = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        shares[year] = ((hi - lo).days + 1) / days
    return shares


def funding_costs(site: Site) -> tuple[dict[int, float], list[dict[str, Any]]]:
    """Programme costs by calendar year from the site's funding lines (awarded, pending and planned;
    not declined), spread over their dates by days; and the lines used, to show the workings."""
    by_year: dict[int, float] = {}
    used: list[dict[str, Any]] = []
    for line in site.funding_lines.select_related("funder").order_by("starts_on", "id"):
        if line.amount is None or line.status not in COUNTED_FUNDING:
            continue
        start = line.starts_on or site.start_date
        end = line.ends_on if line.ends_on and line.ends_on >= start else start
        split = _year_split(start, end)
        for year, share in split.items():
            by_year[year] = by_year.get(year, 0.0) + float(line.amount) * share
        used.append(
            {
                "description": line.description,
                "funder": line.funder_label,
                "status": line.get_status_display(),
                "amount": float(line.amount),
                "starts_on": start.isoformat(),
                "ends_on": end.isoformat(),
                "years": {str(y): round(float(line.amount) * s, 2) for y, s in split.items()},
            }
        )
    return by_year, used


def evaluation_effects(site: Site) -> list[dict[str, Any]]:
    """Finished runs with a difference-in-differences result, each with the effect a year it implies."""
    rows = []
    for run in EvaluationRun.objects.filter(site=site, status=EvaluationRun.Status.FINISHED).order_by("-requested_at"):
        effect = effect_from_did(run.result or {}, str(run.result.get("treatment_start", "")))
        if effect is not None:
            rows.append(
                {
                    "run": run,
                    "id": run.pk,
                    "outcome": run.result.get("outcome", run.crime_type or "crime"),
                    "crime_type": run.crime_type,
                    "treatment_start": run.treatment_start,
                    **effect,
                }
            )
    return rows


def evaluation_effect(site: Site, run_id: int) -> dict[str, Any]:
    for row in evaluation_effects(site):
        if row["id"] == run_id:
            return row
    raise Http404("No finished evaluation run with an effect on counts for this site")


def scenarios(site: Site) -> QuerySet[Scenario]:
    return Scenario.objects.filter(site=site).select_related("created_by").order_by("-created_at", "-id")


def scenario_get(site: Site, scenario_id: int) -> Scenario:
    found = Scenario.objects.filter(site=site, pk=scenario_id).first()
    if found is None:
        raise Http404("No such scenario for this site")
    return found


def unit_cost_rows(costs: Iterable[UnitCost]) -> list[list[Any]]:
    """The library as CSV rows (the same columns the import reads)."""
    return [
        [
            c.name,
            c.cost_of,
            Decimal(c.amount),
            c.unit,
            c.crime_category,
            c.source_citation,
            c.source_url,
            c.source_year,
            c.price_base_year,
            c.licence,
            ";".join(f"{k}={v}" for k, v in c.shares.items()),
            c.notes,
        ]
        for c in costs
    ]
