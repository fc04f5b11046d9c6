"""The minimum detectable effect: the documented formula, by hand, and from a panel."""

from __future__ import annotations

import math

import pytest

from c2hub.evaluation.panel import EvaluationError
from c2hub.evaluation.power import minimum_detectable_effect, minimum_detectable_effect_for_panel

from .conftest import simulated_count_panel, treated_areas


def test_formula_by_hand() -> None:
    # 20 events a month, 24 months before and 12 after, 10 comparison areas of 15 a month.
    result = minimum_detectable_effect(
        treated_mean_count=20, pre_periods=24, post_periods=12, comparison_areas=10, comparison_mean_count=15
    )
    variance = 1 / 480 + 1 / 240 + 1 / 3600 + 1 / 1800
    expected = (1.959964 + 0.841621) * math.sqrt(variance)
    assert result.log_mde == pytest.approx(expected, rel=1e-5)
    assert result.rate_ratio_fall == pytest.approx(math.exp(-expected))
    assert result.relative_fall == pytest.approx(1 - math.exp(-expected))
    assert result.relative_rise == pytest.approx(math.exp(expected) - 1)
    assert result.relative_fall == pytest.approx(0.210, abs=0.001)


def test_before_after_only_and_dispersion() -> None:
    plain = minimum_detectable_effect(treated_mean_count=20, pre_periods=24, post_periods=12)
    assert plain.se_log == pytest.approx(math.sqrt(1 / 480 + 1 / 240))
    overdispersed = minimum_detectable_effect(treated_mean_count=20, pre_periods=24, post_periods=12, dispersion=2)
    assert overdispersed.se_log == pytest.approx(plain.se_log * math.sqrt(2))


def test_smaller_areas_and_shorter_periods_detect_less() -> None:
    big = minimum_detectable_effect(treated_mean_count=50, pre_periods=24, post_periods=24, comparison_areas=20)
    small = minimum_detectable_effect(treated_mean_count=3, pre_periods=24, post_periods=24, comparison_areas=20)
    short = minimum_detectable_effect(treated_mean_count=50, pre_periods=6, post_periods=3, comparison_areas=20)
    assert big.relative_fall < short.relative_fall
    assert big.relative_fall < small.relative_fall
    strict = minimum_detectable_effect(treated_mean_count=50, pre_periods=24, post_periods=24, alpha=0.01, power=0.9)
    assert (
        strict.relative_fall
        > minimum_detectable_effect(treated_mean_count=50, pre_periods=24, post_periods=24).relative_fall
    )


def test_no_events_means_nothing_is_detectable() -> None:
    result = minimum_detectable_effect(treated_mean_count=0, pre_periods=12, post_periods=12)
    assert result.relative_fall == 1.0
    assert math.isinf(result.rate_ratio_rise)


@pytest.mark.parametrize(
    "changes",
    [{"alpha": 0}, {"power": 1}, {"pre_periods": 0}, {"comparison_areas": -1}, {"dispersion": 0}],
)
def test_bad_arguments(changes: dict[str, float]) -> None:
    arguments = {"treated_mean_count": 10, "pre_periods": 12, "post_periods": 12} | changes
    with pytest.raises(EvaluationError):
        minimum_detectable_effect(**arguments)  # type: ignore[arg-type]


def test_from_a_panel() -> None:
    panel = simulated_count_panel(rate_ratio=1.0)
    result = minimum_detectable_effect_for_panel(
        panel, unit="lsoa", time="month", outcome="count", treated_units=treated_areas(), treatment_start="2023-01"
    )
    site = panel[panel["lsoa"].isin(treated_areas()) & (panel["month"] < "2023-01")]
    assert result.treated_mean_count == pytest.approx(site.groupby("month")["count"].sum().mean())
    assert (result.pre_periods, result.post_periods, result.comparison_areas) == (24, 24, 40)
    assert 1.0 <= result.dispersion < 2.0
    planned = minimum_detectable_effect_for_panel(
        panel,
        unit="lsoa",
        time="month",
        outcome="count",
        treated_units=treated_areas(),
        treatment_start="2023-01",
        post_periods=6,
    )
    assert planned.relative_fall > result.relative_fall
