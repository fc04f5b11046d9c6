"""Value for money: the arithmetic, pure (no database), every figure with its workings.

The method (documented for users in docs/value-for-money.md):

1. **Offences prevented a year** ``p = −Δ`` where Δ is the effect on the count a year (negative = fewer).
2. **Unit cost in the chosen prices** ``c′ = c × D[target] / D[base]`` with the user's GDP deflator
   series D; with no series there is no uplift (and the page says so).
3. **Gross saving a year** ``G = p × c′``; per bearer ``G_b = G × share_b`` (shares sum to 100%).
4. **Net saving in the first year of effect** (HM Treasury additionality, applied in this order)
   ``N = G × (1 − deadweight) × (1 − displacement) × attribution``.
5. **Drop-off**: in the k-th year of effect (k = 0 is the first) ``N_k = N × (1 − drop_off)^k``.
6. **Discounting** (Green Book): appraisal year t = 0 is undiscounted; ``DF_t = Π_{i=1..t} 1/(1 + r_i)``
   with r_i = 3.5% for years 1–30, 3.0% for 31–75 and 2.5% for 76–125 (the Green Book's declining
   schedule). A different flat rate may be chosen instead; then r_i is that rate in every year.
7. **Present values** ``PV benefits = Σ_t N_t × DF_t``; ``PV costs = Σ_t K_t × (1 + optimism_bias) × DF_t``;
   ``NPV = PV benefits − PV costs``; ``BCR = PV benefits / PV costs``.
8. **Per agency** ``PV_b = Σ_outcomes PV_outcome × share_b``; the commissioner's saving is ``PV_b`` for
   the bearer the commissioning body is.
9. **Sensitivity**: low uses the interval bound least favourable to C2 with the pessimistic
   assumptions, high the most favourable bound with the optimistic ones; central the point estimate.

A category without a unit cost is never counted as zero silently: it is listed as "no unit cost —
not counted" and the totals are marked incomplete.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

#: Who bears a cost (the keys of a unit cost's shares).
BEARERS: dict[str, str] = {
    "police": "Police",
    "nhs": "NHS",
    "council": "Council",
    "education": "Education",
    "housing": "Housing",
    "fire": "Fire and rescue",
    "criminal_justice": "Criminal justice (courts, prisons, probation)",
    "victim_other": "Victims and others",
    "unallocated": "Society — not split by agency in the source",
}
GREEN_BOOK_RATE = 0.035
#: The Green Book's declining long-term discount rates: (last year of the band, rate).
GREEN_BOOK_SCHEDULE: tuple[tuple[int, float], ...] = ((30, 0.035), (75, 0.030), (125, 0.025))
MAX_HORIZON = 100
#: Bounds that keep every product finite (and a typo from becoming a figure in a board report).
MAX_EFFECT = 1_000_000_000
MAX_POUNDS = 1_000_000_000_000
MIN_INDEX, MAX_INDEX = 0.001, 1_000_000
SCENARIOS = ("low", "central", "high")


class CalculationError(ValueError):
    """The inputs cannot be computed; ``errors`` names each field and why."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class Range3:
    """An assumption's value in the low, central and high cases (fractions: 0.25 = 25%)."""

    low: float
    central: float
    high: float

    def pick(self, scenario: str) -> float:
        return float(getattr(self, scenario))


@dataclass(frozen=True)
class UnitCostIn:
    name: str
    amount: float
    price_base_year: int
    shares: Mapping[str, float]  # bearer → fraction, summing to 1
    source: str = ""


@dataclass(frozen=True)
class OutcomeIn:
    """An effect on a count a year (negative = fewer), with its 95% interval, and its unit cost."""

    label: str
    effect: float
    ci_low: float | None = None
    ci_high: float | None = None
    unit_cost: UnitCostIn | None = None


@dataclass(frozen=True)
class Assumptions:
    deadweight: Range3 = Range3(0.25, 0.0, 0.0)
    attribution: Range3 = Range3(0.5, 0.75, 1.0)
    displacement: Range3 = Range3(0.25, 0.1, 0.0)
    drop_off: Range3 = Range3(0.5, 0.25, 0.1)
    optimism_bias: Range3 = Range3(0.2, 0.1, 0.0)


