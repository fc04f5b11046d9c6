"""Writes for neighbourhood outcomes: a site's LSOAs, its comparison areas, changes in the area and
evaluation runs. Each checks its permission (so pages, API and CLI agree), runs in one transaction
and is attributed to the actor in the audit log."""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require, signed_in_user
from c2hub.areas import queries, store
from c2hub.outcomes.models import AreaChange, ComparisonArea, EvaluationRun
from c2hub.programmes import services as programme_services
from c2hub.programmes.models import PathwayEvent, Site

logger = logging.getLogger(__name__)
LSOA_PATTERN = re.compile(r"^[EW]01\d{6}$")
#: Comparison areas suggested per site LSOA.
SUGGESTIONS_PER_LSOA = 3
#: Months of crime needed before and after the treatment start for an evaluation.
MIN_PRE_MONTHS = 2
MIN_POST_MONTHS = 1
MIN_COMPARISON_AREAS = 2


def split_codes(text: str) -> list[str]:
    """LSOA codes typed or pasted: separated by spaces, commas, semicolons or new lines."""
    return [c for c in re.split(r"[\s,;]+", (text or "").strip().upper()) if c]


# The site's LSOAs ------------------------------------------------------------------------------
@dataclass
class GeographyChange:
    """What setting a site's LSOAs did: the codes kept, and the 2011 codes turned into 2021 ones."""

    lsoas: list[str]
    reconciled: dict[str, list[str]] = field(default_factory=dict)


def reconcile_lsoas(codes: Sequence[str], *, field_name: str = "lsoa_codes") -> GeographyChange:
    """2021 codes for typed codes: 2011 codes become the 2021 LSOAs they became; anything else
    (a malformed code, a code the lookups do not know) is a ValidationError naming the codes."""
    cleaned = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    malformed = [c for c in cleaned if not LSOA_PATTERN.match(c)]
    if malformed:
        raise ValidationError(
            {field_name: f"Not LSOA codes (an LSOA code looks like E01018865): {', '.join(malformed)}."}
        )
    if not store.has("lsoa21_geo"):
        raise ValidationError(
            {field_name: "The area lookups have not been imported yet, so codes cannot be checked. "
                         "A programme admin can import them (c2hub import lookup)."}
        )
    not_2021 = set(queries.unknown_lsoas(cleaned))
    reconciled: dict[str, list[str]] = {}
    unknown: list[str] = []
    for code in cleaned:
        if code in not_2021:
            successors = queries.to_lsoa21([code])
            if successors:
                reconciled[code] = successors
            else:
                unknown.append(code)
    if unknown:
        raise ValidationError({field_name: f"Unknown LSOA codes (neither 2011 nor 2021): {', '.join(unknown)}."})
    result: list[str] = []
    for code in cleaned:
        for new in reconciled.get(code, [code]):
            if new not in result:
                result.append(new)
    return GeographyChange(lsoas=sorted(result), reconciled=reconciled)


def site_lsoas_set(*, actor: Any, site: Site, codes: Sequence[str]) -> GeographyChange:
    """Set the site's LSOAs (2021 codes; 2011 codes are reconciled). Comparison areas that are now
    inside the site are removed from the comparison."""
    require(actor, "outcomes.change_geography", site)
    change = reconcile_lsoas(codes)
    if not change.lsoas:
        raise ValidationError({"lsoa_codes": "Give at least one LSOA."})
    with transaction.atomic(), acting_as(actor):
        programme_services.site_update(actor=actor, site=site, lsoa_codes=change.lsoas)
        for area in ComparisonArea.objects.filter(site=site, lsoa__in=change.lsoas):
            area.delete()
    return change


