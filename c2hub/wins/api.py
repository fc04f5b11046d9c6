"""API for a site's wins and funding bids.

Same rules as the pages: a site only through ``site_get_for_user`` (404 for others' sites, 403 for
a missing permission), writes only through ``services.py``; bad input is a 422 JSON answer with a
``detail`` (and ``errors`` by field). Funders, actions, events and groups are ids of this site.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from c2hub.actions.models import Action
from c2hub.api.schemas import COMMON_ERRORS, MAX_ID, WRITE_ERRORS, SiteSlug, Text
from c2hub.community.models import CommunityGroup
from c2hub.events.models import Event
from c2hub.people.models import Organisation
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import site_get_for_user
from c2hub.wins import selectors, services
from c2hub.wins.models import BidStatus, FundingBid, Win, WinKind

router = Router(tags=["Wins and funding bids"])

VIEW, CHANGE = "wins.view_wins", "wins.change_wins"
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Money = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]


class WinOut(Schema):
    id: int
    site: str = Field(..., examples=["camborne"])
    kind: str = Field(..., examples=["funding"])
    kind_label: str
    title: str
    description: str
    won_on: dt.date
    funder_id: int | None
    funder: str = Field(..., description="The funder's name (an organisation's or as typed).")
    amount: Decimal | None
    media_outlet: str
    media_url: str
    community_group_id: int | None
    evidence_url: str
    has_evidence_file: bool
    action_ids: list[int]
    celebrated_how: str
    celebration_event_id: int | None
    celebrated: bool
    public: bool
    bid_id: int | None = Field(None, description="The funding bid this win records, if any.")


class WinIn(Schema):
    kind: Literal[tuple(WinKind.values)]  # type: ignore[valid-type]
    title: Text = Field(..., max_length=200)
    won_on: dt.date
    description: Text = Field("", max_length=10000)
    funder_id: Id | None = None
    funder_name: Text = Field("", max_length=200)
    amount: Money | None = None
    media_outlet: Text = Field("", max_length=200)
    media_url: Text = Field("", max_length=500)
    community_group_id: Id | None = None
    evidence_url: Text = Field("", max_length=500)
    action_ids: list[Id] = Field(default_factory=list, max_length=200)
    celebrated_how: Text = Field("", max_length=5000)
    celebration_event_id: Id | None = None
    public: bool = True
    bid_id: Id | None = Field(None, description="An awarded bid of the site this funding win records.")


class WinFilter(Schema):
    kind: Literal[tuple(["", *WinKind.values])] = ""  # type: ignore[valid-type]
    year: int | None = Field(None, ge=1900, le=2200)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class FundingYearOut(Schema):
    year: int
    wins: int
    amount: Decimal


class WinsPageOut(Schema):
    count: int
    limit: int
    offset: int
    funding_by_year: list[FundingYearOut]
    items: list[WinOut]


class BidOut(Schema):
    id: int
    site: str
    funder_id: int | None
    funder: str
    purpose: str
    amount_asked: Decimal
    status: str = Field(..., examples=["submitted"])
    status_label: str
    submitted_on: dt.date | None
    decision_due_on: dt.date | None
    decided_on: dt.date | None
    amount_awarded: Decimal | None
    win_id: int | None
    notes: str


class BidIn(Schema):
    purpose: Text = Field(..., max_length=300)
    amount_asked: Money
    funder_id: Id | None = None
    funder_name: Text = Field("", max_length=200)
    status: Literal[tuple(BidStatus.values)] = BidStatus.DRAFTING  # type: ignore[valid-type]
    submitted_on: dt.date | None = None
    decision_due_on: dt.date | None = None
    decided_on: dt.date | None = None
    amount_awarded: Money | None = None
    notes: Text = Field("", max_length=5000)


class BidYearOut(Schema):
    year: int
    submitted: int
    asked: Decimal
    decided: int
    successful: int
    awarded: Decimal
    success_rate: float | None = Field(None, description="Successful out of decided; null while none is decided.")


class BidsOut(Schema):
    totals_by_year: list[BidYearOut]
    items: list[BidOut]


def _win_out(win: Win) -> WinOut:
    bid = FundingBid.objects.filter(win=win).values_list("pk", flat=True).first()
    return WinOut(
        id=win.pk,
        site=win.site.slug,
        kind=win.kind,
        kind_label=win.get_kind_display(),
        title=win.title,
        description=win.description,
        won_on=win.won_on,
        funder_id=win.funder_id,
        funder=win.funder.name if win.funder else win.funder_name,
        amount=win.amount,
        media_outlet=win.media_outlet,
        media_url=win.media_url,
        community_group_id=win.community_group_id,
        evidence_url=win.evidence_url,
        has_evidence_file=bool(win.evidence_file),
        action_ids=sorted(a.pk for a in win.actions.all()),
        celebrated_how=win.celebrated_how,
        celebration_event_id=win.celebration_event_id,
        celebrated=win.is_celebrated,
        public=win.public,
        bid_id=bid,
    )


def _bid_out(bid: FundingBid) -> BidOut:
    return BidOut(
        id=bid.pk,
        site=bid.site.slug,
        funder_id=bid.funder_id,
        funder=bid.funder.name if bid.funder else bid.funder_name,
        purpose=bid.purpose,
        amount_asked=bid.amount_asked,
        status=bid.status,
        status_label=bid.get_status_display(),
        submitted_on=bid.submitted_on,
        decision_due_on=bid.decision_due_on,
        decided_on=bid.decided_on,
        amount_awarded=bid.amount_awarded,
        win_id=bid.win_id,
        notes=bid.notes,
    )


def _one(model: Any, pk: int | None, field: str, errors: dict[str, str], message: str, **scope: Any) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, **scope).first()
    if found is None:
        errors[field] = message
    return found


def _funder(site: Site, pk: int | None, errors: dict[str, str]) -> Organisation | None:
    return _one(Organisation, pk, "funder_id", errors, "No such organisation in this site.", sites=site)


@router.get("/sites/{slug}/wins", response={200: WinsPageOut, **COMMON_ERRORS}, summary="A site's wins")
def win_list(request: HttpRequest, slug: SiteSlug, filters: Query[WinFilter]) -> WinsPageOut:
    """Newest first; filter by `kind` and calendar `year`. `funding_by_year`: funding secured per year."""
    site = site_get_for_user(request.user, slug, VIEW)
    wins = selectors.wins_for_site(site, kind=filters.kind, year=filters.year)
    count = wins.count()
    page = wins.select_related("site").prefetch_related("actions")[filters.offset : filters.offset + filters.limit]
    return WinsPageOut(
        count=count,
        limit=filters.limit,
        offset=filters.offset,
        funding_by_year=[
            FundingYearOut(year=f.year, wins=f.wins, amount=f.amount) for f in selectors.funding_by_year(site)
        ],
        items=[_win_out(w) for w in page],
    )


@router.post("/sites/{slug}/wins", response={201: WinOut, **WRITE_ERRORS}, summary="Record a win")
def win_create(request: HttpRequest, slug: SiteSlug, payload: WinIn) -> tuple[int, WinOut]:
    """A funding win needs a funder (`funder_id` or `funder_name`) and an `amount`; a media win an
    `media_outlet`. Actions, events, groups, funders and bids of another site are refused (422).
    Evidence files are uploaded on the win's page."""
    site = site_get_for_user(request.user, slug, CHANGE)
    errors: dict[str, str] = {}
    funder = _funder(site, payload.funder_id, errors)
    group = _one(
        CommunityGroup,
        payload.community_group_id,
        "community_group_id",
        errors,
        "No such group in this site.",
        site=site,
    )
    event = _one(
        Event, payload.celebration_event_id, "celebration_event_id", errors, "No such event in this site.", site=site
    )
    bid = _one(FundingBid, payload.bid_id, "bid_id", errors, "No such funding bid in this site.", site=site)
    actions = list(Action.objects.filter(site=site, pk__in=payload.action_ids))
    missing = sorted(set(payload.action_ids) - {a.pk for a in actions})
    if missing:
        errors["action_ids"] = f"No such action in this site: {', '.join(map(str, missing))}."
    if errors:
        raise ValidationError(errors)
    win = services.win_create(
        actor=request.user,
        site=site,
        kind=payload.kind,
        title=payload.title,
        won_on=payload.won_on,
        description=payload.description,
        funder=funder,
        funder_name=payload.funder_name,
        amount=payload.amount,
        media_outlet=payload.media_outlet,
        media_url=payload.media_url,
        community_group=group,
        evidence_url=payload.evidence_url,
        actions=actions,
        celebrated_how=payload.celebrated_how,
        celebration_event=event,
        public=payload.public,
        bid=bid,
    )
    return 201, _win_out(win)


