"""The demo's events: Southchurch's are the report's, with its dates; the established sites have
an illustrative history; a second load writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from c2hub.demo.loader import demo_load
from c2hub.events import selectors
from c2hub.events.models import Event, EventKind, EventStatus, Minutes
from c2hub.people.selectors import Visibility
from c2hub.programmes.models import EvidenceKind, Site

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield demo_load()
        transaction.set_rollback(True)


def on(event: Event) -> dt.date:
    return timezone.localtime(event.starts_at).date()


def test_southchurchs_events_are_the_reports(demo):
    site = Site.objects.get(slug="southchurch")
    events = {e.kind: e for e in Event.objects.filter(site=site).exclude(kind=EventKind.EXCHANGE_VISIT)}
    assert on(events[EventKind.ENGAGEMENT_WORKSHOP]) == dt.date(2013, 6, 14)
    assert on(events[EventKind.RESIDENTIAL]) == dt.date(2013, 9, 1)
    assert events[EventKind.RESIDENTIAL].cohort.name == "Southchurch C2 team (first learning wave)"
    visits = selectors.site_visits_of(events[EventKind.RESIDENTIAL])
    assert [v.title for v in visits] == ["Site visit to Beacon", "Site visit to Redruth"]
    assert on(events[EventKind.PARTNERSHIP_MEETING]) == dt.date(2013, 11, 1)
    assert len(selectors.attendance_totals(events[EventKind.PARTNERSHIP_MEETING]).organisations) == 8
    assert events[EventKind.CONNECTING_EVENT].status == EventStatus.PLANNED
    listening = Event.objects.get(site=site, kind=EventKind.LISTENING_EVENT)
    # The actions demo shows it held on 18 January 2014 (illustrative), with its feedback event in time.
    assert listening.status == EventStatus.HELD and on(listening) == dt.date(2014, 1, 18)
    hosted = Event.objects.filter(site=site, kind=EventKind.EXCHANGE_VISIT, exchange_direction="hosted")
    assert {e.exchange_site.slug for e in hosted} == {"beacon", "redruth", "cliftonville"}


def test_southchurchs_notes_for_events_now_link_to_them(demo):
    site = Site.objects.get(slug="southchurch")
    linked = site.evidence.filter(kind=EvidenceKind.RECORD, record_type__model="event")
    assert {e.record.kind for e in linked} == {
        EventKind.ENGAGEMENT_WORKSHOP,
        EventKind.RESIDENTIAL,
        EventKind.WALKABOUT,
        EventKind.EXCHANGE_VISIT,
        EventKind.FEEDBACK_EVENT,  # held within 10 days of the listening event: step 3's evidence
    }
    # The planned listening event has no venue yet: it is not evidence that it is planned.
    assert not site.evidence.filter(criterion__key="listening-event-planned").exists()


@pytest.mark.parametrize("slug", ["beacon", "redruth", "camborne"])
def test_established_sites_have_meetings_a_walkabout_and_a_cohort(demo, slug):
    site = Site.objects.get(slug=slug)
    meetings = Event.objects.filter(site=site, kind=EventKind.PARTNERSHIP_MEETING)
    assert meetings.count() == 6
    minutes = Minutes.objects.filter(event__site=site)
    assert minutes.filter(status="approved").count() == 5 and minutes.filter(publication="published").count() == 3
    for published in minutes.filter(publication="published"):
        assert "Resident " not in published.published_text
    walkabout = Event.objects.get(site=site, kind=EventKind.WALKABOUT)
    assert {f.kind for f in walkabout.findings.all()} == {"asset", "issue"}
    assert all(f.has_point for f in walkabout.findings.all())
    cohorts = selectors.learning_programme(site, Visibility(identity=True, contact_details=True))
    assert len(cohorts) == 1 and len(cohorts[0].learners) == 6 and cohorts[0].completed == 6


def test_a_second_load_writes_nothing(demo):
    assert demo_load().created == 0
