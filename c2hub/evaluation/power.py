"""The minimum detectable effect (MDE) of a before/after comparison of counts against comparison areas.

With counts that are Poisson (or overdispersed Poisson with dispersion φ), the log of the
difference-in-differences rate ratio estimated from the four totals — treated before (T·m0),
treated after (T·m1), comparison before (C·m0) and after (C·m1) — has variance

    Var(log RR) ≈ φ · (1/(μT·m0) + 1/(μT·m1) + 1/(n·μC·m0) + 1/(n·μC·m1))

where μT is the treated area's mean count per period, μC a comparison area's, n the number of
comparison areas, and m0, m1 the numbers of periods before and after. A two-sided test at level
α with power 1 − β detects a true change of

    MDE (on the log scale) = (z(1 − α/2) + z(1 − β)) · √Var(log RR)

that is, a fall to exp(−MDE) or a rise to exp(+MDE) times the expected rate. With no
comparison areas (n = 0) it is a plain before/after comparison and the last two terms go.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from c2hub.evaluation.panel import (
    EvaluationError,
    coerce_time,
    numeric_column,
    require_columns,
    time_values,
    unit_label,
    unit_labels,
)

__all__ = ["MdeResult", "minimum_detectable_effect", "minimum_detectable_effect_for_panel"]

FORMULA = (
    "MDE = (z(1−α/2) + z(power)) × √(φ × (1/(μT·m0) + 1/(μT·m1) + 1/(n·μC·m0) + 1/(n·μC·m1))) on the log "
    "rate-ratio scale; μT, μC = mean counts per period in the treated area and in one comparison area, "
    "n = comparison areas, m0, m1 = periods before and after, φ = dispersion"
)


@dataclass
class MdeResult:
    """The smallest true change a study of this size would detect with the stated power."""

    log_mde: float
    rate_ratio_fall: float  # e.g. 0.78: a fall to 78% of the expected rate (22% lower)
    rate_ratio_rise: float  # e.g. 1.28: a rise of 28%
    se_log: float
    alpha: float
    power: float
    dispersion: float
    treated_mean_count: float
    comparison_mean_count: float | None
    comparison_areas: int
    pre_periods: int
    post_periods: int
    formula: str = FORMULA
    expected_totals: dict[str, float] = field(default_factory=dict)

    @property
    def relative_fall(self) -> float:
        """The smallest detectable fall as a fraction (0.22 = 22% lower)."""
        return 1.0 - self.rate_ratio_fall

    @property
    def relative_rise(self) -> float:
        """The smallest detectable rise as a fraction (0.28 = 28% higher)."""
        return self.rate_ratio_rise - 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "relative_fall": round(self.relative_fall, 6),
            "relative_rise": round(self.relative_rise, 6),
            "rate_ratio_fall": round(self.rate_ratio_fall, 6),
            "rate_ratio_rise": round(self.rate_ratio_rise, 6),
            "se_log": round(self.se_log, 6),
            "alpha": self.alpha,
            "power": self.power,
            "dispersion": round(self.dispersion, 6),
            "formula": self.formula,
        }


def minimum_detectable_effect(
    *,
    treated_mean_count: float,
    pre_periods: int,
    post_periods: int,
    comparison_areas: int = 0,
    comparison_mean_count: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    dispersion: float = 1.0,
) -> MdeResult:
    """The MDE for a site with `treated_mean_count` events per period (see the module docstring for the formula).

    `comparison_mean_count` is one comparison area's mean count per period (default: the same as
    the treated area's). `dispersion` above 1 allows for counts that vary more than Poisson
    (estimate it with `minimum_detectable_effect_for_panel` or a fitted model's Pearson χ²/df).
    """
    if not 0 < alpha < 1:
        raise EvaluationError(f"alpha must be between 0 and 1, not {alpha}.")
    if not 0 < power < 1:
        raise EvaluationError(f"power must be between 0 and 1, not {power}.")
    if pre_periods < 1 or post_periods < 1:
        raise EvaluationError("The minimum detectable effect needs at least one period before and one after.")
    if comparison_areas < 0:
        raise EvaluationError("The number of comparison areas cannot be negative.")
    if not dispersion > 0:
        raise EvaluationError(f"The dispersion must be above 0, not {dispersion}.")
    if comparison_mean_count is None:
        comparison_mean_count = treated_mean_count
    totals = {
        "treated_before": treated_mean_count * pre_periods,
        "treated_after": treated_mean_count * post_periods,
    }
    if comparison_areas:
        totals["comparison_before"] = comparison_areas * comparison_mean_count * pre_periods
        totals["comparison_after"] = comparison_areas * comparison_mean_count * post_periods
    if any(not value > 0 for value in totals.values()):
        # No events expected: nothing could be detected.
        variance = math.inf
    else:
        variance = dispersion * sum(1.0 / value for value in totals.values())
    se_log = math.sqrt(variance)
    multiplier = float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))
    log_mde = multiplier * se_log
    return MdeResult(
        log_mde=log_mde,
        rate_ratio_fall=math.exp(-log_mde),
        rate_ratio_rise=math.exp(log_mde) if log_mde < 700 else math.inf,
        se_log=se_log,
        alpha=alpha,
        power=power,
        dispersion=dispersion,
        treated_mean_count=treated_mean_count,
        comparison_mean_count=comparison_mean_count if comparison_areas else None,
        comparison_areas=comparison_areas,
        pre_periods=pre_periods,
        post_periods=post_periods,
        expected_totals=totals,
    )


def minimum_detectable_effect_for_panel(
    panel: pd.DataFrame,
    *,
    unit: str,
    time: str,
    outcome: str,
    treated_units: Sequence[Hashable],
    treatment_start: Any,
    post_periods: int | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
) -> MdeResult:
    """The MDE from a panel's pre-treatment counts: the site's and comparison areas' means and the dispersion.

    The treated units are added together (the site); `post_periods` defaults to the panel's
    periods from the treatment start (give it to plan ahead, e.g. 24 months). The dispersion is
    the variance over the mean of the site's pre-period counts after taking out each calendar
    period's share across all areas (at least 1).
    """
    require_columns(panel, [unit, time, outcome])
    areas = unit_labels(panel, unit)
    times = time_values(panel, time)
    counts = numeric_column(panel, outcome)
    frame = pd.DataFrame({"area": areas.to_numpy(), "time": times.to_numpy(), "count": counts.to_numpy()}).dropna()
    treated = {unit_label(u) for u in treated_units}
    if not treated & set(frame["area"]):
        raise EvaluationError(f"None of the treated areas {sorted(treated)} is in column {unit!r}.")
    start = coerce_time(treatment_start, times, "The treatment start")
    periods = sorted(frame["time"].unique().tolist())
    pre = [t for t in periods if t < start]
    if not pre:
        raise EvaluationError("The minimum detectable effect needs pre-treatment periods to estimate the counts.")
    after = post_periods if post_periods is not None else sum(1 for t in periods if t >= start)
    if after < 1:
        raise EvaluationError("Give the number of post-treatment periods to plan for (post_periods).")
    before = frame[frame["time"] < start]
    site = before[before["area"].isin(treated)].groupby("time")["count"].sum().reindex(pre, fill_value=0.0)
    comparison = before[~before["area"].isin(treated)]
    n_comparison = comparison["area"].nunique()
    comparison_mean = float(comparison["count"].mean()) if n_comparison else None
    # Dispersion of the site's series around the all-area seasonal pattern.
    everything = before.groupby("time")["count"].sum().reindex(pre, fill_value=0.0)
    share = everything / everything.sum() if everything.sum() > 0 else pd.Series(1.0 / len(pre), index=pre)
    expected = site.sum() * share
    mask = expected > 0
    dispersion = 1.0
    if mask.sum() > 2:
        chi2 = float((((site - expected) ** 2) / expected)[mask].sum())
        dispersion = max(1.0, chi2 / (int(mask.sum()) - 1))
    return minimum_detectable_effect(
        treated_mean_count=float(np.mean(site.to_numpy())),
        pre_periods=len(pre),
        post_periods=after,
        comparison_areas=int(n_comparison),
        comparison_mean_count=comparison_mean,
        alpha=alpha,
        power=power,
        dispersion=dispersion,
    )
