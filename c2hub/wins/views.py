"""Pages for a site's wins log and funding bids. Thin: reads from ``selectors.py``, writes through
``services.py``, permissions from ``c2hub/accounts/rules.py`` (a site the user does not belong to
is a 404, a role without the permission a 403)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from c2hub.actions.models import Action
from c2hub.community.models import CommunityGroup
from c2hub.events.forms import EvidenceForm
from c2hub.events.models import Event
from c2hub.events.selectors import criterion_choices
from c2hub.exports import csv_download
from c2hub.formerrors import show_service_errors
from c2hub.pages import form_page
from c2hub.people.models import Organisation
from c2hub.people.views import _pagination
from c2hub.programmes.models import Evidence, Site
from c2hub.programmes.selectors import criterion_for_site, site_get_for_user
from c2hub.programmes.views import site_breadcrumbs
from c2hub.wins import selectors, services
from c2hub.wins.forms import BidForm, WinForm, win_sections
from c2hub.wins.models import BidStatus, FundingBid, Win, WinKind

PER_PAGE = 50
VIEW, CHANGE = "wins.view_wins", "wins.change_wins"


def _site(request: HttpRequest, slug: str, perm: str) -> Site:
    return site_get_for_user(request.user, slug, perm)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _crumbs(site: Site, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    return site_breadcrumbs(site, ("Wins", reverse("win_list", args=[site.slug])), *more)


def _win_url(win: Win, anchor: str = "") -> str:
    return reverse("win_detail", args=[win.site.slug, win.pk]) + (f"#{anchor}" if anchor else "")


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


#: Every form page here: the one form page (c2hub/pages.py), in this section of the site.
_form_page = partial(form_page, active="wins")


def _money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"


# The wins log ------------------------------------------------------------------------------------
def _filters(request: HttpRequest) -> dict[str, Any]:
    kind = request.GET.get("kind", "")
    year = request.GET.get("year", "")
    return {
        "kind": kind if kind in WinKind.values else "",
        "year": int(year) if year.isdigit() and len(year) == 4 else None,
    }


@login_required
def win_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, VIEW)
    filters = _filters(request)
    wins = selectors.wins_for_site(site, **filters)
    if request.GET.get("format") == "csv":
        return csv_download(
            f"{site.slug}-wins",
            ["date", "kind", "title", "funder", "amount", "media outlet", "media link", "celebrated", "public"],
            (
                [
                    w.won_on.isoformat(),
                    w.get_kind_display(),
                    w.title,
                    w.funder.name if w.funder else w.funder_name,
                    f"{w.amount:.2f}" if w.amount is not None else "",
                    w.media_outlet,
                    w.media_url,
                    "yes" if w.is_celebrated else "no",
                    "yes" if w.public else "no",
                ]
                for w in wins
            ),
        )
    page = Paginator(wins, PER_PAGE).get_page(request.GET.get("page"))
    funding = selectors.funding_by_year(site)
    return render(
        request,
        "wins/win_list.html",
        {
            "site": site,
            "page": page,
            "wins": list(page.object_list),
            "pagination": _pagination(request, page),
            "filters": filters,
            "filtered": any(v not in ("", None) for v in filters.values()),
            "kinds": WinKind.choices,
            "years": [(y, str(y)) for y in selectors.win_years(site)],
            "by_kind": selectors.wins_by_kind(site, year=filters["year"]),
            "funding": funding,
            "funding_total": sum((f.amount for f in funding), Decimal("0")),
            "money": _money,
            "can_change": request.user.has_perm(CHANGE, site),
            "breadcrumbs": site_breadcrumbs(site, ("Wins", None)),
            "active": "wins",
        },
    )


def _win_form(request: HttpRequest, site: Site, *, initial: dict[str, Any], has_file: bool = False) -> WinForm:
    return WinForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        initial=initial,
        funders=selectors.site_funder_choices(site),
        groups=selectors.group_choices(site),
        actions=selectors.site_action_choices(site),
        events=selectors.celebration_event_choices(site),
        has_file=has_file,
    )


def _win_values(site: Site, data: dict[str, Any]) -> dict[str, Any]:
    """The form's cleaned data as a service's arguments; every id is looked up in this site."""

    def one(model: Any, value: str, **scope: Any) -> Any:
        return model.objects.filter(pk=value, **scope).first() if value else None

    return {
        "kind": data["kind"],
        "title": data["title"],
        "description": data["description"],
        "won_on": data["won_on"],
        "funder": one(Organisation, data["funder"], sites=site),
        "funder_name": data["funder_name"],
        "amount": data["amount"],
        "media_outlet": data["media_outlet"],
        "media_url": data["media_url"],
        "community_group": one(CommunityGroup, data["community_group"], site=site),
        "evidence_url": data["evidence_url"],
        "celebrated_how": data["celebrated_how"],
        "celebration_event": one(Event, data["celebration_event"], site=site),
        "public": data["public"],
        "actions": list(Action.objects.filter(site=site, pk__in=data.get("actions") or [])),
    }


@login_required
def win_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    bid_id = request.POST.get("bid") or request.GET.get("bid") or ""
    bid: FundingBid | None = selectors.bid_in_site(site, int(bid_id)) if bid_id.isdigit() else None
    initial: dict[str, Any] = {"public": True, "kind": request.GET.get("kind", "")}
    if bid is not None:
        defaults = services.bid_win_defaults(bid)
        initial.update(
            kind=defaults["kind"],
            title=defaults["title"],
            won_on=defaults["won_on"],
            funder=str(bid.funder_id or ""),
            funder_name=bid.funder_name,
            amount=bid.amount_awarded,
        )
    form = _win_form(request, site, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            win = services.win_create(
                actor=request.user,
                site=site,
                evidence_file=form.cleaned_data["evidence_file"],
                bid=bid,
                **_win_values(site, form.cleaned_data),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{win.title} recorded.")
            return redirect(_win_url(win))
    intro = ""
    if bid is not None:
        intro = f"The bid to {bid.funder or bid.funder_name} for {bid.purpose} was awarded: record it as a funding win."
    return _form_page(
        request,
        site,
        form,
        title="Record a win",
        submit_label="Save win",
        cancel_url=reverse("win_list", args=[site.slug]) if bid is None else reverse("bid_list", args=[site.slug]),
        breadcrumbs=_crumbs(site, ("Record a win", None)),
        sections=win_sections(form),
        intro=intro,
        multipart=True,
        hidden={"bid": bid.pk} if bid is not None else None,
    )


@login_required
def win_edit(request: HttpRequest, slug: str, win_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    win = selectors.win_in_site(site, win_id)
    initial = {
        "kind": win.kind,
        "title": win.title,
        "description": win.description,
        "won_on": win.won_on,
        "funder": str(win.funder_id or ""),
        "funder_name": win.funder_name,
        "amount": win.amount,
        "media_outlet": win.media_outlet,
        "media_url": win.media_url,
        "community_group": str(win.community_group_id or ""),
        "evidence_url": win.evidence_url,
        "celebrated_how": win.celebrated_how,
        "celebration_event": str(win.celebration_event_id or ""),
        "public": win.public,
        "actions": [str(pk) for pk in win.actions.values_list("pk", flat=True)],
    }
    form = _win_form(request, site, initial=initial, has_file=bool(win.evidence_file))
    if request.method == "POST" and form.is_valid():
        values = _win_values(site, form.cleaned_data)
        if "actions" not in form.fields:
            values.pop("actions")
        try:
            services.win_update(
                actor=request.user,
                win=win,
                evidence_file=form.cleaned_data["evidence_file"],
                remove_evidence_file=form.cleaned_data.get("remove_evidence_file", False),
                **values,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Win saved.")
            return redirect(_win_url(win))
    return _form_page(
        request,
        site,
        form,
        title=f"Edit {win.title}",
        submit_label="Save",
        cancel_url=_win_url(win),
        breadcrumbs=_crumbs(site, (win.title, _win_url(win)), ("Edit", None)),
        sections=win_sections(form),
        multipart=True,
    )


@login_required
def win_detail(request: HttpRequest, slug: str, win_id: int) -> HttpResponse:
    site = _site(request, slug, VIEW)
    win = selectors.win_in_site(site, win_id)
    return _render_win(request, site, win)


def _render_win(
    request: HttpRequest, site: Site, win: Win, *, evidence_form: EvidenceForm | None = None, status: int = 200
) -> HttpResponse:
    can_add_evidence = request.user.has_perm("programmes.add_evidence", site)
    evidence = list(
        Evidence.objects.filter(site=site, record_type__app_label="wins", record_type__model="win", record_id=win.pk)
        .select_related("criterion__step")
        .order_by("criterion__step__number")
    )
    return render(
        request,
        "wins/win_detail.html",
        {
            "site": site,
            "win": win,
            "bid": FundingBid.objects.filter(win=win).first(),
            "actions": list(win.actions.order_by("title")),
            "evidence": evidence,
            "evidence_form": evidence_form
            or (EvidenceForm(criteria=criterion_choices(site)) if can_add_evidence else None),
            "can_change": request.user.has_perm(CHANGE, site),
            "money": _money,
            "breadcrumbs": _crumbs(site, (win.title, None)),
            "active": "wins",
        },
        status=status,
    )


@login_required
@require_POST
def win_delete(request: HttpRequest, slug: str, win_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    win = selectors.win_in_site(site, win_id)
    try:
        services.win_delete(actor=request.user, win=win)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_win_url(win))
    messages.success(request, f"{win.title} removed.")
    return redirect("win_list", site.slug)


@login_required
def win_file(request: HttpRequest, slug: str, win_id: int) -> FileResponse:
    """The win's evidence file, for the site's team and readers only (never a public address)."""
    site = _site(request, slug, VIEW)
    win = selectors.win_in_site(site, win_id)
    if not win.evidence_file:
        raise Http404("This win has no evidence file")
    name = win.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(win.evidence_file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def win_evidence(request: HttpRequest, slug: str, win_id: int) -> HttpResponse:
    """Use the win as evidence for a criterion, in one click (from the win or the pathway page)."""
    site = _site(request, slug, "programmes.add_evidence")
    win = selectors.win_in_site(site, win_id)
    form = EvidenceForm(request.POST, criteria=criterion_choices(site))
    if form.is_valid():
        criterion = criterion_for_site(site, int(form.cleaned_data["criterion"]))
        try:
            services.win_attach_evidence(actor=request.user, win=win, criterion=criterion)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{win.title} is now evidence for step {criterion.step.number}.")
            return redirect(_safe_next(request, _win_url(win, "evidence")))
    return _render_win(request, site, win, evidence_form=form, status=400)


# Funding bids -----------------------------------------------------------------------------------------
@login_required
def bid_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, VIEW)
    if request.GET.get("format") == "csv":
        return csv_download(
            f"{site.slug}-funding-bids",
            ["funder", "purpose", "status", "amount asked", "submitted", "decision due", "decided", "amount awarded"],
            (
                [
                    b.funder.name if b.funder else b.funder_name,
                    b.purpose,
                    b.get_status_display(),
                    f"{b.amount_asked:.2f}",
                    b.submitted_on.isoformat() if b.submitted_on else "",
                    b.decision_due_on.isoformat() if b.decision_due_on else "",
                    b.decided_on.isoformat() if b.decided_on else "",
                    f"{b.amount_awarded:.2f}" if b.amount_awarded is not None else "",
                ]
                for b in selectors.bids_for_site(site)
            ),
        )
    years = selectors.bid_totals_by_year(site)
    return render(
        request,
        "wins/bid_list.html",
        {
            "site": site,
            "pipeline": selectors.bid_pipeline(site),
            "years": years,
            "totals": {
                "submitted": sum(y.submitted for y in years),
                "asked": sum((y.asked for y in years), Decimal("0")),
                "decided": sum(y.decided for y in years),
                "successful": sum(y.successful for y in years),
                "awarded": sum((y.awarded for y in years), Decimal("0")),
            },
            "successful_statuses": {BidStatus.AWARDED, BidStatus.PART_AWARDED},
            "money": _money,
            "can_change": request.user.has_perm(CHANGE, site),
            "breadcrumbs": site_breadcrumbs(
                site, ("Wins", reverse("win_list", args=[site.slug])), ("Funding bids", None)
            ),
            "active": "wins",
        },
    )


def _bid_values(site: Site, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "funder": Organisation.objects.filter(pk=data["funder"], sites=site).first() if data["funder"] else None,
        "funder_name": data["funder_name"],
        "purpose": data["purpose"],
        "amount_asked": data["amount_asked"],
        "status": data["status"],
        "submitted_on": data["submitted_on"],
        "decision_due_on": data["decision_due_on"],
        "decided_on": data["decided_on"],
        "amount_awarded": data["amount_awarded"],
        "notes": data["notes"],
    }


def _after_bid_saved(request: HttpRequest, site: Site, bid: FundingBid) -> HttpResponse:
    if bid.status in (BidStatus.AWARDED, BidStatus.PART_AWARDED) and bid.win_id is None:
        messages.success(request, "Bid saved. It was awarded: record the funding win now, or cancel to do it later.")
        return redirect(reverse("win_create", args=[site.slug]) + f"?bid={bid.pk}")
    messages.success(request, "Bid saved.")
    return redirect(reverse("bid_list", args=[site.slug]) + f"#bid-{bid.pk}")


@login_required
def bid_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    form = BidForm(
        _posted(request), initial={"status": BidStatus.DRAFTING}, funders=selectors.site_funder_choices(site)
    )
    if request.method == "POST" and form.is_valid():
        try:
            bid = services.bid_create(actor=request.user, site=site, **_bid_values(site, form.cleaned_data))
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return _after_bid_saved(request, site, bid)
    return _form_page(
        request,
        site,
        form,
        title="Add a funding bid",
        submit_label="Save bid",
        cancel_url=reverse("bid_list", args=[site.slug]),
        breadcrumbs=site_breadcrumbs(
            site,
            ("Wins", reverse("win_list", args=[site.slug])),
            ("Funding bids", reverse("bid_list", args=[site.slug])),
            ("Add", None),
        ),
    )


@login_required
def bid_edit(request: HttpRequest, slug: str, bid_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    bid = selectors.bid_in_site(site, bid_id)
    initial = {
        "funder": str(bid.funder_id or ""),
        "funder_name": bid.funder_name,
        "purpose": bid.purpose,
        "amount_asked": bid.amount_asked,
        "status": bid.status,
        "submitted_on": bid.submitted_on,
        "decision_due_on": bid.decision_due_on,
        "decided_on": bid.decided_on,
        "amount_awarded": bid.amount_awarded,
        "notes": bid.notes,
    }
    form = BidForm(_posted(request), initial=initial, funders=selectors.site_funder_choices(site))
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_update(actor=request.user, bid=bid, **_bid_values(site, form.cleaned_data))
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return _after_bid_saved(request, site, bid)
    return _form_page(
        request,
        site,
        form,
        title=f"Edit the bid: {bid.purpose}",
        submit_label="Save",
        cancel_url=reverse("bid_list", args=[site.slug]),
        breadcrumbs=site_breadcrumbs(
            site,
            ("Wins", reverse("win_list", args=[site.slug])),
            ("Funding bids", reverse("bid_list", args=[site.slug])),
            ("Edit", None),
        ),
    )
