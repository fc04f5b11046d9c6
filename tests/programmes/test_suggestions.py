"""The pathway's evidence-suggestion registry: every app's sources merged, each criterion asked
only of the sources that name its key, records already attached left out, a limit per criterion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from c2hub.events import services as event_services
from c2hub.events.models import Event, EventKind, EventStatus
from c2hub.programmes import services, suggestions
from c2hub.programmes.models import EvidenceKind, StepCriterion

pytestmark = pytest.mark.django_db


def _criterion(site, key: str) -> StepCriterion:
    return StepCriterion.objects.get(step__model=site.pathway_model, key=key)


def _events(site, n: int) -> list[Event]:
    start = timezone.make_aware(dt.datetime(2024, 1, 10, 18))
    return [
        event_services.event_create(
            actor=None, site=site, kind=EventKind.CELEBRATION, title=f"Celebration {i}",
            starts_at=start + dt.timedelta(days=30 * i), status=EventStatus.HELD,
        )
        for i in range(n)
    ]


@pytest.fixture
def test_source():
    """A second source, besides the events app's, for one criterion key."""
    asked: list[list[str]] = []

    def suggest(site, criteria):
        asked.append([c.key for c in criteria])
        return {
            c.pk: [
                suggestions.Suggestion(record=e, title=f"Also {e.title}", url="/x", attach_url="/y")
                for e in Event.objects.filter(site=site).order_by("pk")
            ]
            for c in criteria
        }

    suggestions.register(suggestions.SuggestionSource("test", frozenset({"visible-change"}), suggest))
    yield asked
    suggestions._SOURCES.pop("test")


def test_sources_are_asked_only_about_their_criteria(site, test_source):
    events = _events(site, 2)
    wins = _criterion(site, "wins-celebrated")
    change = _criterion(site, "visible-change")
    found = suggestions.suggestions_by_criterion(site, [wins, change, _criterion(site, "neighbourhood-targeted")])
    assert test_source == [["visible-change"]]
    assert [s.record for s in found[wins.pk]] == list(reversed(events))  # the events app: newest first
    assert [s.title for s in found[change.pk]] == ["Also Celebration 0", "Also Celebration 1"]
    assert set(found) == {wins.pk, change.pk}


def test_attached_records_and_the_limit(site, facilitator, test_source):
    events = _events(site, 7)
    change = _criterion(site, "visible-change")
    assert len(suggestions.suggestions_for(site, change)) == 7
    assert len(suggestions.suggestions_by_criterion(site, [change])[change.pk]) == 5
    services.evidence_add(
        actor=facilitator, site=site, criterion=change, kind=EvidenceKind.RECORD, summary="x", record=events[-1]
    )
    assert events[-1] not in [s.record for s in suggestions.suggestions_for(site, change)]
    # Attached to another criterion: still a candidate for this one.
    assert events[-1] in [s.record for s in suggestions.suggestions_for(site, _criterion(site, "wins-celebrated"))]
