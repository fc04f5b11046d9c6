"""Passwords are stored as Argon2 hashes."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import get_hasher, identify_hasher

from c2hub.accounts import services
from tests.factories import PASSWORD

pytestmark = pytest.mark.argon2


def test_argon2_is_the_hasher_for_new_passwords(settings):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert get_hasher().memory_cost == 19 * 1024 and get_hasher().parallelism == 1
    assert get_hasher().algorithm == "argon2"


def test_stored_password_is_an_argon2_hash(member):
    assert member.password.startswith("argon2$argon2id$")
    assert identify_hasher(member.password).algorithm == "argon2"
    assert PASSWORD not in member.password and member.check_password(PASSWORD)


def test_accounts_created_by_the_service_use_argon2(db):
    user = services.user_create(actor=None, email="new@example.org", password="a long passphrase here")
    assert user.password.startswith("argon2$")


def test_an_older_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(client, member):
    from django.contrib.auth.hashers import make_password

    member.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    member.save(update_fields=["password"])
    response = client.post("/account/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.password.startswith("argon2$")
