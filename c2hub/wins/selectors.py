"""Reads for wins and funding bids — always through a site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from c2hub.actions.models import Action
from c2hub.community.models import CommunityGroup
from c2hub.events.models import Event, EventKind, EventStatus
from c2hub.programmes.models import Site, StepCriterion
from c2hub.programmes.suggestions import Suggestion
from c2hub.wins.models import BidStatus, FundingBid, Win, WinKind
from c2hub.wins.services import DECIDED, SUCCESSFUL


def public_wins(site: Site, *, limit: int | None = None, since: date | None = None) -> list[Win]:
    """The site's public wins, newest first (for the public page and newsletters).

    No personal data: callers show the title, kind, date, description, funder, amount and media
    outlet/link; ``created_by`` is not loaded."""
    wins = (
        Win.objects.filter(site=site, public=True)
        .select_related("funder", "community_group")
        .order_by("-won_on", "-id")
    )
    if since is not None:
        wins = wins.filter(won_on__gte=since)
    if limit is not None:
        wins = wins[: max(limit, 0)]
    return list(wins)


# The wins log ------------------------------------------------------------------------------------
def wins_for_site(site: Site, *, kind: str = "", year: int | None = None) -> QuerySet[Win]:
    """A site's wins, newest first, filtered by kind and calendar year."""
    wins = Win.objects.filter(site=site).select_related("funder", "community_group", "celebration_event")
    if kind:
        wins = wins.filter(kind=kind)
    if year is not None:
        wins = wins.filter(won_on__year=year)
    return wins.order_by("-won_on", "-id")


def win_in_site(site: Site, win_id: int) -> Win:
    win = (
        Win.objects.filter(site=site, pk=win_id)
        .select_related("site", "funder", "community_group", "celebration_event", "created_by")
        .first()
    )
    if win is None:
        raise Http404("No such win in this site")
    return win


def win_years(site: Site) -> list[int]:
    """The years with a win, newest first (for the year filter)."""
    return sorted({d.year for d in Win.objects.filter(site=site).dates("won_on", "year")}, reverse=True)


@dataclass(frozen=True)
class FundingYear:
    year: int
    wins: int
    amount: Decimal


def funding_by_year(site: Site) -> list[FundingYear]:
    """Funding secured per calendar year (funding wins and their amounts), oldest first."""
    rows = (
        Win.objects.filter(site=site, kind=WinKind.FUNDING)
        .annotate(year=ExtractYear("won_on"))
        .values("year")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("year")
    )
    return [
        FundingYear(year=r["year"], wins=r["n"], amount=Decimal(r["total"] or 0).quantize(Decimal("0.01")))
        for r in rows
    ]


def wins_by_kind(site: Site, *, year: int | None = None) -> list[tuple[str, str, int]]:
    """(kind, label, how many) for every kind, in the order of ``WinKind``."""
    wins = Win.objects.filter(site=site)
    if year is not None:
        wins = wins.filter(won_on__year=year)
    counts = dict(wins.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in WinKind.choices]


def site_action_choices(site: Site) -> list[tuple[int, str]]:
    return [(a.pk, a.title) for a in Action.objects.filter(site=site).order_by("title", "id")]


def site_funder_choices(site: Site) -> list[tuple[int, str]]:
    return [(o.pk, o.name) for o in site.organisations.order_by("name", "id")]


def celebration_event_choices(site: Site) -> list[tuple[int, str]]:
    """The site's events a win may have been celebrated at: celebrations first, newest first."""
    events = Event.objects.filter(site=site).exclude(status=EventStatus.CANCELLED).order_by("-starts_at", "-id")
    ordered = sorted(events, key=lambda e: e.kind != EventKind.CELEBRATION)
    return [(e.pk, f"{e.title} ({timezone.localtime(e.starts_at):%-d %b %Y})") for e in ordered]


def group_choices(site: Site) -> list[tuple[int, str]]:
    return [(g.pk, g.name) for g in CommunityGroup.objects.filter(site=site).order_by("name", "id")]


# Funding bids ------------------------------------------------------------------------------------
def bids_for_site(site: Site, *, status: str = "", year: int | None = None) -> QuerySet[FundingBid]:
    bids = FundingBid.objects.filter(site=site).select_related("funder", "win")
    if status:
        bids = bids.filter(status=status)
    if year is not None:
        bids = bids.filter(submitted_on__year=year)
    return bids.order_by(F("submitted_on").desc(nulls_first=True), "-id")