def site_lsoas_from_wards(*, actor: Any, site: Site) -> GeographyChange:
    """Set the site's LSOAs to those of its wards (ONS best fit)."""
    require(actor, "outcomes.change_geography", site)
    ward_codes = [w.get("code", "") for w in site.wards if w.get("code")]
    if not ward_codes:
        raise ValidationError({"lsoa_codes": "The site has no wards: add them on the site's details first."})
    codes = queries.lsoas_in_wards(ward_codes)
    if not codes:
        raise ValidationError({"lsoa_codes": f"The lookups have no LSOAs for the wards {', '.join(ward_codes)}."})
    return site_lsoas_set(actor=actor, site=site, codes=codes)


# Comparison areas ------------------------------------------------------------------------------
def _other_sites_lsoas(site: Site) -> set[str]:
    taken: set[str] = set()
    for codes in Site.objects.exclude(pk=site.pk).values_list("lsoa_codes", flat=True):
        taken.update(codes or [])
    return taken


def _population(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return int(value)


def _rural_urban_text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def match_reasons(candidate: dict[str, Any], matched_to: dict[str, Any], *, adjacent: bool, other_site: bool) -> str:
    """Why an LSOA is comparable with one of the site's, in plain words."""
    parts: list[str] = []
    c_decile, s_decile = candidate.get("imd_decile"), matched_to.get("imd_decile")
    if c_decile is not None and s_decile is not None and not pd.isna(c_decile) and not pd.isna(s_decile):
        parts.append(
            f"same IMD decile {int(c_decile)}" if int(c_decile) == int(s_decile)
            else f"IMD decile {int(c_decile)} vs {int(s_decile)}"
        )
    else:
        parts.append("IMD decile unknown")
    c_class, s_class = _rural_urban_text(candidate.get("rural_urban")), _rural_urban_text(matched_to.get("rural_urban"))
    if c_class and c_class == s_class:
        parts.append(c_class.lower())
    elif c_class or s_class:
        parts.append(f"{(c_class or 'class unknown').lower()} vs {(s_class or 'class unknown').lower()}")
    c_pop, s_pop = _population(candidate.get("population")), _population(matched_to.get("population"))
    parts.append(
        f"population {c_pop:,} vs {s_pop:,}" if c_pop is not None and s_pop is not None else "population unknown"
    )
    text = ", ".join(parts)
    flags = ["adjacent to the site" if adjacent else "not adjacent", "in another C2 site" if other_site else ""]
    return f"{text}; {'; '.join(f for f in flags if f)}; compared with {matched_to['lsoa']}"


def _distance(candidate: pd.Series, target: pd.Series) -> float:
    decile = 2.0 * abs(float(candidate.imd_decile) - float(target.imd_decile)) \
        if not (pd.isna(candidate.imd_decile) or pd.isna(target.imd_decile)) else 10.0
    rural = 0.0 if _rural_urban_text(candidate.rural_urban) == _rural_urban_text(target.rural_urban) else 3.0
    if pd.isna(candidate.population) or pd.isna(target.population) or not candidate.population or not target.population:
        size = 3.0
    else:
        size = abs(math.log(float(candidate.population) / float(target.population)))
    return decile + rural + size


def comparison_candidates(site: Site, *, per_lsoa: int = SUGGESTIONS_PER_LSOA) -> list[dict[str, Any]]:
    """The closest LSOAs to each of the site's (same deprivation decile and rural–urban class,
    nearest population), leaving out the site, its neighbours, other C2 sites and removed areas."""
    site_codes = list(site.lsoa_codes)
    if not site_codes:
        return []
    everything = queries.all_lsoas()
    if everything.empty:
        return []
    excluded = set(site_codes) | queries.adjacent_lsoas(site_codes) | _other_sites_lsoas(site)
    excluded |= set(ComparisonArea.objects.filter(site=site).values_list("lsoa", flat=True))
    targets = everything[everything.lsoa.isin(site_codes)]
    pool = everything[~everything.lsoa.isin(excluded) & everything.lsoa.str.startswith(site_codes[0][0])]
    chosen: dict[str, dict[str, Any]] = {}
    for target in targets.itertuples(index=False):
        same_class = pool[pool.rural_urban == target.rural_urban] if not pd.isna(target.rural_urban) else pool
        if same_class.empty:
            same_class = pool
        scored = sorted(
            ((_distance(row, target), row) for row in same_class.itertuples(index=False) if row.lsoa not in chosen),
            key=lambda pair: (pair[0], pair[1].lsoa),
        )
        for score, row in scored[:per_lsoa]:
            candidate = row._asdict()
            chosen[row.lsoa] = {
                **candidate,
                "score": round(score, 4),
                "reasons": match_reasons(candidate, target._asdict(), adjacent=False, other_site=False),
            }
    return sorted(chosen.values(), key=lambda c: (c["score"], c["lsoa"]))


def comparison_suggest(*, actor: Any, site: Site, per_lsoa: int = SUGGESTIONS_PER_LSOA) -> list[ComparisonArea]:
    """Replace the site's pending suggestions with fresh ones (accepted and removed areas stay)."""
    require(actor, "outcomes.change_geography", site)
    if not site.lsoa_codes:
        raise ValidationError({"lsoa": "Set the site's LSOAs first: comparison areas are matched to them."})
    with transaction.atomic(), acting_as(actor):
        ComparisonArea.objects.filter(site=site, status=ComparisonArea.Status.SUGGESTED).delete()
        created = [
            ComparisonArea.objects.create(
                site=site,
                lsoa=c["lsoa"],
                name=c.get("name") or "",
                status=ComparisonArea.Status.SUGGESTED,
                origin=ComparisonArea.Origin.MATCHED,
                reasons=c["reasons"],
                score=c["score"],
                imd_decile=None if pd.isna(c.get("imd_decile")) else int(c["imd_decile"]),
                rural_urban=_rural_urban_text(c.get("rural_urban")),
                population=_population(c.get("population")),
                changed_by=signed_in_user(actor),
            )
            for c in comparison_candidates(site, per_lsoa=per_lsoa)
        ]
    return created


def _comparison_get(site: Site, lsoa: str) -> ComparisonArea:
    area = ComparisonArea.objects.filter(site=site, lsoa=lsoa.strip().upper()).first()
    if area is None:
        raise ValidationError({"lsoa": f"{lsoa} is not among the site's comparison areas."})
    return area


def comparison_set_status(*, actor: Any, site: Site, lsoa: str, status: str) -> ComparisonArea:
    """Accept a comparison area, or remove it (a removed suggestion is not suggested again)."""
    require(actor, "outcomes.change_geography", site)
    if status not in (ComparisonArea.Status.ACCEPTED, ComparisonArea.Status.REMOVED):
        raise ValidationError({"status": "Choose accept or remove."})
    with transaction.atomic(), acting_as(actor):
        area = _comparison_get(site, lsoa)
        area.status = status
        area.changed_by = signed_in_user(actor)
        area.changed_at = timezone.now()
        area.save()
    return area


def comparison_accept_all(*, actor: Any, site: Site) -> int:
    """Accept every pending suggestion."""
    require(actor, "outcomes.change_geography", site)
    with transaction.atomic(), acting_as(actor):
        areas = list(ComparisonArea.objects.filter(site=site, status=ComparisonArea.Status.SUGGESTED))
        for area in areas:
            area.status = ComparisonArea.Status.ACCEPTED
            area.changed_by = signed_in_user(actor)
            area.changed_at = timezone.now()
            area.save()
    return len(areas)


def comparison_add(*, actor: Any, site: Site, lsoa: str) -> ComparisonArea:
    """Add an LSOA by hand (accepted). Refused if it is in the site, next to it, or in another C2 site."""
    require(actor, "outcomes.change_geography", site)
    if not (lsoa or "").strip():
        raise ValidationError({"lsoa": "Enter an LSOA code, like E01018865."})
    reconciled = reconcile_lsoas([lsoa], field_name="lsoa")
    if len(reconciled.lsoas) != 1:
        raise ValidationError({"lsoa": f"{lsoa} became {len(reconciled.lsoas)} LSOAs in 2021: add them one by one "
                                       f"({', '.join(reconciled.lsoas)})."})
    code = reconciled.lsoas[0]
    if code in site.lsoa_codes:
        raise ValidationError({"lsoa": f"{code} is one of the site's own LSOAs."})
    if code in queries.adjacent_lsoas(site.lsoa_codes):
        raise ValidationError({"lsoa": f"{code} is next to the site: C2's effects could spill over into it."})
    if code in _other_sites_lsoas(site):
        raise ValidationError({"lsoa": f"{code} is in another C2 site, so it is not a comparison."})
    rows = queries.all_lsoas()
    info = rows[rows.lsoa == code]
    candidate = info.iloc[0].to_dict() if not info.empty else {"lsoa": code}
    targets = rows[rows.lsoa.isin(site.lsoa_codes)]
    if not targets.empty and not info.empty:
        nearest = min(targets.itertuples(index=False), key=lambda t: _distance(info.iloc[0], t))
        reasons = "Added by hand; " + match_reasons(candidate, nearest._asdict(), adjacent=False, other_site=False)
        score = _distance(info.iloc[0], nearest)
    else:
        reasons, score = "Added by hand", None
    with transaction.atomic(), acting_as(actor):
        area, _ = ComparisonArea.objects.update_or_create(
            site=site,
            lsoa=code,
            defaults={
                "name": str(candidate.get("name") or ""),
                "status": ComparisonArea.Status.ACCEPTED,
                "origin": ComparisonArea.Origin.ADDED,
                "reasons": reasons,
                "score": score,
                "imd_decile": None if pd.isna(candidate.get("imd_decile")) else int(candidate["imd_decile"]),
                "rural_urban": _rural_urban_text(candidate.get("rural_urban")),
                "population": _population(candidate.get("population")),
                "changed_by": signed_in_user(actor),
                "changed_at": timezone.now(),
            },
        )
    return area


# Changes in the area ---------------------------------------------------------------------------
def area_change_add(
    *, actor: Any, site: Site, title: str, starts_on: dt.date, description: str = "", ends_on: dt.date | None = None
) -> AreaChange:
    """Record a change in the area that could explain a difference; it goes on the site's timeline."""
    require(actor, "outcomes.change_geography", site)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Say what changed, e.g. “£2.2m housing regeneration”."})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date is before the start date."})
    with transaction.atomic(), acting_as(actor):
        change = AreaChange(
            site=site, title=title, description=(description or "").strip(), starts_on=starts_on, ends_on=ends_on,
            recorded_by=signed_in_user(actor),
        )
        change.full_clean()
        change.save()
        when = f"from {starts_on:%-d %B %Y}" + (f" to {ends_on:%-d %B %Y}" if ends_on else "")
        PathwayEvent.objects.create(
            site=site,
            kind=PathwayEvent.Kind.AREA_CHANGE,
            actor=signed_in_user(actor),
            reason=f"{title} ({when})" + (f": {change.description}" if change.description else ""),
            occurred_at=change.recorded_at,
        )
    return change


