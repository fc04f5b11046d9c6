"""The newsletter permission matrix: 5 roles × their own site or another programme's site × every
newsletter page and API endpoint, reads and writes.

Expected answers: allowed → 200 (or a redirect / 201 for a write); a site the user does not
belong to → 404; a site they belong to but an action their role lacks → 403; signed out → the
sign-in page (pages) or 401 (API). Everyone in the site reads the issues; the site's team
composes and sees the subscribers; those who run the site publish, send and set the public page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from c2hub.accounts.models import Role
from c2hub.newsletters import services
from c2hub.newsletters.models import BlockKind
from tests.factories import ProgrammeFactory, make_site, user_with_role
from tests.newsletters.conftest import png_upload

pytestmark = pytest.mark.django_db

GRANTS: dict[str, set[str]] = {
    Role.PROGRAMME_ADMIN: {"view", "work", "send"},
    Role.FACILITATOR: {"view", "work", "send"},
    Role.PARTNERSHIP_MEMBER: {"view", "work"},
    Role.COMMISSIONER: {"view"},
    Role.RESEARCHER: {"view"},
}


def _fill(site) -> dict[str, int]:
    draft = services.issue_create(actor=None, site=site, title="Draft")
    text = services.block_add(actor=None, issue=draft, kind=BlockKind.TEXT, body="Hello")
    image = services.block_add(actor=None, issue=draft, kind=BlockKind.IMAGE, image=png_upload(), alt_text="A garden")
    published = services.issue_create(actor=None, site=site, title="Published")
    services.block_add(actor=None, issue=published, kind=BlockKind.TEXT, body="Hello")
    services.issue_publish(actor=None, issue=published)
    spare = services.issue_create(actor=None, site=site, title="Spare draft")
    services.block_add(actor=None, issue=spare, kind=BlockKind.TEXT, body="Hello")
    subscriber = services.subscriber_add(actor=None, site=site, email="reader@example.org", consent_note="Hub sheet")
    return {"text": text.pk, "image": image.pk, "subscriber": subscriber.pk}


def _requests(slug: str, ids: dict[str, int], criterion_id: int) -> list[tuple[str, str, str, dict]]:
    """(needs, method, url, data) in an order where each write leaves the next one meaningful."""
    one = f"/sites/{slug}/newsletters/1/"
    return [
        ("view", "get", reverse("newsletter_list", args=[slug]), {}),
        ("view", "get", one, {}),
        ("view", "get", one + "?format=pdf", {}),
        ("view", "get", reverse("newsletter_send_status", args=[slug, 2]), {}),
        ("view", "get", reverse("newsletter_block_image", args=[slug, 1, ids["image"]]), {}),
        ("view", "get", f"/api/v1/sites/{slug}/newsletters", {}),
        ("view", "get", f"/api/v1/sites/{slug}/newsletters/2", {}),
        ("view", "get", f"/api/v1/sites/{slug}/newsletter-subscribers/count", {}),
        ("work", "get", reverse("newsletter_subscribers", args=[slug]), {}),
        ("work", "post", reverse("newsletter_list", args=[slug]), {"title": "New issue"}),
        ("work", "post", reverse("newsletter_rename", args=[slug, 1]), {"title": "Renamed"}),
        ("work", "get", reverse("newsletter_block_add", args=[slug, 1]) + "?kind=text", {}),
        (
            "work",
            "post",
            reverse("newsletter_block_add", args=[slug, 1]),
            {"kind": "text", "heading": "", "body": "Hi"},
        ),
        ("work", "get", reverse("newsletter_block_edit", args=[slug, 1, ids["text"]]), {}),
        ("work", "post", reverse("newsletter_block_edit", args=[slug, 1, ids["text"]]), {"heading": "H", "body": "B"}),
        ("work", "post", reverse("newsletter_block_move", args=[slug, 1, ids["image"]]), {"direction": "up"}),
        ("work", "post", reverse("newsletter_block_remove", args=[slug, 1, ids["image"]]), {}),
        (
            "work",
            "post",
            reverse("newsletter_subscribers", args=[slug]),
            {"email": "b@example.org", "consent_note": "Sheet"},
        ),
        ("work", "post", reverse("newsletter_subscriber_remove", args=[slug, ids["subscriber"]]), {}),
        ("work", "post", reverse("newsletter_evidence", args=[slug, 2]), {"criterion": str(criterion_id)}),
        ("work", "post", reverse("newsletter_delete", args=[slug, 3]), {}),
        ("work", "post", f"/api/v1/sites/{slug}/newsletters", {"title": "From the API"}),
        ("send", "get", reverse("newsletter_public_settings", args=[slug]), {}),
        ("send", "post", reverse("newsletter_public_settings", args=[slug]), {"enabled": "on"}),
        ("send", "post", reverse("newsletter_send", args=[slug, 2]), {}),
        ("send", "post", reverse("newsletter_publish", args=[slug, 1]), {}),
    ]


def _criterion(site) -> int:
    from c2hub.programmes.models import StepCriterion

    return StepCriterion.objects.get(step__model_id=site.pathway_model_id, key="communication-channels").pk


@pytest.mark.parametrize("role", list(GRANTS))
def test_a_role_in_its_own_site(client, site, role):
    ids = _fill(site)
    services.subscriber_add(actor=None, site=site, email="second@example.org", consent_note="Hub sheet")
    client.force_login(user_with_role(role, site, programme=site.programme))
    for needs, method, url, data in _requests(site.slug, ids, _criterion(site)):
        if url.startswith("/api/") and method == "post":
            response = client.post(url, data, content_type="application/json")
        else:
            response = getattr(client, method)(url, data)
        allowed = needs in GRANTS[role]
        expected = {200, 201, 302} if allowed else {403}
        assert response.status_code in expected, (role, method, url, response.status_code)


@pytest.mark.parametrize("role", list(GRANTS))
def test_another_programmes_site_is_not_found(client, site, role):
    foreign = make_site(programme=ProgrammeFactory(slug="kent"), name="Cliftonville")
    ids = _fill(foreign)
    client.force_login(user_with_role(role, site, programme=site.programme))
    for _needs, method, url, data in _requests(foreign.slug, ids, _criterion(foreign)):
        if url.startswith("/api/") and method == "post":
            response = client.post(url, data, content_type="application/json")
        else:
            response = getattr(client, method)(url, data)
        assert response.status_code == 404, (role, method, url, response.status_code)


def test_signed_out_people_are_sent_to_sign_in(client, site):
    ids = _fill(site)
    for _needs, method, url, data in _requests(site.slug, ids, _criterion(site)):
        response = getattr(client, method)(url, data)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302 and "/account/login/" in response["Location"], url


def test_commissioners_see_how_many_subscribers_but_never_who(client, site):
    _fill(site)
    client.force_login(user_with_role(Role.COMMISSIONER, site))
    for url in (
        reverse("newsletter_list", args=[site.slug]),
        f"/api/v1/sites/{site.slug}/newsletter-subscribers/count",
        f"/api/v1/sites/{site.slug}/newsletters/2",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert b"reader@example.org" not in response.content
    assert client.get(f"/api/v1/sites/{site.slug}/newsletter-subscribers/count").json() == {
        "active": 1,
        "unsubscribed": 0,
    }
