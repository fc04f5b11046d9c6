"""The newsletter API: issues with their blocks, drafts started by the team, subscriber counts."""

from __future__ import annotations

import pytest

from c2hub.accounts.models import Role
from c2hub.newsletters import services
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, site):
    client.force_login(user_with_role(Role.PARTNERSHIP_MEMBER, site))
    return client


def test_list_and_one_issue_with_its_frozen_blocks(api, site, published, public_page):
    draft = services.issue_create(actor=None, site=site, title="Next")
    listed = api.get(f"/api/v1/sites/{site.slug}/newsletters").json()
    assert [(i["number"], i["status"]) for i in listed] == [(draft.number, "draft"), (published.number, "published")]
    assert listed[1]["public_url"] == f"/p/{site.slug}/newsletters/{published.number}/"
    assert listed[0]["public_url"] is None
    one = api.get(f"/api/v1/sites/{site.slug}/newsletters/{published.number}").json()
    assert [b["kind"] for b in one["blocks"]] == ["text", "wins"]
    assert one["blocks"][0]["body"] == "<p>Hello, Southchurch.</p>"
    assert one["blocks"][1]["items"][0]["title"] == "Play area funded"


def test_start_a_draft(api, site):
    response = api.post(f"/api/v1/sites/{site.slug}/newsletters", {"title": "Autumn"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["number"] == 1 and response.json()["blocks"] == []


def test_a_subject_with_a_line_break_is_a_422_with_a_detail(api, site):
    response = api.post(
        f"/api/v1/sites/{site.slug}/newsletters",
        {"title": "Autumn\r\nBcc: all@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "line breaks" in response.json()["detail"]


def test_subscriber_count_and_unknown_issue(api, site, subscriber):
    assert api.get(f"/api/v1/sites/{site.slug}/newsletter-subscribers/count").json() == {
        "active": 1,
        "unsubscribed": 0,
    }
    response = api.get(f"/api/v1/sites/{site.slug}/newsletters/99")
    assert response.status_code == 404 and response.json()["detail"]
    assert api.get(f"/api/v1/sites/{site.slug}/newsletters/0").status_code == 422