@dataclass(frozen=True)
class Inputs:
    outcomes: Sequence[OutcomeIn]
    assumptions: Assumptions
    horizon_years: int
    first_year: int  # the calendar year of appraisal year 0
    benefits_start_year: int  # the calendar year the effect begins
    costs: Mapping[int, float]  # calendar year → programme cost (in the chosen prices)
    price_year: int | None = None  # the prices everything is expressed in (with deflators)
    deflators: Mapping[int, float] = field(default_factory=dict)
    discount_rate: float = GREEN_BOOK_RATE
    commissioner_bearer: str = ""
    commissioner_name: str = ""


@dataclass
class Figure:
    """One number with how it was computed: shown in the page's "how this was computed" sections."""

    key: str
    label: str
    value: float | None
    unit: str  # "£", "offences", "ratio", "%", "factor"
    formula: str
    inputs: list[tuple[str, str]]


def _money(x: float) -> str:
    return f"£{x:,.2f}" if x >= 0 else f"−£{-x:,.2f}"


def _pct(x: float) -> str:
    return f"{x * 100:g}%"


def _num(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.1f}"


# Validation ------------------------------------------------------------------------------------
def check_shares(shares: Mapping[str, float]) -> dict[str, str]:
    """Bearer shares must be known bearers, each 0–1, summing to 1 (within half a hundredth of a per cent)."""
    errors: dict[str, str] = {}
    unknown = sorted(set(shares) - set(BEARERS))
    if unknown:
        errors["shares"] = "Unknown bearer: " + ", ".join(unknown) + ". Use " + ", ".join(BEARERS) + "."
    elif not shares:
        errors["shares"] = "Say who bears the cost (the shares must add up to 100%)."
    elif any(not math.isfinite(v) or v < 0 or v > 1 for v in shares.values()):
        errors["shares"] = "Each share must be between 0% and 100%."
    elif abs(sum(shares.values()) - 1.0) > 0.00005:
        errors["shares"] = f"The shares add up to {sum(shares.values()) * 100:.2f}%, not 100%."
    return errors


def validate(inputs: Inputs) -> None:
    errors: dict[str, str] = {}
    if not isinstance(inputs.horizon_years, int) or not 1 <= inputs.horizon_years <= MAX_HORIZON:
        errors["horizon_years"] = f"The horizon must be between 1 and {MAX_HORIZON} years."
    if not math.isfinite(inputs.discount_rate) or not 0 <= inputs.discount_rate <= 0.2:
        errors["discount_rate"] = "The discount rate must be between 0% and 20% (the Green Book's is 3.5%)."
    if inputs.benefits_start_year < inputs.first_year:
        errors["benefits_start_year"] = "The effect cannot begin before the first year of the appraisal."
    for name in ("deadweight", "attribution", "displacement", "drop_off", "optimism_bias"):
        rng: Range3 = getattr(inputs.assumptions, name)
        values = (rng.low, rng.central, rng.high)
        top = 5.0 if name == "optimism_bias" else 1.0
        if any(not math.isfinite(v) or v < 0 or v > top for v in values):
            errors[name] = f"Each value must be between 0% and {top * 100:g}%."
    for year, cost in inputs.costs.items():
        if not math.isfinite(cost) or cost < 0 or cost > MAX_POUNDS:
            errors["costs"] = f"The programme cost for {year} must be between £0 and £{MAX_POUNDS:,}."
    if not inputs.outcomes:
        errors["outcomes"] = "Give at least one outcome (an effect on a count a year)."
    for i, o in enumerate(inputs.outcomes):
        where = f"outcomes[{i}]"
        vals = [o.effect] + [v for v in (o.ci_low, o.ci_high) if v is not None]
        if any(not math.isfinite(v) or abs(v) > MAX_EFFECT for v in vals):
            errors[where] = f"The effect and its interval must be numbers between −{MAX_EFFECT:,} and {MAX_EFFECT:,}."
        elif (o.ci_low is None) != (o.ci_high is None):
            errors[where] = "Give both ends of the interval, or neither."
        elif o.ci_low is not None and o.ci_high is not None and not o.ci_low <= o.effect <= o.ci_high:
            errors[where] = "The interval must contain the effect (low ≤ effect ≤ high)."
        if o.unit_cost is not None:
            if not math.isfinite(o.unit_cost.amount) or not 0 <= o.unit_cost.amount <= MAX_POUNDS:
                errors[where] = f"A unit cost must be between £0 and £{MAX_POUNDS:,}."
            share_errors = check_shares(o.unit_cost.shares)
            if share_errors:
                errors[where] = f"{o.unit_cost.name}: {share_errors['shares']}"
    if inputs.deflators:
        for year, index in inputs.deflators.items():
            if not math.isfinite(index) or not MIN_INDEX <= index <= MAX_INDEX:
                errors["deflators"] = f"The deflator for {year} must be between {MIN_INDEX} and {MAX_INDEX:,}."
        if inputs.price_year is None:
            errors["price_year"] = "Choose the year whose prices to express everything in."
        elif inputs.price_year not in inputs.deflators:
            errors["price_year"] = f"The deflator series has no value for {inputs.price_year}."
        for o in inputs.outcomes:
            if o.unit_cost is not None and o.unit_cost.price_base_year not in inputs.deflators:
                errors["deflators"] = (
                    f"The deflator series has no value for {o.unit_cost.price_base_year} "
                    f"(the price base of {o.unit_cost.name})."
                )
    if inputs.commissioner_bearer and inputs.commissioner_bearer not in BEARERS:
        errors["commissioner_bearer"] = "Unknown bearer."
    if errors:
        raise CalculationError(errors)


