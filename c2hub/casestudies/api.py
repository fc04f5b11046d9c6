"""API for case studies: a site's, and one with its quotes and photos as far as their consent
reaches (drafts only for the site's team, as on the pages)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Router, Schema

from c2hub.api.schemas import COMMON_ERRORS, MAX_ID, SiteSlug
from c2hub.casestudies import selectors
from c2hub.casestudies.models import CaseStudy
from c2hub.programmes.selectors import site_get_for_user

router = Router(tags=["Case studies"])

VIEW = "casestudies.view_case_studies"
CaseStudyId = Annotated[int, Path(ge=1, le=MAX_ID, description="The case study's id.")]


class CaseStudySummaryOut(Schema):
    id: int
    site: str
    title: str
    summary: str
    status: str
    audience: str
    published_at: dt.datetime | None
    updated_at: dt.datetime


class QuoteOut(Schema):
    text: str
    attribution: str


class PhotoOut(Schema):
    id: int
    alt_text: str
    caption: str
    url: str


class CaseStudyOut(CaseStudySummaryOut):
    narrative: str
    figures: list[str]
    quotes: list[QuoteOut]
    photos: list[PhotoOut]
    left_out: int
    event_ids: list[int]
    win_ids: list[int]
    community_group_ids: list[int]


def _summary(c: CaseStudy) -> dict[str, object]:
    return {
        "id": c.pk,
        "site": c.site.slug,
        "title": c.title,
        "summary": c.summary,
        "status": c.status,
        "audience": c.audience,
        "published_at": c.published_at,
        "updated_at": c.updated_at,
    }


@router.get(
    "/sites/{slug}/case-studies",
    response={200: list[CaseStudySummaryOut], **COMMON_ERRORS},
    summary="A site's case studies",
)
def case_study_list(request: HttpRequest, slug: SiteSlug) -> list[dict[str, object]]:
    """Published ones, and drafts for the site's own team; newest first."""
    site = site_get_for_user(request.user, slug, VIEW)
    return [_summary(c) for c in selectors.case_studies_for_site(request.user, site)]


@router.get(
    "/sites/{slug}/case-studies/{case_study_id}", response={200: CaseStudyOut, **COMMON_ERRORS}, summary="A case study"
)
def case_study_detail(request: HttpRequest, slug: SiteSlug, case_study_id: CaseStudyId) -> dict[str, object]:
    """Quotes and photos only where their consent reaches; `left_out` counts the others."""
    from django.urls import reverse

    site = site_get_for_user(request.user, slug, VIEW)
    c = selectors.case_study_for_user(request.user, site, case_study_id)
    shown = selectors.shown_items(c)
    return {
        **_summary(c),
        "narrative": c.narrative,
        "figures": c.figure_lines(),
        "quotes": [{"text": q.text, "attribution": q.attribution} for q in shown.quotes],
        "photos": [
            {
                "id": p.pk,
                "alt_text": p.alt_text,
                "caption": p.caption,
                "url": reverse("case_study_photo", args=[site.slug, c.pk, p.pk]),
            }
            for p in shown.photos
        ],
        "left_out": len(shown.left_out),
        "event_ids": list(c.events.values_list("pk", flat=True)),
        "win_ids": list(c.wins.values_list("pk", flat=True)),
        "community_group_ids": list(c.community_groups.values_list("pk", flat=True)),
    }
