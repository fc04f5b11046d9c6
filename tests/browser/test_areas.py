"""The upload page of the area-statistics store in a browser: an import from start to result, and
axe (WCAG 2.2 AA) on the form, a running import's progress bar and a refused file's problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from c2hub.areas import importers
from c2hub.areas.models import ImportRun
from tests.browser.support import DESKTOP, MOBILE, sign_in_as
from tests.browser.test_accessibility import STYLED, describe, run_axe

FIXTURES = Path(__file__).resolve().parent.parent / "areas" / "fixtures"


@pytest.fixture
def area_store(settings, tmp_path):
    """Lookups imported; uploads run at once (the immediate task backend) instead of in a worker."""
    settings.DATA_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    for name in ("lookup_lsoa21_ward24_ltla24.csv", "lookup_lsoa11_lsoa21_ltla22.csv",
                 "lookup_ltla24_csp24_pfa24.csv"):
        importers.import_lookup(FIXTURES / "lookups" / name)
    return tmp_path / "areas"


def test_programme_admin_imports_police_data(page, area_store, programme_admin):
    sign_in_as(page, programme_admin)
    page.goto("/areas/import/")
    page.get_by_label("police.uk street-level crime").check()
    page.locator("input[name=file]").set_input_files(str(FIXTURES / "crime" / "2024-01-kent-street.csv"))
    page.get_by_role("button", name="Import").click()
    expect(page).to_have_url(re.compile(r"/areas/import/\d+/$"))
    expect(page.locator("#import-progress")).to_contain_text("Imported 150 rows from 1 file(s) into crime")
    page.get_by_role("link", name="Import another file").click()
    expect(page.locator("table").first).to_contain_text("2024-01-kent-street.csv")


def test_a_refused_file_lists_its_problems(page, area_store, programme_admin, tmp_path):
    bad = tmp_path / "not-crime.csv"
    bad.write_text("Month,Crime type\n2024-01,Drugs\n", encoding="utf-8")
    sign_in_as(page, programme_admin)
    page.goto("/areas/import/")
    page.get_by_label("police.uk street-level crime").check()
    page.locator("input[name=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("not-crime.csv: This is not a police.uk street-level crime file")


def _scan(page, viewport) -> None:
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate(STYLED), f"{page.url}: C2 Hub's stylesheet did not load"
    violations = run_axe(page)
    assert not violations, f"axe: {page.url} at {viewport['width']}px:\n{describe(violations)}"
    if viewport["width"] <= 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= 361, "the page scrolls sideways"


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "360px"])
def test_no_wcag_22_aa_violations(axe_page, area_store, programme_admin, viewport):
    page = axe_page
    page.set_viewport_size(viewport)
    running = ImportRun.objects.create(kind="police", file_names=["2024-01.zip"], created_by=programme_admin,
                                       status=ImportRun.Status.RUNNING, progress=0.4, stage="Counting crimes")
    failed = ImportRun.objects.create(kind="imd", file_names=["imd.csv"], created_by=programme_admin,
                                      status=ImportRun.Status.FAILED, summary="Nothing was imported.",
                                      problems=["imd.csv, line 3, column “lsoa21_code”: Unknown LSOA code"])
    sign_in_as(page, programme_admin)
    page.goto("/areas/import/")
    _scan(page, viewport)
    page.get_by_role("button", name="Import").click()  # nothing chosen: the error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what the file is")
    _scan(page, viewport)
    page.goto(f"/areas/import/{running.pk}/")
    expect(page.locator("progress")).to_have_attribute("value", "40")
    _scan(page, viewport)
    page.goto(f"/areas/import/{failed.pk}/")
    _scan(page, viewport)
