"""Reads for wins and funding bids — always through a site."""

from __future__ import annotations

from datetime import date

from c2hub.programmes.models import Site
from c2hub.wins.models import Win


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
