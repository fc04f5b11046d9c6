"""The community groups and coverage API."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from c2hub.accounts.models import ApiToken, Role
from c2hub.community import services
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def get(client, site):
    user = user_with_role(Role.RESEARCHER, site)
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])

    def call(path: str):
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        return response.status_code, json.loads(response.content)

    return call


def test_groups_with_ages_priorities_and_latest_month(get, site):
    group = services.group_create(
        actor=None,
        site=site,
        name="TR14ers",
        founded_on=dt.date(2008, 8, 1),
        age_groups=["11-15", "5-10"],
        health_priorities=["physical_activity"],
    )
    services.participation_set(actor=None, group=group, month=dt.date(2009, 1, 1), participants=40)
    services.participation_set(
        actor=None, group=group, month=dt.date(2009, 2, 1), participants=45, volunteers=4, volunteer_hours="12.5"
    )
    services.group_create(actor=None, site=site, name="Lunch club", age_groups=["65+"])
    status, groups = get(f"/api/v1/sites/{site.slug}/community-groups")
    assert status == 200 and [g["name"] for g in groups] == ["Lunch club", "TR14ers"]
    tr14ers = groups[1]
    assert tr14ers["age_groups"] == ["5-10", "11-15"] and tr14ers["health_priorities"] == ["physical_activity"]
    assert tr14ers["latest_participation"] == {
        "month": "2009-02-01",
        "participants": 45,
        "volunteers": 4,
        "volunteer_hours": "12.5",
    }
    assert groups[0]["latest_participation"] is None
    status, groups = get(f"/api/v1/sites/{site.slug}/community-groups?age_group=65%2B")
    assert [g["name"] for g in groups] == ["Lunch club"]
    status, answer = get(f"/api/v1/sites/{site.slug}/community-groups?age_group=teens")
    assert status == 422 and "age_group" in answer["detail"]


def test_coverage_gaps_and_value(get, site, facilitator):
    group = services.group_create(
        actor=None, site=site, name="TR14ers", founded_on=dt.date(2008, 8, 1), age_groups=["5-10", "11-15", "16-18"]
    )
    services.participation_set(actor=None, group=group, month=dt.date(2009, 1, 1), volunteers=2, volunteer_hours=10)
    status, cover = get(f"/api/v1/sites/{site.slug}/coverage")
    assert status == 200 and cover["age_groups_covered"] == 3 and cover["age_groups"] == 7
    assert cover["gaps"] == ["0-4", "19-25", "26-64", "65+"]
    assert cover["by_age_group"][1] == {"age_group": "5-10", "label": "5–10", "groups": 1, "group_ids": [group.pk]}
    assert cover["value_per_hour"] is None
    assert cover["volunteering_by_year"] == [{"year": 2009, "volunteer_hours": "10.0", "value": None}]
    services.volunteering_value_set(actor=facilitator, site=site, per_hour="12.21", basis="NLW")
    status, cover = get(f"/api/v1/sites/{site.slug}/coverage")
    assert cover["value_per_hour"] == "12.21" and cover["volunteering_by_year"][0]["value"] == "122.10"
