"""The action plan in a browser: at a partnership meeting a facilitator updates an open action from
the minutes page and sees it in the minutes; axe finds no WCAG 2.2 AA violation on the minutes
page, the plan, an action, "you said, we did" and responsiveness at 1280px and 360px, and at
360px nothing scrolls sideways."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from c2hub.actions import services
from c2hub.actions.models import ActionUpdate
from c2hub.events import services as event_services
from c2hub.events.models import EventKind, EventStatus
from c2hub.listening.models import Comment, CommentSource, Theme, Vote, VoteSource
from c2hub.listening.services import listening_event_create
from c2hub.people.models import OrganisationKind, PersonKind
from tests.browser.support import DESKTOP, MOBILE, sign_in_as
from tests.browser.test_accessibility import STYLED, describe, run_axe
from tests.factories import OrganisationFactory, PersonFactory


def _ago(days: int, hour: int = 18) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days), dt.time(hour)))


@pytest.fixture
def plan(site):
    council = OrganisationFactory(
        programme=site.programme, name="Southend Borough Council", kind=OrganisationKind.COUNCIL
    )
    council.sites.add(site)
    officer = PersonFactory(
        programme=site.programme,
        name="Neighbourhoods officer",
        kind=PersonKind.WORKER,
        organisation=council,
        sites=[site],
    )
    resident = PersonFactory(programme=site.programme, name="Jo Whitfield", sites=[site])
    listening = listening_event_create(actor=None, site=site, title="Listening event", held_on=dt.date(2014, 1, 18))
    theme = Theme.objects.create(listening_event=listening, name="Feeling safe at night", order=1)
    Comment.objects.create(
        listening_event=listening,
        theme=theme,
        participant="resident",
        count=3,
        text="The alley by the station is dark and I won't use it",
        source=CommentSource.PAPER,
    )
    Vote.objects.create(
        listening_event=listening, theme=theme, participant="resident", dots=18, source=VoteSource.PAPER
    )
    action = services.action_create(
        actor=None,
        site=site,
        title="Better lighting in the alley by the station",
        theme=theme,
        lead_resident=resident,
        lead_organisation=council,
        lead_officer=officer,
        due_on=dt.date(2014, 5, 1),
        asked_on=dt.date(2014, 2, 19),
        first_response_on=dt.date(2014, 3, 10),
    )
    meeting = event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="Partnership meeting",
        starts_at=_ago(2),
        status=EventStatus.HELD,
    )
    return {"action": action, "meeting": meeting}


def test_update_an_action_at_a_meeting_and_see_it_in_the_minutes(axe_page, site, facilitator, plan):
    page = axe_page
    action, meeting = plan["action"], plan["meeting"]
    sign_in_as(page, facilitator)
    page.goto(f"/sites/{site.slug}/events/{meeting.pk}/minutes/", timeout=60_000)
    open_actions = page.locator("[data-testid=open-actions]")
    expect(open_actions).to_contain_text(action.title)
    open_actions.get_by_label(re.compile(f"Status of {action.title}")).select_option("in_progress")
    open_actions.get_by_label(re.compile(f"Note on {action.title}")).fill("The council has ordered two new lights")
    open_actions.get_by_role("button", name=re.compile(f"Record the update of {action.title}")).click()
    expect(page).to_have_url(re.compile(rf"/events/{meeting.pk}/minutes/#action-plan$"))
    expect(page.get_by_role("alert")).to_contain_text("Update recorded")
    made = page.locator("[data-testid=meeting-action-updates]")
    expect(made).to_contain_text(action.title)
    expect(made).to_contain_text("The council has ordered two new lights")
    update = ActionUpdate.objects.get(action=action)
    assert update.meeting_id == meeting.pk and update.status == "in_progress"
    assert not (violations := run_axe(page)), describe(violations)


def _pages(site, plan) -> list[str]:
    return [
        f"/sites/{site.slug}/events/{plan['meeting'].pk}/minutes/",
        f"/sites/{site.slug}/actions/",
        f"/sites/{site.slug}/actions/{plan['action'].pk}/",
        f"/sites/{site.slug}/you-said-we-did/",
        f"/sites/{site.slug}/actions/responsiveness/",
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "360px"])
def test_no_wcag_22_aa_violations(axe_page, site, facilitator, plan, viewport):
    page = axe_page
    page.set_viewport_size(viewport)
    sign_in_as(page, facilitator)
    failures = []
    for url in _pages(site, plan):
        page.goto(url, timeout=60_000)
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_have_count(1)
        assert page.evaluate(STYLED), f"{page.url}: C2 Hub's stylesheet did not load"
        violations = run_axe(page)
        if violations:
            failures.append(
                f"axe: {len(violations)} violation(s) on {url} at {viewport['width']}px:\n" + describe(violations)
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
            if overflow["scroll"] > viewport["width"] + 1:
                failures.append(f"{url} scrolls sideways: {overflow}")
    assert not failures, "\n".join(failures)
