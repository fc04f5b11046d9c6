"""Fixtures for the events tests: a meeting, a walkabout, people of the site and of another."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from c2hub.events import services
from c2hub.events.models import EventKind, EventStatus
from c2hub.people.models import OrganisationKind, PersonKind
from tests.factories import OrganisationFactory, PersonFactory


def days_ago(n: int, hour: int = 18) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=n), dt.time(hour)))


def png_upload(name: str = "finding.png", size: tuple[int, int] = (4, 4)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 80)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def police(site):
    org = OrganisationFactory(
        programme=site.programme, name="Essex Police", short_name="Police", kind=OrganisationKind.POLICE
    )
    org.sites.add(site)
    return org


@pytest.fixture
def resident(site):
    return PersonFactory(programme=site.programme, name="Jo Whitfield", sites=[site], age_band="26-64")


@pytest.fixture
def officer(site, police):
    return PersonFactory(
        programme=site.programme, name="Sam Okafor", kind=PersonKind.WORKER, organisation=police, sites=[site]
    )


@pytest.fixture
def outsider(other_site):
    """A person of another site of the same programme."""
    return PersonFactory(programme=other_site.programme, name="Pat Elsewhere", sites=[other_site])


@pytest.fixture
def workshop(site):
    return services.event_create(
        actor=None,
        site=site,
        kind=EventKind.ENGAGEMENT_WORKSHOP,
        title="Engagement workshop",
        starts_at=days_ago(30),
        status=EventStatus.HELD,
        steps=[1],
    )


@pytest.fixture
def meeting(site):
    return services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="Partnership meeting",
        starts_at=days_ago(40),
        status=EventStatus.HELD,
    )


@pytest.fixture
def next_meeting(site):
    return services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="Partnership meeting (next)",
        starts_at=days_ago(10),
        status=EventStatus.HELD,
    )


@pytest.fixture
def walkabout(site):
    return services.event_create(
        actor=None,
        site=site,
        kind=EventKind.WALKABOUT,
        title="Estate walkabout",
        starts_at=days_ago(20),
        status=EventStatus.HELD,
        route_description="Around the park",
    )
