"""Fixtures for the listening event's tests: a held listening event in the shared ``site``."""

from __future__ import annotations

import datetime as dt

import pytest

from c2hub.listening import services
from c2hub.listening.models import ListeningEvent


def make_listening(
    site, *, held_on: dt.date = dt.date(2013, 11, 20), title: str = "Southchurch listening event", **extra
) -> ListeningEvent:
    return services.listening_event_create(actor=None, site=site, title=title, held_on=held_on, **extra)


@pytest.fixture
def listening(site) -> ListeningEvent:
    return make_listening(site)


@pytest.fixture
def open_listening(listening) -> ListeningEvent:
    return services.capture_set_open(actor=None, listening=listening, open=True)
