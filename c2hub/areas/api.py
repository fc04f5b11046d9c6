"""API for the area-statistics store: one LSOA's indicators and deprivation (``GET /areas/{lsoa}``).

Public statistics only — no personal data lives in the store — so any signed-in user may read it.
"""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema

from c2hub.api.schemas import COMMON_ERRORS
from c2hub.areas import queries

router = Router(tags=["Areas"])

LsoaCode = Annotated[str, Path(max_length=20, description="A 2021 LSOA code.", examples=["E01018865"])]


class DeprivationOut(Schema):
    edition: int = Field(..., examples=[2025])
    domain: str = Field(..., examples=["imd"], description="imd (the overall index) or a domain key.")
    domain_label: str = Field(..., examples=["Index of Multiple Deprivation"])
    score: float | None
    rank: int | None = Field(..., description="1 is the most deprived LSOA in England.")
    decile: int | None = Field(..., description="1 is the most deprived 10%.")
    percentile: float | None = Field(..., description="National percentile of the rank (low is deprived).")
    approximate: bool = Field(..., description="Combined from several 2011 LSOAs (population-weighted).")


class CrimeOut(Schema):
    month: str = Field(..., examples=["2024-01"])
    crime_type: str = Field(..., examples=["Anti-social behaviour"])
    count: float


class PopulationOut(Schema):
    year: int
    age_band: str = Field(..., examples=["0-15"])
    count: float


class IndicatorValueOut(Schema):
    indicator: str
    label: str
    unit: str
    source: str
    licence: str
    higher_is_better: bool | None
    period: str
    value: float
    numerator: float | None
    denominator: float | None


class AreaOut(Schema):
    """An LSOA (2021): where it is, its deprivation in every edition held, its population, its
    crime and anti-social behaviour per month and type, and every generic indicator held for it."""

    lsoa: str = Field(..., examples=["E01018865"])
    name: str = Field(..., examples=["Cornwall 052A"])
    ward_code: str
    ward_name: str
    lad_code: str
    lad_name: str
    force: str | None
    rural_urban: str | None
    neighbours: list[str] = Field(..., description="LSOAs whose boundaries touch this one (if imported).")
    deprivation: list[DeprivationOut]
    population: list[PopulationOut]
    crime: list[CrimeOut]
    indicators: list[IndicatorValueOut]


def _none(value: object) -> object:
    return None if value is None or value != value else value  # NaN → None


@router.get("/areas/{lsoa}", response={200: AreaOut, **COMMON_ERRORS}, summary="An area (LSOA)")
def area_detail(request: HttpRequest, lsoa: LsoaCode) -> AreaOut:
    """One LSOA's indicators and deprivation editions. 404 for a code the lookups do not know."""
    info = queries.area(lsoa.strip().upper())
    if info is None:
        raise Http404(f"No LSOA {lsoa!r} in the lookups (2021 codes, like E01018865).")
    domains = queries.deprivation_domains()
    dep = queries.deprivation([info.lsoa])
    metas = {m.indicator: m for m in queries.indicators()}
    values = queries.indicators_for_area(info.lsoa)
    return AreaOut(
        lsoa=info.lsoa,
        name=info.name,
        ward_code=info.ward_code,
        ward_name=info.ward_name,
        lad_code=info.lad_code,
        lad_name=info.lad_name,
        force=info.force,
        rural_urban=info.rural_urban,
        neighbours=sorted(queries.adjacent_lsoas([info.lsoa])),
        deprivation=[
            DeprivationOut(
                edition=int(r.edition),
                domain=r.domain,
                domain_label=domains.get(r.domain, r.domain),
                score=_none(r.score),
                rank=_none(r.rank),
                decile=_none(r.decile),
                percentile=_none(r.percentile),
                approximate=bool(r.approximate),
            )
            for r in dep.itertuples()
        ],
        population=[
            PopulationOut(year=int(r.year), age_band=r.age_band, count=float(r.count))
            for r in queries.population([info.lsoa]).itertuples()
        ],
        crime=[
            CrimeOut(month=r.month, crime_type=r.crime_type, count=float(r.count))
            for r in queries.crime_counts([info.lsoa]).itertuples()
        ],
        indicators=[
            IndicatorValueOut(
                indicator=r.indicator,
                label=metas[r.indicator].label if r.indicator in metas else r.indicator,
                unit=metas[r.indicator].unit if r.indicator in metas else "",
                source=metas[r.indicator].source if r.indicator in metas else "",
                licence=metas[r.indicator].licence if r.indicator in metas else "",
                higher_is_better=metas[r.indicator].higher_is_better if r.indicator in metas else None,
                period=r.period,
                value=float(r.value),
                numerator=_none(r.numerator),
                denominator=_none(r.denominator),
            )
            for r in values.itertuples()
        ],
    )