@router.get("/sites/{slug}/funding-bids", response={200: BidsOut, **COMMON_ERRORS}, summary="A site's funding bids")
def bid_list(
    request: HttpRequest,
    slug: SiteSlug,
    status: Literal[tuple(["", *BidStatus.values])] = "",  # type: ignore[valid-type]
) -> BidsOut:
    """Every bid (newest submission first; those being written first of all), optionally of one
    `status`, and per year of submission: bids, asked, decided, successful, awarded, success rate."""
    site = site_get_for_user(request.user, slug, VIEW)
    return BidsOut(
        totals_by_year=[
            BidYearOut(
                year=y.year,
                submitted=y.submitted,
                asked=y.asked,
                decided=y.decided,
                successful=y.successful,
                awarded=y.awarded,
                success_rate=y.success_rate,
            )
            for y in selectors.bid_totals_by_year(site)
        ],
        items=[_bid_out(b) for b in selectors.bids_for_site(site, status=status).select_related("site")],
    )


@router.post("/sites/{slug}/funding-bids", response={201: BidOut, **WRITE_ERRORS}, summary="Add a funding bid")
def bid_create(request: HttpRequest, slug: SiteSlug, payload: BidIn) -> tuple[int, BidOut]:
    """A decision (`decided_on`) before the submission (`submitted_on`) is refused, as are negative
    amounts and an amount awarded on a bid that was not awarded."""
    site = site_get_for_user(request.user, slug, CHANGE)
    errors: dict[str, str] = {}
    funder = _funder(site, payload.funder_id, errors)
    if errors:
        raise ValidationError(errors)
    data = payload.dict()
    data.pop("funder_id")
    bid = services.bid_create(actor=request.user, site=site, funder=funder, **data)
    return 201, _bid_out(bid)
