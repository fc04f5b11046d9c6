"""Fixtures for the action plan's tests: a held listening event with themes, comments and votes
in the shared ``site``; an agency with a named officer; a resident."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from c2hub.listening import services as listening_services
from c2hub.listening.models import Comment, CommentSource, ListeningEvent, Theme, Vote, VoteSource
from c2hub.people.models import Organisation, OrganisationKind, Person, PersonKind
from tests.factories import OrganisationFactory, PersonFactory


@dataclass
class Said:
    listening: ListeningEvent
    parking: Theme
    youth: Theme
    named_comment: Comment


@pytest.fixture
def said(site) -> Said:
    listening = listening_services.listening_event_create(
        actor=None, site=site, title="Southchurch listening event", held_on=dt.date(2013, 11, 20)
    )
    parking = Theme.objects.create(listening_event=listening, name="Parking on the estate", order=1)
    youth = Theme.objects.create(listening_event=listening, name="Nothing for young people", order=2)

    def comment(theme: Theme, text: str, count: int = 1, given_name: str = "") -> Comment:
        return Comment.objects.create(
            listening_event=listening,
            theme=theme,
            text=text,
            participant="resident",
            count=count,
            source=CommentSource.PAPER,
            given_name=given_name,
            name_consent=bool(given_name),
        )

    named = comment(parking, "Ask Maureen, she sees the vans every night", count=5, given_name="Maureen")
    comment(parking, "Vans parked on the pavement block the buggies", count=3)
    comment(parking, "Cars on the verge", count=1)
    comment(youth, "The kids have nowhere to go after school", count=4)
    Vote.objects.create(
        listening_event=listening, theme=parking, participant="resident", dots=12, source=VoteSource.PAPER
    )
    Vote.objects.create(
        listening_event=listening, theme=youth, participant="resident", dots=20, source=VoteSource.PAPER
    )
    Vote.objects.create(listening_event=listening, theme=youth, participant="provider", dots=3, source=VoteSource.PAPER)
    return Said(listening, parking, youth, named)


@pytest.fixture
def agency(site) -> Organisation:
    organisation = OrganisationFactory(
        programme=site.programme, name="Southend Borough Council", short_name="SBC", kind=OrganisationKind.COUNCIL
    )
    organisation.sites.add(site)
    return organisation


@pytest.fixture
def officer(site, agency) -> Person:
    return PersonFactory(
        programme=site.programme, kind=PersonKind.WORKER, name="Priya Shah", organisation=agency, sites=[site]
    )


@pytest.fixture
def resident(site) -> Person:
    return PersonFactory(programme=site.programme, name="Doreen Pike", sites=[site])
