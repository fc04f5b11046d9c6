"""The action plan's permission matrix: 5 roles × their own site or another programme's site ×
every action-plan page and API endpoint, reads and writes.

Expected answers: allowed → 200 (or a redirect / 201 for a write); a site the user does not
belong to → 404; a site they belong to but an action their role lacks → 403; signed out → the
sign-in page (pages) or 401 (API). Commissioners and researchers read; the site's team writes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from c2hub.accounts.models import ApiToken, Role
from c2hub.actions import services
from c2hub.actions.models import Action, ActionUpdate
from c2hub.events import services as event_services
from c2hub.events.models import EventKind, EventStatus
from c2hub.listening.models import Theme
from c2hub.listening.services import listening_event_create
from c2hub.people.models import OrganisationKind
from c2hub.programmes.models import Evidence
from tests.events.conftest import days_ago
from tests.factories import OrganisationFactory, PersonFactory, ProgrammeFactory, make_site, user_with_role
from tests.matrix import form_data, page_failures, url_for

pytestmark = pytest.mark.django_db

GRANTS: dict[str, set[str]] = {
    Role.PROGRAMME_ADMIN: {"view", "work"},
    Role.FACILITATOR: {"view", "work"},
    Role.PARTNERSHIP_MEMBER: {"view", "work"},
    Role.COMMISSIONER: {"view"},
    Role.RESEARCHER: {"view"},
}
ROLES = list(GRANTS)


@dataclass
class World:
    site: object
    foreign_site: object
    ids: dict[str, dict[str, int]]


def _records(site) -> dict[str, int]:
    resident = PersonFactory(programme=site.programme, name=f"Resident of {site.slug}", sites=[site])
    police = OrganisationFactory(programme=site.programme, name=f"Police at {site.slug}", kind=OrganisationKind.POLICE)
    police.sites.add(site)
    listening = listening_event_create(actor=None, site=site, title="Listening", held_on=dt.date(2013, 11, 20))
    theme = Theme.objects.create(listening_event=listening, name="Parking")
    meeting = event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="Meeting",
        starts_at=days_ago(10),
        status=EventStatus.HELD,
    )
    action = services.action_create(
        actor=None,
        site=site,
        title="Bollards",
        theme=theme,
        lead_resident=resident,
        lead_organisation=police,
        asked_on=dt.date(2014, 1, 6),
        first_response_on=dt.date(2014, 1, 20),
    )
    return {
        "action_id": action.pk,
        "meeting_id": meeting.pk,
        "theme_id": theme.pk,
        "organisation_id": police.pk,
        "criterion_id": site.pathway_model.steps.get(number=6).criteria.get(key="accelerated-responses").pk,
    }


@pytest.fixture
def world(programme) -> World:
    site = make_site(programme=programme)
    foreign = make_site(
        programme=ProgrammeFactory(name="Another programme", slug="another"),
        name="Elsewhere",
        slug="elsewhere",
        lsoa_codes=("E01024653",),
    )
    return World(site=site, foreign_site=foreign, ids={"site": _records(site), "foreign": _records(foreign)})


PAGES: list[tuple[str, dict[str, str], str]] = [
    ("action_plan", {}, "view"),
    ("action_detail", {"action_id": "action_id"}, "view"),
    ("action_priorities", {}, "view"),
    ("you_said_we_did", {}, "view"),
    ("responsiveness", {}, "view"),
    ("action_create", {}, "work"),
    ("action_edit", {"action_id": "action_id"}, "work"),
    ("objective_create", {}, "work"),
]

WRITES: list[tuple[str, dict[str, str], dict[str, str]]] = [
    ("action_create", {}, {"title": "New action", "status": "not_started", "public": "on"}),
    ("objective_create", {}, {"title": "Safer streets", "theme": "theme_id"}),
    (
        "action_update_add",
        {"action_id": "action_id"},
        {"status": "in_progress", "note": "Met", "meeting": "meeting_id"},
    ),
    ("responsiveness_evidence", {}, {"criterion": "criterion_id"}),
    # Last: the edit form sent without the agency clears its dates.
    ("action_edit", {"action_id": "action_id"}, {"title": "Bollards (renamed)", "status": "in_progress"}),
    ("action_evidence", {"action_id": "action_id"}, {"criterion": "criterion_id"}),
]


@pytest.mark.parametrize("role", ROLES)
def test_pages_obey_the_matrix(client, world, role):
    client.force_login(user_with_role(role, world.site, programme=world.site.programme))
    sites = ((True, world.site, world.ids["site"]), (False, world.foreign_site, world.ids["foreign"]))
    failures = page_failures(client, role, GRANTS[role], sites, PAGES)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_writes_obey_the_matrix(client, world, role):
    client.force_login(user_with_role(role, world.site, programme=world.site.programme))
    failures = []
    for own, site, ids in ((False, world.foreign_site, world.ids["foreign"]), (True, world.site, world.ids["site"])):
        for name, keys, form in WRITES:
            url = url_for(name, keys, site, ids)
            got = client.post(url, form_data(form, ids)).status_code
            allowed = "work" in GRANTS[role]
            ok = got in (200, 302) if (own and allowed) else got == (403 if own else 404)
            if not ok:
                failures.append(f"{role} POST {url} ({'own' if own else 'other'} site): {got}")
    assert not failures, "\n".join(failures)
    allowed = "work" in GRANTS[role]
    assert Action.objects.filter(site=world.site, title="New action").exists() == allowed
    assert (
        ActionUpdate.objects.filter(action__site=world.site, meeting_id=world.ids["site"]["meeting_id"]).exists()
        == allowed
    )
    assert Evidence.objects.filter(site=world.site).count() == (2 if allowed else 0)
    assert not Action.objects.filter(site=world.foreign_site, title="New action").exists()
    assert not ActionUpdate.objects.filter(action__site=world.foreign_site).exists()
    assert not Evidence.objects.filter(site=world.foreign_site).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for name, keys, _ in PAGES:
        response = client.get(url_for(name, keys, world.site, world.ids["site"]))
        assert response.status_code == 302 and "/account/login/" in response["Location"], name
    assert client.get(f"/api/v1/sites/{world.site.slug}/actions").status_code == 401
    assert client.get(f"/api/v1/actions/{world.ids['site']['action_id']}").status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_api_obeys_the_matrix(client, world, role):
    user = user_with_role(role, world.site, programme=world.site.programme)
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    allowed = "work" in GRANTS[role]
    failures = []

    def check(method: str, url: str, body: object, want: int) -> None:
        call = getattr(client, method)
        got = (
            call(url, json.dumps(body), content_type="application/json", **auth)
            if body is not None
            else call(url, **auth)
        )
        if got.status_code != want:
            failures.append(f"{role} {method.upper()} {url}: {got.status_code}, expected {want}: {got.content[:200]}")

    for own, site, ids in ((True, world.site, world.ids["site"]), (False, world.foreign_site, world.ids["foreign"])):
        read = 200 if own else 404
        write = (201 if allowed else 403) if own else 404
        check("get", f"/api/v1/sites/{site.slug}/actions", None, read)
        check("get", f"/api/v1/actions/{ids['action_id']}", None, read)
        check("get", f"/api/v1/sites/{site.slug}/responsiveness", None, read)
        check("get", f"/api/v1/sites/{site.slug}/you-said-we-did", None, read)
        check(
            "post",
            f"/api/v1/sites/{site.slug}/actions",
            {"title": "By API", "lead_organisation": ids["organisation_id"]},
            write,
        )
        check("post", f"/api/v1/actions/{ids['action_id']}/updates", {"status": "in_progress", "note": "x"}, write)
    assert not failures, "\n".join(failures)
    assert not Action.objects.filter(site=world.foreign_site, title="By API").exists()


def test_another_sites_action_through_ones_own_site_is_not_found(client, world, programme):
    beacon = make_site(programme=programme, name="Beacon", slug="beacon", lsoa_codes=("E01018806",))
    client.force_login(user_with_role(Role.FACILITATOR, beacon))
    action_id = world.ids["site"]["action_id"]
    assert client.get(reverse("action_detail", args=[beacon.slug, action_id])).status_code == 404
    url = reverse("action_update_add", args=[beacon.slug, action_id])
    assert client.post(url, {"status": "done", "note": "x"}).status_code == 404
