"""Fixtures for the newsletter tests: images, a public page, subscribers, a published issue."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from c2hub.newsletters import services
from c2hub.newsletters.models import BlockKind
from c2hub.wins.models import Win, WinKind


def png_upload(
    name: str = "garden.png", size: tuple[int, int] = (8, 6), image_format: str = "PNG"
) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 80)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def public_page(site):
    return services.public_page_set(
        actor=None, site=site, enabled=True, introduction="Residents and agencies together."
    )


@pytest.fixture
def subscriber(site):
    return services.subscriber_add(
        actor=None, site=site, email="reader@example.org", name="Reader", consent_note="Sign-up sheet at the hub"
    )


@pytest.fixture
def win(site):
    return Win.objects.create(
        site=site,
        kind=WinKind.FUNDING,
        title="Play area funded",
        won_on=timezone.localdate() - dt.timedelta(days=20),
        description="The council funded a new play area.",
        funder_name="Southend Council",
        amount="25000",
    )


@pytest.fixture
def published(site, win):
    issue = services.issue_create(actor=None, site=site, title="Spring news")
    services.block_add(actor=None, issue=issue, kind=BlockKind.TEXT, heading="Welcome", body="Hello, Southchurch.")
    services.block_add(actor=None, issue=issue, kind=BlockKind.WINS)
    return services.issue_publish(actor=None, issue=issue)
