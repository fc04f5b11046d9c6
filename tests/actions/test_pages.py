"""The action plan's pages: what they show, forms with field-level errors, the meeting's minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from c2hub.actions import services
from c2hub.actions.models import Action, ActionStatus, ActionUpdate
from c2hub.events import services as event_services
from c2hub.events.models import EventKind, EventStatus
from tests.events.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(site, said, agency, officer, resident):
    return services.action_create(
        actor=None,
        site=site,
        title="Bollards on Maple Road",
        theme=said.parking,
        lead_resident=resident,
        lead_organisation=agency,
        lead_officer=officer,
        due_on=dt.date(2014, 3, 31),
        asked_on=dt.date(2014, 1, 6),
        first_response_on=dt.date(2014, 1, 20),
    )


def test_plan_groups_filters_and_highlights_overdue(client, facilitator, site, action, agency):
    done = services.action_create(actor=None, site=site, title="Paint the hub", status=ActionStatus.DONE)
    client.force_login(facilitator)
    page = client.get(reverse("action_plan", args=[site.slug])).content.decode()
    assert "Bollards on Maple Road" in page and "Paint the hub" in page and "Overdue" in page
    assert "Action plan" in page  # the site's sub-navigation
    page = client.get(reverse("action_plan", args=[site.slug]) + "?status=open&overdue=1").content.decode()
    assert "Bollards on Maple Road" in page and done.title not in page
    page = client.get(reverse("action_plan", args=[site.slug]) + f"?agency={agency.pk}").content.decode()
    assert done.title not in page
    csv = b"".join(client.get(reverse("action_plan", args=[site.slug]) + "?format=csv").streaming_content).decode()
    assert "Bollards on Maple Road" in csv


def test_action_page_traces_back_to_residents_comments(client, facilitator, site, action):
    client.force_login(facilitator)
    page = client.get(reverse("action_detail", args=[site.slug, action.pk])).content.decode()
    assert "What residents said" in page and "Vans parked on the pavement block the buggies" in page
    assert "Priya Shah" in page and "Southend Borough Council" in page


def test_create_form_shows_field_errors(client, facilitator, site, agency):
    client.force_login(facilitator)
    url = reverse("action_create", args=[site.slug])
    response = client.post(
        url,
        {
            "title": "Lights",
            "status": "dropped",
            "lead_organisation": str(agency.pk),
            "asked_on": "2014-02-01",
            "completed_on": "2014-01-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The action cannot be completed before the agency was asked." in page
    assert "Say why the action was dropped." in page
    response = client.post(
        url, {"title": "Lights", "status": "not_started", "lead_organisation": str(agency.pk), "due_on": "2014-05-01"}
    )
    assert response.status_code == 302
    assert Action.objects.get(title="Lights").lead_organisation == agency


def test_an_update_at_a_meeting_from_its_minutes_page(client, facilitator, site, action):
    meeting = event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="March meeting",
        starts_at=days_ago(3),
        status=EventStatus.HELD,
    )
    client.force_login(facilitator)
    minutes_url = reverse("minutes", args=[site.slug, meeting.pk])
    page = client.get(minutes_url).content.decode()
    assert "Open actions to review" in page and "Bollards on Maple Road" in page
    response = client.post(
        reverse("action_update_add", args=[site.slug, action.pk]),
        {
            "status": "in_progress",
            "note": "Council has ordered the bollards",
            "meeting": str(meeting.pk),
            "next": minutes_url + "#action-plan",
        },
    )
    assert response.status_code == 302 and response["Location"].startswith(minutes_url)
    update = ActionUpdate.objects.get(action=action)
    assert update.meeting == meeting and update.on == days_ago(3).date()
    page = client.get(minutes_url).content.decode()
    assert "Council has ordered the bollards" in page


def test_you_said_we_did_and_responsiveness_pages(client, facilitator, site, action):
    client.force_login(facilitator)
    page = client.get(reverse("you_said_we_did", args=[site.slug])).content.decode()
    assert "You said: Parking on the estate" in page and "Doreen Pike" in page
    page = client.get(reverse("you_said_we_did", args=[site.slug]) + "?version=public").content.decode()
    assert "Bollards on Maple Road" in page and "Doreen" not in page and "Priya" not in page
    page = client.get(reverse("responsiveness", args=[site.slug])).content.decode()
    assert "Southend Borough Council" in page and "<svg" in page
    csv = b"".join(client.get(reverse("responsiveness", args=[site.slug]) + "?format=csv").streaming_content)
    assert b"Southend Borough Council,2014 Q1,1,14" in csv


def test_make_a_walkabout_finding_an_action(client, facilitator, site):
    walkabout = event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.WALKABOUT,
        title="Walkabout",
        starts_at=days_ago(9),
        status=EventStatus.HELD,
    )
    finding = event_services.finding_add(actor=None, event=walkabout, kind="issue", title="Broken swings")
    client.force_login(facilitator)
    page = client.get(reverse("event_detail", args=[site.slug, walkabout.pk])).content.decode()
    create = reverse("action_create", args=[site.slug]) + f"?finding={finding.pk}"
    assert create.replace("&", "&amp;") in page or create in page
    form = client.get(create).content.decode()
    assert 'value="Broken swings"' in form
    response = client.post(create, {"title": "Broken swings", "status": "not_started", "source_finding": finding.pk})
    assert response.status_code == 302
    assert Action.objects.get(title="Broken swings").source_finding == finding


def test_researchers_read_without_names(client, researcher, site, action):
    services.action_update_add(actor=None, action=action, status="in_progress", note="Doreen Pike met the council")
    client.force_login(researcher)
    for url in (
        reverse("action_plan", args=[site.slug]),
        reverse("action_detail", args=[site.slug, action.pk]),
        reverse("you_said_we_did", args=[site.slug]),
    ):
        page = client.get(url).content.decode()
        assert "Bollards on Maple Road" in page
        assert "Doreen" not in page and "Priya" not in page, url
