"""The value-for-money arithmetic against examples worked out by hand (written out in each test).

Convention (the Green Book's): appraisal year 0 is not discounted; year t is divided by 1.035^t
(to year 30; then 3.0% a year to year 75, 2.5% beyond). So a benefit in years 0, 1 and 2 is
B + B/1.035 + B/1.035².
"""

from __future__ import annotations

import pytest

from c2hub.value import calculation as calc

NONE = calc.Range3(0.0, 0.0, 0.0)
FULL = calc.Range3(1.0, 1.0, 1.0)
PLAIN = calc.Assumptions(deadweight=NONE, attribution=FULL, displacement=NONE, drop_off=NONE, optimism_bias=NONE)


def _cost(amount: float, shares: dict[str, float] | None = None, base: int = 2015) -> calc.UnitCostIn:
    return calc.UnitCostIn("Robbery", amount, base, shares or {"police": 0.25, "nhs": 0.75})


def _inputs(outcomes, *, assumptions=PLAIN, horizon=3, costs=None, **extra) -> calc.Inputs:
    return calc.Inputs(
        outcomes=outcomes, assumptions=assumptions, horizon_years=horizon, first_year=2020,
        benefits_start_year=extra.pop("start", 2020), costs=costs or {}, **extra,
    )


def test_discounting_from_year_0_at_the_green_book_rate():
    # £10,000 a year for 3 years: 10,000 + 10,000/1.035 + 10,000/1.035²
    #   = 10,000 + 9,661.84 + 9,335.11 = 28,996.94 (to the penny: 28,996.94)
    # (−10 offences a year × £1,000 = £10,000 a year, nothing taken off.)
    result = calc.compute(_inputs([calc.OutcomeIn("Robbery", -10, unit_cost=_cost(1000))]))
    central = result["cases"]["central"]
    assert central["gross_per_year"] == pytest.approx(10_000)
    assert central["pv_benefits"] == pytest.approx(28_996.94, abs=0.01)
    assert [round(d, 6) for d in result["discount_factors"]] == [1.0, 0.966184, 0.933511]


def test_the_declining_long_term_rate_beyond_year_30():
    # Year 30: 1/1.035^30 = 0.356278; year 31: 0.356278/1.03 = 0.345901;
    # year 76: 1/1.035^30 × 1/1.03^45 × 1/1.025 = 0.091916.
    dfs = calc.discount_factors(77)
    assert dfs[30] == pytest.approx(0.356278, abs=1e-6)
    assert dfs[31] == pytest.approx(0.345901, abs=1e-6)
    assert dfs[76] == pytest.approx(0.091916, abs=1e-6)
    # Any other rate is flat: 5% → year 31 is 1/1.05^31.
    assert calc.discount_factors(32, 0.05)[31] == pytest.approx(1 / 1.05**31)


