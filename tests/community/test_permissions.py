"""The community groups permission matrix: 5 roles × their own site or another programme's site ×
every groups, coverage and volunteering page and API endpoint, reads and writes.

Allowed → 200 (or a redirect for a write); a site the user does not belong to → 404; a site they
belong to but an action their role lacks → 403; signed out → the sign-in page or 401.
Commissioners and researchers read; the site's team writes; only facilitators and programme
admins set the value of an hour of volunteering.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from c2hub.accounts.models import ApiToken, Role
from c2hub.community import services
from c2hub.community.models import CommunityGroup, Participation, VolunteeringValue
from c2hub.programmes.models import Evidence
from tests.factories import ProgrammeFactory, make_site, user_with_role
from tests.matrix import form_data, page_failures, url_for

pytestmark = pytest.mark.django_db

GRANTS: dict[str, set[str]] = {
    Role.PROGRAMME_ADMIN: {"view", "work", "value"},
    Role.FACILITATOR: {"view", "work", "value"},
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
    group = services.group_create(
        actor=None, site=site, name="TR14ers", founded_on=dt.date(2008, 8, 1), age_groups=["11-15"]
    )
    services.participation_set(actor=None, group=group, month=dt.date(2009, 1, 1), participants=20)
    steps = site.pathway_model.steps
    return {
        "group_id": group.pk,
        "criterion_id": steps.get(number=6).criteria.get(key="new-groups-all-ages").pk,
        "health_id": steps.get(number=6).criteria.get(key="health-priorities-targeted").pk,
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
    ("community_group_list", {}, "view"),
    ("community_group_detail", {"group_id": "group_id"}, "view"),
    ("community_coverage", {}, "view"),
    ("community_group_create", {}, "work"),
    ("community_group_edit", {"group_id": "group_id"}, "work"),
    ("volunteering_value", {}, "value"),
]

WRITES: list[tuple[str, dict[str, str], dict[str, str], str]] = [
    ("community_group_create", {}, {"name": "Lunch club", "kind": "club", "involvement": "started"}, "work"),
    (
        "participation_save",
        {"group_id": "group_id"},
        {
            "row_count": "1",
            "rows-0-month": "2009-02",
            "rows-0-participants": "25",
            "rows-0-volunteers": "2",
            "rows-0-volunteer_hours": "6",
        },
        "work",
    ),
    ("community_group_evidence", {"group_id": "group_id"}, {"criterion": "health_id"}, "work"),
    ("community_coverage_evidence", {}, {"criterion": "criterion_id"}, "work"),
    ("volunteering_value", {}, {"per_hour": "12.21", "basis": "National Living Wage"}, "value"),
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
        for name, keys, form, need in WRITES:
            url = url_for(name, keys, site, ids)
            got = client.post(url, form_data(form, ids)).status_code
            allowed = need in GRANTS[role]
            ok = got in (200, 302) if (own and allowed) else got == (403 if own else 404)
            if not ok:
                failures.append(f"{role} POST {url} ({'own' if own else 'other'} site): {got}")
    assert not failures, "\n".join(failures)
    works = "work" in GRANTS[role]
    assert CommunityGroup.objects.filter(site=world.site, name="Lunch club").exists() == works
    assert Participation.objects.filter(group__site=world.site, month=dt.date(2009, 2, 1)).exists() == works
    assert Evidence.objects.filter(site=world.site).count() == (2 if works else 0)
    assert VolunteeringValue.objects.filter(site=world.site).exists() == ("value" in GRANTS[role])
    assert not CommunityGroup.objects.filter(site=world.foreign_site, name="Lunch club").exists()
    assert not Evidence.objects.filter(site=world.foreign_site).exists()
    assert not VolunteeringValue.objects.filter(site=world.foreign_site).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for name, keys, _ in PAGES:
        response = client.get(url_for(name, keys, world.site, world.ids["site"]))
        assert response.status_code == 302 and "/account/login/" in response["Location"], name
    assert client.get(f"/api/v1/sites/{world.site.slug}/community-groups").status_code == 401
    assert client.get(f"/api/v1/sites/{world.site.slug}/coverage").status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_api_obeys_the_matrix(client, world, role):
    user = user_with_role(role, world.site, programme=world.site.programme)
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for own, site in ((True, world.site), (False, world.foreign_site)):
        for path in ("community-groups", "coverage"):
            got = client.get(f"/api/v1/sites/{site.slug}/{path}", **auth)
            assert got.status_code == (200 if own else 404), (role, path, got.content[:200])
            assert "detail" in json.loads(got.content) if not own else True


def test_a_facilitator_cannot_reach_another_sites_group_through_their_own_site(client, world, programme):
    beacon = make_site(programme=programme, name="Beacon", slug="beacon", lsoa_codes=("E01018806",))
    client.force_login(user_with_role(Role.FACILITATOR, beacon))
    group_id = world.ids["site"]["group_id"]
    assert client.get(reverse("community_group_detail", args=[beacon.slug, group_id])).status_code == 404
    assert (
        client.post(reverse("participation_save", args=[beacon.slug, group_id]), {"row_count": "1"}).status_code == 404
    )
