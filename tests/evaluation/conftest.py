"""Fixtures for the evaluation methods: the Prop 99 panel (ADH 2010) and simulated panels with known answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from c2hub.evaluation.synthetic_control import SyntheticControlResult, parse_predictor, synthetic_control

PROP99 = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "prop99" / "smoking.csv"
CALIFORNIA = "3"
# ADH 2010 (the paper's predictors; V chosen on the 1970–1988 MSPE of cigarette sales).
PROP99_PREDICTORS = [
    "lnincome:1980-1988",
    "retprice:1980-1988",
    "age15to24:1980-1988",
    "beer:1984-1988",
    "cigsale:1975",
    "cigsale:1980",
    "cigsale:1988",
]
# Table 2 of ADH 2010: Colorado, Connecticut, Montana, Nevada, Utah; every other state 0.
PUBLISHED_WEIGHTS = {"4": 0.164, "5": 0.069, "19": 0.199, "21": 0.234, "34": 0.334}


@pytest.fixture(scope="session")
def prop99_panel() -> pd.DataFrame:
    if not PROP99.exists():
        pytest.skip(f"the Prop 99 panel is not at {PROP99}")
    return pd.read_csv(PROP99)


@pytest.fixture(scope="session")
def prop99_result(prop99_panel: pd.DataFrame) -> SyntheticControlResult:
    """Synthetic California with all 38 placebos (run once for the whole session)."""
    return synthetic_control(
        prop99_panel,
        unit="state",
        time="year",
        outcome="cigsale",
        treated=3,
        treatment_start=1989,
        predictors=[parse_predictor(spec) for spec in PROP99_PREDICTORS],
    )


def simulated_synthetic_panel(
    *, effect: float, noise: float = 0.0, seed: int = 7, donors: int = 8, periods: int = 30, start: int = 20
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Donors from a factor model with their own noise; the treated unit is the 0.5/0.3/0.2 mix of three donors'
    series (plus its own `noise`) and `effect` from period `start`.

    Returns the long panel (unit, year, outcome, covariate) and the true weights.
    """
    rng = np.random.default_rng(seed)
    years = np.arange(2000, 2000 + periods)
    factors = np.column_stack([np.ones(periods), np.linspace(0, 1, periods), np.sin(np.arange(periods) / 3.0)])
    loadings = rng.normal([50, 10, 5], [10, 8, 4], size=(donors, 3))
    outcome = loadings @ factors.T + rng.normal(0, 2.0, size=(donors, periods))
    covariate = rng.normal(5, 2, size=donors)
    true = {"d1": 0.5, "d2": 0.3, "d3": 0.2}
    mix = np.zeros(donors)
    mix[:3] = [0.5, 0.3, 0.2]
    treated = mix @ outcome + rng.normal(0, noise, size=periods)
    treated = treated + np.where(years >= years[start], effect, 0.0)
    rows = []
    for index in range(donors):
        for t, year in enumerate(years):
            rows.append((f"d{index + 1}", year, outcome[index, t], covariate[index]))
    for t, year in enumerate(years):
        rows.append(("site", year, treated[t], mix @ covariate))
    return pd.DataFrame(rows, columns=["unit", "year", "outcome", "covariate"]), true


def simulated_count_panel(
    *,
    rate_ratio: float,
    treated: int = 6,
    comparison: int = 40,
    periods: int = 48,
    start: int = 24,
    pre_trend: float = 0.0,
    seed: int = 11,
) -> pd.DataFrame:
    """Monthly Poisson counts per area with area and month effects; treated areas multiplied by `rate_ratio` after
    `start`, and (optionally) drifting by `pre_trend` on the log scale per month before it."""
    rng = np.random.default_rng(seed)
    areas = treated + comparison
    level = rng.normal(np.log(12), 0.4, size=areas)
    season = 0.15 * np.sin(2 * np.pi * np.arange(periods) / 12) + 0.002 * np.arange(periods)
    population = rng.integers(1200, 2200, size=areas)
    rows = []
    for a in range(areas):
        is_treated = a < treated
        for t in range(periods):
            log_mu = level[a] + season[t]
            if is_treated and t >= start:
                log_mu += np.log(rate_ratio)
            if is_treated:
                log_mu += pre_trend * min(t - start, 0)
            month = f"{2021 + t // 12}-{t % 12 + 1:02d}"
            rows.append((f"E0100{a:04d}", month, rng.poisson(np.exp(log_mu)), population[a]))
    return pd.DataFrame(rows, columns=["lsoa", "month", "count", "population"])


def treated_areas(n: int = 6) -> list[str]:
    return [f"E0100{a:04d}" for a in range(n)]
