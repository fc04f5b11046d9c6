"""Every events page renders for the site's facilitator (a quick check of the templates)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from c2hub.events import services
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_render(client, facilitator, site, meeting, next_meeting, walkabout, workshop, resident, police):
    client.force_login(facilitator)
    services.attendance_add(actor=None, event=workshop, person=resident)
    services.attendance_add(actor=None, event=workshop, organisation=police)
    services.head_counts_set(actor=None, event=workshop, counts={("resident", "26-64"): 12})
    services.minutes_save(actor=None, event=meeting, agenda="1. Welcome", text="Jo Whitfield chaired.")
    for url in [
        reverse("event_list", args=[site.slug]),
        reverse("event_list", args=[site.slug]) + "?format=csv",
        reverse("event_create", args=[site.slug]),
        reverse("event_detail", args=[site.slug, workshop.pk]),
        reverse("event_detail", args=[site.slug, walkabout.pk]),
        reverse("event_detail", args=[site.slug, meeting.pk]),
        reverse("event_edit", args=[site.slug, workshop.pk]),
        reverse("head_counts", args=[site.slug, workshop.pk]),
        reverse("minutes", args=[site.slug, meeting.pk]),
        reverse("minutes_approve", args=[site.slug, meeting.pk]),
        reverse("finding_add", args=[site.slug, walkabout.pk]),
        reverse("learning_programme", args=[site.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert PASSWORD


def test_recording_an_event_asks_its_kind_first(client, facilitator, site):
    client.force_login(facilitator)
    url = reverse("event_create", args=[site.slug])
    assert "What kind of event is it?" in client.get(url).content.decode()
    assert client.get(url + "?kind=party").status_code == 400
    exchange = client.get(url + "?kind=exchange_visit").content.decode()
    assert 'name="exchange_site_name"' in exchange and 'name="route_description"' not in exchange
    walkabout = client.get(url + "?kind=walkabout").content.decode()
    assert 'name="route_description"' in walkabout and 'name="exchange_site_name"' not in walkabout


def test_a_form_error_keeps_what_was_typed(client, facilitator, site):
    client.force_login(facilitator)
    response = client.post(
        reverse("event_create", args=[site.slug]),
        {
            "kind": "exchange_visit",
            "title": "Visit from Beacon",
            "start_date": "2013-06-14",
            "venue_kind": "hub",
            "description": "Residents <script>alert(1)</script> came",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say whether the visit was made to another site or hosted from one." in page
    assert 'value="Visit from Beacon"' in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
