"""API for value for money: the programme's unit-cost library, computing a site's value for money
(every figure with its workings) and its saved scenarios.

The unit-cost library is the programme's (every site of a programme prices with the same figures),
so its paths are under ``/programmes/{slug}``; a site's calculation resolves unit-cost ids in its own
programme's library only. Bad input (a negative rate, shares not adding up to 100%, a horizon of 0
or more than 100 years, an unknown unit cost) is a 422 JSON answer whose ``detail`` says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from c2hub.api.schemas import COMMON_ERRORS, MAX_ID, WRITE_ERRORS, SiteSlug, Text
from c2hub.programmes.selectors import site_get_for_user
from c2hub.value import selectors, services
from c2hub.value.models import Scenario, UnitCost

router = Router(tags=["Value for money"])

ProgrammeSlug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=50, description="The programme's slug.")]
ScenarioId = Annotated[int, Path(ge=1, le=MAX_ID, description="The scenario's id.")]


class UnitCostOut(Schema):
    id: int
    name: str
    cost_of: str
    amount: float
    unit: str
    crime_category: str
    source_citation: str
    source_url: str
    source_year: int
    price_base_year: int
    licence: str
    shares: dict[str, float] = Field(
        ..., description="Bearer → per cent, adding up to 100.", examples=[{"police": 19.73, "unallocated": 80.27}]
    )
    notes: str


class UnitCostIn(Schema):
    name: Text = Field(..., max_length=200)
    cost_of: Text = Field(..., max_length=300)
    amount: float = Field(..., examples=[11320])
    unit: Text = Field("per offence", max_length=60)
    crime_category: Text = Field("", max_length=60)
    source_citation: Text = Field(..., max_length=5000)
    source_url: Text = Field("", max_length=500)
    source_year: int
    price_base_year: int
    licence: Text = Field(..., max_length=200)
    shares: dict[Annotated[str, Field(max_length=40)], float] = Field(
        ...,
        description="Bearer → per cent; bearers: police, nhs, council, education, housing, fire, "
        "criminal_justice, victim_other, unallocated.",
    )
    notes: Text = Field("", max_length=5000)


class RangeIn(Schema):
    low: float | None = None
    central: float | None = None
    high: float | None = None


class OutcomeIn(Schema):
    label: Text = Field("", max_length=200, examples=["Burglary"])
    effect: float = Field(..., description="Change in the count a year; negative = fewer.", examples=[-12])
    ci_low: float | None = Field(None, examples=[-20])
    ci_high: float | None = Field(None, examples=[-3])
    unit_cost_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="From the programme's library; none = not counted."
    )


class ValueIn(Schema):
    outcomes: list[OutcomeIn] = Field(..., max_length=50)
    horizon_years: int = Field(5, description="1 to 100.")
    first_year: int | None = Field(None, ge=1900, le=2200, description="Year 0; default the site's start year.")
    benefits_start_year: int | None = Field(None, ge=1900, le=2200)
    discount_rate_percent: float = Field(
        3.5, description="Default the Green Book's 3.5% (with its long-term schedule)."
    )
    price_year: int | None = Field(None, ge=1900, le=2200)
    deflators: dict[str, float] = Field(
        default_factory=dict, description="Year → GDP deflator index; empty = no uplift."
    )
    costs: dict[str, float] = Field(
        default_factory=dict, description="Year → programme cost; empty = from funding lines."
    )
    assumptions: dict[str, RangeIn] = Field(
        default_factory=dict,
        description="deadweight, attribution, displacement, drop_off, optimism_bias: per cent, low/central/high.",
    )
    commissioner_bearer: str | None = Field(None, max_length=40, description="Default from the commissioner's kind.")
    save: bool = Field(False, description="Also save as a scenario (needs a title).")
    title: Text = Field("", max_length=200)
    illustrative: bool = False
    evaluation_run_id: int | None = Field(None, ge=1, le=MAX_ID)


class ScenarioOut(Schema):
    id: int
    site: str
    title: str
    illustrative: bool
    evaluation_run_id: int | None
    created_at: dt.datetime
    inputs: dict[str, Any]
    results: dict[str, Any]


class ValueOut(Schema):
    scenario_id: int | None = Field(None, description="When saved.")
    results: dict[str, Any] = Field(
        ...,
        description="complete, missing_unit_costs, notes, cases (low, central, high) "
        "each with its figures and their formulas and inputs.",
    )


def _unit_cost_out(c: UnitCost) -> UnitCostOut:
    return UnitCostOut(
        id=c.pk,
        name=c.name,
        cost_of=c.cost_of,
        amount=float(c.amount),
        unit=c.unit,
        crime_category=c.crime_category,
        source_citation=c.source_citation,
        source_url=c.source_url,
        source_year=c.source_year,
        price_base_year=c.price_base_year,
        licence=c.licence,
        shares={k: float(v) for k, v in c.shares.items()},
        notes=c.notes,
    )


def _scenario_out(s: Scenario) -> ScenarioOut:
    return ScenarioOut(
        id=s.pk,
        site=s.site.slug,
        title=s.title,
        illustrative=s.illustrative,
        evaluation_run_id=s.evaluation_run_id,
        created_at=s.created_at,
        inputs=s.inputs,
        results=s.results,
    )


@router.get(
    "/programmes/{programme_slug}/unit-costs",
    response={200: list[UnitCostOut], **COMMON_ERRORS},
    summary="The programme's unit-cost library",
)
def unit_cost_list(request: HttpRequest, programme_slug: ProgrammeSlug) -> list[UnitCostOut]:
    programme = selectors.programme_for_user(request.user, programme_slug, "value.view_unit_costs")
    return [_unit_cost_out(c) for c in selectors.unit_costs(programme)]


@router.post(
    "/programmes/{programme_slug}/unit-costs",
    response={201: UnitCostOut, **WRITE_ERRORS},
    summary="Add a unit cost (programme admins)",
)
def unit_cost_create(
    request: HttpRequest, programme_slug: ProgrammeSlug, payload: UnitCostIn
) -> tuple[int, UnitCostOut]:
    programme = selectors.programme_for_user(request.user, programme_slug, "value.change_unit_costs")
    cost = services.unit_cost_create(actor=request.user, programme=programme, **payload.dict())
    return 201, _unit_cost_out(cost)


@router.post(
    "/sites/{slug}/value-for-money",
    response={200: ValueOut, 201: ValueOut, **WRITE_ERRORS},
    summary="Compute value for money (and optionally save it)",
)
def value_compute(request: HttpRequest, slug: SiteSlug, payload: ValueIn) -> tuple[int, ValueOut]:
    site = site_get_for_user(request.user, slug, "value.run_value_for_money")
    data = payload.dict(exclude={"save", "title", "illustrative", "evaluation_run_id"})
    data["assumptions"] = {k: v for k, v in data["assumptions"].items()}
    if payload.save:
        scenario = services.scenario_save(
            actor=request.user,
            site=site,
            title=payload.title,
            data=data,
            illustrative=payload.illustrative,
            evaluation_run_id=payload.evaluation_run_id,
        )
        return 201, ValueOut(scenario_id=scenario.pk, results=scenario.results)
    return 200, ValueOut(results=services.scenario_compute(actor=request.user, site=site, data=data))


@router.get(
    "/sites/{slug}/value-for-money/scenarios",
    response={200: list[ScenarioOut], **COMMON_ERRORS},
    summary="A site's saved value-for-money scenarios",
)
def scenario_list(request: HttpRequest, slug: SiteSlug) -> list[ScenarioOut]:
    site = site_get_for_user(request.user, slug, "value.view_value_for_money")
    return [_scenario_out(s) for s in selectors.scenarios(site)]


@router.get(
    "/sites/{slug}/value-for-money/scenarios/{scenario_id}",
    response={200: ScenarioOut, **COMMON_ERRORS},
    summary="One saved scenario",
)
def scenario_get(request: HttpRequest, slug: SiteSlug, scenario_id: ScenarioId) -> ScenarioOut:
    site = site_get_for_user(request.user, slug, "value.view_value_for_money")
    return _scenario_out(selectors.scenario_get(site, scenario_id))
