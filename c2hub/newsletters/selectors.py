"""Reads for newsletters, subscribers and the public partnership page.

The data blocks' items come from the other apps' public selectors (``wins.public_wins``,
``actions.you_said_we_did(public=True)``, ``community.public_groups``) and the site's planned
events, as plain dicts of public fields only: no person is ever loaded into them, and every piece
of text goes through the site's name guard (a resident's name typed into a win's description
becomes "a resident"). A published issue shows its frozen items instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from c2hub.newsletters.models import (
    Block,
    BlockKind,
    Delivery,
    DeliveryStatus,
    IssueStatus,
    NewsletterIssue,
    PublicPage,
    Subscriber,
)
from c2hub.people.models import Group, GroupKind
from c2hub.programmes.models import Site, StepCriterion
from c2hub.programmes.suggestions import Suggestion

#: Pathway criteria a published newsletter can evidence: "communication channels are open".
CHANNEL_CRITERIA = frozenset({"communication-channels", "channels-open"})


# Issues and blocks ---------------------------------------------------------------------------------
def issues_for_site(site: Site, *, published_only: bool = False) -> QuerySet[NewsletterIssue]:
    issues = NewsletterIssue.objects.filter(site=site)
    if published_only:
        issues = issues.filter(status=IssueStatus.PUBLISHED)
    return issues.order_by("-number")


def issue_in_site(site: Site, number: int, *, published_only: bool = False) -> NewsletterIssue:
    issue = issues_for_site(site, published_only=published_only).filter(number=number).first()
    if issue is None:
        raise Http404("No such newsletter")
    return issue


def latest_published(site: Site) -> NewsletterIssue | None:
    return issues_for_site(site, published_only=True).first()


def blocks_of(issue: NewsletterIssue) -> list[Block]:
    return list(issue.blocks.order_by("order", "id"))


def block_in_issue(issue: NewsletterIssue, block_id: int) -> Block:
    block = issue.blocks.filter(pk=block_id).first()
    if block is None:
        raise Http404("No such block in this newsletter")
    return block


def _public_text(guard: Any, text: str) -> str:
    return guard.scrub(text) if text else ""


def _money(amount: Any) -> str:
    if amount is None:
        return ""
    whole = amount == amount.to_integral_value()
    return f"£{amount:,.0f}" if whole else f"£{amount:,.2f}"


def _win_items(site: Site, block: Block, guard: Any, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    from c2hub.wins.selectors import public_wins

    items = []
    if as_of is None:
        wins = public_wins(site, limit=block.item_limit, since=block.since)
    else:
        wins = [w for w in public_wins(site, since=block.since) if w.won_on <= as_of][: block.item_limit]
    for win in wins:
        funder = win.funder.name if win.funder else win.funder_name
        detail = ""
        if win.amount is not None:
            detail = f"{_money(win.amount)} from {funder}" if funder else _money(win.amount)
        elif win.media_outlet:
            detail = win.media_outlet
        items.append(
            {
                "title": _public_text(guard, win.title),
                "date": win.won_on.isoformat(),
                "kind": win.get_kind_display(),
                "text": _public_text(guard, win.description),
                "detail": _public_text(guard, detail),
                "link": win.media_url if win.media_url.startswith(("https://", "http://")) else "",
            }
        )
    return items


def upcoming_events(site: Site, *, limit: int = 5) -> list[dict[str, Any]]:
    """The site's planned events from now on, soonest first: what, when and where (the hub, or
    the venue's name) — never who organises or attends."""
    from c2hub.events.models import EventStatus
    from c2hub.events.selectors import events_for_site

    events = (
        events_for_site(site, status=EventStatus.PLANNED)
        .filter(starts_at__gte=timezone.now())
        .order_by("starts_at", "id")[: max(limit, 0)]
    )
    return [
        {
            "title": e.title,
            "date": timezone.localtime(e.starts_at).isoformat(),
            "kind": e.get_kind_display(),
            "where": e.venue if e.venue_kind == "elsewhere" and e.venue else "The community hub",
        }
        for e in events
    ]


