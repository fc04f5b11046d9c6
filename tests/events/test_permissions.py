"""The events permission matrix: 5 roles × their own site or another programme's site × every
events page and API endpoint, reads and writes.

Expected answers: allowed → 200 (or a redirect / 201 for a write); a site the user does not
belong to → 404; a site they belong to but an action their role lacks → 403; signed out → the
sign-in page (pages) or 401 (API). Commissioners and researchers read; the site's team writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from c2hub.accounts.models import ApiToken, Role
from c2hub.events import services
from c2hub.events.models import Attendance, Event, EventKind, EventStatus
from c2hub.people.models import GroupKind, GroupMembership, MembershipRole, OrganisationKind
from c2hub.programmes.models import Evidence
from tests.events.conftest import days_ago, png_upload
from tests.factories import (
    GroupFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    make_site,
    user_with_role,
)
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
    person = PersonFactory(programme=site.programme, name=f"Resident of {site.slug}", sites=[site])
    org = OrganisationFactory(programme=site.programme, name=f"Police at {site.slug}", kind=OrganisationKind.POLICE)
    org.sites.add(site)
    workshop = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.ENGAGEMENT_WORKSHOP,
        title="Workshop",
        starts_at=days_ago(30),
        status=EventStatus.HELD,
    )
    meeting = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="Meeting",
        starts_at=days_ago(40),
        status=EventStatus.HELD,
    )
    next_meeting = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="Next",
        starts_at=days_ago(10),
        status=EventStatus.HELD,
    )
    services.minutes_save(actor=None, event=meeting, agenda="1. Welcome", text="We met.")
    services.minutes_approve(actor=None, event=meeting, at_meeting=next_meeting)
    walkabout = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.WALKABOUT,
        title="Walkabout",
        starts_at=days_ago(20),
        status=EventStatus.HELD,
    )
    finding = services.finding_add(actor=None, event=walkabout, kind="asset", title="Garden", photo=png_upload())
    cohort = GroupFactory(site=site, kind=GroupKind.LEARNING_COHORT, wave=1)
    learner = GroupMembership.objects.create(group=cohort, person=person, role=MembershipRole.LEARNER)
    return {
        "person_id": person.pk,
        "organisation_id": org.pk,
        "event_id": workshop.pk,
        "meeting_id": meeting.pk,
        "next_meeting_id": next_meeting.pk,
        "walkabout_id": walkabout.pk,
        "finding_id": finding.pk,
        "membership_id": learner.pk,
        "criterion_id": site.pathway_model.steps.get(number=2).criteria.get(key="workshops-held").pk,
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


# (url name, kwargs from ids: name → id key, what the role needs)
PAGES: list[tuple[str, dict[str, str], str]] = [
    ("event_list", {}, "view"),
    ("event_detail", {"event_id": "event_id"}, "view"),
    ("minutes", {"event_id": "meeting_id"}, "view"),
    ("finding_photo", {"event_id": "walkabout_id", "finding_id": "finding_id"}, "view"),
    ("learning_programme", {}, "view"),
    ("event_create", {}, "work"),
    ("event_edit", {"event_id": "event_id"}, "work"),
    ("head_counts", {"event_id": "event_id"}, "work"),
    ("minutes_approve", {"event_id": "meeting_id"}, "work"),
    ("finding_add", {"event_id": "walkabout_id"}, "work"),
]

# (url name, kwargs, form data from ids)
WRITES: list[tuple[str, dict[str, str], dict[str, str]]] = [
    ("event_status", {"event_id": "event_id"}, {"status": "planned"}),
    ("attendance_add", {"event_id": "event_id"}, {"person": "person_id"}),
    ("head_counts", {"event_id": "event_id"}, {"resident__26-64": "7"}),
    ("event_evidence", {"event_id": "event_id"}, {"criterion": "criterion_id"}),
    ("minutes", {"event_id": "next_meeting_id"}, {"agenda": "1. Welcome", "text": "Draft minutes"}),
    ("minutes_publication", {"event_id": "meeting_id"}, {"publication": "published"}),
    ("learner_completion", {"membership_id": "membership_id"}, {"completed_on": "2020-01-01"}),
    ("finding_evidence", {"event_id": "walkabout_id", "finding_id": "finding_id"}, {"criterion": "criterion_id"}),
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
    site_ids = world.ids["site"]
    wrote = Attendance.objects.filter(event_id=site_ids["event_id"]).exists()
    assert wrote == ("work" in GRANTS[role])
    assert Evidence.objects.filter(site=world.site).exists() == ("work" in GRANTS[role])
    # Nothing was ever written in the other programme's site.
    assert not Attendance.objects.filter(event__site=world.foreign_site).exists()
    assert not Evidence.objects.filter(site=world.foreign_site).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for name, keys, _ in PAGES:
        response = client.get(url_for(name, keys, world.site, world.ids["site"]))
        assert response.status_code == 302 and "/account/login/" in response["Location"], name
    assert client.get(f"/api/v1/sites/{world.site.slug}/events").status_code == 401
    assert client.get(f"/api/v1/events/{world.ids['site']['event_id']}").status_code == 401


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
        kwargs = {"content_type": "application/json", **auth}
        got = call(url, json.dumps(body), **kwargs) if body is not None else call(url, **auth)
        if got.status_code != want:
            failures.append(f"{role} {method.upper()} {url}: {got.status_code}, expected {want}: {got.content[:200]}")

    for own, site, ids in ((True, world.site, world.ids["site"]), (False, world.foreign_site, world.ids["foreign"])):
        event = ids["event_id"]
        read = 200 if own else 404

        def write(ok: int, own: bool = own) -> int:
            return (ok if allowed else 403) if own else 404

        check("get", f"/api/v1/sites/{site.slug}/events", None, read)
        check("get", f"/api/v1/events/{event}", None, read)
        check("get", f"/api/v1/events/{event}/attendance", None, read)
        check(
            "post",
            f"/api/v1/sites/{site.slug}/events",
            {"kind": "training", "title": "Training", "starts_at": "2020-05-01T10:00:00+01:00"},
            write(201),
        )
        check("patch", f"/api/v1/events/{event}", {"title": "Renamed"}, write(200))
        check("post", f"/api/v1/events/{event}/attendance", {"person_id": ids["person_id"]}, write(201))
        check(
            "put",
            f"/api/v1/events/{event}/head-counts",
            {"counts": [{"participant": "resident", "age_band": "26-64", "count": 4}]},
            write(200),
        )
        check("post", f"/api/v1/events/{event}/evidence", {"criterion": "workshops-held"}, write(201))
    assert not failures, "\n".join(failures)
    assert Event.objects.filter(site=world.foreign_site, title="Renamed").count() == 0


def test_a_facilitator_cannot_reach_another_sites_event_through_their_own_site(client, world, programme):
    """Beacon (same programme) may not read or attach Southchurch's event by putting its id in
    Beacon's address."""
    beacon = make_site(programme=programme, name="Beacon", slug="beacon", lsoa_codes=("E01018806",))
    client.force_login(user_with_role(Role.FACILITATOR, beacon))
    event_id = world.ids["site"]["event_id"]
    assert client.get(reverse("event_detail", args=[beacon.slug, event_id])).status_code == 404
    assert client.post(reverse("attendance_add", args=[beacon.slug, event_id]), {"person": "1"}).status_code == 404
    assert client.get(reverse("event_detail", args=[world.site.slug, event_id])).status_code == 404


def test_commissioner_reads_only_published_minutes(client, world):
    client.force_login(user_with_role(Role.COMMISSIONER, world.site))
    url = reverse("minutes", args=[world.site.slug, world.ids["site"]["meeting_id"]])
    page = client.get(url).content.decode()
    assert "We met." not in page and "have not been published" in page
    services.minutes_publish(actor=None, event=Event.objects.get(pk=world.ids["site"]["meeting_id"]))
    assert "We met." in client.get(url).content.decode()
    assert client.post(url, {"agenda": "x", "text": "y"}).status_code == 403
