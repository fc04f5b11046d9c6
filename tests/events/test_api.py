"""The events API: answers, and bad input as 4xx JSON with a reason (never a 500)."""

from __future__ import annotations

import json

import pytest

from c2hub.accounts.models import ApiToken, Role
from c2hub.events import services
from c2hub.events.models import Event, EventKind, HeadCount
from c2hub.programmes.models import Evidence
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client, user) -> None:
        token = ApiToken.new_key()
        ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
        self.client, self.auth = client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def __call__(self, method: str, url: str, body: object = None, raw: str | None = None):
        call = getattr(self.client, method)
        if body is None and raw is None:
            return call("/api/v1" + url, **self.auth)
        data = raw if raw is not None else json.dumps(body)
        return call("/api/v1" + url, data, content_type="application/json", **self.auth)


@pytest.fixture
def api(client, facilitator):
    return Api(client, facilitator)


def test_create_read_patch_an_event(api, site, other_site, resident, police):
    created = api(
        "post",
        f"/sites/{site.slug}/events",
        {
            "kind": "exchange_visit",
            "title": "Visitors from Beacon",
            "starts_at": "2013-06-14T10:00:00+01:00",
            "status": "held",
            "exchange_direction": "hosted",
            "exchange_site": other_site.slug,
            "steps": [1],
            "organiser_ids": [resident.pk],
            "organiser_organisation_ids": [police.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["exchange_site"] == other_site.slug and body["organiser_ids"] == [resident.pk]
    event_id = body["id"]
    assert api("get", f"/events/{event_id}").json()["title"] == "Visitors from Beacon"
    patched = api("patch", f"/events/{event_id}", {"title": "Beacon and Redruth visit us", "status": "cancelled"})
    assert patched.status_code == 200 and patched.json()["status"] == "cancelled"
    listed = api("get", f"/sites/{site.slug}/events?kind=exchange_visit").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == event_id


def test_attendance_head_counts_and_evidence(api, site, workshop, resident, police):
    assert api("post", f"/events/{workshop.pk}/attendance", {"person_id": resident.pk}).status_code == 201
    assert api("post", f"/events/{workshop.pk}/attendance", {"organisation_id": police.pk}).status_code == 201
    put = api(
        "put",
        f"/events/{workshop.pk}/head-counts",
        {
            "counts": [
                {"participant": "resident", "age_band": "65+", "count": 9},
                {"participant": "provider", "count": 2},
            ]
        },
    )
    assert put.status_code == 200
    body = api("get", f"/events/{workshop.pk}/attendance").json()
    assert body["totals"] == {
        "total": 12,
        "residents": 10,
        "providers": 2,
        "named": 1,
        "counted": 11,
        "organisations": ["Essex Police"],
    }
    assert body["attendees"][0]["name"] == "Jo Whitfield"
    evidence = api("post", f"/events/{workshop.pk}/evidence", {"criterion": "workshops-held"})
    assert evidence.status_code == 201 and evidence.json()["step"] == 2
    assert Evidence.objects.get(pk=evidence.json()["id"]).record == workshop
    by_id = api("post", f"/events/{workshop.pk}/evidence", {"criterion": evidence.json()["criterion_id"]})
    assert by_id.status_code == 422 and "already evidence" in by_id.json()["detail"]


def test_researcher_sees_pseudonyms(client, site, workshop, resident):
    services.attendance_add(actor=None, event=workshop, person=resident)
    api = Api(client, user_with_role(Role.RESEARCHER, site))
    attendee = api("get", f"/events/{workshop.pk}/attendance").json()["attendees"][0]
    assert attendee["name"] != "Jo Whitfield" and attendee["name"].startswith("Person ")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"kind": "party", "title": "x", "starts_at": "2013-06-14T10:00:00Z"}, "kind"),
        ({"kind": "training", "title": "", "starts_at": "2013-06-14T10:00:00Z"}, "title"),
        ({"kind": "training", "title": "x" * 201, "starts_at": "2013-06-14T10:00:00Z"}, "title"),
        ({"kind": "training", "title": "x", "starts_at": "14/06/2013"}, "starts_at"),
        ({"kind": "training", "title": "x"}, "starts_at"),
        ({"kind": "training", "title": "x", "starts_at": "2013-06-14T10:00:00Z", "steps": [42]}, "steps"),
        ({"kind": "training", "title": "x\x00", "starts_at": "2013-06-14T10:00:00Z"}, "title"),
        (
            {"kind": "training", "title": "x", "starts_at": "2013-06-14T10:00:00Z", "organiser_ids": [10**20]},
            "organiser_ids",
        ),
        ({"kind": "exchange_visit", "title": "x", "starts_at": "2013-06-14T10:00:00Z"}, "exchange_direction"),
        (
            {
                "kind": "exchange_visit",
                "title": "x",
                "starts_at": "2013-06-14T10:00:00Z",
                "exchange_direction": "made",
                "exchange_site": "nowhere",
            },
            "exchange_site",
        ),
        ({"kind": "site_visit", "title": "x", "starts_at": "2013-06-14T10:00:00Z", "parent_id": 99999}, "parent"),
        ({"kind": "training", "title": "x", "starts_at": "2099-06-14T10:00:00Z", "status": "held"}, "status"),
        ({"kind": "training", "title": "x", "starts_at": "2013-06-14T10:00:00Z", "venue_kind": "elsewhere"}, "venue"),
    ],
)
def test_bad_events_are_refused_with_a_reason(api, site, body, where):
    response = api("post", f"/sites/{site.slug}/events", body)
    assert response.status_code in (400, 422), response.content
    assert where in response.json()["detail"]
    assert not Event.objects.filter(site=site).exists()


