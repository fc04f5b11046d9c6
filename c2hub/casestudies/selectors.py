"""Every read of case studies: a site's, the library across the sites a user can see, and which
quotes and photos a reader may be shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from c2hub.casestudies.models import Audience, CaseStudy, CaseStudyStatus, Photo, Quote
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import sites_for_user

VIEW_DRAFTS = "casestudies.view_drafts"


def _readable(user: Any, queryset: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    """Drafts only for the team of their own site; published ones for anyone in the site."""
    sites = list(sites_for_user(user))
    drafting = [s.pk for s in sites if user.has_perm(VIEW_DRAFTS, s)]
    return queryset.filter(site__in=sites).filter(Q(status=CaseStudyStatus.PUBLISHED) | Q(site_id__in=drafting))


def case_studies_for_site(user: Any, site: Site) -> list[CaseStudy]:
    return list(_readable(user, CaseStudy.objects.filter(site=site)).order_by("-updated_at", "-id"))


def library(user: Any, *, site_slug: str = "", q: str = "", published_only: bool = False) -> list[CaseStudy]:
    """The programme team's library: case studies of every site the user can see, newest first."""
    found = _readable(user, CaseStudy.objects.select_related("site"))
    if site_slug:
        found = found.filter(site__slug=site_slug)
    if q.strip():
        words = q.strip()
        found = found.filter(Q(title__icontains=words) | Q(summary__icontains=words) | Q(narrative__icontains=words))
    if published_only:
        found = found.filter(status=CaseStudyStatus.PUBLISHED)
    return list(found.order_by("-updated_at", "-id"))


def case_study_for_user(user: Any, site: Site, case_study_id: int) -> CaseStudy:
    found = _readable(user, CaseStudy.objects.filter(site=site, pk=case_study_id)).first()
    if found is None:
        raise Http404("No such case study")
    return found


@dataclass(frozen=True)
class LeftOut:
    item: Quote | Photo
    reason: str


@dataclass(frozen=True)
class Shown:
    """What a reader of the case study sees for an audience, and what is left out and why."""

    audience: str
    quotes: list[Quote]
    photos: list[Photo]
    left_out: list[LeftOut]


def _reason(item: Quote | Photo, audience: str) -> str:
    if item.consent_withdrawn_on is not None:
        return f"consent withdrawn on {item.consent_withdrawn_on:%-d %B %Y}"
    if item.about_a_child and not item.parental_consent:
        return "a child, without a parent's or guardian's consent"
    return "its consent covers the programme team only, not publication"


def shown_items(case_study: CaseStudy, audience: str | None = None) -> Shown:
    """Quotes and photos whose consent reaches ``audience`` (default: the one it is published to,
    or the team for a draft)."""
    audience = audience or (case_study.audience if case_study.is_published else Audience.TEAM)
    quotes, photos, left_out = [], [], []
    for item in [*case_study.quotes.all(), *case_study.photos.all()]:
        if item.usable_for(audience):
            (quotes if isinstance(item, Quote) else photos).append(item)
        else:
            left_out.append(LeftOut(item, _reason(item, audience)))
    return Shown(audience, quotes, photos, left_out)


def public_case_studies(site: Site) -> list[CaseStudy]:
    """Case studies published for the public, newest first (for the public partnership page)."""
    return list(
        CaseStudy.objects.filter(site=site, status=CaseStudyStatus.PUBLISHED, audience=Audience.PUBLIC).order_by(
            "-published_at", "-id"
        )
    )


def public_case_study(site: Site, case_study_id: int) -> CaseStudy:
    found = CaseStudy.objects.filter(
        site=site, pk=case_study_id, status=CaseStudyStatus.PUBLISHED, audience=Audience.PUBLIC
    ).first()
    if found is None:
        raise Http404("No such case study")
    return found
