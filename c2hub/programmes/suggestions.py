"""Candidate evidence for pathway criteria: records a site already has that may evidence a
criterion (a held listening event for step 3, the monthly partnership meetings, a celebrated win,
groups across every age, the agencies' responsiveness trend for step 6).

Each app that has such records registers a ``SuggestionSource``: the criterion keys (in
``pathways/*.yaml``, both versions of the model) it can evidence and a function giving, for the
criteria asked about, its candidate records, best first. The pathway and criterion pages show the
suggestions, each with a one-click "Attach" that posts ``criterion`` and ``next`` to the record's
own ``attach_url`` (the app's view, which calls its service). Records already attached as
evidence to a criterion are left out here, once for every source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from c2hub.programmes.models import Evidence, Site, StepCriterion


@dataclass(frozen=True)
class Suggestion:
    record: models.Model
    title: str
    #: The record's page.
    url: str
    #: POST target of the one-click "Attach" (form fields ``criterion`` and ``next``).
    attach_url: str
    #: A short line under the title: a date, a status, a figure.
    meta: str = ""


#: (site, the criteria it is asked about — only those with its keys) → {criterion id: suggestions}
Suggester = Callable[[Site, list[StepCriterion]], dict[int, list[Suggestion]]]


@dataclass(frozen=True)
class SuggestionSource:
    name: str
    criterion_keys: frozenset[str]
    suggest: Suggester


_SOURCES: dict[str, SuggestionSource] = {}


def register(source: SuggestionSource) -> None:
    _SOURCES[source.name] = source


def suggestions_by_criterion(
    site: Site, criteria: Sequence[StepCriterion], *, limit: int = 5
) -> dict[int, list[Suggestion]]:
    """For each criterion, up to ``limit`` candidate records not yet its evidence."""
    found: dict[int, list[Suggestion]] = {}
    for source in _SOURCES.values():
        wanted = [c for c in criteria if c.key in source.criterion_keys]
        if not wanted:
            continue
        for criterion_id, suggestions in source.suggest(site, wanted).items():
            found.setdefault(criterion_id, []).extend(suggestions)
    if not found:
        return {}
    attached: set[tuple[int, int, int]] = set(
        Evidence.objects.filter(site=site, criterion_id__in=found, record_id__isnull=False).values_list(
            "criterion_id", "record_type_id", "record_id"
        )
    )
    result: dict[int, list[Suggestion]] = {}
    for criterion_id, suggestions in found.items():
        kept = [
            s
            for s in suggestions
            if (criterion_id, _content_type_id(s.record), s.record.pk) not in attached
        ]
        if kept:
            result[criterion_id] = kept[:limit]
    return result


def suggestions_for(site: Site, criterion: StepCriterion, *, limit: int = 10) -> list[Suggestion]:
    return suggestions_by_criterion(site, [criterion], limit=limit).get(criterion.pk, [])


def _content_type_id(record: Any) -> int:
    return ContentType.objects.get_for_model(record).pk