def area_change_delete(*, actor: Any, site: Site, change_id: int) -> None:
    require(actor, "outcomes.change_geography", site)
    with transaction.atomic(), acting_as(actor):
        change = AreaChange.objects.filter(site=site, pk=change_id).first()
        if change is None:
            raise ValidationError({"change": "No such change in this site."})
        change.delete()


# Evaluation ------------------------------------------------------------------------------------
def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def evaluation_request(
    *,
    actor: Any,
    site: Site,
    treatment_start: dt.date,
    method: str = EvaluationRun.Method.BOTH,
    crime_type: str = "",
    treatment_label: str = "",
    enqueue: bool = True,
) -> EvaluationRun:
    """Check an evaluation can run, record it, and queue it as a background task."""
    require(actor, "outcomes.run_evaluation", site)
    if method not in EvaluationRun.Method.values:
        raise ValidationError({"method": f"Choose one of: {', '.join(EvaluationRun.Method.values)}."})
    if not site.lsoa_codes:
        raise ValidationError({"treatment_start": "Set the site's LSOAs first."})
    comparison = list(
        ComparisonArea.objects.filter(site=site, status=ComparisonArea.Status.ACCEPTED).values_list("lsoa", flat=True)
    )
    if len(comparison) < MIN_COMPARISON_AREAS:
        raise ValidationError(
            {"method": f"Accept at least {MIN_COMPARISON_AREAS} comparison areas first "
                       f"(the site has {len(comparison)})."}
        )
    if crime_type and crime_type not in queries.crime_types():
        raise ValidationError({"crime_type": f"No crime of type {crime_type!r} in the area statistics."})
    months = queries.crime_months()
    start = _month(treatment_start)
    before = [m for m in months if m < start]
    after = [m for m in months if m >= start]
    if len(before) < MIN_PRE_MONTHS or len(after) < MIN_POST_MONTHS:
        held = f"{months[0]} to {months[-1]}" if months else "no months"
        raise ValidationError(
            {"treatment_start": f"The area statistics hold crime for {held}: the start must leave at least "
                                f"{MIN_PRE_MONTHS} months before it and {MIN_POST_MONTHS} from it."}
        )
    with transaction.atomic(), acting_as(actor):
        run = EvaluationRun.objects.create(
            site=site,
            method=method,
            crime_type=crime_type,
            treatment_start=treatment_start,
            treatment_label=(treatment_label or "").strip()[:200],
            site_lsoas=list(site.lsoa_codes),
            comparison_lsoas=sorted(comparison),
            requested_by=signed_in_user(actor),
        )
        if enqueue:
            from c2hub.outcomes.tasks import run_evaluation

            run_id = run.pk

            def _enqueue() -> None:
                result = run_evaluation.enqueue(run_id)
                EvaluationRun.objects.filter(pk=run_id).update(task_id=str(result.id))

            transaction.on_commit(_enqueue)
    return run


