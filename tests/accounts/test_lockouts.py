"""Repeated wrong passwords lock an account (django-axes), through allauth's own sign-in form."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user
from django.urls import reverse

from c2hub.accounts.lockouts import username_for_lockout
from tests.accounts.two_factor import sign_in_with_password


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def fail(client, email, times):
    return [sign_in_with_password(client, email, "wrong password").status_code for _ in range(times)]


def test_the_limit_is_five_by_default(limit):
    assert limit == 5


def test_account_locks_after_the_failure_limit(client, member, limit):
    assert fail(client, member.email, limit - 1) == [200] * (limit - 1)
    response = sign_in_with_password(client, member.email, "wrong password")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Signing in is locked for 30 minutes" in html
    assert "govuk-template" in html  # our page, in our layout


def test_a_locked_account_cannot_sign_in_even_with_the_right_password(client, member, limit):
    fail(client, member.email, limit)
    response = sign_in_with_password(client, member.email)
    assert response.status_code == 429
    assert not get_user(client).is_authenticated
    assert client.get(reverse("dashboard")).status_code == 302


def test_failures_are_counted_against_the_email_address_signed_in_with(client, member, limit):
    fail(client, member.email.upper(), 2)
    attempt = AccessAttempt.objects.get()
    assert attempt.username == member.email
    assert attempt.failures_since_start == 2


def test_locking_one_account_leaves_others_alone(client, member, commissioner, limit):
    fail(client, member.email, limit)
    response = sign_in_with_password(client, commissioner.email)
    assert response.status_code == 302
    assert get_user(client).pk == commissioner.pk


def test_a_successful_sign_in_resets_the_count(client, member, limit):
    fail(client, member.email, limit - 1)
    assert sign_in_with_password(client, member.email).status_code == 302
    client.post(reverse("account_logout"))
    assert fail(client, member.email, limit - 1) == [200] * (limit - 1)


def test_lockout_username_comes_from_allauth_credentials_or_the_form(rf):
    assert username_for_lockout(None, {"email": " Ann@Example.org", "password": "x"}) == "ann@example.org"
    request = rf.post("/account/login/", {"login": "Bob@Example.org", "password": "x"})
    assert username_for_lockout(request, None) == "bob@example.org"
    assert username_for_lockout(rf.post("/account/login/", {}), None) == ""