def test_adjustments_in_order_drop_off_bcr_and_npv():
    # −12 offences a year × £2,000 = £24,000 gross a year.
    # Net = 24,000 × (1 − 0.25 deadweight) × (1 − 0.10 displacement) × 0.80 attribution
    #     = 24,000 × 0.75 × 0.9 × 0.8 = 12,960 in the first year of effect.
    # Drop-off 50%: 12,960 in year 0, 6,480 in year 1, 3,240 in year 2.
    # PV = 12,960 + 6,480/1.035 + 3,240/1.035² = 12,960 + 6,260.87 + 3,024.57 = 22,245.44
    # Costs £10,000 in 2020 and £5,000 in 2021, optimism bias 20%:
    #   12,000 + 6,000/1.035 = 12,000 + 5,797.10 = 17,797.10
    # NPV = 22,245.44 − 17,797.10 = 4,448.34; BCR = 22,245.44 / 17,797.10 = 1.2499
    a = calc.Assumptions(
        deadweight=calc.Range3(0.25, 0.25, 0.25), attribution=calc.Range3(0.8, 0.8, 0.8),
        displacement=calc.Range3(0.1, 0.1, 0.1), drop_off=calc.Range3(0.5, 0.5, 0.5),
        optimism_bias=calc.Range3(0.2, 0.2, 0.2),
    )
    result = calc.compute(_inputs([calc.OutcomeIn("Robbery", -12, unit_cost=_cost(2000))], assumptions=a,
                                  costs={2020: 10_000, 2021: 5_000}, commissioner_bearer="nhs"))
    c = result["cases"]["central"]
    assert c["gross_per_year"] == pytest.approx(24_000)
    assert c["net_first_year"] == pytest.approx(12_960)
    assert [round(y["benefit"], 2) for y in c["years"]] == [12_960, 6_480, 3_240]
    assert c["pv_benefits"] == pytest.approx(22_245.44, abs=0.01)
    assert c["pv_costs"] == pytest.approx(17_797.10, abs=0.01)
    assert c["npv"] == pytest.approx(4_448.34, abs=0.02)
    assert c["bcr"] == pytest.approx(1.2499, abs=0.0001)
    # Per agency: police 25%, NHS 75% of the PV; the commissioner (NHS) saves 16,684.08.
    assert c["by_bearer"]["police"] == pytest.approx(5_561.36, abs=0.01)
    assert c["commissioner_saving"] == pytest.approx(16_684.08, abs=0.01)
    assert c["gross_by_bearer"] == pytest.approx({"police": 6_000, "nhs": 18_000})
    # Every figure carries its formula and inputs.
    figures = {f["key"]: f for f in c["figures"]}
    assert figures["additionality"]["value"] == pytest.approx(0.54)
    assert figures["npv"]["formula"] == "NPV = PV benefits − PV costs"
    assert ("deadweight", "25%") in figures["additionality"]["inputs"]


def test_the_order_of_the_adjustments_is_deadweight_displacement_attribution():
    # The adjustments multiply, so their order does not change the result — but each is a share
    # of what is left: 100 × (1 − 0.5) = 50 after deadweight; × (1 − 0.5) = 25 after displacement;
    # × 0.5 = 12.5 after attribution (not 100 − 50 − 50 − 50 < 0).
    half = calc.Range3(0.5, 0.5, 0.5)
    a = calc.Assumptions(deadweight=half, displacement=half, attribution=half, drop_off=NONE, optimism_bias=NONE)
    result = calc.compute(_inputs([calc.OutcomeIn("x", -1, unit_cost=_cost(100))], assumptions=a, horizon=1))
    assert result["cases"]["central"]["net_first_year"] == pytest.approx(12.5)


def test_benefits_start_later_than_year_0_and_flat_rate():
    # Effect from 2021 (year 1) only; flat 10%: year 1 = 1,000/1.1 = 909.09; year 2 = 1,000/1.21 = 826.45
    result = calc.compute(_inputs([calc.OutcomeIn("x", -1, unit_cost=_cost(1000))], start=2021, discount_rate=0.10))
    c = result["cases"]["central"]
    assert c["pv_benefits"] == pytest.approx(909.09 + 826.45, abs=0.01)
    assert c["bcr"] is None  # no costs: not defined, never a division by zero
    assert any("flat 10%" in note for note in result["notes"])


def test_sensitivity_low_central_high_are_ordered():
    # Effect −12 a year, 95% CI −20 to −3: low uses −3 with the pessimistic assumptions,
    # high uses −20 with the optimistic ones (the defaults).
    result = calc.compute(_inputs([calc.OutcomeIn("Burglary", -12, -20, -3, _cost(5000))],
                                  assumptions=calc.Assumptions(), horizon=5, costs={2020: 20_000}))
    cases = result["cases"]
    assert [o["effect"] for o in (cases[s]["outcomes"][0] for s in calc.SCENARIOS)] == [-3, -12, -20]
    for key in ("pv_benefits", "npv"):
        assert cases["low"][key] <= cases["central"][key] <= cases["high"][key]
    assert cases["low"]["bcr"] <= cases["central"]["bcr"] <= cases["high"]["bcr"]
    # Low: 3 × 5,000 × (1 − 0.25) × (1 − 0.25) × 0.5 = 4,218.75 in the first year.
    assert cases["low"]["net_first_year"] == pytest.approx(4_218.75)


