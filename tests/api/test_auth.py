"""Who may call the API: a session or a live bearer token, and the same 2FA rule as the pages."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from c2hub.accounts.models import ApiToken, Role
from tests.api.conftest import make_token
from tests.factories import give_totp, user_with_role


def test_no_credentials_is_401_json(site):
    response = Client().get("/api/v1/sites")
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in or send a valid bearer token."}


def test_a_bearer_token_signs_in_and_is_marked_used(site, member):
    key = make_token(member)
    response = Client().get("/api/v1/sites", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()] == [site.slug]
    assert ApiToken.objects.get(user=member).last_used_at is not None


def test_a_session_signs_in(site, commissioner):
    client = Client()
    client.force_login(commissioner)
    response = client.get("/api/v1/sites")
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()] == [site.slug]


def test_a_session_write_needs_the_csrf_token(site, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    response = client.post(
        f"/api/v1/sites/{site.slug}/pathway/criteria/{criterion.pk}/evidence",
        {"kind": "note", "summary": "Met the residents"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not site.evidence.exists()


def test_a_revoked_token_is_refused(site, member):
    key = make_token(member)
    ApiToken.objects.filter(user=member).update(revoked_at=timezone.now())
    response = Client().get("/api/v1/sites", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_an_unknown_token_is_refused(site):
    response = Client().get("/api/v1/sites", headers={"Authorization": "Bearer c2h_not-a-token"})
    assert response.status_code == 401


def test_a_deactivated_users_token_is_refused(site, member):
    key = make_token(member)
    member.is_active = False
    member.save()
    response = Client().get("/api/v1/sites", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_a_facilitators_token_needs_two_factor_like_the_pages(site):
    facilitator = user_with_role(Role.FACILITATOR, site, totp=False)
    key = make_token(facilitator)
    headers = {"Authorization": f"Bearer {key}"}
    refused = Client().get("/api/v1/sites", headers=headers)
    assert refused.status_code == 403
    assert "two-factor" in refused.json()["detail"]
    give_totp(facilitator)
    assert Client().get("/api/v1/sites", headers=headers).status_code == 200


def test_a_facilitators_session_needs_two_factor(site):
    facilitator = user_with_role(Role.FACILITATOR, site, totp=False)
    client = Client()
    client.force_login(facilitator)
    assert client.get("/api/v1/sites").status_code == 403
    give_totp(facilitator)
    assert client.get("/api/v1/sites").status_code == 200
