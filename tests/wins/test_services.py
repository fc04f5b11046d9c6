"""Wins and funding bids: every rule of the services, bad input included."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from c2hub.actions.models import Action
from c2hub.community import services as community_services
from c2hub.events import services as event_services
from c2hub.events.models import EventKind, EventStatus
from c2hub.people.models import OrganisationKind
from c2hub.programmes.models import Evidence, EvidenceKind
from c2hub.wins import selectors, services
from c2hub.wins.models import BidStatus, Win, WinKind
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


def _errors(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


def _funder(site, name="Awards for All"):
    org = OrganisationFactory(programme=site.programme, name=name, kind=OrganisationKind.VOLUNTARY)
    org.sites.add(site)
    return org


def _action(site, title="Fix the lights"):
    return Action.objects.create(site=site, title=title)


def _pdf(name="letter.pdf", size=None) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n%test\n" + (b"0" * (size or 100))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_a_funding_win_needs_funder_and_a_positive_amount(site):
    with pytest.raises(ValidationError) as exc:
        services.win_create(actor=None, site=site, kind=WinKind.FUNDING, title="Grant", won_on=dt.date(2013, 5, 1))
    assert set(_errors(exc)) >= {"funder", "amount"}
    with pytest.raises(ValidationError) as exc:
        services.win_create(
            actor=None,
            site=site,
            kind=WinKind.FUNDING,
            title="Grant",
            won_on=dt.date(2013, 5, 1),
            funder_name="Lottery",
            amount=Decimal("-5"),
        )
    assert "more than £0" in _errors(exc)["amount"][0]
    win = services.win_create(
        actor=None,
        site=site,
        kind=WinKind.FUNDING,
        title="Grant",
        won_on=dt.date(2013, 5, 1),
        funder=_funder(site),
        amount=Decimal("5000"),
    )
    assert win.amount == Decimal("5000.00") and win.funder.name == "Awards for All"


def test_fields_of_another_kind_and_future_dates_are_refused(site):
    with pytest.raises(ValidationError) as exc:
        services.win_create(
            actor=None,
            site=site,
            kind=WinKind.AWARD,
            title="Award",
            won_on=TODAY() + dt.timedelta(days=3),
            amount=Decimal("10"),
            media_outlet="Radio",
        )
    errors = _errors(exc)
    assert {"won_on", "amount", "media_outlet"} <= set(errors)


def test_a_media_win_needs_its_outlet_and_a_real_link(site):
    with pytest.raises(ValidationError) as exc:
        services.win_create(
            actor=None,
            site=site,
            kind=WinKind.MEDIA,
            title="Article",
            won_on=dt.date(2013, 5, 1),
            media_url="javascript:alert(1)",
        )
    assert {"media_outlet", "media_url"} <= set(_errors(exc))


def test_another_sites_funder_actions_events_and_groups_are_refused(site, other_site):
    foreign_action = _action(other_site, "Beacon's action")
    foreign_group = community_services.group_create(actor=None, site=other_site, name="Beacon youth club")
    foreign_event = event_services.event_create(
        actor=None,
        site=other_site,
        kind=EventKind.CELEBRATION,
        title="Party",
        starts_at=timezone.now() - dt.timedelta(days=3),
        status=EventStatus.HELD,
    )
    with pytest.raises(ValidationError) as exc:
        services.win_create(
            actor=None,
            site=site,
            kind=WinKind.NEW_GROUP,
            title="New group",
            won_on=dt.date(2013, 5, 1),
            community_group=foreign_group,
            celebration_event=foreign_event,
            actions=[foreign_action],
        )
    assert {"community_group", "celebration_event", "actions"} <= set(_errors(exc))
    with pytest.raises(ValidationError) as exc:
        services.win_create(
            actor=None,
            site=site,
            kind=WinKind.FUNDING,
            title="Grant",
            won_on=dt.date(2013, 5, 1),
            funder=_funder(other_site, "Beacon's funder"),
            amount=Decimal("10"),
        )
    assert "funder" in _errors(exc)


def test_a_win_links_its_sites_actions_group_and_celebration(site):
    group = community_services.group_create(actor=None, site=site, name="Youth club", age_groups=["11-15"])
    party = event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.CELEBRATION,
        title="Party",
        starts_at=timezone.now() - dt.timedelta(days=3),
        status=EventStatus.HELD,
    )
    action = _action(site)
    win = services.win_create(
        actor=None,
        site=site,
        kind=WinKind.NEW_GROUP,
        title="Youth club formed",
        won_on=dt.date(2013, 5, 1),
        community_group=group,
        celebration_event=party,
        actions=[action],
    )
    assert list(win.actions.all()) == [action] and win.is_celebrated


def test_evidence_files_are_checked_by_content_and_size(site):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.win_create(
            actor=None, site=site, kind=WinKind.AWARD, title="A", won_on=dt.date(2013, 5, 1), evidence_file=fake
        )
    assert "must be" in _errors(exc)["evidence_file"][0]
    script = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html")
    with pytest.raises(ValidationError):
        services.win_create(
            actor=None, site=site, kind=WinKind.AWARD, title="A", won_on=dt.date(2013, 5, 1), evidence_file=script
        )
    big = _pdf(size=services.EVIDENCE_MAX_BYTES + 1)
    with pytest.raises(ValidationError) as exc:
        services.win_create(
            actor=None, site=site, kind=WinKind.AWARD, title="A", won_on=dt.date(2013, 5, 1), evidence_file=big
        )
    assert "smaller than" in _errors(exc)["evidence_file"][0]
    win = services.win_create(
        actor=None, site=site, kind=WinKind.AWARD, title="A", won_on=dt.date(2013, 5, 1), evidence_file=_pdf()
    )
    assert win.evidence_file.name.startswith(f"wins/{site.pk}/")
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    services.win_update(actor=None, win=win, evidence_file=SimpleUploadedFile("photo.png", buffer.getvalue()))
    assert win.evidence_file.name.endswith(".png")


def test_only_the_sites_team_records_wins(site, commissioner, researcher, member):
    for user in (commissioner, researcher):
        with pytest.raises(PermissionDenied):
            services.win_create(actor=user, site=site, kind=WinKind.AWARD, title="A", won_on=dt.date(2013, 5, 1))
    win = services.win_create(actor=member, site=site, kind=WinKind.AWARD, title="A", won_on=dt.date(2013, 5, 1))
    assert win.created_by == member


def test_bid_dates_and_amounts(site):
    with pytest.raises(ValidationError) as exc:
        services.bid_create(
            actor=None,
            site=site,
            purpose="Minibus",
            amount_asked=Decimal("1000"),
            funder_name="Lottery",
            status=BidStatus.REFUSED,
            submitted_on=dt.date(2013, 6, 1),
            decided_on=dt.date(2013, 5, 1),
        )
    assert _errors(exc)["decided_on"] == ["The decision cannot be before the bid was submitted."]
    with pytest.raises(ValidationError) as exc:
        services.bid_create(actor=None, site=site, purpose="Minibus", amount_asked=Decimal("-1"), funder_name="L")
    assert "amount_asked" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.bid_create(
            actor=None,
            site=site,
            purpose="Minibus",
            amount_asked=Decimal("1000"),
            funder_name="L",
            status=BidStatus.PART_AWARDED,
            submitted_on=dt.date(2013, 1, 1),
            decided_on=dt.date(2013, 2, 1),
            amount_awarded=Decimal("1000"),
        )
    assert "less than it asked" in _errors(exc)["amount_awarded"][0]
    with pytest.raises(ValidationError) as exc:
        services.bid_create(
            actor=None,
            site=site,
            purpose="Minibus",
            amount_asked=Decimal("10"),
            funder_name="L",
            status=BidStatus.SUBMITTED,
        )
    assert "submitted_on" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.bid_create(actor=None, site=site, purpose="", amount_asked=Decimal("10"))
    assert {"purpose", "funder"} <= set(_errors(exc))


def test_an_awarded_bid_becomes_a_funding_win_once(site, other_site):
    bid = services.bid_create(
        actor=None, site=site, purpose="Youth club", amount_asked=Decimal("5000"), funder_name="Lottery"
    )
    bid = services.bid_update(actor=None, bid=bid, status=BidStatus.SUBMITTED, submitted_on=dt.date(2013, 1, 10))
    with pytest.raises(ValidationError):
        services.win_create(actor=None, site=site, bid=bid, **services.bid_win_defaults(bid))
    services.bid_update(
        actor=None, bid=bid, status=BidStatus.AWARDED, decided_on=dt.date(2013, 3, 1), amount_awarded=Decimal("5000")
    )
    defaults = services.bid_win_defaults(bid)
    assert defaults["won_on"] == dt.date(2013, 3, 1) and defaults["amount"] == Decimal("5000")
    win = services.win_create(actor=None, site=site, bid=bid, **defaults)
    bid.refresh_from_db()
    assert bid.win == win and win.kind == WinKind.FUNDING
    with pytest.raises(ValidationError):
        services.win_create(actor=None, site=site, bid=bid, **defaults)
    other_bid = services.bid_create(
        actor=None,
        site=other_site,
        purpose="X",
        amount_asked=Decimal("10"),
        funder_name="L",
        status=BidStatus.AWARDED,
        submitted_on=dt.date(2013, 1, 1),
        decided_on=dt.date(2013, 2, 1),
        amount_awarded=Decimal("10"),
    )
    with pytest.raises(ValidationError) as exc:
        services.win_create(actor=None, site=site, bid=other_bid, **services.bid_win_defaults(other_bid))
    assert "bid" in _errors(exc)
    with pytest.raises(ValidationError):
        services.bid_update(actor=None, bid=bid, status=BidStatus.REFUSED, amount_awarded=None)


def test_totals_per_year_and_success_rate(site):
    def bid(purpose, asked, submitted, status, decided=None, awarded=None):
        return services.bid_create(
            actor=None,
            site=site,
            purpose=purpose,
            amount_asked=Decimal(asked),
            funder_name="L",
            status=status,
            submitted_on=submitted,
            decided_on=decided,
            amount_awarded=Decimal(awarded) if awarded else None,
        )

    bid("A", "1000", dt.date(2012, 3, 1), BidStatus.AWARDED, dt.date(2012, 5, 1), "1000")
    bid("B", "2000", dt.date(2012, 6, 1), BidStatus.REFUSED, dt.date(2012, 9, 1))
    bid("C", "3000", dt.date(2012, 7, 1), BidStatus.PART_AWARDED, dt.date(2013, 1, 1), "1500")
    bid("D", "500", dt.date(2013, 2, 1), BidStatus.SUBMITTED)
    bid("E", "700", None, BidStatus.DRAFTING)
    years = {y.year: y for y in selectors.bid_totals_by_year(site)}
    assert set(years) == {2012, 2013}
    y2012 = years[2012]
    assert (y2012.submitted, y2012.asked, y2012.decided, y2012.successful, y2012.awarded) == (
        3,
        Decimal("6000"),
        3,
        2,
        Decimal("2500"),
    )
    assert y2012.success_rate == pytest.approx(2 / 3)
    assert years[2013].success_rate is None
    services.win_create(
        actor=None,
        site=site,
        kind=WinKind.FUNDING,
        title="G1",
        won_on=dt.date(2012, 5, 1),
        funder_name="L",
        amount=Decimal("1000"),
    )
    services.win_create(
        actor=None,
        site=site,
        kind=WinKind.FUNDING,
        title="G2",
        won_on=dt.date(2012, 8, 1),
        funder_name="L",
        amount=Decimal("250.50"),
    )
    services.win_create(
        actor=None, site=site, kind=WinKind.MEDIA, title="M", won_on=dt.date(2013, 8, 1), media_outlet="Echo"
    )
    funding = selectors.funding_by_year(site)
    assert [(f.year, f.wins, f.amount) for f in funding] == [(2012, 2, Decimal("1250.50"))]
    assert [w.title for w in selectors.wins_for_site(site, year=2012)] == ["G2", "G1"]


def test_public_wins_newest_first_with_limit_and_since(site, other_site):
    for n, day in enumerate((dt.date(2012, 1, 1), dt.date(2013, 1, 1), dt.date(2013, 6, 1))):
        services.win_create(actor=None, site=site, kind=WinKind.AWARD, title=f"W{n}", won_on=day)
    services.win_create(
        actor=None, site=site, kind=WinKind.AWARD, title="Private", won_on=dt.date(2013, 7, 1), public=False
    )
    services.win_create(actor=None, site=other_site, kind=WinKind.AWARD, title="Beacon's", won_on=dt.date(2013, 7, 1))
    assert [w.title for w in selectors.public_wins(site)] == ["W2", "W1", "W0"]
    assert [w.title for w in selectors.public_wins(site, limit=1)] == ["W2"]
    assert [w.title for w in selectors.public_wins(site, since=dt.date(2013, 1, 1))] == ["W2", "W1"]


def test_a_celebrated_win_is_suggested_and_attached_as_evidence(site, facilitator):
    win = services.win_create(
        actor=None,
        site=site,
        kind=WinKind.FUNDING,
        title="Grant",
        won_on=dt.date(2013, 5, 1),
        funder_name="L",
        amount=Decimal("100"),
        celebrated_how="Cake at the hub",
    )
    services.win_create(actor=None, site=site, kind=WinKind.AWARD, title="Quiet", won_on=dt.date(2013, 5, 1))
    from c2hub.programmes.suggestions import suggestions_for

    criterion = site.pathway_model.steps.get(number=5).criteria.get(key="wins-celebrated")
    suggested = suggestions_for(site, criterion)
    assert [s.title for s in suggested if isinstance(s.record, Win)] == ["Grant"]
    evidence = services.win_attach_evidence(actor=facilitator, win=win, criterion=criterion)
    assert evidence.kind == EvidenceKind.RECORD and evidence.record == win and "£100" in evidence.summary
    assert not [s for s in suggestions_for(site, criterion) if isinstance(s.record, Win)]
    with pytest.raises(ValidationError):
        services.win_attach_evidence(actor=facilitator, win=win, criterion=criterion)
    with pytest.raises(ValidationError):
        services.win_delete(actor=None, win=win)
    Evidence.objects.filter(pk=evidence.pk).delete()
    services.win_delete(actor=None, win=win)
    assert not Win.objects.filter(pk=win.pk).exists()