def _event_items(site: Site, block: Block, guard: Any, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    return [
        {**item, "title": _public_text(guard, item["title"]), "where": _public_text(guard, item["where"])}
        for item in upcoming_events(site, limit=block.item_limit)
    ]


def _you_said_items(site: Site, block: Block, guard: Any, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    from c2hub.actions.selectors import you_said_we_did

    items = []
    for said in you_said_we_did(site, public=True):
        actions = said.actions
        if as_of is not None:  # an issue dated earlier tells only what had been done by then
            actions = [a for a in actions if a.completed_on is not None and a.completed_on <= as_of]
        if not actions:
            continue
        items.append(
            {
                "title": said.theme,
                "quote": said.quote,
                "votes": said.votes,
                "actions": [
                    {
                        "title": a.title,
                        "status": a.status_label,
                        "what_changed": a.what_changed,
                        "completed_on": a.completed_on.isoformat() if a.completed_on else "",
                    }
                    for a in actions
                ],
            }
        )
        if len(items) >= block.item_limit:
            break
    return items


def _group_items(site: Site, block: Block, guard: Any, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    from c2hub.community.selectors import public_groups

    groups = public_groups(site)
    if as_of is not None:
        groups = [g for g in groups if g.founded_on is None or g.founded_on <= as_of]
    return [
        {
            "title": _public_text(guard, g.name),
            "kind": g.get_kind_display(),
            "text": _public_text(guard, g.description),
            "schedule": _public_text(guard, g.schedule),
            "venue": _public_text(guard, g.venue),
            "ages": ", ".join(g.age_groups or []),
        }
        for g in groups[: block.item_limit]
    ]


_FILLERS = {
    BlockKind.WINS: _win_items,
    BlockKind.EVENTS: _event_items,
    BlockKind.YOU_SAID: _you_said_items,
    BlockKind.GROUPS: _group_items,
}


def live_items(site: Site, block: Block, guard: Any = None, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """A data block's items from the site's records as they are now (public fields only).
    ``as_of`` (an issue published with an earlier date: the demo's history) leaves out wins and
    groups that came later, and actions not done by then."""
    if not block.is_data:
        return []
    if guard is None:
        from c2hub.actions.selectors import name_guard

        guard = name_guard(site)
    return _FILLERS[BlockKind(block.kind)](site, block, guard, as_of)


@dataclass
class BlockView:
    block: Block
    items: list[dict[str, Any]]


def _when(value: str, *, with_time: bool = False) -> str:
    from c2hub.jinja2 import uk_date, uk_datetime

    if not value:
        return ""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return uk_datetime(parsed) if with_time else uk_date(parsed)


def displayed(kind: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items with their dates written out the UK way (``when``), for the pages, PDF and e-mail."""
    shown = []
    for item in items:
        item = dict(item)
        item["when"] = _when(item.get("date", ""), with_time=kind == BlockKind.EVENTS)
        if "actions" in item:
            item["actions"] = [{**a, "when": _when(a.get("completed_on", ""))} for a in item["actions"]]
        shown.append(item)
    return shown


def issue_content(issue: NewsletterIssue) -> list[BlockView]:
    """What the issue says, block by block: the frozen items once published, else the records now."""
    blocks = blocks_of(issue)
    if issue.is_published:
        return [BlockView(b, displayed(b.kind, list(b.items or []))) for b in blocks]
    guard = None
    if any(b.is_data for b in blocks):
        from c2hub.actions.selectors import name_guard

        guard = name_guard(issue.site)
    return [BlockView(b, displayed(b.kind, live_items(issue.site, b, guard))) for b in blocks]


# Subscribers and sending -----------------------------------------------------------------------------
def subscribers_for_site(site: Site, *, active_only: bool = False) -> QuerySet[Subscriber]:
    subscribers = Subscriber.objects.filter(site=site)
    if active_only:
        subscribers = subscribers.filter(unsubscribed_at__isnull=True)
    return subscribers.order_by("email")


def subscriber_in_site(site: Site, subscriber_id: int) -> Subscriber:
    found = Subscriber.objects.filter(site=site, pk=subscriber_id).first()
    if found is None:
        raise Http404("No such subscriber")
    return found


@dataclass(frozen=True)
class SubscriberCounts:
    active: int
    unsubscribed: int


def subscriber_counts(site: Site) -> SubscriberCounts:
    row = Subscriber.objects.filter(site=site).aggregate(
        active=Count("id", filter=Q(unsubscribed_at__isnull=True)),
        unsubscribed=Count("id", filter=Q(unsubscribed_at__isnull=False)),
    )
    return SubscriberCounts(active=row["active"] or 0, unsubscribed=row["unsubscribed"] or 0)


@dataclass(frozen=True)
class SendProgress:
    total: int
    sent: int
    failed: int
    waiting: int

    @property
    def done(self) -> int:
        return self.sent + self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def send_progress(issue: NewsletterIssue) -> SendProgress:
    counts = dict(Delivery.objects.filter(issue=issue).values_list("status").annotate(n=Count("id")))
    sent = counts.get(DeliveryStatus.SENT, 0)
    failed = counts.get(DeliveryStatus.FAILED, 0)
    waiting = counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0)
    return SendProgress(total=sent + failed + waiting, sent=sent, failed=failed, waiting=waiting)


# The public page -----------------------------------------------------------------------------------
def public_page_of(site: Site) -> PublicPage | None:
    return PublicPage.objects.filter(site=site).first()


def public_site(slug: str) -> tuple[Site, PublicPage]:
    """The site whose public page is on, by slug; any other slug (unknown, or a page that is off)
    is the same 404, so a site's existence is not revealed by its public address."""
    page = PublicPage.objects.filter(site__slug=slug, enabled=True).select_related("site").first()
    if page is None:
        raise Http404("No such public page")
    return page.site, page


@dataclass(frozen=True)
class WhoWeAre:
    name: str
    purpose: str
    hub_address: str
    opening_times: str


def who_we_are(site: Site) -> WhoWeAre:
    """The constituted partnership (else the partnership steering group): its name and purpose,
    and the hub's address and opening times. Groups only: never their members."""
    today = timezone.localdate()
    groups: dict[str, Group] = {}
    for g in (
        Group.objects.filter(site=site, kind__in=[GroupKind.CONSTITUTED_PARTNERSHIP, GroupKind.PARTNERSHIP_STEERING])
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .order_by(F("formed_on").desc(nulls_last=True), "-id")
        .only("kind", "name", "purpose", "hub_address", "opening_times")[:20]
    ):
        groups.setdefault(g.kind, g)  # the newest of each kind
    group = groups.get(GroupKind.CONSTITUTED_PARTNERSHIP) or groups.get(GroupKind.PARTNERSHIP_STEERING)
    if group is None:
        return WhoWeAre(name=f"{site.name} partnership", purpose="", hub_address="", opening_times="")
    constituted = groups.get(GroupKind.CONSTITUTED_PARTNERSHIP)
    return WhoWeAre(
        name=group.name,
        purpose=group.purpose,
        hub_address=constituted.hub_address if constituted else "",
        opening_times=constituted.opening_times if constituted else "",
    )


@dataclass
class PublicPageView:
    site: Site
    page: PublicPage
    who: WhoWeAre
    events: list[dict[str, Any]]
    latest: NewsletterIssue | None
    wins: list[dict[str, Any]]
    you_said: list[dict[str, Any]]


def public_page(site: Site, page: PublicPage) -> PublicPageView:
    from c2hub.actions.selectors import name_guard

    guard = name_guard(site)
    wins_block = Block(kind=BlockKind.WINS, item_limit=5)
    said_block = Block(kind=BlockKind.YOU_SAID, item_limit=5)
    events_block = Block(kind=BlockKind.EVENTS, item_limit=5)
    return PublicPageView(
        site=site,
        page=page,
        who=who_we_are(site),
        events=displayed(BlockKind.EVENTS, _event_items(site, events_block, guard)),
        latest=latest_published(site),
        wins=displayed(BlockKind.WINS, _win_items(site, wins_block, guard)),
        you_said=displayed(BlockKind.YOU_SAID, _you_said_items(site, said_block, guard)),
    )


# Pathway suggestions -------------------------------------------------------------------------------
def newsletter_suggestions(site: Site, criteria: list[StepCriterion]) -> dict[int, list[Suggestion]]:
    """Published newsletters, newest first, for the "communication channels are open" criteria."""
    from django.urls import reverse

    from c2hub.jinja2 import uk_date

    issues = list(issues_for_site(site, published_only=True)[:5])
    if not issues:
        return {}
    return {
        criterion.pk: [
            Suggestion(
                record=issue,
                title=f"Newsletter {issue.number}: {issue.title}",
                url=reverse("newsletter_detail", args=[site.slug, issue.number]),
                attach_url=reverse("newsletter_evidence", args=[site.slug, issue.number]),
                meta=f"Published {uk_date(issue.published_at)}",
            )
            for issue in issues
        ]
        for criterion in criteria
        if criterion.key in CHANNEL_CRITERIA
    }


def issue_published_on(issue: NewsletterIssue) -> dt.date | None:
    return timezone.localdate(issue.published_at) if issue.published_at else None
