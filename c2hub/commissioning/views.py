"""The commissioner's view: read-only pages over every site the user can see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from c2hub.commissioning import selectors
from c2hub.outcomes import selectors as outcomes
from c2hub.programmes.selectors import site_get_for_user

VIEW = "commissioning.view_overview"


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "commissioning/overview.html",
        {
            "summaries": selectors.commissioner_overview(request.user),
            "breadcrumbs": [{"text": "My sites", "href": reverse("dashboard")}, {"text": "Commissioner's view"}],
        },
    )


@login_required
def site_view(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_get_for_user(request.user, slug, VIEW)
    summary = selectors.site_overview(request.user, site)
    crime = outcomes.crime_section(site, suppressed=outcomes.counts_suppressed(request.user, site))
    return render(
        request,
        "commissioning/site.html",
        {
            "site": site,
            "s": summary,
            "crime_block": crime.blocks[0] if crime.blocks else None,
            "crime": crime,
            "suppressed": outcomes.counts_suppressed(request.user, site),
            "threshold": outcomes.suppression_threshold(),
            "breadcrumbs": [
                {"text": "My sites", "href": reverse("dashboard")},
                {"text": "Commissioner's view", "href": reverse("commissioner_overview")},
                {"text": site.name},
            ],
        },
    )
