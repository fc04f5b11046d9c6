"""The events pages end to end with the test client: minutes drafted, approved at the next
meeting and published; a walkabout finding with a photo; completion; errors keep what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from c2hub.events import services
from c2hub.events.models import EventStatus, LearnerCompletion, Minutes, WalkaboutFinding
from c2hub.people.models import GroupKind, GroupMembership, MembershipRole
from tests.events.conftest import days_ago, png_upload
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def test_minutes_drafted_approved_and_published_through_the_pages(
    client, facilitator, site, meeting, next_meeting, resident
):
    client.force_login(facilitator)
    minutes_url = reverse("minutes", args=[site.slug, meeting.pk])
    response = client.post(
        minutes_url, {"agenda": "1. Welcome", "text": "Jo Whitfield chaired. The park was discussed."}
    )
    assert response.status_code == 302
    client.post(reverse("decision_add", args=[site.slug, meeting.pk]), {"text": "Ask the council about the park."})
    assert client.post(reverse("decision_add", args=[site.slug, meeting.pk]), {"text": " "}).status_code == 302
    assert meeting.decisions.count() == 1
    approve_url = reverse("minutes_approve", args=[site.slug, meeting.pk])
    assert str(next_meeting) in client.get(approve_url).content.decode()
    assert client.post(approve_url, {"at_meeting": ""}).status_code == 400
    assert client.post(approve_url, {"at_meeting": next_meeting.pk}).status_code == 302
    assert Minutes.objects.get(event=meeting).approved_at == next_meeting
    client.post(reverse("minutes_publication", args=[site.slug, meeting.pk]), {"publication": "published"})
    page = client.get(minutes_url).content.decode()
    assert 'data-testid="published-minutes"' in page
    published = Minutes.objects.get(event=meeting).published_text
    assert "Jo" not in published and "a resident chaired" in published
    # The next meeting's page lists the minutes it approved.
    assert meeting.title in client.get(reverse("minutes", args=[site.slug, next_meeting.pk])).content.decode()


def test_minutes_page_is_only_for_meetings(client, facilitator, site, workshop):
    client.force_login(facilitator)
    assert client.get(reverse("minutes", args=[site.slug, workshop.pk])).status_code == 404


def test_finding_with_photo_through_the_page(client, facilitator, site, walkabout):
    client.force_login(facilitator)
    url = reverse("finding_add", args=[site.slug, walkabout.pk])
    bad = client.post(
        url,
        {
            "kind": "issue",
            "title": "Fly-tipping behind the garages",
            "latitude": "95",
            "longitude": "0.7",
            "photo": png_upload(),
        },
    )
    page = bad.content.decode()
    assert bad.status_code == 400 and "Latitude must be between -90 and 90." in page
    assert 'value="Fly-tipping behind the garages"' in page
    not_an_image = client.post(url, {"kind": "issue", "title": "Litter", "photo": png_upload("x.png", (1, 1))})
    assert not_an_image.status_code == 302  # a 1×1 PNG is still an image
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    refused = client.post(url, {"kind": "issue", "title": "Graffiti", "photo": html})
    assert refused.status_code == 400 and "must be a JPEG, PNG, WebP or GIF image" in refused.content.decode()
    good = client.post(
        url,
        {
            "kind": "asset",
            "title": "Community garden",
            "latitude": "51.5432",
            "longitude": "0.7313",
            "photo": png_upload(),
        },
    )
    assert good.status_code == 302
    finding = WalkaboutFinding.objects.get(title="Community garden")
    photo = client.get(reverse("finding_photo", args=[site.slug, walkabout.pk, finding.pk]))
    assert photo.status_code == 200 and photo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(photo.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_cancelled_events_are_not_evidence(client, facilitator, site, workshop):
    services.event_set_status(actor=None, event=workshop, status=EventStatus.CANCELLED)
    client.force_login(facilitator)
    criterion = site.pathway_model.steps.get(number=2).criteria.get(key="workshops-held")
    response = client.post(reverse("event_evidence", args=[site.slug, workshop.pk]), {"criterion": criterion.pk})
    assert response.status_code == 400 and "cancelled event is not evidence" in response.content.decode()


def test_learner_completion_through_the_page(client, facilitator, site, resident):
    cohort = GroupFactory(site=site, kind=GroupKind.LEARNING_COHORT, wave=1, name="First wave")
    learner = GroupMembership.objects.create(group=cohort, person=resident, role=MembershipRole.LEARNER)
    client.force_login(facilitator)
    page = client.get(reverse("learning_programme", args=[site.slug])).content.decode()
    assert "A wave is usually 6–8 learners: this cohort has 1." in page and "Jo Whitfield" in page
    url = reverse("learner_completion", args=[site.slug, learner.pk])
    client.post(url, {"completed_on": "2099-01-01"})
    assert not LearnerCompletion.objects.exists()
    client.post(url, {"completed_on": "2020-03-01"})
    assert LearnerCompletion.objects.get().completed_on.isoformat() == "2020-03-01"
    client.post(url, {"action": "undo"})
    assert not LearnerCompletion.objects.exists()


def test_events_csv_is_spreadsheet_safe(client, facilitator, site):
    services.event_create(
        actor=None,
        site=site,
        kind="training",
        title='=HYPERLINK("x")',
        starts_at=days_ago(2),
    )
    client.force_login(facilitator)
    response = client.get(reverse("event_list", args=[site.slug]) + "?format=csv")
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body and response["Content-Type"].startswith("text/csv")
