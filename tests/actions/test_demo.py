"""The demo's action plans: two-plus years of agency-led actions at the established sites with
responses getting faster; Camborne's answer its listening event's themes; Southchurch's listening
event is held in January 2014 with its feedback in time, then its first actions; a second load
writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from c2hub.actions import selectors
from c2hub.actions.models import Action, ActionStatus, ActionUpdate
from c2hub.demo.actions import demo_actions_ensure
from c2hub.demo.loader import demo_load
from c2hub.events.models import EventStatus
from c2hub.listening.models import ListeningEvent
from c2hub.listening.selectors import feedback_warnings
from c2hub.programmes.models import Site

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


@pytest.mark.parametrize("slug", ["beacon", "redruth", "camborne"])
def test_established_sites_have_two_years_of_agency_led_actions(demo, slug):
    site = Site.objects.get(slug=slug)
    actions = list(Action.objects.filter(site=site))
    assert len(actions) >= 20
    asked = sorted(a.asked_on for a in actions)
    assert (asked[-1] - asked[0]).days >= 2 * 365
    assert all(a.status in (ActionStatus.DONE, ActionStatus.DROPPED) for a in actions)
    assert all(a.dropped_reason for a in actions if a.status == ActionStatus.DROPPED)
    assert sum(a.status == ActionStatus.DROPPED for a in actions) >= 2
    assert all(a.lead_organisation and a.lead_officer and a.first_response_on for a in actions)
    kinds = {a.lead_organisation.kind for a in actions}
    assert {"police", "council", "housing", "fire", "education"} <= kinds
    assert ActionUpdate.objects.filter(action__site=site, meeting__isnull=False).exists()
    report = selectors.responsiveness(site)
    first, last = report.quarters[0].figures, report.quarters[-1].figures
    assert last.median_first_response < first.median_first_response


def test_camborne_actions_answer_its_listening_events_themes(demo):
    camborne = Site.objects.get(slug="camborne")
    themed = Action.objects.filter(site=camborne, theme__isnull=False)
    assert themed.count() >= 18
    assert all(a.theme.listening_event.event.site_id == camborne.pk for a in themed)
    assert Action.objects.filter(site=camborne, source_finding__isnull=False).count() == 2
    assert all(a.asked_on > dt.date(2008, 5, 17) for a in Action.objects.filter(site=camborne))
    said = selectors.you_said_we_did(camborne, public=True)
    assert said[0].theme == "Nothing for young people to do" and said[0].actions


def test_southchurch_listening_event_held_with_feedback_in_time_then_first_actions(demo):
    southchurch = Site.objects.get(slug="southchurch")
    listening = ListeningEvent.objects.get(event__site=southchurch)
    assert listening.event.status == EventStatus.HELD and listening.event.held_on == dt.date(2014, 1, 18)
    assert listening.feedback_event.status == EventStatus.HELD
    assert listening.feedback_event.held_on <= listening.feedback_due == dt.date(2014, 1, 28)
    assert listening.themes.count() >= 3 and listening.votes.exists()
    assert not [w for w in feedback_warnings(Site.objects.all()) if w.site == southchurch]
    actions = Action.objects.filter(site=southchurch)
    assert actions.count() >= 5
    assert all(dt.date(2014, 2, 1) <= a.asked_on <= dt.date(2014, 3, 31) for a in actions)


def test_loaded_once(demo):
    assert demo_actions_ensure({site.slug: site for site in demo.sites}, None) == 0
