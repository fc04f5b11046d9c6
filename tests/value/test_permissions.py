"""The value-for-money permission matrix: 5 roles × their own site (programme) or another
programme's × every page and API endpoint.

Expected: allowed → 200 (a redirect or 201 for a write); another programme's site or library → 404;
a role lacking the permission → 403; signed out → the sign-in page or 401.
The library is the programme's: everyone in one of its sites reads it, only programme admins change
it. Everyone with a role reads a site's scenarios; those who run the site and researchers compute.
"""

from __future__ import annotations

import json

import pytest

from c2hub.accounts.models import ApiToken, Role
from c2hub.value import services
from tests.factories import ProgrammeFactory, make_site, user_with_role
from tests.value.conftest import payload

pytestmark = pytest.mark.django_db

CHANGE_COSTS = {Role.PROGRAMME_ADMIN}
RUN = {Role.PROGRAMME_ADMIN, Role.FACILITATOR, Role.RESEARCHER}
ROLES = [Role.PROGRAMME_ADMIN, Role.FACILITATOR, Role.PARTNERSHIP_MEMBER, Role.COMMISSIONER, Role.RESEARCHER]


@pytest.fixture
def world(site):
    foreign_programme = ProgrammeFactory(slug="kent", name="Kent")
    foreign = make_site(programme=foreign_programme, name="Cliftonville", slug="cliftonville")
    ids = {}
    for s in (site, foreign):
        cost = services.home_office_costs_load(actor=None, programme=s.programme)[0]
        scenario = services.scenario_save(actor=None, site=s, title="Demo", data=payload(cost.pk))
        ids[s.slug] = {"cost": cost.pk, "scenario": scenario.pk}
    return site, foreign, ids


def _form(cost_id: int) -> dict[str, str]:
    data = {"o1_label": "Robbery", "o1_effect": "-12", "o1_unit_cost": str(cost_id), "horizon_years": "5",
            "first_year": "2013", "benefits_start_year": "2013", "discount_rate_percent": "3.5", "action": "compute"}
    for name in ("deadweight", "attribution", "displacement", "drop_off", "optimism_bias"):
        for case in ("low", "central", "high"):
            data[f"{name}_{case}"] = "50" if name == "attribution" else "10"
    return data


@pytest.mark.parametrize("role", ROLES)
def test_pages_obey_the_matrix(client, world, role):
    site, foreign, ids = world
    client.force_login(user_with_role(role, site, programme=site.programme))
    failures = []

    def check(method: str, url: str, want: int, data: dict | None = None) -> None:
        got = client.post(url, data or {}).status_code if method == "post" else client.get(url).status_code
        if got != want:
            failures.append(f"{role} {method} {url}: {got}, expected {want}")

    for own, s in ((True, site), (False, foreign)):
        i = ids[s.slug]
        prog = s.programme.slug
        read = 200 if own else 404

        def write(ok: int, allowed: set[str], own: bool = own) -> int:
            return (ok if role in allowed else 403) if own else 404

        check("get", f"/programmes/{prog}/unit-costs/", read)
        check("get", f"/programmes/{prog}/unit-costs/export.csv", read)
        check("get", f"/programmes/{prog}/unit-costs/new/", write(200, CHANGE_COSTS))
        check("get", f"/programmes/{prog}/unit-costs/{i['cost']}/edit/", write(200, CHANGE_COSTS))
        check("get", f"/programmes/{prog}/unit-costs/import/", write(200, CHANGE_COSTS))
        check("post", f"/programmes/{prog}/unit-costs/home-office/", write(302, CHANGE_COSTS))
        check("get", f"/sites/{s.slug}/value-for-money/", read)
        check("get", f"/sites/{s.slug}/value-for-money/scenarios/{i['scenario']}/", read)
        check("get", f"/sites/{s.slug}/value-for-money/scenarios/{i['scenario']}/export.csv", read)
        check("post", f"/sites/{s.slug}/value-for-money/", write(200, RUN), _form(i["cost"]))
    assert not failures, "\n".join(failures)


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    site, _foreign, ids = world
    for url in (f"/programmes/{site.programme.slug}/unit-costs/", f"/sites/{site.slug}/value-for-money/"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert client.get(f"/api/v1/sites/{site.slug}/value-for-money/scenarios").status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_api_obeys_the_matrix(client, world, role):
    site, foreign, ids = world
    user = user_with_role(role, site, programme=site.programme)
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    failures = []

    def check(method: str, url: str, body: object, want: int) -> None:
        if body is None:
            got = client.get(url, **auth)
        else:
            got = client.post(url, json.dumps(body), content_type="application/json", **auth)
        if got.status_code != want:
            failures.append(f"{role} {method} {url}: {got.status_code}, expected {want}: {got.content[:200]}")

    for own, s in ((True, site), (False, foreign)):
        i = ids[s.slug]
        read = 200 if own else 404

        def write(ok: int, allowed: set[str], own: bool = own) -> int:
            return (ok if role in allowed else 403) if own else 404

        check("get", f"/api/v1/programmes/{s.programme.slug}/unit-costs", None, read)
        check("post", f"/api/v1/programmes/{s.programme.slug}/unit-costs", {
            "name": f"New {role}", "cost_of": "x", "amount": 10, "source_citation": "s", "source_year": 2020,
            "price_base_year": 2020, "licence": "l", "shares": {"police": 100}}, write(201, CHANGE_COSTS))
        check("post", f"/api/v1/sites/{s.slug}/value-for-money", payload(i["cost"]), write(200, RUN))
        check("get", f"/api/v1/sites/{s.slug}/value-for-money/scenarios", None, read)
        check("get", f"/api/v1/sites/{s.slug}/value-for-money/scenarios/{i['scenario']}", None, read)
    assert not failures, "\n".join(failures)