# The pieces -----------------------------------------------------------------------------------
def discount_factors(horizon_years: int, rate: float = GREEN_BOOK_RATE) -> list[float]:
    """DF_0 … DF_{horizon−1}. Year 0 is undiscounted. At the Green Book rate the long-term schedule
    (3.5% to year 30, 3.0% to 75, 2.5% to 125) applies; any other rate is flat."""
    factors, df = [1.0], 1.0
    for year in range(1, horizon_years):
        df /= 1.0 + _rate_for(year, rate)
        factors.append(df)
    return factors[:horizon_years]


def _rate_for(year: int, rate: float) -> float:
    if rate != GREEN_BOOK_RATE:
        return rate
    for last, band_rate in GREEN_BOOK_SCHEDULE:
        if year <= last:
            return band_rate
    return GREEN_BOOK_SCHEDULE[-1][1]


def uplift_factor(base_year: int, inputs: Inputs) -> float:
    if not inputs.deflators or inputs.price_year is None:
        return 1.0
    return inputs.deflators[inputs.price_year] / inputs.deflators[base_year]


def bounds(o: OutcomeIn) -> dict[str, float]:
    """The effect in each case: low is the bound least favourable to C2 (the higher count change),
    high the most favourable; without an interval all three are the point estimate."""
    if o.ci_low is None or o.ci_high is None:
        return {"low": o.effect, "central": o.effect, "high": o.effect}
    return {"low": max(o.ci_low, o.ci_high), "central": o.effect, "high": min(o.ci_low, o.ci_high)}


# The calculation ------------------------------------------------------------------------------
def compute(inputs: Inputs) -> dict[str, Any]:
    """All the figures for the three cases, with their workings, as plain JSON-ready data."""
    validate(inputs)
    dfs = discount_factors(inputs.horizon_years, inputs.discount_rate)
    years = [inputs.first_year + t for t in range(inputs.horizon_years)]
    start_offset = inputs.benefits_start_year - inputs.first_year
    costs_outside = sorted(y for y in inputs.costs if y < inputs.first_year or y > years[-1])
    missing = [o.label for o in inputs.outcomes if o.unit_cost is None]
    notes: list[str] = []
    if inputs.deflators:
        notes.append(f"Unit costs are uplifted to {inputs.price_year} prices with the GDP deflator series entered.")
    else:
        bases = sorted({o.unit_cost.price_base_year for o in inputs.outcomes if o.unit_cost})
        notes.append(
            "No deflator series was entered, so unit costs are not uplifted: each stays in its own price base ("
            + ", ".join(str(b) for b in bases)
            + ")."
            if bases
            else "No deflator series was entered, so unit costs are not uplifted."
        )
    if inputs.discount_rate == GREEN_BOOK_RATE:
        notes.append(
            "Discounted at the HM Treasury Green Book rate: 3.5% a year for years 1–30"
            + (", 3.0% for years 31–75 and 2.5% beyond" if inputs.horizon_years > 31 else "")
            + "; year 0 (the first year of the appraisal) is not discounted."
        )
    else:
        notes.append(f"Discounted at a flat {_pct(inputs.discount_rate)} a year (not the Green Book's 3.5%).")
    if start_offset >= inputs.horizon_years:
        notes.append("The effect begins after the horizon ends, so no benefit falls within it.")
    if costs_outside:
        notes.append(
            "Programme costs outside the appraisal years are not counted: " + ", ".join(map(str, costs_outside)) + "."
        )
    if missing:
        notes.append("Incomplete: no unit cost for " + ", ".join(missing) + " — not counted (not counted as zero).")

    cases = {s: _case(inputs, s, dfs, years, start_offset) for s in SCENARIOS}
    return {
        "complete": not missing,
        "missing_unit_costs": missing,
        "notes": notes,
        "years": years,
        "discount_factors": [round(d, 6) for d in dfs],
        "cases": cases,
        "bearers": BEARERS,
        "commissioner_bearer": inputs.commissioner_bearer,
        "commissioner_name": inputs.commissioner_name,
    }


