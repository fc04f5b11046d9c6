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
