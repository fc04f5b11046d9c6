"""The outcomes API: monthly series, evaluations, and bad input answered with a reason."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from c2hub.accounts.models import ApiToken, Role
from c2hub.outcomes import services
from c2hub.outcomes.models import EvaluationRun
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(camborne):
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user_with_role(Role.FACILITATOR, camborne), key_hash=ApiToken.hash_key(key),
                            hint=key[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_monthly_series_of_one_type(client, camborne, auth):
    body = client.get(f"/api/v1/sites/{camborne.slug}/indicators?indicator=crime&type=Burglary", **auth).json()
    assert body["lsoas"] == camborne.lsoa_codes
    assert [p["month"] for p in body["series"]] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert {p["crime_type"] for p in body["series"]} == {"Burglary"}
    everything = client.get(f"/api/v1/sites/{camborne.slug}/indicators", **auth).json()["series"]
    totals = {p["month"]: p["count"] for p in everything if p["crime_type"] == "All crime and anti-social behaviour"}
    by_month: dict[str, int] = {}
    for p in everything:
        if p["crime_type"] != "All crime and anti-social behaviour":
            by_month[p["month"]] = by_month.get(p["month"], 0) + p["count"]
    assert totals == by_month and sum(totals.values()) > 100


@pytest.mark.parametrize(("query", "status", "reason"), [
    ("indicator=schools", 422, "indicator"),
    ("indicator=crime&type=Piracy", 422, "No crime type"),
    ("indicator=crime&type=" + "x" * 101, 422, "type"),
])
def test_bad_indicator_queries(client, camborne, auth, query, status, reason):
    response = client.get(f"/api/v1/sites/{camborne.slug}/indicators?{query}", **auth)
    assert response.status_code == status
    assert reason in json.dumps(response.json())


@pytest.mark.parametrize(("payload", "status", "reason"), [
    ({}, 422, "treatment_start"),
    ({"treatment_start": "not a date"}, 422, "treatment_start"),
    ({"treatment_start": "2024-03-01", "method": "magic"}, 422, "method"),
    ({"treatment_start": "2019-03-01"}, 422, "months before"),
    ({"treatment_start": "2024-03-01", "crime_type": "Piracy"}, 422, "crime of type"),
    ({"treatment_start": "2024-03-01"}, 422, "comparison areas"),
])
def test_bad_evaluation_requests(client, camborne, auth, payload, status, reason):
    if reason != "comparison areas":
        services.comparison_suggest(actor=None, site=camborne)
        services.comparison_accept_all(actor=None, site=camborne)
    response = client.post(f"/api/v1/sites/{camborne.slug}/evaluations", json.dumps(payload),
                           content_type="application/json", **auth)
    assert response.status_code == status, response.content
    assert reason in json.dumps(response.json())
    assert not EvaluationRun.objects.exists()


def test_evaluation_round_trip(client, camborne, auth, django_capture_on_commit_callbacks):
    services.comparison_suggest(actor=None, site=camborne)
    services.comparison_accept_all(actor=None, site=camborne)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/sites/{camborne.slug}/evaluations",
                               json.dumps({"treatment_start": "2024-03-01", "method": "did"}),
                               content_type="application/json", **auth)
    assert response.status_code == 202
    created = response.json()
    assert created["status"] == "queued" and created["result"] is None
    run = EvaluationRun.objects.get(pk=created["id"])
    services.evaluation_execute(run)
    body = client.get(f"/api/v1/sites/{camborne.slug}/evaluations/{run.pk}", **auth).json()
    assert body["status"] == "finished"
    assert body["result"]["did"]["n_treated"] == len(camborne.lsoa_codes)
    assert body["result"]["did_verdict"]["headline"]
    assert client.get(f"/api/v1/sites/{camborne.slug}/evaluations/999999", **auth).status_code == 404
    assert client.get(f"/api/v1/sites/{camborne.slug}/evaluations/0", **auth).status_code == 422
    assert dt.date.fromisoformat(body["treatment_start"]) == dt.date(2024, 3, 1)
