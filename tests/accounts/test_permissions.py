"""The permission matrix: every role × its own site or another programme's site × every page and
API endpoint. One table says who may do what; the test checks the server agrees, everywhere.

Expected answers: allowed → 200; a site the user does not belong to → 404 (its existence is not
revealed); a site they belong to but an action their role lacks → 403; signed out → sign-in page
(pages) or 401 (API).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from c2hub.accounts.models import ApiToken, Role
from c2hub.people import services as people_services
from c2hub.people.models import GroupKind, OrganisationKind, PersonKind
from tests.factories import ProgrammeFactory, make_site, user_with_role

pytestmark = pytest.mark.django_db

# What each role may do in a site it belongs to.
GRANTS: dict[str, set[str]] = {
    Role.PROGRAMME_ADMIN: {"view", "work", "run", "admin"},
    Role.FACILITATOR: {"view", "work", "run"},
    Role.PARTNERSHIP_MEMBER: {"view", "work"},
    Role.COMMISSIONER: {"view"},
    Role.RESEARCHER: {"view"},
}
ROLES = list(GRANTS)


@dataclass
class World:
    site: object
    foreign_site: object  # in another programme: nobody here belongs to it
    ids: dict[str, dict[str, int]]


def _records(site, actor) -> dict[str, int]:
    org = people_services.organisation_create(
        actor=actor, site=site, name=f"Police at {site.slug}", kind=OrganisationKind.POLICE
    )
    person = people_services.person_create(
        actor=actor,
        site=site,
        name=f"Resident of {site.slug}",
        kind=PersonKind.RESIDENT,
        email=f"r@{site.slug}.example",
        age_band="26-64",
    )
    group = people_services.group_create(
        actor=actor, site=site, name=f"Steering network of {site.slug}", kind=GroupKind.STRATEGIC_STEERING
    )
    membership = people_services.membership_add(actor=actor, group=group, person=person, role="key_resident")
    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    return {
        "organisation_id": org.pk,
        "person_id": person.pk,
        "group_id": group.pk,
        "membership_id": membership.pk,
        "criterion_id": criterion.pk,
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
    return World(
        site=site, foreign_site=foreign, ids={"site": _records(site, None), "foreign": _records(foreign, None)}
    )


# (url name, extra kwargs keys, what the role needs)
PAGES: list[tuple[str, tuple[str, ...], str]] = [
    ("site_overview", (), "view"),
    ("site_pathway", (), "view"),
    ("criterion_detail", ("criterion_id",), "view"),
    ("site_timeline", (), "view"),
    ("evidence_add", ("criterion_id",), "work"),
    ("step_complete", ("number",), "run"),
    ("step_reopen", ("number",), "run"),
    ("step_due_date", ("number",), "run"),
    ("site_edit", (), "run"),
    ("funding_line_add", (), "run"),
    ("people_list", (), "view"),
    ("people_csv", (), "view"),
    ("person_detail", ("person_id",), "view"),
    ("person_create", (), "work"),
    ("person_edit", ("person_id",), "work"),
    ("consent_record", ("person_id",), "work"),
    ("organisation_list", (), "view"),
    ("organisation_csv", (), "view"),
    ("organisation_detail", ("organisation_id",), "view"),
    ("organisation_create", (), "work"),
    ("organisation_edit", ("organisation_id",), "work"),
    ("group_list", (), "view"),
    ("group_csv", (), "view"),
    ("group_detail", ("group_id",), "view"),
    ("group_create", (), "work"),
    ("group_edit", ("group_id",), "work"),
    ("membership_add", ("group_id",), "work"),
]

API_READS = ["", "/people", "/organisations", "/groups", "/pathway", "/timeline"]


def _url(name: str, keys: tuple[str, ...], site, ids: dict[str, int]) -> str:
    kwargs = {"slug": site.slug}
    for key in keys:
        kwargs[key] = 1 if key == "number" else ids[key]
    return reverse(name, kwargs=kwargs)


def _expected(role: str, need: str, own: bool) -> int:
    if not own:
        return 404
    return 200 if need in GRANTS[role] else 403


@pytest.mark.parametrize("role", ROLES)
def test_pages_obey_the_matrix(client, world, role):
    user = user_with_role(role, world.site, programme=world.site.programme)
    client.force_login(user)
    failures = []
    for own, site, ids in ((True, world.site, world.ids["site"]), (False, world.foreign_site, world.ids["foreign"])):
        for name, keys, need in PAGES:
            url = _url(name, keys, site, ids)
            got = client.get(url).status_code
            want = _expected(role, need, own)
            if got != want:
                failures.append(f"{role} GET {url} ({'own' if own else 'other'} site): {got}, expected {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_programme_level_pages(client, world, role):
    user = user_with_role(role, world.site, programme=world.site.programme)
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    audit = client.get(reverse("audit_log")).status_code
    assert audit == (200 if role == Role.PROGRAMME_ADMIN else 403)
    create = client.get(reverse("site_create", args=[world.site.programme.slug])).status_code
    assert create == (200 if role == Role.PROGRAMME_ADMIN else 404)
    # nobody here administers the other programme
    assert client.get(reverse("site_create", args=[world.foreign_site.programme.slug])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_lists_only_my_sites(client, world, role):
    client.force_login(user_with_role(role, world.site, programme=world.site.programme))
    page = client.get(reverse("dashboard")).content.decode()
    assert world.site.name in page and world.foreign_site.name not in page


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for name, keys, _ in PAGES:
        response = client.get(_url(name, keys, world.site, world.ids["site"]))
        assert response.status_code == 302 and "/account/login/" in response["Location"], name
    assert client.get("/api/v1/sites").status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_api_obeys_the_matrix(client, world, role):
    user = user_with_role(role, world.site, programme=world.site.programme)
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    failures = []
    listed = [s["slug"] for s in client.get("/api/v1/sites", **auth).json()]
    if listed != [world.site.slug]:
        failures.append(f"{role} /api/v1/sites lists {listed}")
    for own, site, ids in ((True, world.site, world.ids["site"]), (False, world.foreign_site, world.ids["foreign"])):
        for suffix in API_READS:
            url = f"/api/v1/sites/{site.slug}{suffix}"
            got = client.get(url, **auth).status_code
            want = 200 if own else 404
            if got != want:
                failures.append(f"{role} GET {url}: {got}, expected {want}")
        evidence_url = f"/api/v1/sites/{site.slug}/pathway/criteria/{ids['criterion_id']}/evidence"
        got = client.post(
            evidence_url,
            json.dumps({"kind": "note", "summary": "Seen", "note": "At the workshop"}),
            content_type="application/json",
            **auth,
        ).status_code
        want = (201 if "work" in GRANTS[role] else 403) if own else 404
        if got != want:
            failures.append(f"{role} POST {evidence_url}: {got}, expected {want}")
        complete_url = f"/api/v1/sites/{site.slug}/pathway/steps/2/complete"
        got = client.post(complete_url, json.dumps({}), content_type="application/json", **auth).status_code
        want = (409 if "run" in GRANTS[role] else 403) if own else 404
        if got != want:
            failures.append(f"{role} POST {complete_url}: {got}, expected {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.RESEARCHER])
def test_read_only_roles_change_nothing_by_post(client, world, role):
    user = user_with_role(role, world.site, programme=world.site.programme)
    client.force_login(user)
    ids = world.ids["site"]
    before = world.site.evidence.count(), world.site.people.count()
    for name, keys, need in PAGES:
        if need == "view":
            continue
        assert client.post(_url(name, keys, world.site, ids), {"name": "x", "summary": "x"}).status_code == 403, name
    assert (world.site.evidence.count(), world.site.people.count()) == before


def test_a_person_in_two_sites_shows_only_the_viewed_sites_groups(client, world, programme):
    """A resident in Southchurch and Beacon: Beacon's facilitator never sees Southchurch's groups."""
    beacon = make_site(programme=programme, name="Beacon", slug="beacon", lsoa_codes=("E01018806",))
    person_id = world.ids["site"]["person_id"]
    from c2hub.people.models import Person

    person = Person.objects.get(pk=person_id)
    people_services.person_add_to_site(actor=None, site=beacon, person=person)
    facilitator = user_with_role(Role.FACILITATOR, beacon)
    client.force_login(facilitator)
    page = client.get(reverse("person_detail", args=[beacon.slug, person_id])).content.decode()
    assert "Steering network of southchurch" not in page
    api = client.get(f"/api/v1/sites/{beacon.slug}/people").json()
    assert all(not m.get("memberships") for m in api["items"]) or "southchurch" not in json.dumps(api)
    # and Southchurch's pages are not reachable for Beacon's facilitator at all
    assert client.get(reverse("person_detail", args=[world.site.slug, person_id])).status_code == 404
