"""The indicators page and the evaluation page in a browser on real data (the demo's slices of
police.uk crime, deprivation and population for Camborne): axe (WCAG 2.2 AA) at 1280px and 360px,
no sideways scroll on a phone, the crime-type filter, and an evaluation started from the page."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from c2hub.accounts.models import Role
from c2hub.demo.areas import BUNDLE, import_folder
from c2hub.outcomes import selectors, services
from c2hub.outcomes.models import EvaluationRun
from tests.browser.support import DESKTOP, MOBILE, add_totp, sign_in_as
from tests.browser.test_accessibility import STYLED, describe, run_axe
from tests.factories import make_site, user_with_role

CAMBORNE_WARDS = [
    {"code": "E05013278", "name": "Camborne Roskear & Tuckingmill"},
    {"code": "E05013279", "name": "Camborne Trelowarren"},
]


@pytest.fixture(scope="module")
def _store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("outcomes-browser-store")
    with override_settings(DATA_DIR=data):
        import_folder(BUNDLE)
    return data / "areas"


@pytest.fixture
def camborne(settings, tmp_path, _store, transactional_db):
    shutil.copytree(_store, tmp_path / "areas")
    settings.DATA_DIR = tmp_path
    from django.core.cache import cache

    from c2hub.areas import queries

    cache.clear()
    site = make_site(name="Camborne", slug="camborne", local_authority="Cornwall", local_authority_code="E06000052",
                     wards=CAMBORNE_WARDS, lsoa_codes=tuple(queries.lsoas_in_wards(["E05013278", "E05013279"])))
    services.comparison_suggest(actor=None, site=site)
    services.comparison_accept_all(actor=None, site=site)
    services.area_change_add(actor=None, site=site, title="£2.2m housing regeneration", starts_on=dt.date(2024, 2, 12))
    # Draw the charts once before the browser asks (the first rendering can take seconds on a busy
    # machine; the page under test is the same either way).
    for suppressed in (False, True):
        selectors.indicators_page(site, suppressed=suppressed)
    return site


@pytest.fixture
def camborne_facilitator(camborne):
    user = user_with_role(Role.FACILITATOR, camborne, email="fran@example.org")
    add_totp(user)
    return user


def _scan(page, viewport) -> None:
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate(STYLED), f"{page.url}: C2 Hub's stylesheet did not load"
    violations = run_axe(page)
    assert not violations, f"axe: {page.url} at {viewport['width']}px:\n{describe(violations)}"
    if viewport["width"] <= 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= 361, f"{page.url} scrolls sideways"


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "360px"])
def test_indicators_page_has_no_wcag_22_aa_violations(axe_page, camborne, camborne_facilitator, viewport):
    page = axe_page
    page.set_viewport_size(viewport)
    commissioner = user_with_role(Role.COMMISSIONER, camborne, email="cass@example.org")
    run = services.evaluation_request(actor=None, site=camborne, treatment_start=dt.date(2024, 3, 1), method="did",
                                      enqueue=False)
    services.evaluation_execute(run)
    sign_in_as(page, camborne_facilitator)
    for path in ("/sites/camborne/outcomes/", "/sites/camborne/outcomes/comparison-areas/",
                 "/sites/camborne/outcomes/changes/", "/sites/camborne/outcomes/evaluations/",
                 f"/sites/camborne/outcomes/evaluations/{run.pk}/", "/sites/camborne/outcomes/lsoas/"):
        page.goto(path)
        _scan(page, viewport)
    page.context.clear_cookies()
    sign_in_as(page, commissioner)
    page.goto("/sites/camborne/outcomes/")
    expect(page.get_by_test_id("suppression-note")).to_be_visible()
    _scan(page, viewport)


def test_filter_by_crime_type_and_run_an_evaluation(page, camborne, camborne_facilitator, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    sign_in_as(page, camborne_facilitator)
    page.goto("/sites/camborne/")
    page.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_test_id("chart-crime-rate")).to_contain_text("All crime and anti-social behaviour per 1,000")
    expect(page.get_by_test_id("chart-crime-rate").locator("svg")).to_have_count(1)
    page.get_by_label("Crime type", exact=True).select_option("Burglary")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("chart-crime-rate")).to_contain_text("Burglary per 1,000 residents")
    page.get_by_role("link", name="Evaluations").click()
    page.get_by_label("Difference-in-differences").check()
    page.get_by_label("Or a date").fill("2024-03-01")
    page.get_by_role("button", name="Run the evaluation").click()
    expect(page).to_have_url(re.compile(r"/outcomes/evaluations/\d+/$"))
    expect(page.get_by_test_id("verdict")).to_contain_text("too small to tell")
    expect(page.get_by_test_id("verdict-changes")).to_contain_text("£2.2m housing regeneration")
    assert EvaluationRun.objects.get().status == "finished"
