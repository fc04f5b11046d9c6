"""Synthetic control (Abadie, Diamond & Hainmueller 2010), with placebo-in-space inference.

The synthetic unit is a weighted average of donor units, W ≥ 0 with the weights summing to 1,
that matches the treated unit's predictors as closely as possible. How much each predictor counts
(the diagonal matrix V) is chosen so that the synthetic unit also tracks the treated unit's
outcome before the treatment — the nested optimisation of the paper:

* inner: W(V) = argmin (X1 − X0 W)' V (X1 − X0 W) over the simplex — solved exactly by an
  active-set (Lawson–Hanson) method for least squares on the simplex, `simplex_least_squares`;
* outer: V = argmin of the mean squared prediction error (MSPE) of the outcome over the
  optimisation period, by Nelder–Mead from several starting points (equal weights, the
  regression-based weights of Stata's `synth`, and seeded random ones), like R's Synth.

Predictors are standardised (divided by their standard deviation over the treated unit and the
donors) before V is applied, as in Synth. Inference reruns the whole method with each donor in
turn as the "treated" unit (placebos in space) and ranks the post/pre RMSPE ratios; the
permutation p-value is the treated unit's rank divided by the number of units ranked.

See docs/methods.md for the method in plain words and the reproduction of the paper.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from c2hub.evaluation.panel import (
    EvaluationError,
    check_unique,
    coerce_time,
    format_units,
    numeric_column,
    periods_between,
    require_columns,
    time_values,
    unit_label,
    unit_labels,
)

__all__ = [
    "PlaceboResult",
    "Predictor",
    "SyntheticControlResult",
    "parse_predictor",
    "simplex_least_squares",
    "synthetic_control",
]


@dataclass(frozen=True)
class Predictor:
    """A predictor: the mean of `column` over `times`, ignoring missing values.

    `times=None` means every pre-treatment period; `between=(start, end)` means every period of
    the panel from start to end (both included) — useful for periods that are not whole numbers,
    such as months written "2023-01".
    """

    column: str
    times: tuple[Any, ...] | None = None
    name: str = ""
    between: tuple[Any, Any] | None = None

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", f"{self.column} ({self.describe_times()})")

    def describe_times(self) -> str:
        """The periods in words: "1975", "1980-1988", "1961, 1963, 1965" or "all pre-treatment periods"."""
        if self.between is not None:
            return f"{self.between[0]}–{self.between[1]}"
        if self.times is None:
            return "pre-treatment mean"
        items = list(self.times)
        if len(items) == 1:
            return str(items[0])
        if all(isinstance(t, int) for t in items) and items == list(range(items[0], items[-1] + 1)):
            return f"{items[0]}-{items[-1]}"
        return ", ".join(str(t) for t in items)


_INT = re.compile(r"^[+-]?\d+$")


def _period(text: str) -> Any:
    text = text.strip()
    return int(text) if _INT.match(text) else text


def parse_predictor(spec: str) -> Predictor:
    """Read "COL:YEARS": YEARS is one year (1975), a range (1980-1988) or a list (1961,1963,1965).

    "COL" alone is the mean over all pre-treatment periods; "COL:A..B" is a range of any kind of
    period (e.g. "crime:2023-01..2023-12" for months).
    """
    spec = spec.strip()
    column, colon, years = spec.rpartition(":")
    if not colon:
        if not spec:
            raise EvaluationError("A predictor needs a column name, e.g. cigsale:1980-1988.")
        return Predictor(column=spec)
    column, years = column.strip(), years.strip()
    if not column:
        raise EvaluationError(f"Predictor {spec!r} has no column name before the colon (e.g. cigsale:1980-1988).")
    if not years:
        raise EvaluationError(f"Predictor {spec!r} has no years after the colon (e.g. cigsale:1980-1988).")
    bad = EvaluationError(
        f"Predictor {spec!r}: the years must be one year (1975), a range (1980-1988) or a list "
        f"(1961,1963,1965), not {years!r}."
    )
    if "," in years:
        items = [item.strip() for item in years.split(",")]
        if any(not item for item in items):
            raise bad
        return Predictor(column=column, times=tuple(_period(item) for item in items))
    if ".." in years:
        start, _, end = years.partition("..")
        if not start.strip() or not end.strip():
            raise bad
        first, last = _period(start), _period(end)
        if type(first) is not type(last) or first > last:
            raise bad
        if isinstance(first, int):
            return Predictor(column=column, times=tuple(range(first, last + 1)))
        return Predictor(column=column, between=(first, last))
    match = re.fullmatch(r"([+-]?\d+)\s*-\s*(\d+)", years)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if first <= last:
            return Predictor(column=column, times=tuple(range(first, last + 1)))
        if not re.fullmatch(r"\d{4}-\d{2}", years):
            raise EvaluationError(f"Predictor {spec!r}: the range {years!r} ends before it starts.")
    if _INT.match(years):
        return Predictor(column=column, times=(int(years),))
    if re.fullmatch(r"[\w./ -]+", years) and not years.startswith("-"):
        # One period that is not a whole number, such as "2023-06".
        return Predictor(column=column, times=(years,))
    raise bad


@dataclass
class PlaceboResult:
    """One placebo run: a donor treated as if it had been treated."""

    unit: str
    pre_rmspe: float
    post_rmspe: float
    ratio: float
    gaps: dict[Any, float]
    weights: dict[str, float] = field(default_factory=dict)
    kept: bool = True  # False when dropped for a pre-period fit much worse than the treated unit's


@dataclass
class SyntheticControlResult:
    """What `synthetic_control` found. Gaps are treated minus synthetic, for every period."""

    treated_unit: str
    treatment_start: Any
    weights: dict[str, float]
    v_weights: dict[str, float]
    pre_rmspe: float
    post_rmspe: float
    gaps: dict[Any, float]
    treated: dict[Any, float]
    synthetic: dict[Any, float]
    placebo_p: float | None
    placebos: dict[str, PlaceboResult]
    predictor_balance: pd.DataFrame
    pre_periods: list[Any]
    post_periods: list[Any]
    optimise_periods: list[Any]
    excluded_donors: dict[str, str]
    pre_mspe_loss: float  # the outer objective: MSPE over the optimisation period

    @property
    def ratio(self) -> float:
        """The treated unit's post/pre RMSPE ratio."""
        return _ratio(self.post_rmspe, self.pre_rmspe)

    @property
    def mean_post_gap(self) -> float:
        """The average gap over the post-treatment periods."""
        return float(np.mean([self.gaps[t] for t in self.post_periods]))

    @property
    def mean_post_synthetic(self) -> float:
        """The synthetic unit's average over the post-treatment periods (what the gap is relative to)."""
        return float(np.mean([self.synthetic[t] for t in self.post_periods]))

    @property
    def placebos_ranked(self) -> int:
        """How many units the p-value ranks: the treated unit and the placebos kept."""
        return 1 + sum(1 for p in self.placebos.values() if p.kept)

    def donor_weights(self, minimum: float = 0.001) -> dict[str, float]:
        """The donors with a weight of at least `minimum`, largest first."""
        rows = [(u, w) for u, w in self.weights.items() if w >= minimum]
        return dict(sorted(rows, key=lambda item: -item[1]))

    def to_json(self) -> dict[str, Any]:
        """The summary the `evaluate synthetic-control --json` command prints."""
        return {
            "weights": {u: round(w, 6) for u, w in self.weights.items()},
            "pre_rmspe": round(self.pre_rmspe, 6),
            "gaps": {str(t): round(g, 6) for t, g in self.gaps.items()},
            "placebo_p": None if self.placebo_p is None else round(self.placebo_p, 6),
        }


