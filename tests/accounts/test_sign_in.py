"""Signing in: password, then (when it is on) a code from the authenticator app or a recovery
code; sign-out is a POST."""

from __future__ import annotations

from django.contrib.auth import get_user
from django.urls import reverse

from tests.accounts.two_factor import give_recovery_codes, secret_of, sign_in_with_password
from tests.factories import PASSWORD, UserFactory, totp_code


def test_sign_in_with_the_right_password_shows_a_welcome_message(client, member):
    response = sign_in_with_password(client, member.email)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    page = client.get(reverse("dashboard"))
    assert "Successfully signed in as" in page.content.decode()
    assert get_user(client).pk == member.pk


def test_sign_in_ignores_the_case_of_the_email_address(client, member):
    response = sign_in_with_password(client, member.email.upper())
    assert response.status_code == 302
    assert get_user(client).pk == member.pk


def test_wrong_password_says_so_and_keeps_the_email_address(client, member):
    response = sign_in_with_password(client, member.email, "not the password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "govuk-error-summary" in html
    assert "The email address and/or password you specified are not correct." in html
    assert f'value="{member.email}"' in html
    assert not get_user(client).is_authenticated


def test_empty_form_shows_an_error_beside_each_field(client, db):
    html = client.post("/account/login/", {"login": "", "password": ""}).content.decode()
    assert html.count("govuk-error-message") == 2
    assert 'href="#id_login"' in html and 'href="#id_password"' in html


def test_sign_in_with_an_authenticator_app_code(client, facilitator):
    secret = secret_of(facilitator)
    response = sign_in_with_password(client, facilitator.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not get_user(client).is_authenticated  # the password alone is not enough

    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200 and "Enter your security code" in page.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert get_user(client).pk == facilitator.pk
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_code_is_refused(client, facilitator):
    secret = secret_of(facilitator)
    sign_in_with_password(client, facilitator.email)
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not get_user(client).is_authenticated


def test_sign_in_with_a_recovery_code_which_then_stops_working(client, facilitator):
    codes = give_recovery_codes(facilitator)
    sign_in_with_password(client, facilitator.email)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert get_user(client).pk == facilitator.pk

    client.post(reverse("account_logout"))
    sign_in_with_password(client, facilitator.email)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200 and "Incorrect code." in response.content.decode()
    assert not get_user(client).is_authenticated


def test_sign_out_asks_first_then_needs_a_post(client, member):
    client.force_login(member)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200 and "Are you sure you want to sign out" in page.content.decode()
    assert get_user(client).is_authenticated
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert not get_user(client).is_authenticated


def test_an_inactive_account_cannot_sign_in(client, db):
    user = UserFactory(is_active=False)
    sign_in_with_password(client, user.email, PASSWORD)
    assert not get_user(client).is_authenticated
