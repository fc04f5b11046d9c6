"""Difference-in-differences for counts: Poisson regression with area and period fixed effects.

    log E[count] = area effect + period effect + β · (treated area × after the start) [+ log exposure]

exp(β) is the rate ratio: how the treated areas' counts changed after the start relative to the
comparison areas' change over the same periods. Standard errors are cluster-robust by area
(statsmodels GLM, `cov_type="cluster"`), and confidence intervals and p-values use a t
distribution with (number of areas − 1) degrees of freedom, which is more honest with few areas.

Two checks come with it: a pre-trend test (in the pre-period alone, do the treated areas follow a
different linear trend from the comparison areas?) and an event study (a rate ratio for each
period relative to the start, the period just before the start being the reference).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from c2hub.evaluation.panel import (
    EvaluationError,
    check_unique,
    coerce_time,
    format_units,
    numeric_column,
    require_columns,
    time_values,
    unit_label,
    unit_labels,
)

__all__ = ["DidResult", "EventStudyPoint", "difference_in_differences"]

CONFIDENCE = 0.95


@dataclass
class EventStudyPoint:
    """The rate ratio of the treated areas `rel_time` periods from the start (−1 is the reference, 1 by definition)."""

    rel_time: int
    rate_ratio: float
    ci_low: float
    ci_high: float


@dataclass
class DidResult:
    """The difference-in-differences estimate as a rate ratio (1 = no change relative to the comparison areas)."""

    effect: float
    ci_low: float
    ci_high: float
    p_value: float
    coef: float
    se: float
    n_areas: int
    n_periods: int
    pre_trend_p: float | None
    event_study: list[EventStudyPoint]
    method: str
    n_treated: int = 0
    n_comparison: int = 0
    pre_periods: list[Any] = field(default_factory=list)
    post_periods: list[Any] = field(default_factory=list)
    pre_trend_ratio: float | None = None  # the treated areas' extra change per period before the start
    pre_trend_joint_p: float | None = None  # leads of the event study jointly zero (when estimable)
    dispersion: float = 1.0  # Pearson χ²/df: above 1 means counts vary more than Poisson
    treated_counts: dict[str, float] = field(default_factory=dict)  # total before and after, treated areas
    comparison_counts: dict[str, float] = field(default_factory=dict)
    dropped_areas: dict[str, str] = field(default_factory=dict)

    @property
    def percent_change(self) -> float:
        """The effect as a percentage change (−20 means 20% lower than expected)."""
        return (self.effect - 1.0) * 100.0

    def to_json(self) -> dict[str, Any]:
        """The summary the `evaluate did --json` command prints."""
        return {
            "rate_ratio": _round(self.effect),
            "ci_low": _round(self.ci_low),
            "ci_high": _round(self.ci_high),
            "p_value": _round(self.p_value),
            "coef": _round(self.coef),
            "se": _round(self.se),
            "n_areas": self.n_areas,
            "n_treated": self.n_treated,
            "n_comparison": self.n_comparison,
            "n_periods": self.n_periods,
            "pre_trend_p": None if self.pre_trend_p is None else _round(self.pre_trend_p),
            "pre_trend_joint_p": None if self.pre_trend_joint_p is None else _round(self.pre_trend_joint_p),
            "dispersion": _round(self.dispersion),
            "event_study": [
                {
                    "rel_time": p.rel_time,
                    "rate_ratio": _round(p.rate_ratio),
                    "ci_low": _round(p.ci_low),
                    "ci_high": _round(p.ci_high),
                }
                for p in self.event_study
            ],
            "method": self.method,
        }


def _round(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 6)


@dataclass
class _Data:
    frame: pd.DataFrame  # columns: area, period (index into periods), count, log_exposure, treated, post
    periods: list[Any]
    start_index: int
    treated: list[str]
    comparison: list[str]
    dropped: dict[str, str]


def _prepare(
    panel: pd.DataFrame,
    *,
    unit: str,
    time: str,
    outcome: str,
    treated_units: Sequence[Hashable],
    treatment_start: Any,
    exposure: str | None,
) -> _Data:
    if not isinstance(panel, pd.DataFrame):
        raise EvaluationError("The panel must be a table (a pandas DataFrame) with one row per area and period.")
    require_columns(panel, [unit, time, outcome] + ([exposure] if exposure else []))
    if panel.empty:
        raise EvaluationError("The panel has no rows.")
    if isinstance(treated_units, (str, bytes)) or not isinstance(treated_units, Sequence | set | frozenset):
        treated_units = [treated_units]
    if not treated_units:
        raise EvaluationError("Name at least one treated area.")
    areas = unit_labels(panel, unit)
    times = time_values(panel, time)
    check_unique(panel, areas, times, unit, time)
    counts = numeric_column(panel, outcome)
    frame = pd.DataFrame({"area": areas.to_numpy(), "time": times.to_numpy(), "count": counts.to_numpy()})
    negative = frame["count"] < 0
    if negative.any():
        row = int(np.flatnonzero(negative.to_numpy())[0])
        raise EvaluationError(
            f"Column {outcome!r} must hold counts (0 or more), but row {row + 1} of the panel has "
            f"{frame['count'].iloc[row]:g}."
        )
    if exposure:
        exposures = numeric_column(panel, exposure).to_numpy()
        bad = ~(exposures > 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise EvaluationError(
                f"Column {exposure!r} (the exposure, e.g. population) must be above 0, but row {row + 1} has "
                f"{panel[exposure].iloc[row]!r}."
            )
        frame["log_exposure"] = np.log(exposures)
    else:
        frame["log_exposure"] = 0.0
    dropped: dict[str, str] = {}
    missing = frame["count"].isna()
    for area in sorted(frame.loc[missing, "area"].unique()):
        dropped[area] = f"{int((missing & (frame['area'] == area)).sum())} periods with no {outcome!r}"
    frame = frame[~missing]

    all_areas = sorted(areas.unique().tolist())
    treated = sorted({unit_label(u) for u in treated_units})
    unknown = [u for u in treated if u not in set(all_areas)]
    if unknown:
        raise EvaluationError(
            f"The treated area {format_units(unknown)} is not in column {unit!r} "
            f"(areas include {format_units(all_areas)})."
        )
    periods = sorted(frame["time"].unique().tolist())
    start = coerce_time(treatment_start, times, "The treatment start")
    if not periods or start <= periods[0]:
        raise EvaluationError(
            f"The treatment start {treatment_start!r} is not after the panel's first period"
            f"{f' ({periods[0]!r})' if periods else ''}: there is no before period to compare with."
        )
    if start > periods[-1]:
        raise EvaluationError(
            f"The treatment start {treatment_start!r} is after the panel's last period ({periods[-1]!r}): "
            "there is no after period."
        )
    start_index = next(i for i, t in enumerate(periods) if t >= start)
    frame = frame.assign(period=frame["time"].map({t: i for i, t in enumerate(periods)}))
    # Areas with no events at all add nothing to a fixed-effects Poisson likelihood (their effect is −∞).
    totals = frame.groupby("area")["count"].sum()
    for area in totals.index[totals <= 0]:
        dropped[area] = "no events in any period"
    frame = frame[~frame["area"].isin(totals.index[totals <= 0])]
    frame = frame.assign(treated=frame["area"].isin(treated).astype(float))
    frame = frame.assign(post=(frame["period"] >= start_index).astype(float))
    treated_left = sorted(set(frame.loc[frame["treated"] == 1, "area"]))
    comparison = sorted(set(frame.loc[frame["treated"] == 0, "area"]))
    if not treated_left:
        raise EvaluationError(
            f"The treated area {format_units(treated)} has no events in any period: nothing to compare."
        )
    if not comparison:
        raise EvaluationError(
            "There are no comparison areas with events in the panel: difference-in-differences needs at least one."
        )
    for name, part in (("treated", frame["treated"] == 1), ("comparison", frame["treated"] == 0)):
        if not (part & (frame["post"] == 0)).any() or not (part & (frame["post"] == 1)).any():
            raise EvaluationError(f"The {name} areas need counts both before and after the treatment start.")
    return _Data(frame.reset_index(drop=True), periods, start_index, treated_left, comparison, dropped)


def _fixed_effects(frame: pd.DataFrame) -> np.ndarray:
    """Area and period dummies (the first of each left out) and a constant."""
    areas = pd.Categorical(frame["area"])
    periods = pd.Categorical(frame["period"])
    n = len(frame)
    blocks = [np.ones((n, 1))]
    if len(areas.categories) > 1:
        area_dummies = np.zeros((n, len(areas.categories)))
        area_dummies[np.arange(n), areas.codes] = 1.0
        blocks.append(area_dummies[:, 1:])
    if len(periods.categories) > 1:
        period_dummies = np.zeros((n, len(periods.categories)))
        period_dummies[np.arange(n), periods.codes] = 1.0
        blocks.append(period_dummies[:, 1:])
    return np.hstack(blocks)


def _fit(frame: pd.DataFrame, regressors: np.ndarray) -> Any:
    design = np.hstack([regressors, _fixed_effects(frame)])
    groups = pd.Categorical(frame["area"]).codes
    model = sm.GLM(
        frame["count"].to_numpy(), design, family=sm.families.Poisson(), offset=frame["log_exposure"].to_numpy()
    )
    return model.fit(cov_type="cluster", cov_kwds={"groups": groups}, maxiter=200)


def _t_interval(coef: float, se: float, df: int) -> tuple[float, float, float]:
    """(low, high, p) for a coefficient with a t distribution on df degrees of freedom."""
    if not math.isfinite(se) or se <= 0:
        return coef, coef, 1.0 if coef == 0 else 0.0
    quantile = float(stats.t.ppf(0.5 + CONFIDENCE / 2, df))
    p_value = float(2 * stats.t.sf(abs(coef / se), df))
    return coef - quantile * se, coef + quantile * se, p_value


def difference_in_differences(
    panel: pd.DataFrame,
    *,
    unit: str,
    time: str,
    outcome: str,
    treated_units: Sequence[Hashable],
    treatment_start: Any,
    exposure: str | None = None,
) -> DidResult:
    """Estimate the rate ratio of `outcome` (counts) in `treated_units` after `treatment_start` against the other areas.

    The panel is long: one row per area (`unit`) and period (`time`). `exposure` (e.g. the
    population) becomes an offset, so the ratio is of rates rather than counts. Areas with no
    events at all, and rows with no count, are left out (see `dropped_areas`).
    """
    data = _prepare(
        panel,
        unit=unit,
        time=time,
        outcome=outcome,
        treated_units=treated_units,
        treatment_start=treatment_start,
        exposure=exposure,
    )
    frame = data.frame
    n_areas = len(data.treated) + len(data.comparison)
    df = n_areas - 1
    if df < 1:
        raise EvaluationError("Cluster-robust errors need at least two areas.")

    interaction = (frame["treated"] * frame["post"]).to_numpy()[:, None]
    fitted = _fit(frame, interaction)
    coef, se = float(fitted.params[0]), float(fitted.bse[0])
    low, high, p_value = _t_interval(coef, se, df)
    pearson = float(fitted.pearson_chi2 / fitted.df_resid) if fitted.df_resid > 0 else 1.0

    event_study, joint_p = _event_study(frame, data.start_index, len(data.periods), df)
    pre_trend_p, pre_trend_ratio = _pre_trend(frame, data.start_index, df)

    def totals(mask: pd.Series) -> dict[str, float]:
        return {
            "before": float(frame.loc[mask & (frame["post"] == 0), "count"].sum()),
            "after": float(frame.loc[mask & (frame["post"] == 1), "count"].sum()),
        }

    return DidResult(
        effect=math.exp(coef),
        ci_low=math.exp(low),
        ci_high=math.exp(high),
        p_value=p_value,
        coef=coef,
        se=se,
        n_areas=n_areas,
        n_periods=len(data.periods),
        pre_trend_p=pre_trend_p,
        event_study=event_study,
        method=(
            "Poisson regression (statsmodels GLM) with area and period fixed effects"
            + (" and log exposure as an offset" if exposure else "")
            + f"; standard errors cluster-robust by area ({n_areas} areas), t distribution with {df} degrees of freedom"
        ),
        n_treated=len(data.treated),
        n_comparison=len(data.comparison),
        pre_periods=data.periods[: data.start_index],
        post_periods=data.periods[data.start_index :],
        pre_trend_ratio=pre_trend_ratio,
        pre_trend_joint_p=joint_p,
        dispersion=pearson,
        treated_counts=totals(frame["treated"] == 1),
        comparison_counts=totals(frame["treated"] == 0),
        dropped_areas=data.dropped,
    )


def _event_study(
    frame: pd.DataFrame, start_index: int, n_periods: int, df: int
) -> tuple[list[EventStudyPoint], float | None]:
    """A rate ratio for each period relative to the start (reference −1), and the joint test of the leads."""
    relative = (frame["period"] - start_index).to_numpy()
    treated = frame["treated"].to_numpy() == 1
    offsets = [r for r in range(-start_index, n_periods - start_index) if r != -1]
    present = [r for r in offsets if np.any(treated & (relative == r))]
    if not present:
        return [EventStudyPoint(-1, 1.0, 1.0, 1.0)], None
    columns = np.column_stack([(treated & (relative == r)).astype(float) for r in present])
    fitted = _fit(frame, columns)
    points = [EventStudyPoint(-1, 1.0, 1.0, 1.0)]
    for index, r in enumerate(present):
        coef, se = float(fitted.params[index]), float(fitted.bse[index])
        low, high, _ = _t_interval(coef, se, df)
        points.append(EventStudyPoint(r, math.exp(coef), math.exp(low), math.exp(high)))
    points.sort(key=lambda p: p.rel_time)
    leads = [i for i, r in enumerate(present) if r < -1]
    joint_p: float | None = None
    if leads and 4 * len(leads) <= df:
        # A Wald test with a cluster-robust covariance is only trustworthy with many more areas than leads.
        covariance = np.asarray(fitted.cov_params())[np.ix_(leads, leads)]
        coefs = np.asarray(fitted.params)[leads]
        try:
            statistic = float(coefs @ np.linalg.solve(covariance, coefs)) / len(leads)
            joint_p = float(stats.f.sf(statistic, len(leads), df))
        except np.linalg.LinAlgError:
            joint_p = None
    return points, joint_p


def _pre_trend(frame: pd.DataFrame, start_index: int, df: int) -> tuple[float | None, float | None]:
    """Before the start only: p-value and rate ratio per period of the treated areas' extra linear trend."""
    if start_index < 3:
        return None, None
    before = frame[frame["period"] < start_index].reset_index(drop=True)
    trend = (before["treated"] * before["period"]).to_numpy(dtype=float)[:, None]
    fitted = _fit(before, trend)
    coef, se = float(fitted.params[0]), float(fitted.bse[0])
    _, _, p_value = _t_interval(coef, se, df)
    return p_value, math.exp(coef)
