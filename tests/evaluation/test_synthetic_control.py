"""Synthetic control: the reproduction of ADH (2010) on the Prop 99 panel, a simulated case with a known answer,
the exact inner solver, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from c2hub.evaluation.panel import EvaluationError
from c2hub.evaluation.synthetic_control import (
    Predictor,
    SyntheticControlResult,
    parse_predictor,
    simplex_least_squares,
    synthetic_control,
)

from .conftest import CALIFORNIA, PROP99_PREDICTORS, PUBLISHED_WEIGHTS, simulated_synthetic_panel

SIMULATED_PREDICTORS = [
    "outcome:2000",
    "outcome:2004",
    "outcome:2008",
    "outcome:2012",
    "outcome:2016",
    "outcome:2019",
    "covariate",
]


# --- The paper --------------------------------------------------------------------------------------------------


def test_prop99_donor_weights_match_the_published_ones(prop99_result: SyntheticControlResult) -> None:
    for state, published in PUBLISHED_WEIGHTS.items():
        assert prop99_result.weights[state] == pytest.approx(published, abs=0.03), state
    others = {state: w for state, w in prop99_result.weights.items() if state not in PUBLISHED_WEIGHTS}
    assert len(others) == 33
    assert max(others.values()) < 0.01
    assert sum(prop99_result.weights.values()) == pytest.approx(1.0)


def test_prop99_gap_in_2000_is_about_minus_26_packs(prop99_result: SyntheticControlResult) -> None:
    assert prop99_result.gaps[2000] == pytest.approx(-26, abs=3)
    assert prop99_result.treated[2000] == pytest.approx(41.6, abs=0.1)
    # Every year after Proposition 99 California is below its synthetic twin.
    assert all(prop99_result.gaps[year] < 0 for year in range(1989, 2001))


def test_prop99_pre_period_fit_as_in_the_paper(prop99_result: SyntheticControlResult) -> None:
    # ADH's weights give a 1970–1988 RMSPE of 1.76 on these data.
    assert prop99_result.pre_rmspe == pytest.approx(1.76, abs=0.1)
    assert prop99_result.pre_periods == list(range(1970, 1989))
    balance = prop99_result.predictor_balance
    # Table 1 of the paper: synthetic California's predictors.
    assert balance.loc["retprice (1980-1988)", "synthetic"] == pytest.approx(89.41, abs=0.5)
    assert balance.loc["beer (1984-1988)", "synthetic"] == pytest.approx(24.20, abs=0.3)
    assert balance.loc["cigsale (1975)", "synthetic"] == pytest.approx(126.99, abs=1.0)
    assert balance.loc["cigsale (1988)", "synthetic"] == pytest.approx(91.62, abs=1.0)
    assert balance.loc["lnincome (1980-1988)", "synthetic"] == pytest.approx(9.86, abs=0.05)
    assert sum(prop99_result.v_weights.values()) == pytest.approx(1.0)


def test_prop99_placebo_p_value_is_one_in_39(prop99_result: SyntheticControlResult) -> None:
    # "the probability of obtaining a post/pre-Proposition 99 MSPE ratio as large as California's is 1/39".
    assert len(prop99_result.placebos) == 38
    assert prop99_result.placebo_p == pytest.approx(1 / 39)
    assert all(p.ratio < prop99_result.ratio for p in prop99_result.placebos.values())
    assert prop99_result.placebos_ranked == 39


def test_prop99_california_has_the_most_negative_gap_among_well_fitted_placebos(
    prop99_result: SyntheticControlResult,
) -> None:
    # Figures 6–7 of the paper: dropping placebos with pre-period MSPE over 5 and 2 times California's.
    treated_mspe = prop99_result.pre_rmspe**2
    lowest = min(prop99_result.gaps[year] for year in prop99_result.post_periods)
    for limit in (5, 2):
        kept = [p for p in prop99_result.placebos.values() if p.pre_rmspe**2 <= limit * treated_mspe]
        assert len(kept) >= 15
        assert all(min(p.gaps[y] for y in prop99_result.post_periods) > lowest for p in kept)


def test_placebo_pre_mspe_limit_drops_poorly_fitted_placebos(prop99_panel: pd.DataFrame) -> None:
    # A small problem (three predictors, few donors) so the placebos run quickly.
    donors = [1, 4, 5, 19, 21, 34, 7, 13]
    panel = prop99_panel[prop99_panel["state"].isin([3, *donors])]
    result = synthetic_control(
        panel,
        unit="state",
        time="year",
        outcome="cigsale",
        treated=3,
        treatment_start=1989,
        predictors=[parse_predictor(s) for s in ("cigsale:1975", "cigsale:1980", "cigsale:1988")],
        placebo_pre_mspe_limit=2,
    )
    dropped = [p for p in result.placebos.values() if not p.kept]
    assert dropped, "some placebos fit much worse than California"
    assert all(p.pre_rmspe**2 > 2 * result.pre_rmspe**2 for p in dropped)
    assert result.placebos_ranked == 1 + len(result.placebos) - len(dropped)
    assert result.placebo_p == pytest.approx(1 / result.placebos_ranked)


# --- A simulated case with a known answer --------------------------------------------------------------------------


def _simulated(effect: float, noise: float = 0.0, **kwargs: object) -> tuple[SyntheticControlResult, dict[str, float]]:
    panel, true = simulated_synthetic_panel(effect=effect, noise=noise)
    result = synthetic_control(
        panel,
        unit="unit",
        time="year",
        outcome="outcome",
        treated="site",
        treatment_start=2020,
        predictors=[parse_predictor(s) for s in SIMULATED_PREDICTORS],
        **kwargs,
    )
    return result, true


def test_recovers_a_known_donor_mix_and_effect_exactly() -> None:
    result, true = _simulated(effect=-10.0)
    for donor, weight in true.items():
        assert result.weights[donor] == pytest.approx(weight, abs=1e-4)
    assert result.pre_rmspe == pytest.approx(0, abs=1e-4)
    for year in result.post_periods:
        assert result.gaps[year] == pytest.approx(-10.0, abs=1e-3)
    assert result.mean_post_gap == pytest.approx(-10.0, abs=1e-3)
    # Eight donors: the treated unit's ratio is the largest, so p = 1/9.
    assert result.placebo_p == pytest.approx(1 / 9)


def test_recovers_a_known_effect_with_noise() -> None:
    result, true = _simulated(effect=-10.0, noise=0.5, placebos=False)
    assert result.placebo_p is None
    assert result.placebos == {}
    assert result.mean_post_gap == pytest.approx(-10.0, abs=1.5)
    for donor, weight in true.items():
        assert result.weights[donor] == pytest.approx(weight, abs=0.1)


def test_no_effect_gives_no_clear_placebo_signal() -> None:
    result, _ = _simulated(effect=0.0, noise=0.5)
    assert abs(result.mean_post_gap) < 1.0
    assert result.placebo_p is not None and result.placebo_p > 1 / 9


def test_progress_is_reported_for_each_placebo() -> None:
    calls: list[tuple[int, int]] = []
    _simulated(effect=-10.0, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 8)
    assert calls[-1] == (8, 8)
    assert len(calls) == 9


def test_excluded_units_are_not_donors() -> None:
    result, _ = _simulated(effect=-10.0, noise=0.5, placebos=False, exclude=["d1"])
    assert "d1" not in result.weights
    assert result.excluded_donors == {"d1": "excluded by request"}


def test_optimise_period_limits_the_fit() -> None:
    result, _ = _simulated(effect=-10.0, noise=0.5, placebos=False, optimise_period=(2010, 2019))
    assert result.optimise_periods == list(range(2010, 2020))
    assert result.pre_periods == list(range(2000, 2020))


def test_month_periods_and_text_units() -> None:
    panel, _ = simulated_synthetic_panel(effect=-10.0, noise=0.0, periods=24, start=18)
    panel["month"] = panel["year"].map(lambda y: f"{2020 + (y - 2000) // 12}-{(y - 2000) % 12 + 1:02d}")
    result = synthetic_control(
        panel,
        unit="unit",
        time="month",
        outcome="outcome",
        treated="site",
        treatment_start="2021-07",
        predictors=[
            parse_predictor("outcome:2020-01..2021-06"),
            parse_predictor("outcome:2020-06"),
            parse_predictor("outcome:2021-06"),
            parse_predictor("outcome:2020-01,2020-03"),
            parse_predictor("covariate"),
        ],
        placebos=False,
    )
    assert result.post_periods[0] == "2021-07"
    assert result.gaps["2021-12"] == pytest.approx(-10.0, abs=0.5)


def test_to_json_has_the_command_line_keys() -> None:
    result, _ = _simulated(effect=-10.0, placebos=False)
    summary = result.to_json()
    assert set(summary) == {"weights", "pre_rmspe", "gaps", "placebo_p"}
    assert summary["gaps"]["2025"] == pytest.approx(-10.0, abs=1e-3)


# --- The inner solver --------------------------------------------------------------------------------------------


def _reference(columns: np.ndarray) -> float:
    donors = columns.shape[1]
    found = minimize(
        lambda w: float(np.sum((columns @ w) ** 2)),
        np.full(donors, 1.0 / donors),
        jac=lambda w: 2 * columns.T @ (columns @ w),
        method="SLSQP",
        bounds=[(0, 1)] * donors,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
        options={"ftol": 1e-14, "maxiter": 2000},
    )
    return float(found.fun)


@settings(max_examples=60, deadline=None)
@given(
    k=st.integers(1, 8),
    donors=st.integers(1, 40),
    seed=st.integers(0, 2**32 - 1),
    warm=st.booleans(),
)
def test_simplex_least_squares_is_optimal_and_feasible(k: int, donors: int, seed: int, warm: bool) -> None:
    rng = np.random.default_rng(seed)
    columns = rng.normal(size=(k, donors)) * rng.exponential(size=(k, 1))
    start = rng.dirichlet(np.ones(donors)) if warm else None
    weights = simplex_least_squares(columns, start=start)
    assert weights.shape == (donors,)
    assert np.all(weights >= 0)
    assert weights.sum() == pytest.approx(1.0)
    value = float(np.sum((columns @ weights) ** 2))
    assert value <= _reference(columns) + 1e-9 * max(1.0, value)


def test_simplex_least_squares_finds_an_interior_point_exactly() -> None:
    # The origin is 0.25/0.25/0.5 of three points: zero loss there.
    columns = np.array([[1.0, -1.0, 0.0], [1.0, 1.0, -1.0]])
    weights = simplex_least_squares(columns)
    assert weights == pytest.approx([0.25, 0.25, 0.5], abs=1e-9)


# --- Predictors ---------------------------------------------------------------------------------------------------


def test_parse_predictor_forms() -> None:
    assert parse_predictor("cigsale:1975") == Predictor("cigsale", (1975,))
    assert parse_predictor("beer:1984-1988").times == (1984, 1985, 1986, 1987, 1988)
    assert parse_predictor("x:1961,1963,1965").times == (1961, 1963, 1965)
    assert parse_predictor("x").times is None
    assert parse_predictor("crime:2023-01..2023-12").between == ("2023-01", "2023-12")
    assert parse_predictor("crime:2023-06").times == ("2023-06",)
    assert parse_predictor("beer:1984-1988").name == "beer (1984-1988)"
    assert parse_predictor("x:1961,1963").name == "x (1961, 1963)"


@pytest.mark.parametrize("spec", ["cigsale:", ":1975", "cigsale:1988-1980", "x:1961,,1963", "x:abc!", "x:-5..", ""])
def test_parse_predictor_rejects_bad_years(spec: str) -> None:
    with pytest.raises(EvaluationError):
        parse_predictor(spec)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=30))
def test_parse_predictor_never_crashes(spec: str) -> None:
    try:
        predictor = parse_predictor(spec)
    except EvaluationError as exc:
        assert str(exc)
    else:
        assert predictor.column


def test_predictor_means_ignore_missing_values(prop99_panel: pd.DataFrame) -> None:
    # lnincome is missing in 1970–71; the 1970–1975 mean is the mean of 1972–1975.
    result = synthetic_control(
        prop99_panel,
        unit="state",
        time="year",
        outcome="cigsale",
        treated=3,
        treatment_start=1989,
        predictors=[parse_predictor("lnincome:1970-1975"), parse_predictor("cigsale:1975")],
        placebos=False,
    )
    california = prop99_panel[(prop99_panel["state"] == 3) & prop99_panel["year"].between(1972, 1975)]
    assert result.predictor_balance.loc["lnincome (1970-1975)", "treated"] == pytest.approx(
        california["lnincome"].mean()
    )


# --- Bad input ----------------------------------------------------------------------------------------------------


def _run(panel: pd.DataFrame, **changes: object) -> SyntheticControlResult:
    arguments: dict[str, object] = {
        "unit": "state",
        "time": "year",
        "outcome": "cigsale",
        "treated": 3,
        "treatment_start": 1989,
        "predictors": [parse_predictor(s) for s in PROP99_PREDICTORS[-3:]],
        "placebos": False,
    }
    arguments.update(changes)
    return synthetic_control(panel, **arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outcome": "packs"}, "no column 'packs'"),
        ({"treated": 99}, "treated unit '99' is not in column 'state'"),
        ({"treatment_start": 1970}, "no pre-treatment period"),
        ({"treatment_start": 2001}, "no post-treatment period"),
        ({"predictors": [parse_predictor("cigsale:1950")]}, "no period 1950"),
        ({"predictors": []}, "at least one predictor"),
        ({"exclude": [99]}, "Cannot exclude '99'"),
        ({"exclude": [3]}, "cannot also be excluded"),
        ({"optimise_period": (1990, 1995)}, "has no pre-treatment periods"),
        ({"treatment_start": "soon"}, "not a period like the panel's"),
    ],
)
def test_bad_input_is_named(prop99_panel: pd.DataFrame, changes: dict[str, object], message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        _run(prop99_panel, **changes)


def test_too_few_donors(prop99_panel: pd.DataFrame) -> None:
    panel = prop99_panel[prop99_panel["state"].isin([3, 4, 5])]
    with pytest.raises(EvaluationError, match="Too few donor units"):
        _run(panel, exclude=[4])


def test_non_numeric_outcome_names_the_row(prop99_panel: pd.DataFrame) -> None:
    panel = prop99_panel.copy()
    panel["cigsale"] = panel["cigsale"].astype(object)
    panel.loc[5, "cigsale"] = "n/a"
    with pytest.raises(EvaluationError, match=r"Column 'cigsale' must hold numbers, but row 6 .* 'n/a'"):
        _run(panel)


def test_duplicate_rows_are_refused(prop99_panel: pd.DataFrame) -> None:
    panel = pd.concat([prop99_panel, prop99_panel.iloc[[0]]])
    with pytest.raises(EvaluationError, match="more than one row"):
        _run(panel)


def test_donors_with_missing_outcomes_are_left_out_and_reported(prop99_panel: pd.DataFrame) -> None:
    panel = prop99_panel.copy()
    panel.loc[(panel["state"] == 1) & (panel["year"] == 1980), "cigsale"] = math.nan
    result = _run(panel)
    assert "1" not in result.weights
    assert "missing" in result.excluded_donors["1"]


def test_treated_unit_with_missing_outcome_is_refused(prop99_panel: pd.DataFrame) -> None:
    panel = prop99_panel.copy()
    panel.loc[(panel["state"] == 3) & (panel["year"] == 1980), "cigsale"] = math.nan
    with pytest.raises(EvaluationError, match=f"treated unit '{CALIFORNIA}' has no 'cigsale' for 1980"):
        _run(panel)
