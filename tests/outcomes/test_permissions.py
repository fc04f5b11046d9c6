"""The outcomes permission matrix: 5 roles × their own site or another programme's site × every
outcomes page and API endpoint. Allowed → 200 (or the redirect/202 of a write); a site the user
does not belong to → 404; an action the role lacks → 403. Commissioners get suppressed numbers.

Rules (c2hub/accounts/rules.py): outcomes.view_indicators — every site role;
outcomes.change_geography — facilitators and programme admins; outcomes.run_evaluation —
facilitators, programme admins and researchers.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from c2hub.accounts.models import ApiToken, Role
from c2hub.outcomes import services
from tests.factories import ProgrammeFactory, make_site, user_with_role

pytestmark = pytest.mark.django_db

GRANTS: dict[str, set[str]] = {
    Role.PROGRAMME_ADMIN: {"view", "change", "run"},
    Role.FACILITATOR: {"view", "change", "run"},
    Role.PARTNERSHIP_MEMBER: {"view"},
    Role.COMMISSIONER: {"view"},
    Role.RESEARCHER: {"view", "run"},
}
ROLES = list(GRANTS)

PAGES = [  # (url name, extra args, permission needed)
    ("site_outcomes", (), "view"),
    ("site_comparison_areas", (), "view"),
    ("site_area_changes", (), "view"),
    ("site_evaluations", (), "view"),
    ("site_evaluation", ("run",), "view"),
    ("site_geography", (), "change"),
]


@pytest.fixture
def sites(programme, camborne):
    services.comparison_suggest(actor=None, site=camborne)
    services.comparison_accept_all(actor=None, site=camborne)
    foreign = make_site(programme=ProgrammeFactory(name="Another", slug="another"), name="Elsewhere",
                        slug="elsewhere", lsoa_codes=("E01015814",))
    runs = {
        s.slug: services.evaluation_request(actor=None, site=s, treatment_start=dt.date(2024, 3, 1), enqueue=False)
        for s in [camborne]
    }
    return camborne, foreign, runs


def _expected(role: str, need: str, own: bool) -> int:
    if not own:
        return 404
    return 200 if need in GRANTS[role] else 403


def _args(site, extra, runs) -> list:
    return [site.slug] + [runs.get(site.slug).pk if runs.get(site.slug) else 1 for _ in extra]


@pytest.mark.parametrize("role", ROLES)
def test_pages_obey_the_matrix(client, sites, role):
    own, foreign, runs = sites
    client.force_login(user_with_role(role, own))
    for name, extra, need in PAGES:
        for site, is_own in ((own, True), (foreign, False)):
            got = client.get(reverse(name, args=_args(site, extra, runs))).status_code
            assert got == _expected(role, need, is_own), (name, site.slug, got)
    # CSV of a chart: like the page.
    assert client.get(reverse("site_outcomes_csv", args=[own.slug, "crime-rate"])).status_code == 200
    assert client.get(reverse("site_outcomes_csv", args=[foreign.slug, "crime-rate"])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_writes_obey_the_matrix(client, sites, role):
    own, _, _ = sites
    client.force_login(user_with_role(role, own))
    can_change = "change" in GRANTS[role]
    response = client.post(reverse("site_area_changes", args=[own.slug]),
                           {"title": "New bus route", "starts_on": "2024-02-01"})
    assert response.status_code == (302 if can_change else 403)
    response = client.post(reverse("site_comparison_areas", args=[own.slug]), {"action": "suggest"})
    assert response.status_code == (302 if can_change else 403)
    response = client.post(reverse("site_evaluations", args=[own.slug]),
                           {"method": "did", "treatment_start": "2024-03-01"})
    assert response.status_code == (302 if "run" in GRANTS[role] else 403)


def _token(user) -> dict[str, str]:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key), hint=key[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("role", ROLES)
def test_api_obeys_the_matrix(client, sites, role):
    own, foreign, runs = sites
    auth = _token(user_with_role(role, own))
    for site, is_own in ((own, True), (foreign, False)):
        got = client.get(f"/api/v1/sites/{site.slug}/indicators?indicator=crime", **auth)
        assert got.status_code == _expected(role, "view", is_own), got.content
        run_id = runs[own.slug].pk
        got = client.get(f"/api/v1/sites/{site.slug}/evaluations/{run_id}", **auth)
        assert got.status_code == (_expected(role, "view", is_own) if is_own else 404)
        got = client.post(f"/api/v1/sites/{site.slug}/evaluations",
                          json.dumps({"treatment_start": "2024-03-01", "method": "did"}),
                          content_type="application/json", **auth)
        expected = _expected(role, "run", is_own)
        assert got.status_code == (202 if expected == 200 else expected), got.content


def test_commissioners_get_suppressed_numbers_and_the_team_exact_ones(client, sites):
    own, _, _ = sites
    exact = client.get(f"/api/v1/sites/{own.slug}/indicators?indicator=crime",
                       **_token(user_with_role(Role.FACILITATOR, own))).json()
    hidden = client.get(f"/api/v1/sites/{own.slug}/indicators?indicator=crime",
                        **_token(user_with_role(Role.COMMISSIONER, own))).json()
    assert not exact["suppressed"] and hidden["suppressed"]
    assert all(p["count"] is not None for p in exact["series"])
    pairs = list(zip(exact["series"], hidden["series"], strict=True))
    small = [(e, h) for e, h in pairs if 1 <= e["count"] < 5]
    assert small and all(h["count"] is None and h["label"] == "<5" for _, h in small)
    assert any(h["label"] == "[c]" for _, h in pairs)  # secondary suppression
    # Every number a commissioner is shown is the true one.
    assert all(h["count"] == e["count"] for e, h in pairs if h["count"] is not None)

    client.force_login(user_with_role(Role.COMMISSIONER, own))
    csv = b"".join(client.get(reverse("site_outcomes_csv", args=[own.slug, "crime-types"])).streaming_content)
    assert b"<5" in csv
