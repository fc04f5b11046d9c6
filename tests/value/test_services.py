"""The unit-cost library and scenarios through the services: validation, CSV import, funding lines."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from c2hub.value import selectors, services
from c2hub.value.models import Scenario, UnitCost
from tests.value.conftest import payload

pytestmark = pytest.mark.django_db


def test_the_home_office_figures_are_loaded_once_with_their_citation(programme):
    first = services.home_office_costs_load(actor=None, programme=programme)
    again = services.home_office_costs_load(actor=None, programme=programme)
    assert len(first) == len(services.HOME_OFFICE_COSTS) and again == []
    robbery = UnitCost.objects.get(programme=programme, name="Robbery (Home Office 2018)")
    assert robbery.amount == 11320 and robbery.price_base_year == 2015
    assert "Research Report 99" in robbery.source_citation and robbery.licence == "Open Government Licence v3.0"
    vehicle = UnitCost.objects.get(programme=programme, name="Theft of a vehicle (Home Office 2018)")
    assert vehicle.shares == {"police": 19.73, "unallocated": 80.27}


def test_shares_must_add_up_to_100(programme):
    with pytest.raises(ValidationError) as exc:
        services.unit_cost_create(
            actor=None, programme=programme, name="x", cost_of="y", amount="10", source_citation="s",
            source_year=2020, price_base_year=2020, licence="l", shares={"police": 50, "nhs": 40},
        )
    assert "90.00%" in exc.value.message_dict["shares"][0]


def test_only_programme_admins_change_the_library(programme, facilitator, programme_admin):
    with pytest.raises(PermissionDenied):
        services.home_office_costs_load(actor=facilitator, programme=programme)
    assert services.home_office_costs_load(actor=programme_admin, programme=programme)


CSV_OK = (
    "name,cost_of,amount,unit,source_citation,source_year,price_base_year,licence,shares\n"
    "A&E attendance,one attendance,180,per attendance,Our trust's reference costs,2023,2023,Own,nhs=100\n"
    "Fire call-out,one call-out,2500,,Local fire service,2022,2022,Own,fire=80;council=20\n"
)


def test_csv_import_adds_all_or_nothing_with_line_numbers(programme, programme_admin):
    saved = services.unit_costs_import_csv(actor=programme_admin, programme=programme, data=CSV_OK.encode())
    assert [c.name for c in saved] == ["A&E attendance", "Fire call-out"]
    assert saved[1].unit == "per offence" and saved[1].shares == {"fire": 80.0, "council": 20.0}
    bad = CSV_OK.replace("fire=80;council=20", "fire=80").replace("180", "lots") + "\n"
    with pytest.raises(ValidationError) as exc:
        services.unit_costs_import_csv(actor=programme_admin, programme=programme, data=bad.encode())
    messages = exc.value.message_dict["file"]
    assert any(m.startswith("Line 2: amount") for m in messages)
    assert any(m.startswith("Line 3: shares") and "80.00%" in m for m in messages)
    assert UnitCost.objects.get(name="Fire call-out").shares == {"fire": 80.0, "council": 20.0}  # unchanged
    with pytest.raises(ValidationError) as exc:
        services.unit_costs_import_csv(actor=programme_admin, programme=programme, data=b"name,amount\nx,1\n")
    assert "Missing columns" in exc.value.message_dict["file"][0]


def test_programme_costs_come_from_funding_lines_spread_by_days(funded_site):
    # £36,500 from 1 July 2013 to 30 June 2014: 184 days in 2013, 181 in 2014 (of 365).
    costs, lines = selectors.funding_costs(funded_site)
    assert costs[2013] == pytest.approx(36_500 * 184 / 365)
    assert costs[2014] == pytest.approx(36_500 * 181 / 365)
    assert [line["description"] for line in lines] == ["Grant for steps 1–2"]  # the declined bid is not a cost


def test_compute_and_save_a_scenario(funded_site, library, facilitator):
    robbery = UnitCost.objects.get(name="Robbery (Home Office 2018)")
    data = payload(robbery.pk, first_year=2013, benefits_start_year=2014)
    results = services.scenario_compute(actor=facilitator, site=funded_site, data=data)
    assert results["costs_from"] == "funding lines"
    assert results["cases"]["central"]["pv_costs"] > 0
    scenario = services.scenario_save(actor=facilitator, site=funded_site, title="Robbery", data=data)
    assert Scenario.objects.get(pk=scenario.pk).results["cases"]["central"]["npv"] == pytest.approx(
        results["cases"]["central"]["npv"])


def test_unknown_unit_costs_and_other_programmes_costs_are_refused(funded_site, other_site, facilitator):
    from tests.factories import ProgrammeFactory

    elsewhere = ProgrammeFactory(slug="elsewhere", name="Elsewhere")
    foreign = services.home_office_costs_load(actor=None, programme=elsewhere)[0]
    with pytest.raises(ValidationError) as exc:
        services.scenario_compute(actor=facilitator, site=funded_site, data=payload(foreign.pk))
    assert "Unknown unit cost" in exc.value.message_dict["outcomes[0]"][0]


def test_members_and_commissioners_cannot_run_value_for_money(site, member, commissioner, researcher):
    for user in (member, commissioner):
        with pytest.raises(PermissionDenied):
            services.scenario_compute(actor=user, site=site, data=payload(None))
    assert services.scenario_compute(actor=researcher, site=site, data=payload(None))["complete"] is False


def test_a_saved_scenario_can_be_linked_as_evidence(site, library):
    from c2hub.programmes.records import record_choices, resolve_record

    scenario = services.scenario_save(actor=None, site=site, title="For the board", data=payload(library.pk))
    value = f"value.scenario:{scenario.pk}"
    assert (value, f"Value-for-money scenario: {scenario}") in record_choices(site)
    assert resolve_record(site, value) == scenario
