"""Events in a browser: a facilitator records an event, its attendance and head-count; axe finds
no WCAG 2.2 AA violation on the events list, an event page and the minutes page at 1280px and
360px, and at 360px nothing scrolls sideways."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from c2hub.events import services
from c2hub.events.models import Event, EventKind, EventStatus, HeadCount
from c2hub.people.models import OrganisationKind, PersonKind
from tests.browser.support import DESKTOP, MOBILE, sign_in_as
from tests.browser.test_accessibility import STYLED, describe, run_axe
from tests.events.conftest import png_upload
from tests.factories import OrganisationFactory, PersonFactory


def _ago(days: int, hour: int = 18) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days), dt.time(hour)))


@pytest.fixture
def people(site):
    police = OrganisationFactory(programme=site.programme, name="Essex Police", kind=OrganisationKind.POLICE)
    police.sites.add(site)
    resident = PersonFactory(programme=site.programme, name="Jo Whitfield", sites=[site])
    officer = PersonFactory(
        programme=site.programme,
        name="Sam Okafor with a rather long name for a phone",
        kind=PersonKind.WORKER,
        organisation=police,
        sites=[site],
    )
    return police, resident, officer


def test_facilitator_records_an_event_with_attendance_and_head_count(page, site, facilitator, people):
    police, resident, _ = people
    sign_in_as(page, facilitator)
    # The first page of a test session compiles the templates: on a busy machine that takes a while.
    page.goto(f"/sites/{site.slug}/events/", timeout=60_000)
    page.get_by_role("link", name="Record an event").click()
    page.get_by_label("Engagement workshop", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("select[name=kind]")).to_have_value("engagement_workshop")
    expect(page.locator("input[name=exchange_site_name]")).to_have_count(0)  # not for this kind
    page.locator("input[name=title]").fill("Engagement workshop at the hub")
    day = timezone.localdate() - dt.timedelta(days=2)
    page.locator("input[name=start_date]").fill(day.isoformat())
    page.locator("input[name=start_time]").fill("18:30")
    page.locator("input[name=steps][value='1']").check()
    page.get_by_role("button", name="Save event").click()
    expect(page).to_have_url(re.compile(rf"/sites/{site.slug}/events/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("Engagement workshop at the hub recorded")
    event = Event.objects.get(site=site, title="Engagement workshop at the hub")
    assert timezone.localtime(event.starts_at).time() == dt.time(18, 30)

    page.get_by_role("button", name="Mark held").click()
    expect(page.locator("main")).to_contain_text("Held")

    page.locator("select[name=person]").select_option(str(resident.pk))
    page.get_by_role("button", name="Add to attendance").click()
    expect(page.locator("[data-testid=attendance]")).to_contain_text("Jo Whitfield")
    page.locator("select[name=organisation]").select_option(str(police.pk))
    page.get_by_role("button", name="Add to attendance").click()
    expect(page.locator("[data-testid=attendance]")).to_contain_text("Essex Police")

    # Nothing chosen: an error beside the field, the page keeps working.
    page.get_by_role("button", name="Add to attendance").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a person or an organisation")

    page.get_by_role("link", name=re.compile("Record the head-count")).click()
    page.locator("input[name='resident__26-64']").fill("12")
    page.locator("input[name='provider__unknown']").fill("many")
    page.get_by_role("button", name="Save head-count").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("enter a whole number")
    expect(page.locator("input[name='resident__26-64']")).to_have_value("12")  # what was typed is kept
    page.locator("input[name='provider__unknown']").fill("3")
    page.get_by_role("button", name="Save head-count").click()
    expect(page.locator("[data-testid=attendance-total]")).to_contain_text("16 attended")
    assert sorted(HeadCount.objects.filter(event=event).values_list("count", flat=True)) == [3, 12]


@pytest.fixture
def events_world(site, facilitator, people):
    _, resident, officer = people
    workshop = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.ENGAGEMENT_WORKSHOP,
        title="Engagement workshop with visitors from Beacon",
        starts_at=_ago(30),
        status=EventStatus.HELD,
        steps=[1],
        description="Stakeholders and residents.",
    )
    services.attendance_add(actor=None, event=workshop, person=resident)
    services.attendance_add(actor=None, event=workshop, person=officer)
    services.head_counts_set(actor=None, event=workshop, counts={("resident", "26-64"): 14, ("provider", ""): 2})
    for n in range(3):
        services.event_create(
            actor=None,
            site=site,
            kind=EventKind.WALKABOUT,
            title=f"Walkabout {n}",
            starts_at=_ago(20 + n),
            status=EventStatus.HELD,
        )
    meeting = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="Partnership meeting",
        starts_at=_ago(40),
        status=EventStatus.HELD,
    )
    later = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="Partnership meeting (next)",
        starts_at=_ago(10),
        status=EventStatus.HELD,
    )
    services.minutes_save(
        actor=None,
        event=meeting,
        agenda="1. Welcome\n2. The park",
        text="Jo Whitfield chaired.\nThe park: the council will look at the lighting.",
    )
    services.decision_add(actor=None, event=meeting, text="Write to the council about the lighting.")
    services.minutes_approve(actor=None, event=meeting, at_meeting=later)
    services.minutes_publish(actor=None, event=meeting)
    walkabout = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.WALKABOUT,
        title="Estate walkabout",
        starts_at=_ago(15),
        status=EventStatus.HELD,
        route_description="From the hub\nround the park",
    )
    services.finding_add(
        actor=None,
        event=walkabout,
        kind="asset",
        title="Community garden",
        latitude=51.5432,
        longitude=0.7313,
        photo=png_upload(size=(800, 600)),
    )
    services.finding_add(actor=None, event=walkabout, kind="issue", title="Broken lighting on the footpath")
    return {"workshop": workshop, "meeting": meeting, "walkabout": walkabout}


def _event_page(site, world) -> str:
    return f"/sites/{site.slug}/events/{world['workshop'].pk}/"


def _minutes_page(site, world) -> str:
    return f"/sites/{site.slug}/events/{world['meeting'].pk}/minutes/"


def _walkabout_page(site, world) -> str:
    return f"/sites/{site.slug}/events/{world['walkabout'].pk}/"


def _list_page(site, world) -> str:
    return f"/sites/{site.slug}/events/"


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "360px"])
@pytest.mark.parametrize(
    "where", [_list_page, _event_page, _minutes_page, _walkabout_page], ids=["list", "event", "minutes", "walkabout"]
)
def test_no_wcag_22_aa_violations(axe_page, site, facilitator, events_world, where, viewport):
    page = axe_page
    page.set_viewport_size(viewport)
    sign_in_as(page, facilitator)
    page.goto(where(site, events_world), timeout=60_000)
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate(STYLED), f"{page.url}: C2 Hub's stylesheet did not load"
    violations = run_axe(page)
    assert not violations, f"axe: {len(violations)} violation(s) on {page.url} at {viewport['width']}px:\n" + describe(
        violations
    )
    if viewport["width"] <= 360:
        overflow = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, "
            "wide: [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
            " && !e.closest('.c2-table-wrapper'))"
            ".slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'"
            " ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))})"
        )
        assert overflow["scroll"] <= viewport["width"] + 1, f"{page.url} scrolls sideways: {overflow}"
