"""The value-for-money API: figures with their workings, saving, and 4xx answers with reasons."""

from __future__ import annotations

import json

import pytest

from c2hub.value.models import UnitCost
from tests.value.conftest import payload

pytestmark = pytest.mark.django_db


def _post(client, url: str, body: dict, user) -> tuple[int, dict]:
    client.force_login(user)
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_compute_returns_every_figure_with_its_workings(client, funded_site, library, facilitator):
    robbery = UnitCost.objects.get(name="Robbery (Home Office 2018)")
    body = payload(robbery.pk, first_year=2013)
    body["outcomes"].append({"label": "Anti-social behaviour", "effect": -30})
    status, data = _post(client, f"/api/v1/sites/{funded_site.slug}/value-for-money", body, facilitator)
    assert status == 200, data
    results = data["results"]
    assert results["complete"] is False and results["missing_unit_costs"] == ["Anti-social behaviour"]
    central = results["cases"]["central"]
    # −12 robberies × £11,320 = £135,840 gross a year (no deflators: 2015/16 prices, stated).
    assert central["gross_per_year"] == pytest.approx(135_840)
    assert {f["key"] for f in central["figures"]} >= {"pv_benefits", "pv_costs", "npv", "bcr", "additionality"}
    assert any("not uplifted" in n for n in results["notes"])
    assert data["scenario_id"] is None


def test_save_and_list_scenarios(client, site, library, researcher):
    status, data = _post(client, f"/api/v1/sites/{site.slug}/value-for-money",
                         {**payload(library.pk), "save": True, "title": "From the API", "illustrative": True},
                         researcher)
    assert status == 201 and data["scenario_id"]
    listed = client.get(f"/api/v1/sites/{site.slug}/value-for-money/scenarios").json()
    assert [(s["title"], s["illustrative"]) for s in listed] == [("From the API", True)]
    one = client.get(f"/api/v1/sites/{site.slug}/value-for-money/scenarios/{data['scenario_id']}").json()
    assert one["results"]["cases"]["central"]["npv"] == data["results"]["cases"]["central"]["npv"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"discount_rate_percent": -1}, "discount_rate", "between 0%"),
        ({"horizon_years": 0}, "horizon_years", "between 1 and 100"),
        ({"horizon_years": 101}, "horizon_years", "between 1 and 100"),
        ({"outcomes": [{"effect": -1, "unit_cost_id": 999999}]}, "outcomes[0]", "Unknown unit cost 999999"),
        ({"deflators": {"2015": 100}, "price_year": 2020}, "price_year", "no value for 2020"),
        ({"save": True, "title": ""}, "title", "title"),
    ],
)
def test_bad_inputs_are_422_with_reasons(client, site, library, facilitator, change, field, words):
    status, data = _post(client, f"/api/v1/sites/{site.slug}/value-for-money", {**payload(library.pk), **change},
                         facilitator)
    assert status == 422, data
    assert words in data["detail"] and field in data["errors"]


def test_a_unit_cost_whose_shares_do_not_add_up_is_refused(client, programme, site, programme_admin):
    body = {"name": "x", "cost_of": "y", "amount": 10, "source_citation": "s", "source_year": 2020,
            "price_base_year": 2020, "licence": "l", "shares": {"police": 60, "nhs": 30}}
    status, data = _post(client, f"/api/v1/programmes/{programme.slug}/unit-costs", body, programme_admin)
    assert status == 422 and "90.00%" in data["detail"]
    status, data = _post(client, f"/api/v1/programmes/{programme.slug}/unit-costs",
                         {**body, "shares": {"police": 60, "nhs": 40}}, programme_admin)
    assert status == 201 and data["shares"] == {"police": 60.0, "nhs": 40.0}
