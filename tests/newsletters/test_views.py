"""The newsletter pages: what a facilitator sees when input is refused, and the messages after
publishing and sending."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from c2hub.newsletters import services
from c2hub.newsletters.models import BlockKind, NewsletterIssue

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, facilitator):
    client.force_login(facilitator)
    return client


def test_a_title_with_a_line_break_is_shown_as_an_error(signed_in, site):
    response = signed_in.post(reverse("newsletter_list", args=[site.slug]), {"title": "Spring\r\nBcc: x@example.org"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and "cannot contain line breaks" in text
    assert not NewsletterIssue.objects.exists()


def test_an_image_block_without_alt_text_or_with_a_fake_image_is_refused(signed_in, site):
    issue = services.issue_create(actor=None, site=site, title="Spring")
    url = reverse("newsletter_block_add", args=[site.slug, issue.number])
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = signed_in.post(url, {"kind": "image", "alt_text": "", "body": "", "image": fake})
    assert response.status_code == 400
    text = response.content.decode()
    assert "must be a JPEG, PNG, WebP or GIF picture" in text
    assert "Describe the image" in text
    assert not issue.blocks.exists()


def test_choosing_a_kind_opens_its_form(signed_in, site):
    issue = services.issue_create(actor=None, site=site, title="Spring")
    response = signed_in.post(reverse("newsletter_block_add", args=[site.slug, issue.number]), {"kind": "wins"})
    assert response.status_code == 302 and response["Location"].endswith("?kind=wins")
    page = signed_in.get(response["Location"]).content.decode()
    assert "How many to show" in page and "Wins since" in page
    response = signed_in.post(reverse("newsletter_block_add", args=[site.slug, issue.number]), {"kind": ""})
    assert response.status_code == 400 and "Choose what kind of block to add" in response.content.decode()


def test_an_empty_issue_is_not_published_and_says_why(signed_in, site):
    issue = services.issue_create(actor=None, site=site, title="Spring")
    response = signed_in.post(reverse("newsletter_publish", args=[site.slug, issue.number]), follow=True)
    assert "Add at least one block before publishing" in response.content.decode()


def test_publish_then_send_shows_how_many_were_sent(signed_in, site, subscriber):
    issue = services.issue_create(actor=None, site=site, title="Spring")
    services.block_add(actor=None, issue=issue, kind=BlockKind.TEXT, body="Hello")
    response = signed_in.post(reverse("newsletter_publish", args=[site.slug, issue.number]), follow=True)
    assert "is published" in response.content.decode()
    response = signed_in.post(reverse("newsletter_send", args=[site.slug, issue.number]), follow=True)
    text = response.content.decode()
    assert "Sent to 1 subscribers." in text and "1 of 1 sent" in text
    assert len(mail.outbox) == 1
    status = signed_in.get(reverse("newsletter_send_status", args=[site.slug, issue.number]))
    assert "1 of 1 sent" in status.content.decode()


def test_the_subscribers_page_shows_the_consent_wording(signed_in, site, subscriber):
    text = signed_in.get(reverse("newsletter_subscribers", args=[site.slug])).content.decode()
    assert "reader@example.org" in text and "Sign-up sheet at the hub" in text
    assert "only to send the newsletter" in text
