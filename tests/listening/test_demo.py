"""The demo's listening events: Camborne's held one with comments, themes, dots and a feedback event
held in time; Southchurch's planned for January 2014. Loaded once; escaped in the report."""

from __future__ import annotations

import datetime as dt

import pytest

from c2hub.demo.listening import demo_listening_ensure
from c2hub.demo.loader import demo_load
from c2hub.events.models import EventKind, EventStatus
from c2hub.listening import reports, selectors
from c2hub.listening.models import ListeningEvent
from c2hub.programmes.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return demo_load()


def test_camborne_listening_event(demo):
    camborne = ListeningEvent.objects.get(event__site__slug="camborne")
    assert camborne.event.status == EventStatus.HELD
    assert camborne.feedback_due == dt.date(2008, 5, 27)  # 10 days: version 1 of the model
    assert camborne.comments.count() == 120
    assert camborne.comments.filter(count__gt=1).exists()
    assert set(camborne.comments.values_list("language", flat=True)) >= {"en", "pl", "en-GB"}
    assert camborne.comments.filter(participant="provider").exists()
    assert camborne.themes.count() == 7 and not camborne.comments.filter(theme__isnull=True).exists()
    priorities = selectors.priorities(camborne)
    assert priorities.residents[0].theme.name == "Nothing for young people to do"
    assert any(r.tied for r in priorities.residents)
    feedback = camborne.feedback_event
    assert feedback.kind == EventKind.FEEDBACK_EVENT and feedback.status == EventStatus.HELD
    assert Evidence.objects.get(site__slug="camborne", criterion__key="issues-report-fed-back", record_id=feedback.pk)
    html = reports.render_html_document(selectors.report(camborne))
    assert "<script>alert" not in html


def test_southchurch_january_2014_is_held_with_feedback_in_time(demo):
    southchurch = ListeningEvent.objects.get(event__site__slug="southchurch")
    assert southchurch.event.status == EventStatus.HELD  # the actions demo holds it (illustrative)
    assert southchurch.feedback_event.status == EventStatus.HELD
    assert southchurch.feedback_event.held_on <= southchurch.feedback_due
    assert (southchurch.event.held_on.year, southchurch.event.held_on.month) == (2014, 1)
    assert southchurch.feedback_due == southchurch.event.held_on + dt.timedelta(days=10)


def test_loaded_once(demo):
    sites = {site.slug: site for site in demo.sites}
    assert demo_listening_ensure(sites, None) == 0
