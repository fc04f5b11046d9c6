"""Wins and community groups in a browser: a facilitator records a funding win (an error first,
then the win); axe finds no WCAG 2.2 AA violation on the wins log, the funding bids, the groups
register, a group's page and the coverage view at 1280px and 360px, and at 360px nothing scrolls
sideways."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from c2hub.community import services as community_services
from c2hub.wins import services
from c2hub.wins.models import BidStatus, Win, WinKind
from tests.browser.support import DESKTOP, MOBILE, sign_in_as
from tests.browser.test_accessibility import STYLED, describe, run_axe


def test_facilitator_records_a_funding_win(page, site, facilitator):
    sign_in_as(page, facilitator)
    # The first page of a test session compiles the templates: on a busy machine that takes a while.
    page.goto(f"/sites/{site.slug}/wins/", timeout=60_000)
    page.get_by_role("link", name="Record a win").click()
    page.locator("select[name=kind]").select_option("funding")
    page.locator("input[name=title]").fill("Grant for the youth club")
    page.locator("input[name=won_on]").fill("2013-05-01")
    page.locator("input[name=amount]").fill("-50")
    page.get_by_role("button", name="Save win").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the funder")
    expect(summary).to_contain_text("more than £0")
    expect(page.locator("input[name=title]")).to_have_value("Grant for the youth club")
    page.locator("input[name=funder_name]").fill("National Lottery Awards for All")
    page.locator("input[name=amount]").fill("5000")
    page.locator("textarea[name=celebrated_how]").fill("Cake at the hub")
    page.get_by_role("button", name="Save win").click()
    expect(page).to_have_url(re.compile(rf"/sites/{site.slug}/wins/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("Grant for the youth club recorded")
    win = Win.objects.get(site=site, title="Grant for the youth club")
    assert win.amount == Decimal("5000") and win.is_celebrated
    page.get_by_role("link", name="Wins", exact=True).first.click()
    expect(page.locator("[data-testid=funding-by-year]")).to_contain_text("£5,000")


@pytest.fixture
def wins_world(site):
    tr14ers = community_services.group_create(
        actor=None,
        site=site,
        name="TR14ers dance group with a rather long name for a phone",
        founded_on=dt.date(2008, 8, 1),
        age_groups=["5-10", "11-15", "16-18"],
        health_priorities=["physical_activity", "mental_wellbeing"],
        schedule="Saturdays 10am–1pm",
        venue="Camborne",
    )
    community_services.group_create(actor=None, site=site, name="Lunch club", age_groups=["65+"])
    for month in range(1, 13):
        community_services.participation_set(
            actor=None,
            group=tr14ers,
            month=dt.date(2009, month, 1),
            participants=40 + month,
            volunteers=4,
            volunteer_hours=12,
        )
    services.win_create(
        actor=None,
        site=site,
        kind=WinKind.NEW_GROUP,
        title="The TR14ers are formed",
        won_on=dt.date(2008, 8, 1),
        community_group=tr14ers,
        celebrated_how="A show",
    )
    bid = services.bid_create(
        actor=None,
        site=site,
        purpose="Dance leaders",
        amount_asked=Decimal("15000"),
        funder_name="West Cornwall PCT",
        status=BidStatus.PART_AWARDED,
        submitted_on=dt.date(2009, 9, 1),
        decided_on=dt.date(2009, 12, 4),
        amount_awarded=Decimal("12000"),
    )
    services.win_create(actor=None, site=site, bid=bid, **services.bid_win_defaults(bid))
    return {"group": tr14ers}


PAGES = {
    "wins": lambda site, world: f"/sites/{site.slug}/wins/",
    "bids": lambda site, world: f"/sites/{site.slug}/funding-bids/",
    "groups": lambda site, world: f"/sites/{site.slug}/community-groups/",
    "group": lambda site, world: f"/sites/{site.slug}/community-groups/{world['group'].pk}/",
    "coverage": lambda site, world: f"/sites/{site.slug}/community-groups/coverage/",
}


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "360px"])
@pytest.mark.parametrize("where", list(PAGES))
def test_no_wcag_22_aa_violations(axe_page, site, facilitator, wins_world, where, viewport):
    page = axe_page
    page.set_viewport_size(viewport)
    sign_in_as(page, facilitator)
    page.goto(PAGES[where](site, wins_world), timeout=60_000)
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate(STYLED), f"{page.url}: C2 Hub's stylesheet did not load"
    if where == "coverage":
        expect(page.locator("[data-testid=coverage-summary]")).to_contain_text("serve 4 of 7 age groups")
        expect(page.locator("main")).to_contain_text("No group serves 0–4")
        expect(page.locator("[data-testid=volunteering-value]")).to_contain_text("only hours are shown")
    violations = run_axe(page)
    assert not violations, f"axe: {len(violations)} violation(s) on {page.url} at {viewport['width']}px:\n" + describe(
        violations
    )
    if viewport["width"] <= 360:
        overflow = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, "
            "wide: [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
            " && !e.closest('.c2-table-wrapper') && !e.closest('.c2-chart'))"
            ".slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'"
            " ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))})"
        )
        assert overflow["scroll"] <= 361, f"{page.url} scrolls sideways at 360px: {overflow['wide']}"
