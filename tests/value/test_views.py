"""The value-for-money pages: an effect taken from an evaluation run, saving, the CSV of workings,
the unit-cost form and import with their errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from c2hub.outcomes.models import EvaluationRun
from c2hub.value.models import Scenario, UnitCost
from tests.value.test_permissions import _form

pytestmark = pytest.mark.django_db


def test_the_effect_can_come_from_an_evaluation_run(client, site, library, facilitator):
    months = [f"{y}-{m:02d}" for y in (2022, 2023) for m in range(1, 13)]
    run = EvaluationRun.objects.create(
        site=site, crime_type="Robbery", treatment_start=dt.date(2023, 1, 1), status=EvaluationRun.Status.FINISHED,
        result={"outcome": "robbery", "treatment_start": "2023-01", "months": months,
                "did": {"rate_ratio": 0.8, "ci_low": 0.6, "ci_high": 1.1, "treated_counts": {"after": 48}}},
    )
    client.force_login(facilitator)
    page = client.get(f"/sites/{site.slug}/value-for-money/?run={run.pk}").content.decode()
    # 48 robberies in the year after; without C2 48/0.8 = 60: −12 a year (CI −32 to +4.36).
    assert 'value="-12.00"' in page and 'value="-32.00"' in page and 'value="4.36"' in page
    robbery = UnitCost.objects.get(name="Robbery (Home Office 2018)")
    assert f'<option value="{robbery.pk}" selected' in page
    assert f'<input type="hidden" name="evaluation_run" value="{run.pk}">' in page
    assert 'Use this run' in page


def test_save_show_and_download_a_scenario(client, site, library, facilitator):
    client.force_login(facilitator)
    data = {**_form(library.pk), "action": "save", "title": "Call-outs", "o2_label": "Litter", "o2_effect": "-5"}
    response = client.post(f"/sites/{site.slug}/value-for-money/", data)
    scenario = Scenario.objects.get(title="Call-outs")
    assert response.status_code == 302 and response["Location"].endswith(f"/scenarios/{scenario.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "no unit cost — not counted" in page.lower() and "incomplete" in page
    csv = b"".join(client.get(response["Location"] + "export.csv").streaming_content).decode()
    assert "NPV = PV benefits − PV costs" in csv and "Litter" in csv


def test_saving_without_a_title_says_so(client, site, library, facilitator):
    client.force_login(facilitator)
    response = client.post(f"/sites/{site.slug}/value-for-money/", {**_form(library.pk), "action": "save"})
    assert response.status_code == 400 and "Give the scenario a title." in response.content.decode()


def test_unit_cost_form_shows_share_errors(client, programme, site, programme_admin):
    client.force_login(programme_admin)
    data = {"name": "GP visit", "cost_of": "one GP appointment", "amount": "42", "unit": "per visit",
            "source_citation": "Our ICB", "source_year": "2024", "price_base_year": "2024", "licence": "Own",
            "share_nhs": "90"}
    response = client.post(f"/programmes/{programme.slug}/unit-costs/new/", data)
    assert response.status_code == 400 and "90.00%, not 100%" in response.content.decode()
    response = client.post(f"/programmes/{programme.slug}/unit-costs/new/", {**data, "share_nhs": "100"})
    assert response.status_code == 302
    assert UnitCost.objects.get(name="GP visit").shares == {"nhs": 100.0}


def test_import_page_lists_bad_lines(client, programme, site, programme_admin):
    client.force_login(programme_admin)
    bad = (
        b"name,cost_of,amount,source_citation,source_year,price_base_year,licence,shares\n"
        b"x,y,ten,s,2020,2020,l,police=100\n"
    )
    response = client.post(f"/programmes/{programme.slug}/unit-costs/import/",
                           {"file": SimpleUploadedFile("costs.csv", bad, content_type="text/csv")})
    assert response.status_code == 400 and "Line 2: amount" in response.content.decode()
