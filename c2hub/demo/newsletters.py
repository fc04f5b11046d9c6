"""The demo's newsletters, subscribers and public pages for the established Cornish sites,
idempotently.

Beacon, Redruth and Camborne each get three published issues dated across their history. Their
data blocks are filled from the wins, "you said, we did" actions and community groups the other
demo modules made (so this runs last among the site demos), as they stood on each issue's date;
where those records are missing the blocks say there is nothing to report. The issues' own words
are illustrative and say so. Each site's public page is on, with a few subscribers whose consent
is recorded as given on the sign-up sheet at the hub (fictional example.org addresses, no names).

Issues have a natural key (site and title), subscribers (site and e-mail): a second run writes
nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from c2hub.newsletters import services
from c2hub.newsletters.models import BlockKind, NewsletterIssue, PublicPage, Subscriber
from c2hub.programmes.models import Site

ILLUSTRATIVE = "(Illustrative: the demo's sources do not include the partnership's newsletters.)"


@dataclass(frozen=True)
class IssueSpec:
    title: str
    published_on: dt.date
    welcome: str
    #: Data blocks, in order, after the welcome text.
    blocks: tuple[str, ...] = (BlockKind.WINS,)


ISSUES: dict[str, tuple[IssueSpec, ...]] = {
    "beacon": (
        IssueSpec(
            "Summer 1999",
            dt.date(1999, 7, 1),
            "Welcome to the first newsletter of the Beacon partnership: what residents and the agencies "
            "working on the estate have done together since the listening event.",
        ),
        IssueSpec(
            "Summer 2000",
            dt.date(2000, 7, 3),
            "A year on: the estate is changing, and residents are leading it.",
            (BlockKind.WINS, BlockKind.GROUPS),
        ),
        IssueSpec(
            "Autumn 2013",
            dt.date(2013, 10, 7),
            "Fifteen years of the Beacon partnership, and visitors from Southchurch came to see how it works.",
            (BlockKind.WINS, BlockKind.YOU_SAID, BlockKind.GROUPS),
        ),
    ),
    "redruth": (
        IssueSpec(
            "Summer 2004",
            dt.date(2004, 7, 5),
            "The first newsletter of the Redruth partnership: what we heard, and what has started.",
        ),
        IssueSpec(
            "Summer 2005",
            dt.date(2005, 8, 1),
            "What a year: here is what the partnership has achieved.",
            (BlockKind.WINS, BlockKind.GROUPS),
        ),
        IssueSpec(
            "Autumn 2013",
            dt.date(2013, 10, 7),
            "Southchurch came to visit: here is what we showed them.",
            (BlockKind.WINS, BlockKind.YOU_SAID, BlockKind.GROUPS),
        ),
    ),
    "camborne": (
        IssueSpec(
            "Autumn 2008",
            dt.date(2008, 10, 6),
            "The first newsletter of the Camborne partnership, after the listening event in May.",
        ),
        IssueSpec(
            "Spring 2010",
            dt.date(2010, 3, 1),
            "The TR14ers are dancing, and the partnership has more to celebrate.",
            (BlockKind.WINS, BlockKind.GROUPS),
        ),
        IssueSpec(
            "Summer 2011",
            dt.date(2011, 7, 4),
            "A Queen's Award for the TR14ers: the whole town can be proud.",
            (BlockKind.WINS, BlockKind.YOU_SAID, BlockKind.GROUPS),
        ),
    ),
}
SUBSCRIBERS_PER_SITE = 3


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _issue_ensure(site: Site, spec: IssueSpec) -> int:
    if NewsletterIssue.objects.filter(site=site, title=spec.title).exists():
        return 0
    issue = services.issue_create(actor=None, site=site, title=spec.title)
    services.block_add(
        actor=None, issue=issue, kind=BlockKind.TEXT, heading="Welcome", body=f"{spec.welcome}\n\n{ILLUSTRATIVE}"
    )
    for kind in spec.blocks:
        services.block_add(actor=None, issue=issue, kind=kind, item_limit=4)
    services.issue_publish(actor=None, issue=issue, when=_noon(spec.published_on))
    NewsletterIssue.objects.filter(pk=issue.pk).update(created_at=_noon(spec.published_on - dt.timedelta(days=14)))
    return 1


def demo_newsletters_ensure(sites: dict[str, Site], actor: Any = None) -> int:
    """Published newsletters, public pages on, and a few consenting subscribers. Answers how many
    rows it created (0 on a second run)."""
    created = 0
    for slug, specs in ISSUES.items():
        site = sites.get(slug)
        if site is None:
            continue
        if not PublicPage.objects.filter(site=site).exists():
            services.public_page_set(
                actor=None,
                site=site,
                enabled=True,
                introduction=f"Residents and the agencies serving {site.name}, working together as equals.",
            )
            created += 1
        for spec in specs:
            created += _issue_ensure(site, spec)
        for n in range(1, SUBSCRIBERS_PER_SITE + 1):
            email = f"subscriber{n}.{slug}@example.org"
            if Subscriber.objects.filter(site=site, email=email).exists():
                continue
            services.subscriber_add(
                actor=None,
                site=site,
                email=email,
                consent_note="Signed the newsletter sign-up sheet at the hub (illustrative).",
                consent_given_on=specs[0].published_on,
            )
            created += 1
    return created
