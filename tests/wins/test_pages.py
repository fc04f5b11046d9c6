"""The wins pages: an awarded bid offers its funding win, filters, CSV and the evidence file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from c2hub.wins import services
from c2hub.wins.models import FundingBid, Win, WinKind

pytestmark = pytest.mark.django_db


def test_an_awarded_bid_offers_its_funding_win(client, site, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("bid_create", args=[site.slug]),
        {
            "purpose": "Youth club",
            "amount_asked": "5000",
            "funder_name": "Lottery",
            "status": "awarded",
            "submitted_on": "2013-01-10",
            "decided_on": "2013-01-05",
            "amount_awarded": "5000",
        },
    )
    assert response.status_code == 400
    assert "The decision cannot be before the bid was submitted." in response.content.decode()
    response = client.post(
        reverse("bid_create", args=[site.slug]),
        {
            "purpose": "Youth club",
            "amount_asked": "5000",
            "funder_name": "Lottery",
            "status": "awarded",
            "submitted_on": "2013-01-10",
            "decided_on": "2013-03-05",
            "amount_awarded": "4000",
        },
    )
    bid = FundingBid.objects.get(site=site)
    assert response.status_code == 302 and response["Location"].endswith(f"/wins/new/?bid={bid.pk}")
    form = client.get(response["Location"]).content.decode()
    assert 'value="2013-03-05"' in form and 'value="4000' in form and "Lottery funds Youth club" in form
    response = client.post(
        reverse("win_create", args=[site.slug]),
        {
            "bid": str(bid.pk),
            "kind": "funding",
            "title": "Lottery funds the youth club",
            "won_on": "2013-03-05",
            "funder_name": "Lottery",
            "amount": "4000",
            "public": "on",
        },
    )
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.win.title == "Lottery funds the youth club"
    pipeline = client.get(reverse("bid_list", args=[site.slug])).content.decode()
    assert "Record the funding win" not in pipeline and "100%" in pipeline


def test_list_filters_csv_and_file(client, site, researcher):
    services.win_create(
        actor=None,
        site=site,
        kind=WinKind.FUNDING,
        title="=HYPERLINK(1)",
        won_on=dt.date(2012, 1, 1),
        funder_name="L",
        amount=Decimal("10"),
    )
    win = services.win_create(
        actor=None,
        site=site,
        kind=WinKind.AWARD,
        title="Award",
        won_on=dt.date(2013, 1, 1),
        evidence_file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter"),
    )
    client.force_login(researcher)
    page = client.get(reverse("win_list", args=[site.slug]) + "?year=2013").content.decode()
    assert "Award" in page and "HYPERLINK" not in page.split('data-testid="wins"')[1].split("</table>")[0]
    csv = b"".join(client.get(reverse("win_list", args=[site.slug]) + "?format=csv").streaming_content).decode()
    assert "'=HYPERLINK(1)" in csv
    response = client.get(reverse("win_file", args=[site.slug, win.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "Record a win" not in page
    assert Win.objects.count() == 2
