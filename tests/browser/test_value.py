"""Value for money in a browser: a facilitator computes a scenario with a Home Office unit cost and
one outcome without a unit cost, sees low/central/high results, the incomplete warning and the
workings, saves it; axe finds no WCAG 2.2 AA violations, at 1280px and at 360px wide."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from c2hub.value import services
from tests.browser.support import DESKTOP, MOBILE, sign_in_as
from tests.browser.test_accessibility import describe, run_axe


@pytest.fixture
def library(site, facilitator):
    services.home_office_costs_load(actor=None, programme=site.programme)
    # Compile the page's templates before the browser asks (on a busy machine the first
    # compilation of the form macros can outlast the browser's wait for the page).
    client = Client()
    client.force_login(facilitator)
    client.get(f"/sites/{site.slug}/value-for-money/")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "360"])
def test_compute_and_save_a_scenario(axe_page, site, library, facilitator, viewport):
    page = axe_page
    page.set_viewport_size(viewport)
    sign_in_as(page, facilitator)
    page.goto(f"/sites/{site.slug}/value-for-money/")
    assert not (violations := run_axe(page)), describe(violations)

    page.get_by_label("Outcome 1: what changed").fill("Robbery")
    page.get_by_label("Outcome 1: change a year").fill("-12")
    page.get_by_label("Outcome 1: 95% interval from").fill("-20")
    page.get_by_label("Outcome 1: 95% interval to").fill("-3")
    page.get_by_label("Outcome 1: unit cost").select_option(
        label="Robbery (Home Office 2018): £11,320.00 per offence (2015 prices)"
    )
    page.get_by_label("Outcome 2: what changed").fill("Anti-social behaviour")
    page.get_by_label("Outcome 2: change a year").fill("-30")
    page.get_by_label("Programme costs by year (optional)").fill("2013, 20000\n2014, 20000")
    page.get_by_role("button", name="Compute", exact=True).click()

    expect(page.get_by_test_id("incomplete")).to_contain_text("Anti-social behaviour")
    # Central: −12 × £11,320 = £135,840 gross a year.
    expect(page.get_by_test_id("gross_per_year-central")).to_have_text("£135,840")
    expect(page.get_by_test_id("gross_per_year-low")).to_have_text("£33,960")  # −3 × £11,320
    page.get_by_test_id("workings-central").locator("summary").click()
    expect(page.get_by_test_id("workings-central")).to_contain_text("NPV = PV benefits − PV costs")
    assert not (violations := run_axe(page)), describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.get_by_label("Scenario title").fill("Fewer robberies")
    page.get_by_role("button", name="Compute and save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fewer robberies")
    expect(page.get_by_test_id("vfm-summary")).to_be_visible()
    assert not (violations := run_axe(page)), describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_errors_are_shown_beside_the_fields(axe_page, site, library, facilitator):
    page = axe_page
    sign_in_as(page, facilitator)
    page.goto(f"/sites/{site.slug}/value-for-money/")
    page.get_by_label("Outcome 1: change a year").fill("-12")
    page.get_by_label("Horizon in years").fill("0")
    page.get_by_role("button", name="Compute", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The horizon must be between 1 and 100 years")
    assert not (violations := run_axe(page)), describe(violations)