def _progress(run: EvaluationRun, percent: int, message: str) -> None:
    run.progress, run.progress_message = percent, message
    EvaluationRun.objects.filter(pk=run.pk).update(progress=percent, progress_message=message[:200])


def evaluation_panel(run: EvaluationRun) -> pd.DataFrame:
    """Monthly counts per LSOA (zeros filled) for the site and comparison LSOAs of a run."""
    lsoas = list(run.site_lsoas) + list(run.comparison_lsoas)
    counts = queries.crime_counts(lsoas, crime_type=run.crime_type or None)
    months = queries.crime_months()
    by_cell = counts.groupby(["lsoa", "month"])["count"].sum() if not counts.empty else pd.Series(dtype=float)
    index = pd.MultiIndex.from_product([lsoas, months], names=["lsoa", "month"])
    panel = by_cell.reindex(index, fill_value=0.0).reset_index()
    panel["count"] = panel["count"].astype(float).round(6)
    return panel


def evaluation_execute(run: EvaluationRun) -> EvaluationRun:
    """Run the methods for a recorded run (called by the background task), storing the result or the error."""
    from dataclasses import asdict

    from c2hub.evaluation.did import difference_in_differences
    from c2hub.evaluation.panel import EvaluationError
    from c2hub.evaluation.power import minimum_detectable_effect_for_panel
    from c2hub.evaluation.synthetic_control import Predictor, synthetic_control
    from c2hub.evaluation.verdict import verdict

    run.status = EvaluationRun.Status.RUNNING
    run.save(update_fields=["status"])
    _progress(run, 5, "Reading monthly crime counts")
    try:
        if not run.site_lsoas or len(run.comparison_lsoas) < MIN_COMPARISON_AREAS:
            raise EvaluationError(
                f"The run needs the site's LSOAs and at least {MIN_COMPARISON_AREAS} comparison areas."
            )
        panel = evaluation_panel(run)
        start = _month(run.treatment_start)
        changes = [
            f"{c.title} (from {c.starts_on:%-d %B %Y})"
            for c in AreaChange.objects.filter(site=run.site).order_by("starts_on")
        ]
        label = (run.crime_type or "recorded crime and anti-social behaviour").lower()
        result: dict[str, Any] = {
            "outcome": label,
            "treatment_start": start,
            "months": sorted(panel["month"].unique().tolist()),
            "contemporaneous_changes": changes,
        }
        _progress(run, 15, "Working out the smallest change this site could show")
        mde = minimum_detectable_effect_for_panel(
            panel, unit="lsoa", time="month", outcome="count", treated_units=run.site_lsoas, treatment_start=start
        )
        result["mde"] = mde.to_json()
        if run.method in (EvaluationRun.Method.DID, EvaluationRun.Method.BOTH):
            _progress(run, 25, "Difference-in-differences")
            did = difference_in_differences(
                panel, unit="lsoa", time="month", outcome="count", treated_units=run.site_lsoas, treatment_start=start
            )
            result["did"] = {**did.to_json(), "treated_counts": did.treated_counts,
                             "comparison_counts": did.comparison_counts, "dropped_areas": did.dropped_areas}
            result["did_verdict"] = asdict(verdict(did, mde, changes, outcome_label=label))
        if run.method in (EvaluationRun.Method.SYNTHETIC_CONTROL, EvaluationRun.Method.BOTH):
            _progress(run, 50, "Synthetic control")
            people = queries.population(list(run.site_lsoas) + list(run.comparison_lsoas))
            population = people.groupby("lsoa")["count"].sum() if not people.empty else pd.Series(dtype=float)
            site_people = float(population.reindex(run.site_lsoas).fillna(0).sum())
            if site_people <= 0 or population.reindex(run.comparison_lsoas).fillna(0).le(0).any():
                raise EvaluationError("Synthetic control needs the population of the site and every comparison area.")
            site_series = panel[panel.lsoa.isin(run.site_lsoas)].groupby("month")["count"].sum()
            site_rates = 1000 * site_series.to_numpy() / site_people
            rates = pd.concat([
                pd.DataFrame({"unit": "site", "month": site_series.index, "rate": site_rates}),
                panel[panel.lsoa.isin(run.comparison_lsoas)].assign(
                    unit=lambda f: f.lsoa, rate=lambda f: 1000 * f["count"] / f.lsoa.map(population)
                )[["unit", "month", "rate"]],
            ], ignore_index=True)

            def sc_progress(done: int, total: int) -> None:
                _progress(run, 50 + int(45 * done / max(total, 1)), f"Synthetic control: placebo {done} of {total}")

            pre = tuple(m for m in result["months"] if m < start)
            sc = synthetic_control(
                rates, unit="unit", time="month", outcome="rate", treated="site", treatment_start=start,
                predictors=[Predictor("rate", times=pre, name="rate per 1,000 before the start")],
                placebos=True, progress=sc_progress,
            )
            result["synthetic_control"] = {
                **sc.to_json(),
                "post_rmspe": round(sc.post_rmspe, 6),
                "treated": {str(k): round(v, 6) for k, v in sc.treated.items()},
                "synthetic": {str(k): round(v, 6) for k, v in sc.synthetic.items()},
                "donor_weights": {u: round(w, 6) for u, w in sc.donor_weights().items()},
                "placebos_kept": sum(1 for p in sc.placebos.values() if p.kept),
                "site_population": round(site_people),
            }
            result["sc_verdict"] = asdict(verdict(sc, mde, changes, outcome_label=f"the rate of {label}"))
    except Exception as exc:  # a background task must record its failure, never leave the run "running"
        if not isinstance(exc, (EvaluationError, ValueError)):
            logger.exception("Evaluation run %s failed", run.pk)
        run.status, run.error, run.finished_at = EvaluationRun.Status.FAILED, str(exc), timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        _progress(run, 100, "Could not run")
        return run
    run.result = result
    run.status, run.finished_at = EvaluationRun.Status.FINISHED, timezone.now()
    run.progress, run.progress_message = 100, "Finished"
    run.save(update_fields=["result", "status", "finished_at", "progress", "progress_message"])
    return run
