"""Board reports in a browser: a facilitator drafts a report as of a date, edits a section, writes
the sections that still say what to write, approves it, and finds the DOCX and PDF downloads; axe
finds no WCAG 2.2 AA violations on the pages, at 1280px and at 360px wide."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from c2hub.events import services as event_services
from c2hub.events.models import EventKind, EventStatus
from c2hub.reports.board import PLACEHOLDER
from tests.browser.support import DESKTOP, MOBILE, sign_in_as
from tests.browser.test_accessibility import describe, run_axe


@pytest.fixture
def records(site, facilitator):
    event_services.event_create(
        actor=None, site=site, kind=EventKind.ENGAGEMENT_WORKSHOP, title="Engagement workshop: hearing about C2",
        starts_at=timezone.make_aware(dt.datetime(2013, 6, 14, 10)), status=EventStatus.HELD,
    )
    # Compile the pages' templates before the browser asks (a busy machine can be slow the first time).
    client = Client()
    client.force_login(facilitator)
    client.get(f"/sites/{site.slug}/reports/board/")
    client.get(f"/sites/{site.slug}/reports/board/new/")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "360"])
def test_draft_edit_approve_and_download(axe_page, site, records, facilitator, viewport):
    page = axe_page
    page.set_viewport_size(viewport)
    sign_in_as(page, facilitator)
    page.goto(f"/sites/{site.slug}/reports/board/")
    assert not (violations := run_axe(page)), describe(violations)
    page.get_by_test_id("new-board-report").click()

    page.get_by_label("As of").fill("2013-01-01")  # before the site began: a field error
    page.get_by_role("button", name="Draft the report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("before Southchurch began")
    assert not (violations := run_axe(page)), describe(violations)
    page.get_by_label("As of").fill("2013-12-01")
    page.get_by_label("Board", exact=True).fill("Southend Health and Wellbeing Board")
    page.get_by_role("button", name="Draft the report").click()

    report = page.get_by_test_id("board-report")
    expect(report).to_contain_text("Engagement workshop: hearing about C2 – held on 14 June 2013")
    expect(page.get_by_test_id("status")).to_contain_text("Draft")
    assert not (violations := run_axe(page)), describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.get_by_test_id("edit-report").click()
    page.get_by_label("Purpose of report").fill("To update the Board on C2 in Southchurch to 1 December 2013.")
    for area in page.locator("textarea").all():
        if PLACEHOLDER in area.input_value():
            area.fill("None.")
    page.get_by_label("What changed (optional)").fill("Implications written")
    assert not (violations := run_axe(page)), describe(violations)
    page.get_by_role("button", name="Save as a new version").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved as version 2")
    expect(report).to_contain_text("1.1 To update the Board on C2 in Southchurch to 1 December 2013.")
    expect(page.get_by_test_id("versions")).to_contain_text("Implications written")
    page.get_by_role("button", name="Approve version 2").click()
    expect(page.get_by_test_id("status")).to_contain_text("Approved (version 2 approved by Fran Facilitator")
    downloads = page.get_by_test_id("downloads")
    expect(downloads.get_by_role("link", name="Word (DOCX), version 2")).to_have_attribute(
        "href", re.compile(rf"^/sites/{site.slug}/reports/board/\d+/report\.docx\?version=2$")
    )
    expect(downloads.get_by_role("link", name="PDF (tagged, accessible), version 2")).to_be_visible()
    assert not (violations := run_axe(page)), describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