def test_an_interval_crossing_zero_makes_the_low_case_a_loss():
    result = calc.compute(_inputs([calc.OutcomeIn("x", -5, -10, 2, _cost(100))]))
    assert result["cases"]["low"]["pv_benefits"] < 0 < result["cases"]["high"]["pv_benefits"]


def test_missing_unit_costs_are_flagged_not_counted_as_zero():
    result = calc.compute(_inputs([
        calc.OutcomeIn("Robbery", -10, unit_cost=_cost(1000)),
        calc.OutcomeIn("Anti-social behaviour", -40, unit_cost=None),
    ]))
    assert result["complete"] is False
    assert result["missing_unit_costs"] == ["Anti-social behaviour"]
    row = result["cases"]["central"]["outcomes"][1]
    assert row["status"] == "no unit cost — not counted" and row["pv"] is None
    assert any(note.startswith("Incomplete") for note in result["notes"])
    assert result["cases"]["central"]["gross_per_year"] == pytest.approx(10_000)


def test_price_uplift_with_a_deflator_series_or_none():
    # £1,000 in 2015 prices, deflator 2015 = 80, 2020 = 100 → £1,250 in 2020 prices.
    out = [calc.OutcomeIn("x", -1, unit_cost=_cost(1000, base=2015))]
    uplifted = calc.compute(_inputs(out, horizon=1, price_year=2020, deflators={2015: 80.0, 2020: 100.0}))
    assert uplifted["cases"]["central"]["gross_per_year"] == pytest.approx(1250)
    plain = calc.compute(_inputs(out, horizon=1))
    assert plain["cases"]["central"]["gross_per_year"] == pytest.approx(1000)
    assert any("not uplifted" in note for note in plain["notes"])
    with pytest.raises(calc.CalculationError) as exc:
        calc.compute(_inputs(out, horizon=1, price_year=2020, deflators={2020: 100.0}))
    assert "2015" in exc.value.errors["deflators"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"horizon_years": 0}, "horizon_years"),
        ({"horizon_years": 101}, "horizon_years"),
        ({"discount_rate": -0.01}, "discount_rate"),
        ({"start": 2019}, "benefits_start_year"),
    ],
)
def test_bad_inputs_are_refused_with_reasons(change, field):
    out = [calc.OutcomeIn("x", -1, unit_cost=_cost(1000))]
    horizon = change.pop("horizon_years", 3)
    with pytest.raises(calc.CalculationError) as exc:
        calc.compute(_inputs(out, horizon=horizon, **change))
    assert field in exc.value.errors


def test_shares_must_add_up_to_100_per_cent():
    assert calc.check_shares({"police": 0.5, "nhs": 0.5}) == {}
    assert "90.00%" in calc.check_shares({"police": 0.5, "nhs": 0.4})["shares"]
    assert "Unknown bearer" in calc.check_shares({"army": 1.0})["shares"]
    with pytest.raises(calc.CalculationError):
        calc.compute(_inputs([calc.OutcomeIn("x", -1, unit_cost=_cost(1000, {"police": 0.6}))]))


def test_effect_from_a_difference_in_differences_result():
    # 24 months after the start with 480 offences and a rate ratio of 0.8: without C2, 480/0.8 = 600;
    # the change is 480 − 600 = −120 over two years = −60 a year. CI 0.6–1.1: 480 × (1 − 1/0.6) / 2 = −160
    # and 480 × (1 − 1/1.1) / 2 = +21.82.
    months = [f"{y}-{m:02d}" for y in (2022, 2023, 2024) for m in range(1, 13)]
    result = {"months": months, "did": {"rate_ratio": 0.8, "ci_low": 0.6, "ci_high": 1.1,
                                        "treated_counts": {"before": 500, "after": 480}}}
    effect = calc.effect_from_did(result, "2023-01")
    assert effect["effect"] == pytest.approx(-60)
    assert effect["ci_low"] == pytest.approx(-160)
    assert effect["ci_high"] == pytest.approx(21.818, abs=0.001)
    assert calc.effect_from_did({"months": months}, "2023-01") is None
