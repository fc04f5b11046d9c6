"""Every write to wins and funding bids.

Each function takes keyword-only arguments, checks the actor's permission on the site
(``wins.change_wins``; ``programmes.add_evidence`` to attach evidence), validates — all errors at
once, keyed by field —, saves in one transaction attributed to the actor in the audit log and
marks the site as active. ``actor=None`` is the system (the demo loader). Funders, actions,
events, groups and bids always come from the win's own site: another site's are refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require
from c2hub.actions.models import Action
from c2hub.community.models import CommunityGroup
from c2hub.events.models import Event, EventStatus
from c2hub.people.models import Organisation
from c2hub.programmes import services as programme_services
from c2hub.programmes.models import Evidence, EvidenceKind, Site, StepCriterion
from c2hub.programmes.services import _touch
from c2hub.wins.models import BidStatus, FundingBid, Win, WinKind

CHANGE = "wins.change_wins"
#: The largest evidence file accepted.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
#: Accepted evidence files: what their first bytes must be, by the extension they may carry.
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "docx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
}
EVIDENCE_TYPES_TEXT = "a PDF, a JPEG, PNG, WebP or GIF image, or a Word (.docx) or OpenDocument (.odt) document"
#: The largest amount of money in one win or bid (a typo guard: £10 million).
AMOUNT_MAX = Decimal("10000000")
#: Statuses of a bid with a decision.
DECIDED = frozenset({BidStatus.AWARDED, BidStatus.PART_AWARDED, BidStatus.REFUSED})
SUCCESSFUL = frozenset({BidStatus.AWARDED, BidStatus.PART_AWARDED})

WIN_FIELDS = (
    "kind",
    "title",
    "description",
    "won_on",
    "funder",
    "funder_name",
    "amount",
    "media_outlet",
    "media_url",
    "community_group",
    "evidence_url",
    "celebrated_how",
    "celebration_event",
    "public",
)
BID_FIELDS = (
    "funder",
    "funder_name",
    "purpose",
    "amount_asked",
    "submitted_on",
    "decision_due_on",
    "decided_on",
    "status",
    "amount_awarded",
    "notes",
)


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _money(value: Any, field: str, errors: dict[str, str], *, label: str, allow_zero: bool = False) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (ArithmeticError, ValueError):
        errors[field] = f"{label} must be an amount of money, like 1500 or 1500.50."
        return None
    if amount < 0 or (amount == 0 and not allow_zero):
        errors[field] = f"{label} must be more than £0." if not allow_zero else f"{label} cannot be negative."
    elif amount > AMOUNT_MAX:
        errors[field] = f"{label} must be £10,000,000 or less."
    return amount


def check_evidence_file(upload: UploadedFile, field: str = "evidence_file") -> None:
    """A document or image of an accepted type and size, checked by its first bytes, not only its name."""
    if upload.size is not None and upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({field: f"The file must be smaller than {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB."})
    name = (upload.name or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    signatures = EVIDENCE_TYPES.get(extension)
    if not signatures or not any(head.startswith(s) for s in signatures):
        raise ValidationError({field: f"The file must be {EVIDENCE_TYPES_TEXT}."})
    if extension == "webp" and head[8:12] != b"WEBP":
        raise ValidationError({field: f"The file must be {EVIDENCE_TYPES_TEXT}."})


def _is_web_address(value: str) -> bool:
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


# Wins ----------------------------------------------------------------------------------------------
def _validate_win(win: Win, actions: list[Action] | None) -> None:
    site = win.site
    errors: dict[str, str] = {}
    win.title = (win.title or "").strip()
    win.funder_name = (win.funder_name or "").strip()
    win.media_outlet = (win.media_outlet or "").strip()
    win.media_url = (win.media_url or "").strip()
    win.evidence_url = (win.evidence_url or "").strip()
    win.celebrated_how = (win.celebrated_how or "").strip()
    if win.kind not in WinKind.values:
        errors["kind"] = "Choose the kind of win."
    if not win.title:
        errors["title"] = "Say in a few words what the win was."
    if win.won_on is None:
        errors["won_on"] = "Enter the date of the win."
    elif win.won_on > timezone.localdate():
        errors["won_on"] = "A win is recorded once it has happened: the date cannot be in the future."
    win.amount = _money(win.amount, "amount", errors, label="The amount")
    if win.funder_id is not None and not site.organisations.filter(pk=win.funder_id).exists():
        errors["funder"] = "Choose a funder among this site's organisations, or type the funder's name."
    if win.kind == WinKind.FUNDING:
        if win.funder_id is None and not win.funder_name:
            errors.setdefault("funder", "Choose the funder, or type the funder's name.")
        if win.amount is None and "amount" not in errors:
            errors["amount"] = "Enter the amount secured."
    else:
        if win.funder_id is not None or win.funder_name:
            errors.setdefault("funder", "Only a funding win has a funder.")
        if win.amount is not None:
            errors.setdefault("amount", "Only a funding win has an amount.")
    if win.kind == WinKind.MEDIA:
        if not win.media_outlet:
            errors["media_outlet"] = "Enter the newspaper, radio, TV or website that covered it."
    elif win.media_outlet or win.media_url:
        errors["media_outlet"] = "Only a media win has an outlet and a link."
    if win.community_group_id is not None:
        if win.kind != WinKind.NEW_GROUP:
            errors["community_group"] = "Only a new-group win is linked to a group."
        elif win.community_group.site_id != site.pk:
            errors["community_group"] = "Choose one of this site's groups."
    if win.celebration_event_id is not None:
        event = win.celebration_event
        if event.site_id != site.pk:
            errors["celebration_event"] = "Choose one of this site's events."
        elif event.status == EventStatus.CANCELLED:
            errors["celebration_event"] = "That event was cancelled: choose the event where the win was celebrated."
    if actions:
        foreign = [a for a in actions if a.site_id != site.pk]
        if foreign:
            errors["actions"] = "Link only this site's actions: " + ", ".join(a.title for a in foreign) + "."
    for name in ("media_url", "evidence_url"):
        value = getattr(win, name)
        if value and not _is_web_address(value):
            errors.setdefault(
                name,
                "Enter a web address in the correct format, like https://www.example.org.",
            )
    _raise_if(errors)


@transaction.atomic
def win_create(
    *,
    actor: Any,
    site: Site,
    kind: str,
    title: str,
    won_on: dt.date | None,
    description: str = "",
    funder: Organisation | None = None,
    funder_name: str = "",
    amount: Decimal | None = None,
    media_outlet: str = "",
    media_url: str = "",
    community_group: CommunityGroup | None = None,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    actions: Iterable[Action] = (),
    celebrated_how: str = "",
    celebration_event: Event | None = None,
    public: bool = True,
    bid: FundingBid | None = None,
) -> Win:
    """Record a win. ``bid``: the awarded funding bid it comes from (then linked to it)."""
    require(actor, CHANGE, site)
    win = Win(
        site=site,
        kind=kind,
        title=title,
        description=description,
        won_on=won_on,
        funder=funder,
        funder_name=funder_name,
        amount=amount,
        media_outlet=media_outlet,
        media_url=media_url,
        community_group=community_group,
        evidence_url=evidence_url,
        celebrated_how=celebrated_how,
        celebration_event=celebration_event,
        public=public,
        created_by=actor,
    )
    action_list = list(actions)
    _validate_win(win, action_list)
    if bid is not None:
        _check_bid_for_win(bid, win)
    if evidence_file:
        check_evidence_file(evidence_file)
    with acting_as(actor):
        if evidence_file:
            win.evidence_file.save(evidence_file.name.rsplit("/", 1)[-1], evidence_file, save=False)
        win.save()
        win.actions.set(action_list)
        if bid is not None:
            bid.win = win
            bid.save(update_fields=["win"])
    _touch(site)
    return win


@transaction.atomic
def win_update(
    *,
    actor: Any,
    win: Win,
    actions: Iterable[Action] | None = None,
    evidence_file: UploadedFile | None = None,
    remove_evidence_file: bool = False,
    **fields: Any,
) -> Win:
    """Change a win: only the fields given (of ``WIN_FIELDS``); ``actions`` replaces the links."""
    require(actor, CHANGE, win.site)
    unknown = set(fields) - set(WIN_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown fields: {', '.join(sorted(unknown))}."})
    for name, value in fields.items():
        setattr(win, name, value)
    action_list = list(actions) if actions is not None else None
    _validate_win(win, action_list)
    if evidence_file:
        check_evidence_file(evidence_file)
    if hasattr(win, "bid") and win.kind != WinKind.FUNDING:
        raise ValidationError({"kind": "This win records an awarded funding bid: it stays a funding win."})
    with acting_as(actor):
        if remove_evidence_file and win.evidence_file:
            win.evidence_file.delete(save=False)
            win.evidence_file = ""
        if evidence_file:
            if win.evidence_file:
                win.evidence_file.delete(save=False)
            win.evidence_file.save(evidence_file.name.rsplit("/", 1)[-1], evidence_file, save=False)
        win.save()
        if action_list is not None:
            win.actions.set(action_list)
    _touch(win.site)
    return win


@transaction.atomic
def win_delete(*, actor: Any, win: Win) -> None:
    require(actor, CHANGE, win.site)
    if Evidence.objects.filter(site=win.site, record_type__app_label="wins", record_id=win.pk).exists():
        raise ValidationError({"__all__": "This win is evidence on the pathway: remove it from the pathway first."})
    with acting_as(actor):
        if win.evidence_file:
            win.evidence_file.delete(save=False)
        win.delete()
    _touch(win.site)


def win_summary(win: Win) -> str:
    parts = [f"{win.get_kind_display()}: {win.title}"]
    if win.kind == WinKind.FUNDING and win.amount is not None:
        parts.append(f"£{win.amount:,.0f} from {win.funder or win.funder_name}")
    if win.kind == WinKind.MEDIA and win.media_outlet:
        parts.append(win.media_outlet)
    if win.is_celebrated:
        parts.append("celebrated" + (f" at {win.celebration_event.title}" if win.celebration_event else ""))
    return ", ".join(parts)[:300]


def win_attach_evidence(*, actor: Any, win: Win, criterion: StepCriterion) -> Evidence:
    """Attach a win as evidence (kind record) for one of its site's criteria."""
    if Evidence.objects.filter(
        site=win.site, criterion=criterion, record_type__app_label="wins", record_type__model="win", record_id=win.pk
    ).exists():
        raise ValidationError({"criterion": "This win is already evidence for that criterion."})
    return programme_services.evidence_add(
        actor=actor,
        site=win.site,
        criterion=criterion,
        kind=EvidenceKind.RECORD,
        summary=win_summary(win),
        note=win.celebrated_how,
        url=win.evidence_url or win.media_url,
        record=win,
        occurred_on=win.won_on,
    )