def test_bad_bodies(api, site, workshop):
    assert api("post", f"/sites/{site.slug}/events", raw="{not json").status_code == 400
    assert api("post", f"/sites/{site.slug}/events", raw="[1, 2]").status_code == 400
    assert api("patch", f"/events/{workshop.pk}", {"title": None}).status_code == 422
    assert api("get", "/events/0").status_code == 422
    assert api("get", f"/events/{2**63}").status_code == 422
    assert api("get", "/events/999999").status_code == 404


def test_attendance_refuses_another_sites_people(api, workshop, outsider):
    response = api("post", f"/events/{workshop.pk}/attendance", {"person_id": outsider.pk})
    assert response.status_code == 422 and "person_id" in response.json()["detail"]
    assert api("post", f"/events/{workshop.pk}/attendance", {}).status_code == 422


@pytest.mark.parametrize(
    "counts",
    [
        [{"participant": "resident", "count": -1}],
        [{"participant": "alien", "count": 1}],
        [{"participant": "resident", "age_band": "200+", "count": 1}],
        [{"participant": "resident", "count": 10**9}],
        [{"participant": "resident", "count": 1}, {"participant": "resident", "count": 2}],
        [{"participant": "resident", "count": "many"}],
    ],
)
def test_bad_head_counts(api, workshop, counts):
    services.head_counts_set(actor=None, event=workshop, counts={("resident", ""): 3})
    response = api("put", f"/events/{workshop.pk}/head-counts", {"counts": counts})
    assert response.status_code == 422 and response.json()["detail"]
    assert list(HeadCount.objects.filter(event=workshop).values_list("count", flat=True)) == [3]  # unchanged


@pytest.mark.parametrize("criterion", ["no-such-criterion", 999999, "", 10**30])
def test_bad_evidence_criterion(api, workshop, criterion):
    response = api("post", f"/events/{workshop.pk}/evidence", {"criterion": criterion})
    assert response.status_code == 422 and response.json()["detail"]
    assert not Evidence.objects.exists()


def test_patch_cannot_move_an_event_to_another_sites_cohort(api, site, other_site):
    from c2hub.people.models import GroupKind
    from tests.factories import GroupFactory

    theirs = GroupFactory(site=other_site, kind=GroupKind.LEARNING_COHORT, wave=1)
    event = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.RESIDENTIAL,
        title="Residential",
        starts_at=Event._meta.get_field("created_at").default(),
    )
    response = api("patch", f"/events/{event.pk}", {"cohort_id": theirs.pk})
    assert response.status_code == 422 and "cohort" in response.json()["detail"]


def _add_events(site, people, n: int) -> None:
    for i in range(n):
        event = services.event_create(
            actor=None,
            site=site,
            kind=EventKind.TRAINING,
            title=f"Training {i}",
            starts_at=Event._meta.get_field("created_at").default(),
            organisers=people,
        )
        for person in people:
            services.attendance_add(actor=None, event=event, person=person)


def test_list_and_attendance_run_a_fixed_number_of_queries(api, site, resident, officer, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _add_events(site, [resident, officer], 2)
    event = Event.objects.filter(site=site).first()
    with CaptureQueriesContext(connection) as few:
        assert api("get", f"/sites/{site.slug}/events").status_code == 200
    with CaptureQueriesContext(connection) as few_attendance:
        assert api("get", f"/events/{event.pk}/attendance").status_code == 200
    from tests.factories import PersonFactory

    more = [PersonFactory(programme=site.programme, sites=[site]) for _ in range(6)]
    _add_events(site, [resident, officer, *more], 8)
    crowded = Event.objects.filter(site=site).order_by("-id").first()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api("get", f"/sites/{site.slug}/events").json()["count"] == 10
    with django_assert_max_num_queries(len(few_attendance.captured_queries)):
        assert len(api("get", f"/events/{crowded.pk}/attendance").json()["attendees"]) == 8
