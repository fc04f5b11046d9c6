"""The wins permission matrix: 5 roles × their own site or another programme's site × every wins
and funding-bid page and API endpoint, reads and writes.

Allowed → 200 (or a redirect / 201 for a write); a site the user does not belong to → 404; a site
they belong to but an action their role lacks → 403; signed out → the sign-in page or 401.
Commissioners and researchers read; the site's team writes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from c2hub.accounts.models import ApiToken, Role
from c2hub.programmes.models import Evidence
from c2hub.wins import services
from c2hub.wins.models import BidStatus, FundingBid, Win, WinKind
from tests.factories import ProgrammeFactory, make_site, user_with_role
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
    win = services.win_create(
        actor=None,
        site=site,
        kind=WinKind.AWARD,
        title="Award",
        won_on=dt.date(2013, 5, 1),
        evidence_file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 award letter"),
    )
    bid = services.bid_create(
        actor=None,
        site=site,
        purpose="Youth club",
        amount_asked=Decimal("1000"),
        funder_name="Lottery",
        status=BidStatus.AWARDED,
        submitted_on=dt.date(2013, 1, 1),
        decided_on=dt.date(2013, 3, 1),
        amount_awarded=Decimal("1000"),
    )
    return {
        "win_id": win.pk,
        "bid_id": bid.pk,
        "criterion_id": site.pathway_model.steps.get(number=5).criteria.get(key="wins-celebrated").pk,
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
    ("win_list", {}, "view"),
    ("win_detail", {"win_id": "win_id"}, "view"),
    ("win_file", {"win_id": "win_id"}, "view"),
    ("bid_list", {}, "view"),
    ("win_create", {}, "work"),
    ("win_edit", {"win_id": "win_id"}, "work"),
    ("bid_create", {}, "work"),
    ("bid_edit", {"bid_id": "bid_id"}, "work"),
]

WRITES: list[tuple[str, dict[str, str], dict[str, str]]] = [
    ("win_create", {}, {"kind": "media", "title": "In the paper", "won_on": "2013-06-01", "media_outlet": "Echo"}),
    ("win_evidence", {"win_id": "win_id"}, {"criterion": "criterion_id"}),
    (
        "bid_create",
        {},
        {"purpose": "Minibus", "amount_asked": "900", "funder_name": "Lottery", "status": "drafting"},
    ),
    (
        "bid_edit",
        {"bid_id": "bid_id"},
        {
            "purpose": "Youth club",
            "amount_asked": "1000",
            "funder_name": "Lottery",
            "status": "awarded",
            "submitted_on": "2013-01-01",
            "decided_on": "2013-03-01",
            "amount_awarded": "1000",
        },
    ),
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
    assert Win.objects.filter(site=world.site, title="In the paper").exists() == allowed
    assert FundingBid.objects.filter(site=world.site, purpose="Minibus").exists() == allowed
    assert Evidence.objects.filter(site=world.site).exists() == allowed
    assert not Win.objects.filter(site=world.foreign_site, title="In the paper").exists()
    assert not Evidence.objects.filter(site=world.foreign_site).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for name, keys, _ in PAGES:
        response = client.get(url_for(name, keys, world.site, world.ids["site"]))
        assert response.status_code == 302 and "/account/login/" in response["Location"], name
    assert client.get(f"/api/v1/sites/{world.site.slug}/wins").status_code == 401
    assert client.get(f"/api/v1/sites/{world.site.slug}/funding-bids").status_code == 401


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
        got = call(url, json.dumps(body), content_type="application/json", **auth) if body else call(url, **auth)
        if got.status_code != want:
            failures.append(f"{role} {method.upper()} {url}: {got.status_code}, expected {want}: {got.content[:200]}")

    for own, site in ((True, world.site), (False, world.foreign_site)):
        read = 200 if own else 404
        write = (201 if allowed else 403) if own else 404
        check("get", f"/api/v1/sites/{site.slug}/wins", None, read)
        check("get", f"/api/v1/sites/{site.slug}/funding-bids", None, read)
        check(
            "post",
            f"/api/v1/sites/{site.slug}/wins",
            {"kind": "award", "title": "Award", "won_on": "2013-04-01"},
            write,
        )
        check(
            "post",
            f"/api/v1/sites/{site.slug}/funding-bids",
            {"purpose": "Bikes", "amount_asked": "300", "funder_name": "Lottery"},
            write,
        )
    assert not failures, "\n".join(failures)


def test_a_facilitator_cannot_reach_another_sites_win_through_their_own_site(client, world, programme):
    beacon = make_site(programme=programme, name="Beacon", slug="beacon", lsoa_codes=("E01018806",))
    client.force_login(user_with_role(Role.FACILITATOR, beacon))
    win_id = world.ids["site"]["win_id"]
    assert client.get(reverse("win_detail", args=[beacon.slug, win_id])).status_code == 404
    assert client.get(reverse("win_file", args=[beacon.slug, win_id])).status_code == 404
    assert client.post(reverse("win_evidence", args=[beacon.slug, win_id]), {"criterion": "1"}).status_code == 404
    assert client.get(reverse("bid_edit", args=[beacon.slug, world.ids["site"]["bid_id"]])).status_code == 404
