"""Value for money in the demo: the open Home Office unit costs in the demo programme's library, and
one saved scenario for Camborne. The scenario's effects and costs are ILLUSTRATIVE (the demo's
evaluation run covers too few months to estimate anything, and the sources give no amounts), and it
is saved and shown as illustrative. Idempotent."""

from __future__ import annotations

from c2hub.programmes.models import Site
from c2hub.value import services
from c2hub.value.models import Scenario, UnitCost

CAMBORNE = "camborne"
SCENARIO_TITLE = "Illustrative: fewer vehicle crimes and robberies over five years"


def _cost_id(programme: object, name: str) -> int | None:
    found = UnitCost.objects.filter(programme=programme, name=name).first()
    return found.pk if found else None


def demo_value_ensure(sites: dict[str, Site] | None = None) -> str:
    sites = sites or {s.slug: s for s in Site.objects.select_related("programme")}
    camborne = sites.get(CAMBORNE)
    if camborne is None:
        return "Value for money: no Camborne site, nothing to do."
    added = services.home_office_costs_load(actor=None, programme=camborne.programme)
    if Scenario.objects.filter(site=camborne, title=SCENARIO_TITLE).exists():
        return f"Value for money: {len(added)} Home Office unit costs added; the scenario was already there."
    programme = camborne.programme
    data = {
        "outcomes": [
            {"label": "Theft from a vehicle", "effect": -12, "ci_low": -20, "ci_high": -3,
             "unit_cost_id": _cost_id(programme, "Theft from a vehicle (Home Office 2018)")},
            {"label": "Theft of a vehicle", "effect": -3, "ci_low": -6, "ci_high": -1,
             "unit_cost_id": _cost_id(programme, "Theft of a vehicle (Home Office 2018)")},
            {"label": "Robbery", "effect": -2, "ci_low": -4, "ci_high": -0.5,
             "unit_cost_id": _cost_id(programme, "Robbery (Home Office 2018)")},
            {"label": "Anti-social behaviour incidents", "effect": -30, "ci_low": -50, "ci_high": -10,
             "unit_cost_id": None},
        ],
        "horizon_years": 5,
        "first_year": 2024,
        "benefits_start_year": 2024,
        "discount_rate_percent": 3.5,
        "costs": {"2024": 25000, "2025": 25000},
        "commissioner_bearer": "police",
        "assumptions": {},
    }
    services.scenario_save(actor=None, site=camborne, title=SCENARIO_TITLE, data=data, illustrative=True)
    return f"Value for money: {len(added)} Home Office unit costs added and an illustrative Camborne scenario saved."
