"""API for a site's neighbourhood indicators and evaluations (mounted at the API root).

`GET /sites/{slug}/indicators?indicator=crime[&type=…]` gives the site's monthly crime counts
(small numbers suppressed for commissioners, exactly as on the page); `POST /sites/{slug}/evaluations`
queues an evaluation and `GET /sites/{slug}/evaluations/{id}` gives its status and result.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from c2hub.api.schemas import COMMON_ERRORS, MAX_ID, WRITE_ERRORS, SiteSlug, Text
from c2hub.areas import queries
from c2hub.outcomes import selectors, services
from c2hub.outcomes.models import EvaluationRun
from c2hub.programmes.selectors import site_get_for_user

router = Router(tags=["Outcomes"])

RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="The evaluation run's id.")]


class IndicatorQuery(Schema):
    indicator: Literal["crime"] = Field("crime", description="Only `crime` (police.uk) for now.")
    type: Text | None = Field(None, max_length=100, description="A crime type, e.g. `Burglary`; all types if left out.")


class CrimePointOut(Schema):
    month: str = Field(..., examples=["2024-01"])
    crime_type: str = Field(..., examples=["Burglary"])
    count: int | None = Field(..., description="None when withheld (small-number suppression).", examples=[12])
    label: str = Field(..., description='As shown: "12", "<5" or "[c]".', examples=["12"])


class IndicatorsOut(Schema):
    site: str
    indicator: str
    lsoas: list[str]
    suppressed: bool = Field(..., description="True when small numbers are hidden for you (commissioners).")
    threshold: int = Field(..., examples=[5])
    series: list[CrimePointOut]


class EvaluationIn(Schema):
    treatment_start: dt.date = Field(..., description="When C2 could first have made a difference.",
                                     examples=["2024-03-01"])
    method: Literal["did", "synthetic_control", "both"] = "both"
    crime_type: Text = Field("", max_length=100, description="A crime type; all crime if empty.")
    treatment_label: Text = Field("", max_length=200, examples=["Step 3 complete"])


class EvaluationOut(Schema):
    id: int
    status: str = Field(..., description="queued, running, finished or failed")
    progress: int = Field(..., description="Per cent done.")
    progress_message: str
    method: str
    crime_type: str
    treatment_start: dt.date
    site_lsoas: list[str]
    comparison_lsoas: list[str]
    error: str
    result: dict[str, Any] | None = Field(None, description="The methods' results, MDE and verdicts when finished.")
    url: str


def _evaluation_out(request: HttpRequest, run: EvaluationRun, *, suppressed: bool) -> EvaluationOut:
    result: dict[str, Any] | None = run.result or None
    if result and suppressed and "did" in result:
        threshold = selectors.suppression_threshold()
        did = dict(result["did"])
        for key in ("treated_counts", "comparison_counts"):
            did[key] = {k: (None if 1 <= round(v) < threshold else v) for k, v in did.get(key, {}).items()}
        result = {**result, "did": did}
    if result and suppressed and "synthetic_control" in result:
        threshold = selectors.suppression_threshold()
        sc = dict(result["synthetic_control"])
        people = sc.get("site_population") or 0
        small = {
            m for m, rate in sc.get("treated", {}).items() if people and 1 <= round(rate * people / 1000) < threshold
        }
        sc["treated"] = {m: (None if m in small else v) for m, v in sc.get("treated", {}).items()}
        sc["gaps"] = {m: (None if m in small else v) for m, v in sc.get("gaps", {}).items()}
        result = {**result, "synthetic_control": sc}
    return EvaluationOut(
        id=run.pk, status=run.status, progress=run.progress, progress_message=run.progress_message,
        method=run.method, crime_type=run.crime_type, treatment_start=run.treatment_start,
        site_lsoas=list(run.site_lsoas), comparison_lsoas=list(run.comparison_lsoas), error=run.error,
        result=result,
        url=request.build_absolute_uri(f"/api/v1/sites/{run.site.slug}/evaluations/{run.pk}"),
    )


@router.get("/sites/{slug}/indicators", response={200: IndicatorsOut, **COMMON_ERRORS},
            summary="A site's monthly indicator series")
def site_indicators(request: HttpRequest, slug: SiteSlug, query: Query[IndicatorQuery]) -> IndicatorsOut:
    """Monthly crime and anti-social behaviour counts in the site's LSOAs, per crime type, with the
    total over all types ("All crime and anti-social behaviour"). Commissioners get the suppressed view."""
    site = site_get_for_user(request.user, slug, "outcomes.view_indicators")
    if query.type and query.type not in queries.crime_types():
        known = ", ".join(queries.crime_types())
        raise ValidationError({"type": f"No crime type {query.type!r}. Known types: {known}."})
    suppressed = selectors.counts_suppressed(request.user, site)
    return IndicatorsOut(
        site=site.slug, indicator=query.indicator, lsoas=list(site.lsoa_codes), suppressed=suppressed,
        threshold=selectors.suppression_threshold(),
        series=[CrimePointOut(**p) for p in selectors.crime_series(site, crime_type=query.type, suppressed=suppressed)],
    )


@router.post("/sites/{slug}/evaluations", response={202: EvaluationOut, **WRITE_ERRORS}, summary="Run an evaluation")
def evaluation_create(request: HttpRequest, slug: SiteSlug, payload: EvaluationIn) -> tuple[int, EvaluationOut]:
    """Queue a difference-in-differences and/or synthetic-control evaluation of the site against its
    accepted comparison areas (a background task: poll the returned `url`)."""
    site = site_get_for_user(request.user, slug, "outcomes.run_evaluation")
    run = services.evaluation_request(
        actor=request.user, site=site, treatment_start=payload.treatment_start, method=payload.method,
        crime_type=payload.crime_type, treatment_label=payload.treatment_label,
    )
    return 202, _evaluation_out(request, run, suppressed=selectors.counts_suppressed(request.user, site))


@router.get("/sites/{slug}/evaluations/{run_id}", response={200: EvaluationOut, **COMMON_ERRORS},
            summary="An evaluation's status and result")
def evaluation_get(request: HttpRequest, slug: SiteSlug, run_id: RunId) -> EvaluationOut:
    site = site_get_for_user(request.user, slug, "outcomes.view_indicators")
    run = selectors.evaluation_get(site, run_id)
    return _evaluation_out(request, run, suppressed=selectors.counts_suppressed(request.user, site))