# --------------------------------------------------------------------------------------------
# The inner problem: least squares on the simplex.


def _equality_least_squares(columns: np.ndarray, ridge: float = 0.0) -> np.ndarray:
    """argmin ||C z||² + ridge ||z||² subject to sum(z) = 1 (no sign constraint), by eliminating the constraint."""
    p = columns.shape[1]
    if p == 1:
        return np.ones(1)
    if ridge > 0:
        columns = np.vstack([columns, math.sqrt(ridge) * np.eye(p)])
    # z = e_p + N u with N = [I; -1'] spans {z : sum z = 0}; e_p is feasible.
    base = columns[:, -1]
    reduced = columns[:, :-1] - base[:, None]
    u, *_ = np.linalg.lstsq(reduced, -base, rcond=None)
    z = np.empty(p)
    z[:-1] = u
    z[-1] = 1.0 - u.sum()
    return z


def simplex_least_squares(
    columns: np.ndarray,
    start: np.ndarray | None = None,
    tol: float = 1e-11,
    max_iter: int | None = None,
    ridge: float = 0.0,
) -> np.ndarray:
    """argmin ||C w||² + ridge ||w||² subject to w ≥ 0 and sum(w) = 1, exactly, by an active-set method.

    This is Lawson & Hanson's NNLS algorithm with the equality constraint kept on every
    subproblem. (X1 − X0 W)' V (X1 − X0 W) is this with C = V^½ (X0 − X1 1'), because
    X1 = X1 1'W when the weights sum to one. `start` (feasible weights) warm-starts it. A tiny
    `ridge` makes the solution unique when several W fit equally well (then it is the one with
    the most even weights), so that the answer does not depend on the starting point.
    """
    k, donors = columns.shape
    if donors == 0:
        raise EvaluationError("There are no donor units to build a synthetic control from.")
    if donors == 1:
        return np.ones(1)
    norms = np.einsum("ij,ij->j", columns, columns)
    scale = max(float(norms.max()), 1e-300)
    tolerance = tol * scale
    eps = 1e-14
    if start is not None and start.shape == (donors,) and np.all(start >= 0) and start.sum() > 0:
        weights = start / start.sum()
        passive = weights > eps
    else:
        weights = np.zeros(donors)
        best = int(np.argmin(norms))
        weights[best] = 1.0
        passive = np.zeros(donors, dtype=bool)
        passive[best] = True
    limit = max_iter or 3 * (donors + k) + 30
    entering: int | None = None
    for _ in range(limit):
        # Make `weights` optimal on the passive set, dropping members that would go negative.
        for _inner in range(donors + 1):
            index = np.flatnonzero(passive)
            z = _equality_least_squares(columns[:, index], ridge)
            if np.all(z > eps):
                weights[:] = 0.0
                weights[index] = z
                break
            current = weights[index]
            negative = z <= eps
            if entering is not None and np.array_equal(index[negative], [entering]):
                # The donor that just entered cannot improve the fit: numerically optimal already.
                passive[entering] = False
                return _clean(weights)
            steps = current[negative] / np.maximum(current[negative] - z[negative], 1e-300)
            alpha = float(np.clip(steps.min(), 0.0, 1.0))
            weights[index] = current + alpha * (z - current)
            leaving = index[weights[index] <= eps]
            if leaving.size == 0:
                leaving = index[negative][[int(np.argmin(steps))]]
            passive[leaving] = False
            weights[~passive] = 0.0
            if not passive.any():
                best = int(np.argmin(norms))
                passive[best] = True
                weights[best] = 1.0
        entering = None
        residual = columns @ weights
        gradient = columns.T @ residual + ridge * weights
        multiplier = float(residual @ residual) + ridge * float(weights @ weights)
        reduced_cost = gradient - multiplier
        reduced_cost[passive] = np.inf
        candidate = int(np.argmin(reduced_cost))
        if reduced_cost[candidate] >= -tolerance:
            return _clean(weights)
        passive[candidate] = True
        entering = candidate
    return _clean(weights)