# Funding bids -----------------------------------------------------------------------------------------
def _validate_bid(bid: FundingBid) -> None:
    site = bid.site
    today = timezone.localdate()
    errors: dict[str, str] = {}
    bid.purpose = (bid.purpose or "").strip()
    bid.funder_name = (bid.funder_name or "").strip()
    if bid.status not in BidStatus.values:
        errors["status"] = "Choose where the bid is in the pipeline."
    if not bid.purpose:
        errors["purpose"] = "Say what the money is for."
    if bid.funder_id is None and not bid.funder_name:
        errors["funder"] = "Choose the funder, or type the funder's name."
    elif bid.funder_id is not None and not site.organisations.filter(pk=bid.funder_id).exists():
        errors["funder"] = "Choose a funder among this site's organisations, or type the funder's name."
    bid.amount_asked = _money(bid.amount_asked, "amount_asked", errors, label="The amount asked")
    if bid.amount_asked is None and "amount_asked" not in errors:
        errors["amount_asked"] = "Enter the amount asked for."
    bid.amount_awarded = _money(bid.amount_awarded, "amount_awarded", errors, label="The amount awarded")
    if bid.status in SUCCESSFUL and bid.amount_awarded is None and "amount_awarded" not in errors:
        errors["amount_awarded"] = "Enter the amount awarded."
    elif bid.status not in SUCCESSFUL and bid.amount_awarded is not None:
        errors.setdefault("amount_awarded", "Only an awarded or partly awarded bid has an amount awarded.")
    if (
        bid.status == BidStatus.PART_AWARDED
        and bid.amount_awarded is not None
        and bid.amount_asked is not None
        and "amount_awarded" not in errors
        and bid.amount_awarded >= bid.amount_asked
    ):
        errors["amount_awarded"] = "A partly awarded bid was given less than it asked for."
    if bid.status != BidStatus.DRAFTING and bid.status != BidStatus.WITHDRAWN and bid.submitted_on is None:
        errors["submitted_on"] = "Enter the date the bid was submitted."
    if bid.status == BidStatus.DRAFTING and (bid.submitted_on or bid.decided_on):
        errors["status"] = "A bid with a submission or decision date is no longer being written: choose its status."
    if bid.submitted_on is not None and bid.submitted_on > today:
        errors["submitted_on"] = "The submission date cannot be in the future."
    if bid.status in DECIDED and bid.decided_on is None:
        errors["decided_on"] = "Enter the date of the funder's decision."
    if bid.decided_on is not None:
        if bid.status not in DECIDED:
            errors.setdefault("decided_on", "Only an awarded, partly awarded or refused bid has a decision date.")
        elif bid.decided_on > today:
            errors["decided_on"] = "The decision date cannot be in the future."
        elif bid.submitted_on is not None and bid.decided_on < bid.submitted_on:
            errors["decided_on"] = "The decision cannot be before the bid was submitted."
    if bid.decision_due_on is not None and bid.submitted_on is not None and bid.decision_due_on < bid.submitted_on:
        errors["decision_due_on"] = "The decision is due after the bid is submitted."
    if bid.win_id is not None and bid.status not in SUCCESSFUL:
        errors.setdefault("status", "A funding win was recorded for this bid: it stays awarded or partly awarded.")
    _raise_if(errors)


