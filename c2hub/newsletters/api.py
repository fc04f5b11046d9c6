"""API for a site's newsletter: its issues (with their blocks and, once published, the frozen
items) and how many subscribers it has — never who they are.

Same rules as the pages: a site only through ``site_get_for_user`` (404 for others' sites, 403
for a missing permission), writes only through ``services.py``; bad input is a 4xx JSON answer
with a ``detail``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Router, Schema

from c2hub.api.schemas import COMMON_ERRORS, WRITE_ERRORS, SiteSlug, Text
from c2hub.newsletters import selectors, services
from c2hub.newsletters.models import NewsletterIssue
from c2hub.programmes.selectors import site_get_for_user

router = Router(tags=["Newsletter"])

VIEW, CHANGE = "newsletters.view_newsletters", "newsletters.change_newsletters"
IssueNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="The issue's number within the site.")]


class IssueSummaryOut(Schema):
    id: int
    number: int
    title: str
    status: str = Field(..., examples=["published"], description="draft or published")
    published_at: dt.datetime | None
    sent_at: dt.datetime | None
    page_url: str = Field(..., description="The issue's page in C2 Hub.")
    public_url: str | None = Field(
        None, description="Its public web page, when published and the site's public page is on."
    )


class BlockOut(Schema):
    id: int
    order: int
    kind: str = Field(..., examples=["wins"], description="wins, events, you_said, groups, text or image")
    heading: str
    body: str = Field(..., description="Sanitised HTML.")
    alt_text: str
    image_url: str | None
    items: list[dict[str, Any]] = Field(
        ..., description="A data block's records: frozen at publication, else as they are now. Public fields only."
    )


class IssueOut(IssueSummaryOut):
    blocks: list[BlockOut]


class IssueIn(Schema):
    title: Text = Field(..., max_length=150, description="Also the e-mail's subject: one line.")


class SubscriberCountOut(Schema):
    active: int = Field(..., description="Confirmed subscribers who have not unsubscribed.")
    unsubscribed: int


def _public_on(site: Any) -> bool:
    page = selectors.public_page_of(site)
    return bool(page and page.enabled)


def _summary(issue: NewsletterIssue, public_on: bool) -> dict[str, Any]:
    slug = issue.site.slug
    return {
        "id": issue.pk,
        "number": issue.number,
        "title": issue.title,
        "status": issue.status,
        "published_at": issue.published_at,
        "sent_at": issue.sent_at,
        "page_url": reverse("newsletter_detail", args=[slug, issue.number]),
        "public_url": reverse("public_newsletter", args=[slug, issue.number])
        if public_on and issue.is_published
        else None,
    }


@router.get(
    "/sites/{slug}/newsletters", response={200: list[IssueSummaryOut], **COMMON_ERRORS}, summary="A site's newsletters"
)
def newsletter_list(request: HttpRequest, slug: SiteSlug) -> list[dict[str, Any]]:
    """Newest first, drafts included."""
    site = site_get_for_user(request.user, slug, VIEW)
    public_on = _public_on(site)
    return [_summary(issue, public_on) for issue in selectors.issues_for_site(site).select_related("site")]


@router.post("/sites/{slug}/newsletters", response={201: IssueOut, **WRITE_ERRORS}, summary="Start a newsletter")
def newsletter_create(request: HttpRequest, slug: SiteSlug, payload: IssueIn) -> tuple[int, dict[str, Any]]:
    """A new draft, numbered after the site's last issue; add its blocks on its page."""
    site = site_get_for_user(request.user, slug, CHANGE)
    issue = services.issue_create(actor=request.user, site=site, title=payload.title)
    return 201, _issue_out(issue)


def _issue_out(issue: NewsletterIssue) -> dict[str, Any]:
    site = issue.site
    return {
        **_summary(issue, _public_on(site)),
        "blocks": [
            {
                "id": view.block.pk,
                "order": view.block.order,
                "kind": view.block.kind,
                "heading": view.block.heading,
                "body": view.block.body,
                "alt_text": view.block.alt_text,
                "image_url": reverse("newsletter_block_image", args=[site.slug, issue.number, view.block.pk])
                if view.block.image
                else None,
                "items": view.items,
            }
            for view in selectors.issue_content(issue)
        ],
    }


@router.get("/sites/{slug}/newsletters/{number}", response={200: IssueOut, **COMMON_ERRORS}, summary="One newsletter")
def newsletter_detail(request: HttpRequest, slug: SiteSlug, number: IssueNumber) -> dict[str, Any]:
    site = site_get_for_user(request.user, slug, VIEW)
    return _issue_out(selectors.issue_in_site(site, number))


@router.get(
    "/sites/{slug}/newsletter-subscribers/count",
    response={200: SubscriberCountOut, **COMMON_ERRORS},
    summary="How many subscribers",
)
def subscriber_count(request: HttpRequest, slug: SiteSlug) -> SubscriberCountOut:
    """Counts only: no role can list subscribers' addresses through the API."""
    site = site_get_for_user(request.user, slug, VIEW)
    counts = selectors.subscriber_counts(site)
    return SubscriberCountOut(active=counts.active, unsubscribed=counts.unsubscribed)
