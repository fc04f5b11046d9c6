"""The records a piece of evidence can point to ("a link to another record such as a meeting").

Each app that has linkable records registers a function listing a site's records of that kind;
the evidence form offers them and the pathway page links to them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models


@dataclass(frozen=True)
class RecordSource:
    label: str
    model: type[models.Model]
    for_site: Callable[[Any], models.QuerySet[Any]]


_SOURCES: list[RecordSource] = []


def register(source: RecordSource) -> None:
    if source.model not in {s.model for s in _SOURCES}:
        _SOURCES.append(source)


def record_choices(site: Any) -> list[tuple[str, str]]:
    """Choices like ("people.group:12", "Group: Southchurch Strategic Steering Network")."""
    choices = []
    for source in _SOURCES:
        ct = ContentType.objects.get_for_model(source.model)
        for record in source.for_site(site):
            choices.append((f"{ct.app_label}.{ct.model}:{record.pk}", f"{source.label}: {record}"))
    return choices


def resolve_record(site: Any, value: str) -> models.Model | None:
    """The record a choice value names, if it belongs to this site."""
    try:
        type_label, pk = value.rsplit(":", 1)
        app_label, model_name = type_label.split(".", 1)
        ct = ContentType.objects.get_by_natural_key(app_label, model_name)
    except (ValueError, ContentType.DoesNotExist):
        return None
    for source in _SOURCES:
        if source.model is ct.model_class():
            return source.for_site(site).filter(pk=pk).first() if pk.isdigit() else None
    return None
