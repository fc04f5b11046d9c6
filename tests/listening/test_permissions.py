"""The listening event's permission matrix: 5 roles × their own site or another programme's site ×
every listening page and API endpoint. Everyone with a role in the site reads; only the site's
team (programme admin, facilitator, partnership member) writes; other sites are 404; signed out is
the sign-in page (pages) or 401 (API). The public capture page needs no sign-in at all."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from c2hub.accounts.models import ApiToken, Role
from c2hub.listening import services
from c2hub.listening.models import Comment
from tests.factories import ProgrammeFactory, make_site, user_with_role
from tests.listening.conftest import make_listening

pytestmark = pytest.mark.django_db

WRITES = {Role.PROGRAMME_ADMIN, Role.FACILITATOR, Role.PARTNERSHIP_MEMBER}
ROLES = [Role.PROGRAMME_ADMIN, Role.FACILITATOR, Role.PARTNERSHIP_MEMBER, Role.COMMISSIONER, Role.RESEARCHER]

# (url name, needs the listening event id, what the role needs)
PAGES = [
    ("listening_list", False, "view"),
    ("listening_create", False, "change"),
    ("listening_detail", True, "view"),
    ("listening_comments", True, "view"),
    ("listening_themes", True, "view"),
    ("listening_votes", True, "view"),
    ("listening_report", True, "view"),
    ("listening_card", True, "change"),
    ("listening_csv", True, "change"),
    ("listening_settings", True, "change"),
]
POST_ONLY = ["listening_comments_add", "listening_capture_toggle"]


@dataclass
class World:
    site: object
    foreign_site: object
    ids: dict[str, dict[str, int]]


def _records(site) -> dict[str, int]:
    listening = make_listening(site, title=f"Listening in {site.slug}")
    comment, _ = services.comment_add(actor=None, listening=listening, text="More buses", participant="resident")
    theme = services.theme_create(actor=None, listening=listening, name="Transport")
    return {"listening_id": listening.pk, "comment_id": comment.pk, "theme_id": theme.pk}


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


def _url(name: str, with_id: bool, site, ids) -> str:
    return reverse(name, args=[site.slug, ids["listening_id"]] if with_id else [site.slug])


def _want(role: str, need: str, own: bool) -> int:
    if not own:
        return 404
    return 200 if need == "view" or role in WRITES else 403


@pytest.mark.parametrize("role", ROLES)
def test_pages_obey_the_matrix(client, world, role):
    client.force_login(user_with_role(role, world.site, programme=world.site.programme))
    failures = []
    for own, site, ids in ((True, world.site, world.ids["site"]), (False, world.foreign_site, world.ids["foreign"])):
        for name, with_id, need in PAGES:
            url = _url(name, with_id, site, ids)
            got, want = client.get(url).status_code, _want(role, need, own)
            if got != want:
                failures.append(f"{role} GET {url}: {got}, expected {want}")
        for name in POST_ONLY:
            url = _url(name, True, site, ids)
            got = client.post(url, {"lines": "x", "participant": "resident", "open": "1"}).status_code
            want = (302 if role in WRITES else 403) if own else 404
            if got != want:
                failures.append(f"{role} POST {url}: {got}, expected {want}")
        for name in ("listening_themes", "listening_votes"):
            url = _url(name, True, site, ids)
            got = client.post(url, {"action": "create", "name": "New"}).status_code
            want = (302 if role in WRITES else 403) if own else 404
            if name == "listening_votes" and own and role in WRITES:
                want = 400  # no dots entered: the form says so
            if got != want:
                failures.append(f"{role} POST {url}: {got}, expected {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.RESEARCHER])
def test_read_only_roles_change_nothing(client, world, role):
    client.force_login(user_with_role(role, world.site, programme=world.site.programme))
    ids = world.ids["site"]
    before = Comment.objects.count()
    for name in ("listening_card", "listening_csv", "listening_comments_add"):
        assert client.post(_url(name, True, world.site, ids), {"text": "x", "lines": "x"}).status_code == 403
    assert Comment.objects.count() == before


def test_signed_out(client, world):
    ids = world.ids["site"]
    for name, with_id, _ in PAGES:
        response = client.get(_url(name, with_id, world.site, ids))
        assert response.status_code == 302 and "/account/login/" in response["Location"], name
    assert client.get(f"/api/v1/listening-events/{ids['listening_id']}").status_code == 401


def _api(client, user):
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method: str, url: str, body: dict | None = None) -> int:
        fn = getattr(client, method)
        if body is None:
            return fn(url, **auth).status_code
        return fn(url, json.dumps(body), content_type="application/json", **auth).status_code

    return call


@pytest.mark.parametrize("role", ROLES)
def test_api_obeys_the_matrix(client, world, role):
    call = _api(client, user_with_role(role, world.site, programme=world.site.programme))
    failures = []
    for own, site, ids in ((True, world.site, world.ids["site"]), (False, world.foreign_site, world.ids["foreign"])):
        base = f"/api/v1/listening-events/{ids['listening_id']}"
        reads = [
            f"/api/v1/sites/{site.slug}/listening-events",
            base,
            base + "/comments",
            base + "/themes",
            base + "/votes",
            base + "/report?format=html",
        ]
        for url in reads:
            got, want = call("get", url), 200 if own else 404
            if got != want:
                failures.append(f"{role} GET {url}: {got}, expected {want}")
        writes = [
            ("post", f"/api/v1/sites/{site.slug}/listening-events", {"title": "Another", "held_on": "2014-01-18"}, 201),
            ("post", base + "/comments", {"text": "Speeding on the hill", "participant": "resident"}, 201),
            ("post", base + "/themes", {"name": "Roads"}, 201),
            ("patch", f"{base}/themes/{ids['theme_id']}", {"name": "Buses"}, 200),
            ("post", base + "/votes", {"theme_id": ids["theme_id"], "participant": "resident", "dots": 2}, 201),
            ("patch", base, {"capture_open": True}, 200),
        ]
        for method, url, body, ok in writes:
            got = call(method, url, body)
            want = (ok if role in WRITES else 403) if own else 404
            if got != want:
                failures.append(f"{role} {method.upper()} {url}: {got}, expected {want}")
    assert not failures, "\n".join(failures)


def test_names_are_shown_only_to_the_team(client, world):
    site, ids = world.site, world.ids["site"]
    listening = make_listening(site, title="Named")
    services.comment_add(
        actor=None, listening=listening, text="Hi", participant="resident", given_name="Jo", name_consent=True
    )
    url = f"/api/v1/listening-events/{listening.pk}/comments"
    for role, shown in ((Role.FACILITATOR, "Jo"), (Role.COMMISSIONER, None), (Role.RESEARCHER, None)):
        client.force_login(user_with_role(role, site, programme=site.programme))
        assert client.get(url).json()["items"][0]["given_name"] == shown, role
    assert ids  # the world's own records are untouched
