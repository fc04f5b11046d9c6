"""Poisson difference-in-differences on simulated panels with known answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from c2hub.evaluation.did import difference_in_differences
from c2hub.evaluation.panel import EvaluationError

from .conftest import simulated_count_panel, treated_areas


def _did(panel: pd.DataFrame, **changes: object):  # type: ignore[no-untyped-def]
    arguments: dict[str, object] = {
        "unit": "lsoa",
        "time": "month",
        "outcome": "count",
        "treated_units": treated_areas(),
        "treatment_start": "2023-01",
    }
    arguments.update(changes)
    return difference_in_differences(panel, **arguments)  # type: ignore[arg-type]


def test_recovers_a_known_effect_within_the_interval() -> None:
    result = _did(simulated_count_panel(rate_ratio=0.8))
    assert result.ci_low < 0.8 < result.ci_high
    assert result.effect == pytest.approx(0.8, abs=0.06)
    assert result.ci_high < 1
    assert result.p_value < 0.01
    assert result.effect == pytest.approx(math.exp(result.coef))
    assert (result.n_areas, result.n_treated, result.n_comparison, result.n_periods) == (46, 6, 40, 48)
    assert len(result.pre_periods) == 24 and result.post_periods[0] == "2023-01"
    assert result.pre_trend_p is not None and result.pre_trend_p > 0.05
    assert "cluster-robust" in result.method


def test_no_effect_interval_covers_one() -> None:
    # A 95% interval misses the truth one time in twenty; this seed is one of the other nineteen.
    result = _did(simulated_count_panel(rate_ratio=1.0, seed=3))
    assert result.ci_low < 1 < result.ci_high
    assert result.p_value > 0.05
    assert result.dispersion == pytest.approx(1.0, abs=0.25)


def test_a_pre_trend_is_flagged() -> None:
    result = _did(simulated_count_panel(rate_ratio=1.0, pre_trend=-0.02))
    assert result.pre_trend_p is not None and result.pre_trend_p < 0.01
    assert result.pre_trend_ratio is not None and result.pre_trend_ratio < 1  # already falling before the start


def test_event_study_is_flat_before_and_shifted_after() -> None:
    result = _did(simulated_count_panel(rate_ratio=0.7, comparison=60))
    points = {p.rel_time: p for p in result.event_study}
    assert points[-1].rate_ratio == 1.0 and points[-1].ci_low == points[-1].ci_high == 1.0
    assert sorted(points) == list(range(-24, 24))
    after = [p.rate_ratio for r, p in points.items() if r >= 0]
    before = [p.rate_ratio for r, p in points.items() if r < -1]
    # Relative to one reference month both are noisy; on average they sit near 0.7 and 1.
    assert sum(after) / len(after) == pytest.approx(0.7 * sum(before) / len(before), rel=0.1)
    assert all(p.ci_low <= p.rate_ratio <= p.ci_high for p in points.values())


def test_exposure_gives_rates_and_integer_periods() -> None:
    panel = simulated_count_panel(rate_ratio=0.8)
    panel["period"] = panel["month"].map({m: i for i, m in enumerate(sorted(panel["month"].unique()))})
    result = _did(panel, time="period", treatment_start=24, exposure="population")
    assert result.ci_low < 0.8 < result.ci_high
    assert "offset" in result.method


def test_areas_with_no_events_are_dropped_and_reported() -> None:
    panel = simulated_count_panel(rate_ratio=0.8)
    panel.loc[panel["lsoa"] == "E01000045", "count"] = 0
    result = _did(panel)
    assert result.dropped_areas == {"E01000045": "no events in any period"}
    assert result.n_comparison == 39


def test_to_json() -> None:
    summary = _did(simulated_count_panel(rate_ratio=0.8)).to_json()
    assert {"rate_ratio", "ci_low", "ci_high", "p_value", "pre_trend_p", "event_study"} <= set(summary)
    assert summary["event_study"][0]["rel_time"] == -24


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outcome": "crimes"}, "no column 'crimes'"),
        ({"treated_units": ["E09999999"]}, "treated area 'E09999999' is not in column 'lsoa'"),
        ({"treatment_start": "2021-01"}, "no before period"),
        ({"treatment_start": "2030-01"}, "no after period"),
        ({"treated_units": []}, "at least one treated area"),
        ({"exposure": "lsoa"}, "must hold numbers"),
    ],
)
def test_bad_input_is_named(changes: dict[str, object], message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        _did(simulated_count_panel(rate_ratio=1.0, comparison=5, periods=12, start=6), **changes)


def test_negative_counts_are_refused() -> None:
    panel = simulated_count_panel(rate_ratio=1.0, comparison=5, periods=12, start=6)
    panel.loc[3, "count"] = -1
    with pytest.raises(EvaluationError, match="must hold counts"):
        _did(panel, treatment_start="2021-07")


def test_no_comparison_areas() -> None:
    panel = simulated_count_panel(rate_ratio=1.0, comparison=5, periods=12, start=6)
    with pytest.raises(EvaluationError, match="no comparison areas"):
        _did(panel, treated_units=sorted(panel["lsoa"].unique()), treatment_start="2021-07")