def _case(inputs: Inputs, scenario: str, dfs: list[float], years: list[int], start_offset: int) -> dict[str, Any]:
    a = inputs.assumptions
    dw, at, dp = a.deadweight.pick(scenario), a.attribution.pick(scenario), a.displacement.pick(scenario)
    drop, ob = a.drop_off.pick(scenario), a.optimism_bias.pick(scenario)
    additionality = (1 - dw) * (1 - dp) * at
    # The k-th year of effect carries (1 − drop)^k; before the start, nothing.
    profile = [0.0 if t < start_offset else (1 - drop) ** (t - start_offset) for t in range(len(dfs))]
    pv_factor = sum(p * d for p, d in zip(profile, dfs, strict=True))
    figures: list[Figure] = []
    outcomes: list[dict[str, Any]] = []
    by_bearer: dict[str, float] = {}
    gross_total = net_total = pv_benefits = 0.0
    for o in inputs.outcomes:
        effect = bounds(o)[scenario]
        prevented = -effect
        row: dict[str, Any] = {
            "label": o.label,
            "effect": effect,
            "prevented": prevented,
            "counted": o.unit_cost is not None,
        }
        if o.unit_cost is None:
            row.update(unit_cost=None, gross=None, net=None, pv=None, status="no unit cost — not counted")
            outcomes.append(row)
            continue
        uc = o.unit_cost
        factor = uplift_factor(uc.price_base_year, inputs)
        cost = uc.amount * factor
        gross = prevented * cost
        net = gross * additionality
        pv = net * pv_factor
        gross_total += gross
        net_total += net
        pv_benefits += pv
        for bearer, share in uc.shares.items():
            by_bearer[bearer] = by_bearer.get(bearer, 0.0) + pv * share
        row.update(
            unit_cost=uc.name,
            unit_cost_amount=cost,
            uplift=factor,
            gross=gross,
            net=net,
            pv=pv,
            status="counted",
            shares=dict(uc.shares),
        )
        outcomes.append(row)
        figures.append(
            Figure(
                f"unit_cost:{o.label}",
                f"Unit cost used for {o.label}",
                cost,
                "£",
                "c′ = c × D[price year] ÷ D[price base]" if factor != 1.0 else "c′ = c (no uplift)",
                [
                    ("c", f"{_money(uc.amount)} ({uc.name}, {uc.price_base_year} prices)"),
                    ("uplift factor", f"{factor:.6f}"),
                ],
            )
        )
        figures.append(
            Figure(
                f"gross:{o.label}",
                f"Gross saving a year from {o.label}",
                gross,
                "£",
                "G = −Δ × c′",
                [("Δ (effect a year, " + scenario + ")", _num(effect)), ("c′", _money(cost))],
            )
        )
    figures.append(
        Figure(
            "additionality",
            "Share of the gross saving that is additional",
            additionality,
            "factor",
            "(1 − deadweight) × (1 − displacement) × attribution",
            [("deadweight", _pct(dw)), ("displacement", _pct(dp)), ("attribution", _pct(at))],
        )
    )
    figures.append(
        Figure(
            "net_year1",
            "Net saving in the first year of effect",
            net_total,
            "£",
            "N = Σ G × additionality",
            [("Σ G", _money(gross_total)), ("additionality", f"{additionality:.6f}")],
        )
    )
    figures.append(
        Figure(
            "pv_factor",
            "Present-value factor of the effect's years",
            pv_factor,
            "factor",
            "Σ_t (1 − drop-off)^(t − start) × DF_t over the years of effect",
            [
                ("drop-off a year", _pct(drop)),
                ("years of effect", str(max(0, len(dfs) - start_offset))),
                (
                    "discount",
                    "Green Book schedule" if inputs.discount_rate == GREEN_BOOK_RATE else _pct(inputs.discount_rate),
                ),
            ],
        )
    )
    figures.append(
        Figure(
            "pv_benefits",
            "Present value of benefits",
            pv_benefits,
            "£",
            "PV benefits = N × PV factor",
            [("N", _money(net_total)), ("PV factor", f"{pv_factor:.6f}")],
        )
    )
    # Costs: each year's programme cost with the optimism-bias uplift, discounted.
    cost_rows, pv_costs, raw_costs = [], 0.0, 0.0
    for t, (year, df) in enumerate(zip(years, dfs, strict=True)):
        cost = float(inputs.costs.get(year, 0.0))
        raw_costs += cost
        uplifted = cost * (1 + ob)
        benefit = net_total * profile[t]
        pv_costs += uplifted * df
        cost_rows.append(
            {
                "t": t,
                "year": year,
                "discount_factor": df,
                "benefit": benefit,
                "pv_benefit": benefit * df,
                "cost": uplifted,
                "pv_cost": uplifted * df,
            }
        )
    figures.append(
        Figure(
            "pv_costs",
            "Present value of programme costs",
            pv_costs,
            "£",
            "PV costs = Σ_t K_t × (1 + optimism bias) × DF_t",
            [("Σ K (undiscounted, before uplift)", _money(raw_costs)), ("optimism bias", _pct(ob))],
        )
    )
    npv = pv_benefits - pv_costs
    figures.append(
        Figure(
            "npv",
            "Net present value",
            npv,
            "£",
            "NPV = PV benefits − PV costs",
            [("PV benefits", _money(pv_benefits)), ("PV costs", _money(pv_costs))],
        )
    )
    bcr = pv_benefits / pv_costs if pv_costs > 0 else None
    figures.append(
        Figure(
            "bcr",
            "Benefit–cost ratio",
            bcr,
            "ratio",
            "BCR = PV benefits ÷ PV costs" + ("" if bcr is not None else " (no programme costs: not defined)"),
            [("PV benefits", _money(pv_benefits)), ("PV costs", _money(pv_costs))],
        )
    )
    commissioner = by_bearer.get(inputs.commissioner_bearer, 0.0) if inputs.commissioner_bearer else None
    if inputs.commissioner_bearer:
        figures.append(
            Figure(
                "commissioner",
                f"Saving to the commissioning body ({BEARERS[inputs.commissioner_bearer]})",
                commissioner,
                "£",
                "PV_b = Σ PV_outcome × share_b for the commissioner's bearer",
                [("bearer", BEARERS[inputs.commissioner_bearer])]
                + [
                    (o["label"], f"{_money(o['pv'])} × {_pct(o['shares'].get(inputs.commissioner_bearer, 0.0))}")
                    for o in outcomes
                    if o["counted"]
                ],
            )
        )
    return {
        "scenario": scenario,
        "assumptions": {"deadweight": dw, "attribution": at, "displacement": dp, "drop_off": drop, "optimism_bias": ob},
        "additionality": additionality,
        "gross_per_year": gross_total,
        "net_first_year": net_total,
        "pv_benefits": pv_benefits,
        "pv_costs": pv_costs,
        "npv": npv,
        "bcr": bcr,
        "by_bearer": dict(sorted(by_bearer.items(), key=lambda kv: -kv[1])),
        "gross_by_bearer": _gross_by_bearer(outcomes),
        "commissioner_saving": commissioner,
        "outcomes": outcomes,
        "years": cost_rows,
        "figures": [asdict(f) for f in figures],
    }


