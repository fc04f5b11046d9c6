"""The wins and funding-bids API: shapes, totals, and bad input as 4xx JSON with reasons."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from c2hub.accounts.models import ApiToken, Role
from c2hub.actions.models import Action
from c2hub.community import services as community_services
from c2hub.wins import services
from c2hub.wins.models import BidStatus, FundingBid, Win
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, site):
    user = user_with_role(Role.FACILITATOR, site)
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method: str, path: str, body: object = None):
        fn = getattr(client, method)
        if body is None:
            response = fn(path, **auth)
        else:
            response = fn(
                path, body if isinstance(body, str) else json.dumps(body), content_type="application/json", **auth
            )
        return response.status_code, json.loads(response.content)

    return call


def test_record_and_list_wins(api, site):
    action = Action.objects.create(site=site, title="Light the path")
    group = community_services.group_create(actor=None, site=site, name="Youth club", age_groups=["11-15"])
    status, win = api(
        "post",
        f"/api/v1/sites/{site.slug}/wins",
        {
            "kind": "funding",
            "title": "Grant",
            "won_on": "2013-05-01",
            "funder_name": "Lottery",
            "amount": "5000.50",
            "action_ids": [action.pk],
            "celebrated_how": "Cake",
        },
    )
    assert status == 201 and win["amount"] == "5000.50" and win["action_ids"] == [action.pk] and win["celebrated"]
    status, _ = api(
        "post",
        f"/api/v1/sites/{site.slug}/wins",
        {"kind": "new_group", "title": "Youth club formed", "won_on": "2012-05-01", "community_group_id": group.pk},
    )
    assert status == 201
    status, page = api("get", f"/api/v1/sites/{site.slug}/wins?kind=funding")
    assert status == 200 and page["count"] == 1 and page["items"][0]["funder"] == "Lottery"
    assert page["funding_by_year"] == [{"year": 2013, "wins": 1, "amount": "5000.50"}]
    status, page = api("get", f"/api/v1/sites/{site.slug}/wins?year=2012")
    assert [w["title"] for w in page["items"]] == ["Youth club formed"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"kind": "funding", "title": "G", "won_on": "2013-05-01", "funder_name": "L", "amount": "-5"}, "amount"),
        ({"kind": "funding", "title": "G", "won_on": "2013-05-01"}, "funder"),
        ({"kind": "award", "title": "A", "won_on": "2999-01-01"}, "won_on"),
        ({"kind": "award", "title": "A", "won_on": "2013-13-01"}, "won_on"),
        ({"kind": "trophy", "title": "A", "won_on": "2013-01-01"}, "kind"),
        ({"kind": "award", "title": "A", "won_on": "2013-01-01", "action_ids": [999999]}, "action_ids"),
        (
            {"kind": "award", "title": "A", "won_on": "2013-01-01", "celebration_event_id": 999999},
            "celebration_event_id",
        ),
        (
            {"kind": "media", "title": "A", "won_on": "2013-01-01", "media_outlet": "E", "media_url": "ftp://x"},
            "media_url",
        ),
        ({"kind": "award", "title": "A\x00", "won_on": "2013-01-01"}, "title"),
    ],
)
def test_bad_wins_are_422_with_reasons(api, site, body, where):
    status, answer = api("post", f"/api/v1/sites/{site.slug}/wins", body)
    assert status == 422 and where in answer["detail"], answer
    assert not Win.objects.filter(site=site).exists()


def test_another_sites_action_is_refused(api, site, other_site):
    foreign = Action.objects.create(site=other_site, title="Beacon's")
    status, answer = api(
        "post",
        f"/api/v1/sites/{site.slug}/wins",
        {"kind": "award", "title": "A", "won_on": "2013-01-01", "action_ids": [foreign.pk]},
    )
    assert status == 422 and "action_ids" in answer["errors"]


def test_not_json_is_400(api, site):
    status, answer = api("post", f"/api/v1/sites/{site.slug}/wins", "{not json")
    assert status == 400 and answer["detail"]
    status, answer = api("post", f"/api/v1/sites/{site.slug}/wins", "[1, 2]")
    assert status == 400 and "JSON object" in answer["detail"]


def test_bids_and_their_totals(api, site):
    status, bid = api(
        "post",
        f"/api/v1/sites/{site.slug}/funding-bids",
        {
            "purpose": "Minibus",
            "amount_asked": "2000",
            "funder_name": "Lottery",
            "status": "refused",
            "submitted_on": "2013-01-10",
            "decided_on": "2013-03-01",
        },
    )
    assert status == 201 and bid["status_label"] == "Refused"
    services.bid_create(
        actor=None,
        site=site,
        purpose="Club",
        amount_asked=Decimal("1000"),
        funder_name="L",
        status=BidStatus.AWARDED,
        submitted_on=dt.date(2013, 2, 1),
        decided_on=dt.date(2013, 4, 1),
        amount_awarded=Decimal("1000"),
    )
    status, answer = api("get", f"/api/v1/sites/{site.slug}/funding-bids")
    assert status == 200 and len(answer["items"]) == 2
    assert answer["totals_by_year"] == [
        {
            "year": 2013,
            "submitted": 2,
            "asked": "3000.00",
            "decided": 2,
            "successful": 1,
            "awarded": "1000.00",
            "success_rate": 0.5,
        }
    ]
    status, answer = api("get", f"/api/v1/sites/{site.slug}/funding-bids?status=awarded")
    assert [b["purpose"] for b in answer["items"]] == ["Club"]


def test_a_decision_before_submission_is_a_field_error(api, site):
    status, answer = api(
        "post",
        f"/api/v1/sites/{site.slug}/funding-bids",
        {
            "purpose": "Minibus",
            "amount_asked": "2000",
            "funder_name": "Lottery",
            "status": "refused",
            "submitted_on": "2013-03-10",
            "decided_on": "2013-03-01",
        },
    )
    assert status == 422 and answer["errors"]["decided_on"] == ["The decision cannot be before the bid was submitted."]
    status, answer = api(
        "post",
        f"/api/v1/sites/{site.slug}/funding-bids",
        {"purpose": "Minibus", "amount_asked": "-1", "funder_name": "L"},
    )
    assert status == 422 and "amount_asked" in answer["detail"]
    assert not FundingBid.objects.filter(site=site).exists()
