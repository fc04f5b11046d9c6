"""The demo's value for money: the Home Office figures and one illustrative Camborne scenario, once."""

from __future__ import annotations

import pytest

from c2hub.demo.value import SCENARIO_TITLE, demo_value_ensure
from c2hub.value.models import Scenario, UnitCost
from c2hub.value.services import HOME_OFFICE_COSTS
from tests.factories import make_site

pytestmark = pytest.mark.django_db


def test_demo_value_is_idempotent_and_illustrative(programme):
    camborne = make_site(programme=programme, name="Camborne", slug="camborne")
    demo_value_ensure({"camborne": camborne})
    demo_value_ensure({"camborne": camborne})
    assert UnitCost.objects.filter(programme=programme).count() == len(HOME_OFFICE_COSTS)
    scenario = Scenario.objects.get(site=camborne)
    assert scenario.title == SCENARIO_TITLE and scenario.illustrative
    results = scenario.results
    assert results["complete"] is False and results["missing_unit_costs"] == ["Anti-social behaviour incidents"]
    cases = results["cases"]
    assert cases["low"]["npv"] <= cases["central"]["npv"] <= cases["high"]["npv"]
    # Central gross a year: 12 × £870 + 3 × £10,290 + 2 × £11,320 = 10,440 + 30,870 + 22,640 = £63,950.
    assert cases["central"]["gross_per_year"] == pytest.approx(63_950)
    assert cases["central"]["commissioner_saving"] == pytest.approx(cases["central"]["by_bearer"]["police"])
