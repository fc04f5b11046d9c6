"""The commissioner's view in a browser on real data (the demo's police.uk, deprivation and
population slices for Camborne, as in test_outcomes): reached from the menu, axe (WCAG 2.2 AA)
at 1280px and 360px with no sideways scroll, the outcome verdict and chart, no resident named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from c2hub.accounts.models import Role
from c2hub.outcomes import services
from c2hub.people.models import PersonKind
from c2hub.wins.models import Win, WinKind
from tests.browser.support import DESKTOP, MOBILE, add_totp, sign_in_as
from tests.browser.test_outcomes import _scan, _store, camborne  # noqa: F401 - fixtures
from tests.factories import PersonFactory, user_with_role


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "360px"])
def test_commissioner_view(axe_page, camborne, viewport):  # noqa: F811 - the fixture
    page = axe_page
    page.set_viewport_size(viewport)
    PersonFactory(programme=camborne.programme, name="Jo Whitfield", kind=PersonKind.RESIDENT, sites=[camborne])
    Win.objects.create(
        site=camborne,
        kind=WinKind.FUNDING,
        title="Jo Whitfield's bid won funding for the garden",
        won_on=dt.date(2024, 3, 1),
        amount=Decimal("5000"),
    )
    run = services.evaluation_request(
        actor=None, site=camborne, treatment_start=dt.date(2024, 3, 1), method="did", enqueue=False
    )
    services.evaluation_execute(run)
    commissioner = user_with_role(Role.COMMISSIONER, camborne, email="cass@example.org")
    add_totp(commissioner)
    sign_in_as(page, commissioner)
    page.goto("/")
    if viewport["width"] <= 360:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Commissioner's view").click()
    expect(page.get_by_test_id("summary-camborne")).to_contain_text("£5,000 funding secured")
    _scan(page, viewport)
    page.get_by_role("link", name="Camborne").first.click()
    expect(page.get_by_test_id("verdict").first).to_contain_text("too small to tell")
    expect(page.get_by_test_id("latest-wins")).to_contain_text("a resident's bid won funding")
    expect(page.locator("main")).not_to_contain_text("Whitfield")
    _scan(page, viewport)
