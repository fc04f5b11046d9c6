"""Benchmark: a synthetic control for one site against 1,000 donor LSOAs × 120 months of simulated counts.

    .venv/bin/python bench/evaluation.py [--donors 1000] [--months 120] [--placebos 5]

Target (issue 5): the synthetic control (the nested V/W optimisation for the site, without the
placebo runs) in at most 10 s. It also times a few placebo runs and extrapolates the full
placebo test. Results: docs/performance.md ("Evaluation methods").
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from c2hub.evaluation import synthetic_control as sc  # noqa: E402


def simulated_panel(donors: int, months: int, start: int, seed: int = 1) -> pd.DataFrame:
    """Monthly counts per LSOA from a three-factor model; the site mixes five donors and is 15% lower after start."""
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    factors = np.column_stack([np.ones(months), t / months, np.sin(2 * np.pi * t / 12)])
    loadings = np.column_stack(
        [rng.normal(np.log(8), 0.6, donors), rng.normal(0, 0.3, donors), rng.normal(0.1, 0.05, donors)]
    )
    rates = np.exp(loadings @ factors.T)
    counts = rng.poisson(rates).astype(float)
    mix = np.zeros(donors)
    mix[:5] = [0.3, 0.25, 0.2, 0.15, 0.1]
    site = rng.poisson(mix @ rates * np.where(t >= start, 0.85, 1.0)).astype(float)
    deprivation = rng.uniform(5, 60, donors)
    units = [f"E01{i:06d}" for i in range(donors)] + ["site"]
    values = np.vstack([counts, site])
    imd = np.append(deprivation, mix @ deprivation)
    return pd.DataFrame(
        {
            "lsoa": np.repeat(units, months),
            "month": np.tile(t + 1, donors + 1),
            "count": values.ravel(),
            "imd_score": np.repeat(imd, months),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--placebos", type=int, default=5, help="Placebo runs to time (each with 999 donors).")
    args = parser.parse_args()
    start = args.months - 36 + 1  # three years after the start
    panel = simulated_panel(args.donors, args.months, start - 1)
    years = (start - 1) // 12
    predictors = [sc.parse_predictor(f"count:{12 * y + 1}-{12 * y + 12}") for y in range(years)]
    predictors.append(sc.parse_predictor("imd_score"))
    print(
        f"{args.donors} donors × {args.months} months, {len(predictors)} predictors, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    )

    began = time.perf_counter()
    result = sc.synthetic_control(
        panel,
        unit="lsoa",
        time="month",
        outcome="count",
        treated="site",
        treatment_start=start,
        predictors=predictors,
        placebos=False,
    )
    fit_seconds = time.perf_counter() - began
    print(
        f"synthetic control (site only, no placebos): {fit_seconds:.2f} s (target ≤ 10 s); "
        f"pre-RMSPE {result.pre_rmspe:.2f}, mean post gap {result.mean_post_gap:.2f}, "
        f"donors with weight ≥ 0.01: {len(result.donor_weights(0.01))}"
    )

    problem = sc._prepare(
        panel,
        unit="lsoa",
        time="month",
        outcome="count",
        treated="site",
        treatment_start=start,
        predictors=predictors,
        exclude=(),
        optimise_period=None,
    )
    placebo_times = []
    for placebo in problem.donors[: args.placebos]:
        pool = [d for d in problem.donors if d != placebo]
        began = time.perf_counter()
        sc._run(problem, placebo, pool, 0, 0)
        placebo_times.append(time.perf_counter() - began)
    if placebo_times:
        each = float(np.mean(placebo_times))
        print(
            f"placebo runs: {each:.2f} s each (mean of {len(placebo_times)}); "
            f"the full placebo test ({len(problem.donors)} runs) ≈ {each * len(problem.donors) / 60:.0f} min"
        )


if __name__ == "__main__":
    main()