def _gross_by_bearer(outcomes: list[dict[str, Any]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for o in outcomes:
        if o["counted"]:
            for bearer, share in o["shares"].items():
                totals[bearer] = totals.get(bearer, 0.0) + o["gross"] * share
    return totals


# From an evaluation run -------------------------------------------------------------------------
def effect_from_did(result: Mapping[str, Any], treatment_start: str) -> dict[str, float] | None:
    """The change in the count a year implied by a difference-in-differences rate ratio, with its
    interval: over the after period the site recorded A offences; without C2 it would have recorded
    A ÷ RR, so the change is Δ = A − A ÷ RR = A × (1 − 1/RR), divided by the after period's years."""
    did = result.get("did") or {}
    rr, low, high = did.get("rate_ratio"), did.get("ci_low"), did.get("ci_high")
    after = (did.get("treated_counts") or {}).get("after")
    months = [m for m in result.get("months", []) if str(m) >= str(treatment_start)]
    if not rr or not low or not high or after is None or not months:
        return None
    years = len(months) / 12.0

    def change(ratio: float) -> float:
        return float(after) * (1 - 1 / ratio) / years

    return {
        "effect": change(rr),
        "ci_low": change(low),
        "ci_high": change(high),
        "rate_ratio": rr,
        "rr_low": low,
        "rr_high": high,
        "after_count": float(after),
        "after_years": years,
    }
