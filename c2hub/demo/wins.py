"""The demo's wins and funding bids for the established Cornish sites, idempotently.

From the demo's sources: Camborne's TR14ers forming after the listening event (17 May 2008), the
Queen's Award for Voluntary Service (2011), West Cornwall PCT funding the dance leaders group,
the police's new way with young people; Beacon's housing regeneration (about £2.2m of housing
investment); Beacon and Redruth hosting the Southchurch team's site visits (September 2013).
Exact days, amounts the sources do not give, and every other win and bid are illustrative and say
so. Southchurch (new in 2013) has no wins yet. Media wins name no real article and carry no link.
A few wins are linked to the action-plan demo's actions that led to them, when the action exists
and was done by the win's date.

Wins have a natural key (site and title), bids (site and purpose): a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from c2hub.actions.models import Action, ActionStatus
from c2hub.community.models import CommunityGroup
from c2hub.demo import content
from c2hub.people.models import Organisation
from c2hub.programmes.models import Site
from c2hub.wins import services
from c2hub.wins.models import BidStatus, FundingBid, Win, WinKind

ILLUSTRATIVE = "Illustrative: the demo's sources do not describe this {what}; it shows how C2 Hub records one."
AMOUNT_ILLUSTRATIVE = "The sources give no amount or day: both are illustrative."


@dataclass(frozen=True)
class BidSpec:
    purpose: str
    amount_asked: str
    status: str
    submitted_on: dt.date
    decided_on: dt.date | None = None
    decision_due_on: dt.date | None = None
    amount_awarded: str | None = None
    funder: str = ""  # an organisation of the site, by name
    funder_name: str = ""
    notes: str = ""


@dataclass(frozen=True)
class WinSpec:
    kind: str
    title: str
    won_on: dt.date
    description: str
    celebrated_how: str = ""
    funder: str = ""
    funder_name: str = ""
    amount: str | None = None
    media_outlet: str = ""
    group: str = ""
    #: The bid it records (by purpose): the bid is created first.
    bid: BidSpec | None = None
    #: Titles of the site's actions that led to it (from the action plan demo), linked when the
    #: action exists and was done by the win's date.
    actions: tuple[str, ...] = ()


def _bid(purpose: str, asked: str, submitted: dt.date, decided: dt.date, awarded: str, **more: Any) -> BidSpec:
    status = BidStatus.AWARDED if Decimal(awarded) >= Decimal(asked) else BidStatus.PART_AWARDED
    return BidSpec(purpose, asked, status, submitted, decided_on=decided, amount_awarded=awarded, **more)


LOTTERY = "National Lottery Awards for All"
FOUNDATION = "Community foundation (illustrative)"
COUNCIL = "The district council (illustrative)"

WINS: dict[str, tuple[WinSpec, ...]] = {
    "camborne": (
        WinSpec(
            WinKind.SERVICE_CHANGE,
            "The police listen to young people first",
            dt.date(2008, 6, 1),
            "After attending a C2 Programme, the Camborne Neighbourhood Beat team realised new ways of "
            "tackling youth anti-social behaviour were needed, and started by asking young people what "
            "it is like to live around here (summary). The month is illustrative.",
            celebrated_how="Reported back to residents at the feedback event.",
        ),
        WinSpec(
            WinKind.NEW_GROUP,
            "The TR14ers are formed",
            dt.date(2008, 8, 1),
            "Over one hundred young people came to the first holiday dance workshop; by the second they "
            "had named themselves the TR14ers, after Camborne's postcode (summary). The day is illustrative.",
            celebrated_how="A show for families at the end of the summer workshops (illustrative).",
            group="TR14ers dance group",
        ),
        WinSpec(
            WinKind.MEDIA,
            "Local paper covers the TR14ers' first show",
            dt.date(2008, 9, 12),
            ILLUSTRATIVE.format(what="article"),
            media_outlet="The local weekly newspaper",
            celebrated_how="Cuttings pinned up at the hub.",
        ),
        WinSpec(
            WinKind.FUNDING,
            "Awards for All grant for stay and play",
            dt.date(2009, 2, 16),
            ILLUSTRATIVE.format(what="grant"),
            funder_name=LOTTERY,
            amount="4800",
            celebrated_how="Thanked the funder at the first session.",
            bid=_bid(
                "Stay and play for parents and under-fives",
                "4800",
                dt.date(2008, 11, 3),
                dt.date(2009, 2, 16),
                "4800",
                funder_name=LOTTERY,
                notes=ILLUSTRATIVE.format(what="bid"),
            ),
        ),
        WinSpec(
            WinKind.IMPROVEMENT,
            "Lighting and a youth shelter by the park",
            dt.date(2009, 6, 19),
            ILLUSTRATIVE.format(what="improvement"),
            celebrated_how="Opened by the TR14ers with a street dance.",
            actions=("Fix the broken lighting on the footpath to the shops",),
        ),
        WinSpec(
            WinKind.FUNDING,
            "West Cornwall PCT funds the dance leaders group",
            dt.date(2009, 12, 4),
            "West Cornwall PCT funded the TR14ers' dance leaders group to work with other youth groups "
            f"and schools, engaging young people in activity and building their self-esteem (summary). "
            f"{AMOUNT_ILLUSTRATIVE}",
            funder=content.WEST_CORNWALL_PCT,
            amount="12000",
            celebrated_how="Announced at the partnership's Christmas social.",
            bid=_bid(
                "TR14ers dance leaders: working with other youth groups and schools",
                "15000",
                dt.date(2009, 9, 1),
                dt.date(2009, 12, 4),
                "12000",
                funder=content.WEST_CORNWALL_PCT,
                notes=AMOUNT_ILLUSTRATIVE,
            ),
        ),
        WinSpec(
            WinKind.MILESTONE,
            "First TR14ers qualify as dance leaders",
            dt.date(2010, 1, 23),
            ILLUSTRATIVE.format(what="milestone"),
            celebrated_how="Certificates presented at a TR14ers show.",
            actions=("Dance workshops with young people",),
        ),
        WinSpec(
            WinKind.AWARD,
            "Queen's Award for Voluntary Service",
            dt.date(2011, 6, 2),
            "In 2011 the TR14ers were awarded the Queen's Award for Voluntary Service (summary). The day "
            "(the awards' usual announcement day) is illustrative.",
            celebrated_how="A celebration performance for the town.",
        ),
    ),
    "beacon": (
        WinSpec(
            WinKind.NEW_GROUP,
            "Beacon youth club opens",
            dt.date(1999, 5, 1),
            ILLUSTRATIVE.format(what="group"),
            group="Beacon youth club",
            celebrated_how="An opening night for families.",
            actions=("Open the community centre for a Friday youth night",),
        ),
        WinSpec(
            WinKind.FUNDING,
            "Grant for the youth club",
            dt.date(1999, 3, 22),
            ILLUSTRATIVE.format(what="grant"),
            funder_name=LOTTERY,
            amount="5000",
            bid=_bid(
                "Equipment and sessional workers for a youth club",
                "5000",
                dt.date(1998, 12, 1),
                dt.date(1999, 3, 22),
                "5000",
                funder_name=LOTTERY,
                notes=ILLUSTRATIVE.format(what="bid"),
            ),
            celebrated_how="Thanked the funder in the first newsletter.",
        ),
        WinSpec(
            WinKind.IMPROVEMENT,
            "Play area refurbished",
            dt.date(1999, 10, 8),
            ILLUSTRATIVE.format(what="improvement"),
            celebrated_how="Children cut the ribbon.",
        ),
        WinSpec(
            WinKind.MEDIA,
            "Local radio features the estate's new partnership",
            dt.date(1999, 11, 4),
            ILLUSTRATIVE.format(what="broadcast"),
            media_outlet="Local radio",
        ),
        WinSpec(
            WinKind.SERVICE_CHANGE,
            "Health visitor drop-in at the community centre",
            dt.date(2000, 2, 7),
            ILLUSTRATIVE.format(what="service change"),
            celebrated_how="Announced at the partnership meeting and in the newsletter.",
            actions=("Health drop-in with the practice nurse at the hub",),
        ),
        WinSpec(
            WinKind.FUNDING,
            "Investment in regenerating the housing stock",
            dt.date(2000, 4, 3),
            "The regeneration of the housing stock by the Beacon Partnership came with about £2.2m of "
            "housing investment (public C2 material). The funders and the day are not in the sources: "
            "illustrative.",
            funder_name="Housing investment partners (not named in the sources)",
            amount="2200000",
            celebrated_how="A street party when the first homes were finished.",
        ),
        WinSpec(
            WinKind.MILESTONE,
            "Residents chair the partnership",
            dt.date(2000, 6, 12),
            ILLUSTRATIVE.format(what="milestone"),
            celebrated_how="Thanked at the annual meeting.",
        ),
        WinSpec(
            WinKind.VISIT_HOSTED,
            "Hosted the Southchurch C2 team's site visit",
            dt.date(2013, 9, 2),
            "During their residential in September 2013 the Southchurch team visited Beacon (Southchurch "
            "report 4.3). The day is illustrative.",
            celebrated_how="Residents showed the visitors round the estate.",
        ),
    ),
    "redruth": (
        WinSpec(
            WinKind.SERVICE_CHANGE,
            "Street lights repaired within a week",
            dt.date(2004, 3, 15),
            ILLUSTRATIVE.format(what="service change"),
            celebrated_how="Reported in the partnership's newsletter.",
            actions=("Fix the broken lighting on the footpath to the shops",),
        ),
        WinSpec(
            WinKind.NEW_GROUP,
            "Young people form the skate park users group",
            dt.date(2004, 6, 1),
            ILLUSTRATIVE.format(what="group"),
            group="Skate park users group",
        ),
        WinSpec(
            WinKind.MILESTONE,
            "Young people present their skate park plans to the council",
            dt.date(2004, 11, 9),
            ILLUSTRATIVE.format(what="milestone"),
            celebrated_how="Pizza night at the hub.",
        ),
        WinSpec(
            WinKind.FUNDING,
            "Grant for the skate park",
            dt.date(2005, 2, 25),
            ILLUSTRATIVE.format(what="grant"),
            funder_name=COUNCIL,
            amount="18000",
            bid=_bid(
                "Building a skate park",
                "25000",
                dt.date(2004, 12, 1),
                dt.date(2005, 2, 25),
                "18000",
                funder_name=COUNCIL,
                notes=ILLUSTRATIVE.format(what="bid"),
            ),
            celebrated_how="Announced at the partnership meeting.",
        ),
        WinSpec(
            WinKind.IMPROVEMENT,
            "The skate park opens",
            dt.date(2005, 7, 16),
            ILLUSTRATIVE.format(what="improvement"),
            celebrated_how="An opening jam with the users group.",
        ),
        WinSpec(
            WinKind.MEDIA,
            "Local paper reports the skate park opening",
            dt.date(2005, 7, 22),
            ILLUSTRATIVE.format(what="article"),
            media_outlet="The local weekly newspaper",
        ),
        WinSpec(
            WinKind.VISIT_HOSTED,
            "Hosted the Southchurch C2 team's site visit",
            dt.date(2013, 9, 3),
            "During their residential in September 2013 the Southchurch team visited Redruth (Southchurch "
            "report 4.3). The day is illustrative.",
            celebrated_how="A walk round the town with partnership members.",
        ),
    ),
}

#: Bids that did not become wins.
OTHER_BIDS: dict[str, tuple[BidSpec, ...]] = {
    "camborne": (
        BidSpec(
            "A minibus for TR14ers performances",
            "22000",
            BidStatus.REFUSED,
            dt.date(2010, 3, 1),
            decided_on=dt.date(2010, 6, 14),
            funder_name=FOUNDATION,
            notes=ILLUSTRATIVE.format(what="bid"),
        ),
        BidSpec(
            "Lunch club kitchen equipment",
            "3500",
            BidStatus.WITHDRAWN,
            dt.date(2010, 9, 6),
            funder_name=FOUNDATION,
            notes="Withdrawn when the church hall lent its kitchen. " + ILLUSTRATIVE.format(what="bid"),
        ),
    ),
    "beacon": (
        BidSpec(
            "After-school club staffing",
            "9000",
            BidStatus.REFUSED,
            dt.date(1999, 6, 1),
            decided_on=dt.date(1999, 9, 10),
            funder_name=FOUNDATION,
            notes=ILLUSTRATIVE.format(what="bid"),
        ),
    ),
    "redruth": (
        BidSpec(
            "Walking group leader training",
            "2400",
            BidStatus.REFUSED,
            dt.date(2004, 9, 15),
            decided_on=dt.date(2004, 12, 1),
            funder_name=LOTTERY,
            notes=ILLUSTRATIVE.format(what="bid"),
        ),
    ),
}


def _organisation(site: Site, name: str) -> Organisation | None:
    return Organisation.objects.filter(sites=site, name=name).first() if name else None


def _actions(site: Site, spec: WinSpec) -> list[Action]:
    """The spec's actions that the site's action plan has and had done by the win's date."""
    if not spec.actions:
        return []
    return list(
        Action.objects.filter(
            site=site, title__in=spec.actions, status=ActionStatus.DONE, completed_on__lte=spec.won_on
        ).order_by("title")
    )