@transaction.atomic
def bid_create(
    *,
    actor: Any,
    site: Site,
    purpose: str,
    amount_asked: Decimal | None,
    funder: Organisation | None = None,
    funder_name: str = "",
    status: str = BidStatus.DRAFTING,
    submitted_on: dt.date | None = None,
    decision_due_on: dt.date | None = None,
    decided_on: dt.date | None = None,
    amount_awarded: Decimal | None = None,
    notes: str = "",
) -> FundingBid:
    require(actor, CHANGE, site)
    bid = FundingBid(
        site=site,
        funder=funder,
        funder_name=funder_name,
        purpose=purpose,
        amount_asked=amount_asked,
        submitted_on=submitted_on,
        decision_due_on=decision_due_on,
        decided_on=decided_on,
        status=status,
        amount_awarded=amount_awarded,
        notes=notes,
        created_by=actor,
    )
    _validate_bid(bid)
    with acting_as(actor):
        bid.save()
    _touch(site)
    return bid


@transaction.atomic
def bid_update(*, actor: Any, bid: FundingBid, **fields: Any) -> FundingBid:
    """Change a bid (only the fields given, of ``BID_FIELDS``): move it along the pipeline."""
    require(actor, CHANGE, bid.site)
    unknown = set(fields) - set(BID_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown fields: {', '.join(sorted(unknown))}."})
    for name, value in fields.items():
        setattr(bid, name, value)
    _validate_bid(bid)
    with acting_as(actor):
        bid.save()
        if bid.win_id is not None and bid.win.amount != bid.amount_awarded:
            bid.win.amount = bid.amount_awarded
            bid.win.save(update_fields=["amount"])
    _touch(bid.site)
    return bid


@transaction.atomic
def bid_delete(*, actor: Any, bid: FundingBid) -> None:
    require(actor, CHANGE, bid.site)
    with acting_as(actor):
        bid.delete()
    _touch(bid.site)


def _check_bid_for_win(bid: FundingBid, win: Win) -> None:
    if bid.site_id != win.site_id:
        raise ValidationError({"bid": "That bid belongs to another site."})
    if bid.status not in SUCCESSFUL:
        raise ValidationError({"bid": "Only an awarded or partly awarded bid is recorded as a funding win."})
    if bid.win_id is not None:
        raise ValidationError({"bid": "A funding win was already recorded for this bid."})
    if win.kind != WinKind.FUNDING:
        raise ValidationError({"kind": "A win from an awarded bid is a funding win."})


def bid_win_defaults(bid: FundingBid) -> dict[str, Any]:
    """The funding win an awarded bid suggests: its funder, amount, decision date and purpose."""
    return {
        "kind": WinKind.FUNDING,
        "title": f"{bid.funder.name if bid.funder else bid.funder_name} funds {bid.purpose}"[:200],
        "won_on": bid.decided_on,
        "funder": bid.funder,
        "funder_name": bid.funder_name,
        "amount": bid.amount_awarded,
    }
