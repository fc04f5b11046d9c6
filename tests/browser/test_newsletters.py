"""The newsletter in a browser: a facilitator composes an issue from blocks (free text with script
in it, recent wins from the records), reorders them and publishes it; the public partnership page
and the published issue on a 360px phone, with no WCAG 2.2 AA violation found by axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from c2hub.newsletters import services
from c2hub.newsletters.models import BlockKind, IssueStatus, NewsletterIssue
from c2hub.people.models import GroupKind
from c2hub.wins.models import Win, WinKind
from tests.browser.support import DESKTOP, MOBILE, sign_in_as
from tests.browser.test_accessibility import describe, run_axe
from tests.factories import GroupFactory


@pytest.fixture
def win(site):
    return Win.objects.create(
        site=site,
        kind=WinKind.FUNDING,
        title="Play area funded",
        won_on=timezone.localdate() - dt.timedelta(days=20),
        description="The council funded a new play area by the church.",
        funder_name="Southend Council",
        amount="25000",
    )


@pytest.fixture
def public_site(site, win):
    GroupFactory(
        site=site,
        kind=GroupKind.CONSTITUTED_PARTNERSHIP,
        name="Southchurch Together",
        purpose="Residents and agencies improving Southchurch as equals.",
        hub_address="The Hub, 1 Church Road, Southend SS1 2AB",
        opening_times="Monday to Friday, 10am to 4pm",
    )
    services.public_page_set(actor=None, site=site, enabled=True, introduction="Residents and agencies together.")
    issue = services.issue_create(actor=None, site=site, title="Spring 2014")
    services.block_add(actor=None, issue=issue, kind=BlockKind.TEXT, heading="Welcome", body="Hello, Southchurch.")
    services.block_add(actor=None, issue=issue, kind=BlockKind.WINS)
    services.issue_publish(actor=None, issue=issue)
    return site


def test_compose_and_publish_a_newsletter(page, site, facilitator, win):
    services.public_page_set(actor=None, site=site, enabled=True)
    # The first pages compile their templates: give a busy machine time.
    page.context.set_default_timeout(30_000)
    sign_in_as(page, facilitator)
    page.goto(f"/sites/{site.slug}/newsletters/")
    page.get_by_label("Title").fill("Spring 2014")
    page.get_by_role("button", name="Start the issue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring 2014")

    page.get_by_label("Add a block").select_option("text")
    page.get_by_role("button", name="Add the block").click()
    page.get_by_label("Heading").fill("Welcome")
    page.get_by_label("Text").fill("<p>Hello, <strong>Southchurch</strong>!</p><script>alert('x')</script>")
    page.get_by_role("button", name="Add the block").click()
    expect(page.get_by_text("Free text block added.")).to_be_visible()

    page.get_by_label("Add a block").select_option("wins")
    page.get_by_role("button", name="Add the block").click()
    page.get_by_label("How many to show").fill("3")
    page.get_by_role("button", name="Add the block").click()
    expect(page.get_by_role("heading", name="Play area funded")).to_be_visible()
    expect(page.get_by_text("£25,000 from Southend Council")).to_be_visible()

    # The wins first, then the welcome.
    page.get_by_role("button", name="Move up block 2").click()
    headings = page.locator("[data-testid=block] h3.govuk-heading-m").all_inner_texts()
    assert headings == ["Recent wins", "Welcome"]
    assert "alert" not in page.content()

    page.get_by_role("button", name="Publish newsletter 1").click()
    expect(page.get_by_text("Newsletter 1 is published")).to_be_visible()
    issue = NewsletterIssue.objects.get(site=site)
    assert issue.status == IssueStatus.PUBLISHED
    assert [b.kind for b in issue.blocks.order_by("order")] == ["wins", "text"]

    page.get_by_role("link", name="Public web page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring 2014")
    expect(page.get_by_text("Hello, Southchurch!")).to_be_visible()


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360", "1280"])
def test_public_page_has_no_wcag_violations(axe_page, public_site, viewport):
    axe_page.context.set_default_timeout(30_000)  # the first page compiles its templates
    axe_page.set_viewport_size(viewport)
    axe_page.goto(f"/p/{public_site.slug}/")
    expect(axe_page.get_by_role("heading", level=1)).to_have_text("Southchurch Together")
    assert not (violations := run_axe(axe_page)), describe(violations)
    assert axe_page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    axe_page.get_by_role("button", name="Subscribe").click()
    expect(axe_page.get_by_role("alert")).to_contain_text("Enter an e-mail address")
    assert not (violations := run_axe(axe_page)), describe(violations)

    axe_page.get_by_label("Your e-mail address").fill("ann@example.org")
    axe_page.get_by_label("I agree").check()
    axe_page.get_by_role("button", name="Subscribe").click()
    expect(axe_page.get_by_test_id("subscribed")).to_be_visible()

    axe_page.goto(f"/p/{public_site.slug}/newsletters/latest")
    expect(axe_page.get_by_role("heading", level=1)).to_have_text("Spring 2014")
    assert not (violations := run_axe(axe_page)), describe(violations)
    assert axe_page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