def _bid_ensure(site: Site, spec: BidSpec) -> tuple[FundingBid, bool]:
    bid = FundingBid.objects.filter(site=site, purpose=spec.purpose).first()
    if bid is not None:
        return bid, False
    funder = _organisation(site, spec.funder)
    return (
        services.bid_create(
            actor=None,
            site=site,
            purpose=spec.purpose,
            amount_asked=Decimal(spec.amount_asked),
            funder=funder,
            funder_name="" if funder else (spec.funder_name or spec.funder),
            status=spec.status,
            submitted_on=spec.submitted_on,
            decision_due_on=spec.decision_due_on,
            decided_on=spec.decided_on,
            amount_awarded=Decimal(spec.amount_awarded) if spec.amount_awarded else None,
            notes=spec.notes,
        ),
        True,
    )


def demo_wins_ensure(sites: dict[str, Site], actor: Any) -> int:
    """Create the demo's wins and bids (after the community demo: new-group wins link to groups).
    Returns how many rows were created (0 on a second run)."""
    created = 0
    for slug, specs in WINS.items():
        site = sites.get(slug)
        if site is None:
            continue
        for spec in specs:
            bid = None
            if spec.bid is not None:
                bid, new = _bid_ensure(site, spec.bid)
                created += new
            actions = _actions(site, spec)
            existing = Win.objects.filter(site=site, title=spec.title).first()
            if existing is not None:
                if actions and not existing.actions.exists():
                    services.win_update(actor=None, win=existing, actions=actions)
                    created += 1
                continue
            funder = _organisation(site, spec.funder)
            services.win_create(
                actor=None,
                site=site,
                kind=spec.kind,
                title=spec.title,
                won_on=spec.won_on,
                description=spec.description,
                funder=funder,
                funder_name="" if funder else (spec.funder_name or spec.funder),
                amount=Decimal(spec.amount) if spec.amount else None,
                media_outlet=spec.media_outlet,
                community_group=CommunityGroup.objects.filter(site=site, name=spec.group).first()
                if spec.group
                else None,
                celebrated_how=spec.celebrated_how,
                bid=bid if bid is not None and bid.win_id is None else None,
                actions=actions,
            )
            created += 1
        for bid_spec in OTHER_BIDS.get(slug, ()):
            created += _bid_ensure(site, bid_spec)[1]
    return created
