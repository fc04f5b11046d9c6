"""axe-core finds no WCAG 2.2 AA violation on C2 Hub's main pages, on a desktop and on a 360px
phone, and at 360px nothing makes the page scroll sideways."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from c2hub.accounts.models import Role
from c2hub.programmes import services
from tests.browser.support import DESKTOP, MOBILE, sign_in_as, submit_sign_in_form
from tests.factories import (
    PASSWORD,
    GroupFactory,
    OrganisationFactory,
    PersonFactory,
    make_site,
    user_with_role,
)

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
STYLED = """() => [...document.styleSheets].some(
    s => (s.href || '').includes('/static/dist/app') && s.cssRules.length > 100)"""
#: Set to a folder to keep a full-page screenshot of every page scanned (docs/screenshots/).
SCREENSHOTS_DIR = os.environ.get("C2HUB_SCREENSHOTS_DIR", "")


def run_axe(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_22_AA,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@dataclass
class World:
    site: object
    admin: object
    facilitator: object
    criterion: object
    live_url: str


@pytest.fixture
def world(transactional_db, live_server) -> World:
    """A site part-way along its pathway, with the people, groups and history a real one has."""
    site = make_site(description="A neighbourhood partnership in Southchurch, Southend-on-Sea.")
    make_site(programme=site.programme, name="Beacon", slug="beacon", local_authority="Cornwall",
              lsoa_codes=("E01018806",))
    admin = user_with_role(Role.PROGRAMME_ADMIN, site, email="admin@example.org")
    admin.full_name = "Ada Admin"
    admin.save()
    facilitator = user_with_role(Role.FACILITATOR, site, email="facilitator@example.org")
    facilitator.full_name = "Fran Facilitator"
    facilitator.save()
    steps = {s.number: s for s in site.pathway_model.steps.prefetch_related("criteria")}
    step1 = list(steps[1].criteria.order_by("order", "id"))
    summaries = [
        "Wards and LSOAs agreed with the council",
        "Six key residents met through the Streets Ahead co-ordinator",
        "Steering group terms of reference",
        "Minutes: the group agreed to the seven steps",
    ]
    for n, criterion in enumerate(step1):
        item = services.evidence_add(
            actor=facilitator, site=site, criterion=criterion, kind="link" if n % 2 else "note",
            summary=summaries[n % len(summaries)], note="Agreed at the steering group.",
            url="https://example.org/minutes" if n % 2 else "", occurred_on=dt.date(2013, 7, n + 1),
        )
        if n == 0:
            services.evidence_verify(actor=admin, evidence=item)
    services.step_complete(actor=facilitator, site=site, step_number=1)
    step2 = list(steps[2].criteria.order_by("order", "id"))
    services.evidence_add(actor=facilitator, site=site, criterion=step2[0], kind="note",
                          summary="Workshop held on 14 June 2013")
    services.funding_line_create(
        actor=admin, site=site, description="Steps 1 to 3", funder_name="Southend Council",
        amount=Decimal("25000"), steps_covered=[1, 2, 3], starts_on=dt.date(2013, 6, 1),
        ends_on=dt.date(2014, 5, 31),
    )
    council = OrganisationFactory(programme=site.programme, name="Southend-on-Sea City Council")
    council.sites.add(site)
    for n in range(3):
        PersonFactory(programme=site.programme, name=f"Resident {n + 1}", sites=[site])
    PersonFactory(programme=site.programme, kind="worker", name="Wendy Worker",
                  organisation=council, sites=[site])
    GroupFactory(site=site, name="Southchurch steering group")
    return World(site=site, admin=admin, facilitator=facilitator, criterion=step2[1],
                 live_url=live_server.url)


def _goto(page, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}, not {status}"


def _signed_in(page, world: World, path: str, status: int = 200) -> None:
    sign_in_as(page, world.admin)
    _goto(page, path, status)


def sign_in_page(page, world):
    _goto(page, "/account/login/")
    expect(page.locator("input[name=login]")).to_be_visible()


def two_factor_page(page, world):
    submit_sign_in_form(page, world.admin.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))


def dashboard(page, world):
    _signed_in(page, world, "/dashboard/")


def site_overview(page, world):
    _signed_in(page, world, f"/sites/{world.site.slug}/")


def pathway(page, world):
    _signed_in(page, world, f"/sites/{world.site.slug}/pathway/")


def evidence_form(page, world):
    _signed_in(page, world, f"/sites/{world.site.slug}/pathway/criteria/{world.criterion.pk}/evidence/")


def evidence_form_with_errors(page, world):
    evidence_form(page, world)
    page.locator("input[name=kind][value=link]").check()
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-message").first).to_be_visible()


def step_complete(page, world):
    _signed_in(page, world, f"/sites/{world.site.slug}/pathway/steps/2/complete/")


def step_complete_with_errors(page, world):
    step_complete(page, world)
    page.get_by_role("button", name="Complete by override").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def account_settings(page, world):
    _signed_in(page, world, "/account/settings/")


def audit_log(page, world):
    _signed_in(page, world, "/audit/")


def people_list(page, world):
    _signed_in(page, world, f"/sites/{world.site.slug}/people/")


def organisation_list(page, world):
    _signed_in(page, world, f"/sites/{world.site.slug}/organisations/")


def group_list(page, world):
    _signed_in(page, world, f"/sites/{world.site.slug}/groups/")


PAGES = [
    sign_in_page, two_factor_page, dashboard, site_overview, pathway, evidence_form,
    evidence_form_with_errors, step_complete, step_complete_with_errors, account_settings,
    audit_log, people_list, organisation_list, group_list,
]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "360px"])
@pytest.mark.parametrize("open_page", PAGES, ids=[p.__name__ for p in PAGES])
def test_no_wcag_22_aa_violations(axe_page, world, open_page, viewport):
    page = axe_page
    page.set_viewport_size(viewport)
    open_page(page, world)
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    assert page.title().strip(), "the page has no title"
    # axe judges colours and sizes as styled: an unstyled page would give different answers.
    assert page.evaluate(STYLED), f"{page.url}: C2 Hub's stylesheet did not load"
    if SCREENSHOTS_DIR:
        Path(SCREENSHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(Path(SCREENSHOTS_DIR) / f"{open_page.__name__}-{viewport['width']}px.png"),
            full_page=True,
        )

    violations = run_axe(page)
    assert not violations, (
        f"axe found {len(violations)} WCAG 2.2 AA violation(s) on {page.url} at "
        f"{viewport['width']}px:\n{describe(violations)}"
    )
    if viewport["width"] <= 360:
        overflow = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, "
            "wide: [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
            " && !e.closest('.c2-table-wrapper'))"
            ".slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
            " + (e.className && typeof e.className === 'string' ? '.' + e.className.trim()"
            ".split(/\\s+/).join('.') : ''))})"
        )
        assert overflow["scroll"] <= viewport["width"] + 1, (
            f"{page.url} scrolls sideways at {viewport['width']}px: the page is "
            f"{overflow['scroll']}px wide; too wide: {overflow['wide']}"
        )
