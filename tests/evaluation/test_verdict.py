"""The plain-English verdict: the right level, never a causal claim, always the contemporaneous changes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from c2hub.evaluation.did import DidResult, EventStudyPoint
from c2hub.evaluation.power import minimum_detectable_effect
from c2hub.evaluation.synthetic_control import PlaceboResult, SyntheticControlResult
from c2hub.evaluation.verdict import verdict

REGENERATION = "£2.2m housing regeneration on the estate (from March 2023)"
OVERCLAIM = re.compile(r"\b(caused|because of the partnership|proves?|due to the partnership|thanks to)\b", re.I)


def did_result(effect: float, low: float, high: float, pre_trend_p: float | None = 0.6) -> DidResult:
    return DidResult(
        effect=effect,
        ci_low=low,
        ci_high=high,
        p_value=0.01,
        coef=0.0,
        se=0.1,
        n_areas=30,
        n_periods=48,
        pre_trend_p=pre_trend_p,
        event_study=[EventStudyPoint(-1, 1.0, 1.0, 1.0)],
        method="test",
        n_treated=5,
        n_comparison=25,
    )


def synthetic_result(
    gap: float, placebo_p: float | None, donors: int = 40, pre_rmspe: float = 1.0
) -> SyntheticControlResult:
    years = list(range(2010, 2024))
    pre, post = years[:10], years[10:]
    treated = {y: 100.0 + (gap if y in post else 0.0) for y in years}
    return SyntheticControlResult(
        treated_unit="site",
        treatment_start=2020,
        weights={f"d{i}": 1 / donors for i in range(donors)},
        v_weights={"x": 1.0},
        pre_rmspe=pre_rmspe,
        post_rmspe=abs(gap),
        gaps={y: treated[y] - 100.0 for y in years},
        treated=treated,
        synthetic=dict.fromkeys(years, 100.0),
        placebo_p=placebo_p,
        placebos={f"d{i}": PlaceboResult(f"d{i}", 1.0, 1.0, 1.0, {}) for i in range(donors)} if placebo_p else {},
        predictor_balance=pd.DataFrame(),
        pre_periods=pre,
        post_periods=post,
        optimise_periods=pre,
        excluded_donors={},
        pre_mspe_loss=pre_rmspe**2,
    )


def _check_honest(text: str) -> None:
    assert not OVERCLAIM.search(text), text


def test_a_clear_fall_in_crime_is_an_improvement_but_not_a_causal_claim() -> None:
    result = verdict(did_result(0.8, 0.7, 0.9), None, [REGENERATION], outcome_label="recorded crime")
    assert result.level == "improvement"
    assert result.headline.startswith("Recorded crime fell by about 20% more than in similar areas")
    assert REGENERATION.rstrip(")") in result.detail
    assert "does not show that it did" in result.detail
    _check_honest(result.headline + result.detail)


def test_higher_is_better_turns_a_rise_into_an_improvement() -> None:
    assert verdict(did_result(1.3, 1.1, 1.5), None, [], higher_is_better=True).level == "improvement"
    assert verdict(did_result(1.3, 1.1, 1.5), None, []).level == "worsening"


def test_small_area_is_too_small_to_tell() -> None:
    mde = minimum_detectable_effect(treated_mean_count=2, pre_periods=12, post_periods=12, comparison_areas=10)
    assert mde.relative_fall > 0.2
    result = verdict(did_result(0.85, 0.55, 1.3), mde, [], outcome_label="burglary")
    assert result.level == "too_small_to_tell"
    assert result.headline == "The area is too small to tell whether burglary changed"
    assert "No other changes at the same time have been recorded" in result.detail
    _check_honest(result.detail)


def test_a_big_enough_study_without_a_clear_change() -> None:
    mde = minimum_detectable_effect(treated_mean_count=80, pre_periods=24, post_periods=24, comparison_areas=30)
    result = verdict(did_result(0.97, 0.9, 1.05), mde, [REGENERATION], outcome_label="recorded crime")
    assert result.level == "no_clear_change"
    assert result.headline == "No clear change in recorded crime compared with similar areas"
    assert result.contemporaneous_changes == [REGENERATION]


def test_a_failed_pre_trend_check_overrides_a_significant_estimate() -> None:
    result = verdict(did_result(0.7, 0.6, 0.8, pre_trend_p=0.001), None, [])
    assert result.level == "no_clear_change"
    assert result.headline.startswith("We can't tell")


def test_synthetic_control_levels() -> None:
    assert verdict(synthetic_result(-15, 1 / 41), None, []).level == "improvement"
    assert verdict(synthetic_result(15, 1 / 41), None, []).level == "worsening"
    assert verdict(synthetic_result(-2, 0.4), None, []).level == "no_clear_change"
    # Too few donors: even rank 1 is not below 5%.
    few = verdict(synthetic_result(-15, 1 / 9, donors=8), None, [REGENERATION])
    assert few.level == "too_small_to_tell"
    assert "smallest possible p-value" in few.detail
    # A poor pre-period fit is not trusted.
    poor = verdict(synthetic_result(-15, 1 / 41, pre_rmspe=30), None, [])
    assert poor.level == "no_clear_change" and poor.headline.startswith("We can't tell")
    # No placebos: cannot rule out chance.
    assert verdict(synthetic_result(-15, None), None, []).level == "no_clear_change"


@pytest.mark.parametrize("effect", [0.5, 0.8, 0.95, 1.0, 1.2, 2.0])
def test_never_overclaims(effect: float) -> None:
    for result in (
        verdict(did_result(effect, effect * 0.9, effect * 1.1), None, [REGENERATION]),
        verdict(did_result(effect, effect * 0.5, effect * 1.5), None, []),
        verdict(synthetic_result((effect - 1) * 100, 0.02), None, [REGENERATION]),
    ):
        _check_honest(result.headline + " " + result.detail)
        assert result.detail.rstrip().endswith(".")


def test_rejects_other_results() -> None:
    with pytest.raises(TypeError):
        verdict("not a result", None, [])  # type: ignore[arg-type]
