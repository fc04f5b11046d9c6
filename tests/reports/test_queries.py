"""Assembling a board report costs the same number of queries however many records a site has."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from c2hub.actions.models import Action, ActionUpdate
from c2hub.events import services as event_services
from c2hub.events.models import EventKind, EventStatus
from c2hub.people import services as people_services
from c2hub.people.models import GroupKind, Organisation
from c2hub.reports.board import board_report
from c2hub.wins.models import Win

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2015, 6, 30)


def _add(site, n: int, offset: int) -> None:
    for i in range(n):
        day = dt.date(2013, 7, 1) + dt.timedelta(days=30 * (i + offset))
        event_services.event_create(
            actor=None, site=site, kind=EventKind.PARTNERSHIP_MEETING, title=f"Meeting {i + offset}",
            starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(18))), status=EventStatus.HELD,
        )
        org = Organisation.objects.create(programme=site.programme, name=f"Agency {i + offset}", kind="council")
        org.sites.add(site)
        kind = GroupKind.STRATEGIC_STEERING if i + offset == 0 else GroupKind.INTERIM_PARTNERSHIP
        group = people_services.group_create(
            actor=None, site=site, kind=kind, name=f"Group {i + offset}", purpose="- Meet\n- Decide", formed_on=day
        )
        people_services.membership_add(actor=None, group=group, person=None, organisation=org, started_on=day)
        action = Action.objects.create(site=site, title=f"Action {i + offset}", lead_organisation=org, asked_on=day)
        ActionUpdate.objects.create(action=action, on=day, status="done")
        Win.objects.create(site=site, kind="media", title=f"Win {i + offset}", won_on=day)


def _queries(site) -> int:
    with CaptureQueriesContext(connection) as captured:
        board_report(site, as_of=AS_OF)
    return len(captured)


def test_the_query_count_does_not_grow_with_the_records(site):
    _add(site, 2, 0)
    few = _queries(site)
    _add(site, 8, 2)
    assert _queries(site) == few
