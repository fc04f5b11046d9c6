"""The account page: people create named API tokens (shown once) and revoke them."""

from __future__ import annotations

import re

from django.urls import reverse

from c2hub.accounts.models import ApiToken


def test_creating_a_token_shows_it_once(client, member):
    client.force_login(member)
    response = client.post(reverse("api_token_create"), {"name": "Weekly export"})
    html = response.content.decode()
    assert response.status_code == 200
    key = re.search(r'id="new-api-token">(c2h_[^<]+)<', html).group(1)
    token = ApiToken.objects.get(user=member)
    assert token.name == "Weekly export" and token.key_hash == ApiToken.hash_key(key)
    assert "no-store" in response["Cache-Control"]
    later = client.get(reverse("account_settings")).content.decode()
    assert key not in later and "Weekly export" in later and token.hint in later


def test_a_token_needs_a_name(client, member):
    client.force_login(member)
    response = client.post(reverse("api_token_create"), {"name": ""})
    assert response.status_code == 400
    assert 'href="#id_name"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token(client, member):
    client.force_login(member)
    client.post(reverse("api_token_create"), {"name": "Old script"})
    token = ApiToken.objects.get(user=member)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("account_settings")
    token.refresh_from_db()
    assert token.revoked_at is not None
    html = client.get(reverse("account_settings")).content.decode()
    assert "revoked" in html and "You have no API tokens." in html


def test_nobody_can_revoke_someone_elses_token(client, member, commissioner):
    client.force_login(member)
    client.post(reverse("api_token_create"), {"name": "Mine"})
    token = ApiToken.objects.get(user=member)
    client.force_login(commissioner)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_actions_need_a_post(client, member):
    client.force_login(member)
    assert client.get(reverse("api_token_create")).status_code == 405