def _clean(weights: np.ndarray) -> np.ndarray:
    weights = np.where(weights > 1e-12, weights, 0.0)
    return weights / weights.sum()


# --------------------------------------------------------------------------------------------
# The outer problem: V.


# The tie-breaking ridge, relative to the largest squared distance of a donor from the treated unit.
RIDGE = 1e-10
# Nelder–Mead: at most this many evaluations per predictor in each run, and this many restarts from the best point.
MAX_EVALUATIONS = 150
RESTARTS = 3


@dataclass
class _Fit:
    weights: np.ndarray  # over the donors given
    v: np.ndarray
    loss: float  # MSPE over the optimisation period


def _standardise(treated_x: np.ndarray, donors_x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Divide each predictor by its standard deviation over the treated unit and the donors (as Synth)."""
    everything = np.column_stack([donors_x, treated_x])
    divisor = everything.std(axis=1, ddof=1)
    divisor = np.where(divisor > 0, divisor, 1.0)
    return treated_x / divisor, donors_x / divisor[:, None]


def _regression_v(
    treated_x: np.ndarray, donors_x: np.ndarray, treated_z: np.ndarray, donors_z: np.ndarray
) -> np.ndarray:
    """Stata synth's regression-based V: squared coefficients of the outcomes on the predictors."""
    x = np.column_stack([donors_x, treated_x]).T  # units × k (standardised)
    z = np.column_stack([donors_z, treated_z]).T  # units × periods
    design = np.column_stack([np.ones(x.shape[0]), x])
    coefs, *_ = np.linalg.lstsq(design, z, rcond=None)
    v = (coefs[1:] ** 2).sum(axis=1)
    total = v.sum()
    if not np.isfinite(total) or total <= 0:
        return np.full(x.shape[1], 1.0 / x.shape[1])
    return v / total


def _fit(
    treated_x: np.ndarray,
    donors_x: np.ndarray,
    treated_z: np.ndarray,
    donors_z: np.ndarray,
    *,
    random_starts: int,
    seed: int,
) -> _Fit:
    """The nested optimisation for one treated unit: x are predictors (k × ·), z outcomes (T0 × ·)."""
    x1, x0 = _standardise(treated_x, donors_x)
    difference = x0 - x1[:, None]  # k × J
    k = difference.shape[0]
    last: dict[str, np.ndarray | None] = {"w": None}
    best: dict[str, Any] = {"loss": math.inf, "w": None, "v": None}

    def weights_for(v: np.ndarray) -> np.ndarray:
        scaled = np.sqrt(v)[:, None] * difference
        ridge = RIDGE * float(np.einsum("ij,ij->j", scaled, scaled).max())
        w = simplex_least_squares(scaled, start=last["w"], ridge=ridge)
        last["w"] = w
        return w

    def loss_for(w: np.ndarray) -> float:
        error = treated_z - donors_z @ w
        return float(error @ error) / len(error)

    def to_v(q: np.ndarray) -> np.ndarray:
        # V = softmax(q): positive, summing to one, and able to reach very small weights.
        e = np.exp(np.clip(q - q.max(), -700.0, 0.0))
        return e / e.sum()

    def objective(q: np.ndarray) -> float:
        v = to_v(q)
        w = weights_for(v)
        loss = loss_for(w)
        # Keep the best (V, W) seen: with nearly tied W the solver's answer can depend on where it starts.
        if loss < best["loss"]:
            best.update(loss=loss, w=w.copy(), v=v)
        return loss

    if k == 1:
        v = np.ones(1)
        w = weights_for(v)
        return _Fit(w, v, loss_for(w))

    rng = np.random.default_rng(seed)
    starts = [np.full(k, 1.0 / k), _regression_v(x1, x0, treated_z, donors_z)]
    starts += [rng.dirichlet(np.ones(k)) for _ in range(random_starts)]
    options = {"maxfev": MAX_EVALUATIONS * k, "xatol": 1e-3, "fatol": 1e-9, "adaptive": k > 4}
    best_q, best_loss = np.zeros(k), math.inf
    for start in starts:
        found = minimize(objective, np.log(np.maximum(start, 1e-12)), method="Nelder-Mead", options=options)
        if found.fun < best_loss:
            best_q, best_loss = found.x, float(found.fun)
    # Restart Nelder–Mead from the best point (a fresh simplex) until it stops improving.
    for _ in range(RESTARTS):
        found = minimize(objective, best_q, method="Nelder-Mead", options=options)
        if found.fun >= best_loss - 1e-6 * max(best_loss, 1e-12):
            break
        best_q, best_loss = found.x, float(found.fun)
    return _Fit(best["w"], best["v"], best["loss"])


# --------------------------------------------------------------------------------------------
# The panel.


@dataclass
class _Problem:
    units: list[str]
    times: list[Any]
    outcome: np.ndarray  # units × times
    predictors: np.ndarray  # units × k
    predictor_names: list[str]
    pre: np.ndarray  # boolean over times
    optimise: np.ndarray  # boolean over times
    treated: int
    donors: list[int]
    excluded: dict[str, str]


def _prepare(
    panel: pd.DataFrame,
    *,
    unit: str,
    time: str,
    outcome: str,
    treated: Hashable,
    treatment_start: Any,
    predictors: Sequence[Predictor],
    exclude: Sequence[Hashable],
    optimise_period: tuple[Any, Any] | None,
) -> _Problem:
    if not isinstance(panel, pd.DataFrame):
        raise EvaluationError("The panel must be a table (a pandas DataFrame) with one row per unit and period.")
    if not predictors:
        raise EvaluationError("Give at least one predictor (e.g. the outcome in a few pre-treatment years).")
    require_columns(panel, [unit, time, outcome, *(p.column for p in predictors)])
    if panel.empty:
        raise EvaluationError("The panel has no rows.")
    units_col = unit_labels(panel, unit)
    times_col = time_values(panel, time)
    check_unique(panel, units_col, times_col, unit, time)
    values = {outcome: numeric_column(panel, outcome)}
    for predictor in predictors:
        if predictor.column not in values:
            values[predictor.column] = numeric_column(panel, predictor.column)

    times = sorted(times_col.unique().tolist())
    start = coerce_time(treatment_start, times_col, "The treatment start")
    pre_times = [t for t in times if t < start]
    post_times = [t for t in times if t >= start]
    if not pre_times:
        raise EvaluationError(
            f"The treatment start {treatment_start!r} is not after the panel's first period ({times[0]!r}): "
            "there is no pre-treatment period to fit."
        )
    if not post_times:
        raise EvaluationError(
            f"The treatment start {treatment_start!r} is after the panel's last period ({times[-1]!r}): "
            "there is no post-treatment period to compare."
        )
    if optimise_period is None:
        optimise_times = pre_times
    else:
        first = coerce_time(optimise_period[0], times_col, "The optimisation period's start")
        last = coerce_time(optimise_period[1], times_col, "The optimisation period's end")
        optimise_times = periods_between(pre_times, first, last)
        if not optimise_times:
            raise EvaluationError(
                f"The optimisation period {optimise_period[0]}–{optimise_period[1]} has no pre-treatment periods "
                f"(the panel's pre-treatment periods are {pre_times[0]}–{pre_times[-1]})."
            )

    long = pd.DataFrame({"unit": units_col.to_numpy(), "time": times_col.to_numpy()})
    for column, series in values.items():
        long[column] = series.to_numpy()
    units = sorted(long["unit"].unique().tolist())
    treated_label = unit_label(treated)
    if treated_label not in units:
        raise EvaluationError(
            f"The treated unit {treated_label!r} is not in column {unit!r} (units include {format_units(units)})."
        )
    excluded_labels = {unit_label(u) for u in exclude}
    unknown = sorted(excluded_labels - set(units))
    if unknown:
        raise EvaluationError(f"Cannot exclude {format_units(unknown)}: not in column {unit!r}.")
    if treated_label in excluded_labels:
        raise EvaluationError(f"The treated unit {treated_label!r} cannot also be excluded.")

    outcome_wide = long.pivot(index="unit", columns="time", values=outcome).reindex(index=units, columns=times)
    predictor_values = np.empty((len(units), len(predictors)))
    for index, predictor in enumerate(predictors):
        if predictor.between is not None:
            first = coerce_time(predictor.between[0], times_col, f"Predictor {predictor.name!r}: the period")
            last = coerce_time(predictor.between[1], times_col, f"Predictor {predictor.name!r}: the period")
            chosen = periods_between(times, first, last)
        elif predictor.times is None:
            chosen = pre_times
        else:
            wanted = [coerce_time(t, times_col, f"Predictor {predictor.name!r}: the period") for t in predictor.times]
            missing = [t for t in wanted if t not in set(times)]
            if missing:
                raise EvaluationError(
                    f"Predictor {predictor.name!r}: the panel has no period {', '.join(str(t) for t in missing)} "
                    f"(its periods are {times[0]}–{times[-1]})."
                )
            chosen = wanted
        if not chosen:
            raise EvaluationError(f"Predictor {predictor.name!r}: no period of the panel falls in that range.")
        wide = long.pivot(index="unit", columns="time", values=predictor.column).reindex(index=units, columns=chosen)
        predictor_values[:, index] = wide.mean(axis=1, skipna=True).to_numpy()

    treated_index = units.index(treated_label)
    outcome_matrix = outcome_wide.to_numpy(dtype=float)
    missing_treated = [times[i] for i in np.flatnonzero(np.isnan(outcome_matrix[treated_index]))]
    if missing_treated:
        raise EvaluationError(
            f"The treated unit {treated_label!r} has no {outcome!r} for "
            f"{', '.join(str(t) for t in missing_treated[:6])}"
            f"{' and more' if len(missing_treated) > 6 else ''}; it needs a value in every period."
        )
    names = [p.name for p in predictors]
    for j in np.flatnonzero(np.isnan(predictor_values[treated_index])):
        raise EvaluationError(
            f"The treated unit {treated_label!r} has no value of {predictors[j].column!r} in the periods of "
            f"predictor {names[j]!r}."
        )

    excluded: dict[str, str] = {u: "excluded by request" for u in sorted(excluded_labels)}
    donors: list[int] = []
    for index, label in enumerate(units):
        if index == treated_index or label in excluded_labels:
            continue
        if np.isnan(outcome_matrix[index]).any():
            excluded[label] = f"{outcome!r} is missing in some periods"
            continue
        gaps = np.isnan(predictor_values[index])
        if gaps.any():
            excluded[label] = f"no value for predictor {names[int(np.flatnonzero(gaps)[0])]!r}"
            continue
        donors.append(index)
    if len(donors) < 2:
        raise EvaluationError(
            f"Too few donor units: a synthetic control needs at least 2 comparison units besides the treated unit, "
            f"and {len(donors)} {'is' if len(donors) == 1 else 'are'} left"
            + (f" after leaving out {format_units(excluded)}." if excluded else ".")
        )
    pre = np.array([t < start for t in times])
    optimise = np.isin(np.arange(len(times)), [times.index(t) for t in optimise_times])
    return _Problem(
        units=units,
        times=times,
        outcome=outcome_matrix,
        predictors=predictor_values,
        predictor_names=names,
        pre=pre,
        optimise=optimise,
        treated=treated_index,
        donors=donors,
        excluded=excluded,
    )


def _rmspe(errors: np.ndarray) -> float:
    return float(np.sqrt(np.mean(errors**2))) if errors.size else 0.0


def _ratio(post: float, pre: float) -> float:
    if pre > 0:
        return post / pre
    return math.inf if post > 0 else 1.0


def _run(problem: _Problem, treated: int, donors: list[int], random_starts: int, seed: int) -> tuple[_Fit, np.ndarray]:
    y = problem.outcome
    x = problem.predictors.T  # k × units
    fit = _fit(
        x[:, treated],
        x[:, donors],
        y[treated, problem.optimise],
        y[np.ix_(donors, np.flatnonzero(problem.optimise))].T,
        random_starts=random_starts,
        seed=seed,
    )
    synthetic = y[donors].T @ fit.weights
    return fit, synthetic


def synthetic_control(
    panel: pd.DataFrame,
    *,
    unit: str,
    time: str,
    outcome: str,
    treated: Hashable,
    treatment_start: Any,
    predictors: Sequence[Predictor],
    exclude: Sequence[Hashable] = (),
    optimise_period: tuple[Any, Any] | None = None,
    placebos: bool = True,
    progress: Callable[[int, int], None] | None = None,
    placebo_include_treated: bool = False,
    placebo_pre_mspe_limit: float | None = None,
    random_starts: int | None = None,
    placebo_random_starts: int = 0,
    seed: int = 0,
) -> SyntheticControlResult:
    """Fit a synthetic control for `treated` from the other units of a long panel (one row per unit and period).

    `predictors` are matched (see `Predictor`); V is chosen to minimise the outcome's MSPE over
    `optimise_period` (inclusive; default: every pre-treatment period). `exclude` leaves units
    out of the donor pool. With `placebos`, every donor is refitted as if treated (donor pool:
    the other donors, plus the treated unit if `placebo_include_treated`); `placebo_p` is the
    treated unit's rank by post/pre RMSPE ratio among itself and the placebos kept, divided by
    their number. `placebo_pre_mspe_limit=k` drops placebos whose pre-treatment MSPE is more
    than k times the treated unit's (ADH 2010 show k = 20, 5 and 2). `progress(done, total)` is
    called as the placebos run. V is searched from equal weights and the regression-based weights,
    plus `random_starts` seeded random points (default: 2, or none for more than 200 donors) for
    the treated unit and `placebo_random_starts` for each placebo.
    """
    problem = _prepare(
        panel,
        unit=unit,
        time=time,
        outcome=outcome,
        treated=treated,
        treatment_start=treatment_start,
        predictors=predictors,
        exclude=exclude,
        optimise_period=optimise_period,
    )
    if random_starts is None:
        random_starts = 2 if len(problem.donors) <= 200 else 0
    fit, synthetic = _run(problem, problem.treated, problem.donors, random_starts, seed)
    y_treated = problem.outcome[problem.treated]
    gaps = y_treated - synthetic
    pre_rmspe = _rmspe(gaps[problem.pre])
    post_rmspe = _rmspe(gaps[~problem.pre])
    times = problem.times

    x = problem.predictors
    balance = pd.DataFrame(
        {
            "treated": x[problem.treated],
            "synthetic": x[problem.donors].T @ fit.weights,
            "donor_mean": x[problem.donors].mean(axis=0),
            "v_weight": fit.v,
        },
        index=pd.Index(problem.predictor_names, name="predictor"),
    )

    placebo_results: dict[str, PlaceboResult] = {}
    placebo_p: float | None = None
    if placebos:
        total = len(problem.donors)
        if progress:
            progress(0, total)
        for done, placebo in enumerate(problem.donors, start=1):
            pool = [d for d in problem.donors if d != placebo]
            if placebo_include_treated:
                pool = sorted([*pool, problem.treated])
            placebo_fit, placebo_synthetic = _run(problem, placebo, pool, placebo_random_starts, seed)
            placebo_gaps = problem.outcome[placebo] - placebo_synthetic
            pre = _rmspe(placebo_gaps[problem.pre])
            post = _rmspe(placebo_gaps[~problem.pre])
            kept = placebo_pre_mspe_limit is None or pre**2 <= placebo_pre_mspe_limit * pre_rmspe**2
            label = problem.units[placebo]
            placebo_results[label] = PlaceboResult(
                unit=label,
                pre_rmspe=pre,
                post_rmspe=post,
                ratio=_ratio(post, pre),
                gaps={t: float(g) for t, g in zip(times, placebo_gaps, strict=True)},
                weights={problem.units[d]: float(w) for d, w in zip(pool, placebo_fit.weights, strict=True)},
                kept=kept,
            )
            if progress:
                progress(done, total)
        treated_ratio = _ratio(post_rmspe, pre_rmspe)
        ratios = [p.ratio for p in placebo_results.values() if p.kept]
        rank = 1 + sum(1 for r in ratios if r >= treated_ratio)
        placebo_p = rank / (1 + len(ratios))

    return SyntheticControlResult(
        treated_unit=problem.units[problem.treated],
        treatment_start=coerce_time(treatment_start, pd.Series(times), "The treatment start"),
        weights={problem.units[d]: float(w) for d, w in zip(problem.donors, fit.weights, strict=True)},
        v_weights=dict(zip(problem.predictor_names, (float(v) for v in fit.v), strict=True)),
        pre_rmspe=pre_rmspe,
        post_rmspe=post_rmspe,
        gaps={t: float(g) for t, g in zip(times, gaps, strict=True)},
        treated={t: float(v) for t, v in zip(times, y_treated, strict=True)},
        synthetic={t: float(v) for t, v in zip(times, synthetic, strict=True)},
        placebo_p=placebo_p,
        placebos=placebo_results,
        predictor_balance=balance,
        pre_periods=[t for t, p in zip(times, problem.pre, strict=True) if p],
        post_periods=[t for t, p in zip(times, problem.pre, strict=True) if not p],
        optimise_periods=[t for t, o in zip(times, problem.optimise, strict=True) if o],
        excluded_donors=problem.excluded,
        pre_mspe_loss=fit.loss,
    )
