"""The board reports permission matrix: 5 roles × their own site or another programme's site ×
every page and the API. Everyone with a role reads (commissioners are who the report is for); the
site's team drafts and edits; those who run the site approve and release. Another site is a 404;
a role without the permission is a 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from c2hub.accounts.models import ApiToken, Role
from c2hub.reports import services
from tests.factories import ProgrammeFactory, make_site, user_with_role

pytestmark = pytest.mark.django_db

GRANTS: dict[str, set[str]] = {
    Role.PROGRAMME_ADMIN: {"view", "draft", "approve"},
    Role.FACILITATOR: {"view", "draft", "approve"},
    Role.PARTNERSHIP_MEMBER: {"view", "draft"},
    Role.COMMISSIONER: {"view"},
    Role.RESEARCHER: {"view"},
}
AS_OF = dt.date(2013, 12, 1)


@pytest.fixture
def world(site):
    foreign = make_site(programme=ProgrammeFactory(name="Elsewhere", slug="elsewhere"), name="Elsewhere")
    return {
        "site": (site, services.board_report_draft(actor=None, site=site, as_of=AS_OF, board_name="HWB")),
        "foreign": (foreign, services.board_report_draft(actor=None, site=foreign, as_of=AS_OF, board_name="HWB")),
    }


PAGES = [
    ("board_report_list", False, "view"),
    ("board_report_detail", True, "view"),
    ("board_report_new", False, "draft"),
    ("board_report_edit", True, "draft"),
]


@pytest.mark.parametrize("role", list(GRANTS))
def test_pages_obey_the_matrix(client, world, role):
    site, report = world["site"]
    client.force_login(user_with_role(role, site, programme=site.programme))
    failures = []
    for key, (s, r) in world.items():
        for name, with_report, need in PAGES:
            url = reverse(name, args=[s.slug, r.pk] if with_report else [s.slug])
            want = (200 if need in GRANTS[role] else 403) if key == "site" else 404
            got = client.get(url).status_code
            if got != want:
                failures.append(f"{role} GET {url}: {got}, expected {want}")
        for fmt in ("docx", "pdf"):
            url = reverse("board_report_download", args=[s.slug, r.pk, fmt])
            want = 200 if key == "site" else 404
            if (got := client.get(url).status_code) != want:
                failures.append(f"{role} GET {url}: {got}, expected {want}")
        for name in ("board_report_approve", "board_report_release"):
            url = reverse(name, args=[s.slug, r.pk])
            want = (302 if "approve" in GRANTS[role] else 403) if key == "site" else 404
            if (got := client.post(url).status_code) != want:
                failures.append(f"{role} POST {url}: {got}, expected {want}")
        url = reverse("board_report_new", args=[s.slug])
        want = (302 if "draft" in GRANTS[role] else 403) if key == "site" else 404
        if (got := client.post(url, {"as_of": "2013-12-01", "board_name": "HWB"}).status_code) != want:
            failures.append(f"{role} POST {url}: {got}, expected {want}")
    assert not failures, "\n".join(failures)


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    site, report = world["site"]
    response = client.get(reverse("board_report_detail", args=[site.slug, report.pk]))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert client.get(f"/api/v1/sites/{site.slug}/reports/board?as_of=2013-12-01").status_code == 401


@pytest.mark.parametrize("role", list(GRANTS))
def test_api_obeys_the_matrix(client, world, role):
    site, _ = world["site"]
    user = user_with_role(role, site, programme=site.programme)
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    own = client.get(f"/api/v1/sites/{site.slug}/reports/board?as_of=2013-12-01", **auth)
    assert own.status_code == 200, own.content
    foreign = client.get(f"/api/v1/sites/{world['foreign'][0].slug}/reports/board?as_of=2013-12-01", **auth)
    assert foreign.status_code == 404 and "detail" in foreign.json()