def bid_in_site(site: Site, bid_id: int) -> FundingBid:
    bid = FundingBid.objects.filter(site=site, pk=bid_id).select_related("site", "funder", "win").first()
    if bid is None:
        raise Http404("No such funding bid in this site")
    return bid


@dataclass(frozen=True)
class BidYear:
    """The bids submitted in one calendar year and what became of them."""

    year: int
    submitted: int
    asked: Decimal
    decided: int
    successful: int
    awarded: Decimal

    @property
    def success_rate(self) -> float | None:
        """Successful bids out of those decided (None while none is decided)."""
        return self.successful / self.decided if self.decided else None


def bid_totals_by_year(site: Site) -> list[BidYear]:
    """Per year of submission, oldest first: bids submitted, asked, decided, successful, awarded.
    Bids still being written (no submission date) are not counted."""
    years: dict[int, dict[str, Any]] = {}
    for bid in FundingBid.objects.filter(site=site, submitted_on__isnull=False).only(
        "submitted_on", "status", "amount_asked", "amount_awarded"
    ):
        row = years.setdefault(
            bid.submitted_on.year,
            {"submitted": 0, "asked": Decimal("0"), "decided": 0, "successful": 0, "awarded": Decimal("0")},
        )
        row["submitted"] += 1
        row["asked"] += bid.amount_asked
        if bid.status in DECIDED:
            row["decided"] += 1
        if bid.status in SUCCESSFUL:
            row["successful"] += 1
            row["awarded"] += bid.amount_awarded or Decimal("0")
    return [BidYear(year=year, **row) for year, row in sorted(years.items())]


def bid_pipeline(site: Site) -> list[tuple[str, str, list[FundingBid]]]:
    """(status, label, bids) in pipeline order, every status even when empty."""
    bids = list(bids_for_site(site))
    return [(value, label, [b for b in bids if b.status == value]) for value, label in BidStatus.choices]


# Pathway suggestions ------------------------------------------------------------------------------
#: Criterion keys (both pathway versions) → the wins that may evidence them.
CRITERION_WINS: dict[str, frozenset[str] | None] = {
    # Visible wins celebrated (funding won, positive media): any celebrated win.
    "wins-celebrated": None,
    "early-wins": None,
    # Visible transformational change: improvements and service changes.
    "visible-change": frozenset({WinKind.IMPROVEMENT, WinKind.SERVICE_CHANGE}),
    # Confidence and volunteering: residents' milestones.
    "confidence-and-volunteering": frozenset({WinKind.MILESTONE}),
    "momentum": frozenset({WinKind.MILESTONE}),
    # Health gains and gains for other public services.
    "health-and-service-gains": frozenset({WinKind.SERVICE_CHANGE}),
}


def suggested_wins_by_criterion(site: Site, criteria: list[StepCriterion], *, limit: int = 5) -> dict[int, list[Win]]:
    """For each criterion with a mapping, the site's matching wins, newest first: celebrated wins
    for "wins celebrated", improvements and service changes for "visible change"…"""
    wanted = [c for c in criteria if c.key in CRITERION_WINS]
    if not wanted:
        return {}
    wins = list(wins_for_site(site)[:200])
    found: dict[int, list[Win]] = {}
    for criterion in wanted:
        kinds = CRITERION_WINS[criterion.key]
        matching = [w for w in wins if (w.is_celebrated if kinds is None else w.kind in kinds)]
        if matching:
            found[criterion.pk] = matching[: limit * 3]
    return found


def win_suggestions(site: Site, criteria: list[StepCriterion]) -> dict[int, list[Suggestion]]:
    """``suggested_wins_by_criterion`` as pathway suggestions (registered in apps.py)."""
    from django.urls import reverse

    from c2hub.jinja2 import uk_date

    return {
        criterion_id: [
            Suggestion(
                record=w,
                title=w.title,
                url=reverse("win_detail", args=[site.slug, w.pk]),
                attach_url=reverse("win_evidence", args=[site.slug, w.pk]),
                meta=f"{w.get_kind_display()}, {uk_date(w.won_on)}" + (", celebrated" if w.is_celebrated else ""),
            )
            for w in wins
        ]
        for criterion_id, wins in suggested_wins_by_criterion(site, criteria).items()
    }
