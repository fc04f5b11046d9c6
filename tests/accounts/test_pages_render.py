"""Every allauth page people meet is our GOV.UK page (Jinja, layout.html), renders, and keeps
to the content security policy."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from c2hub.accounts.models import Role
from tests.accounts.two_factor import give_recovery_codes, secret_of, sign_in_with_password
from tests.factories import PASSWORD, UserFactory, totp_code, user_with_role


def assert_our_page(response, heading: str, status: int = 200) -> str:
    """The page is ours: our layout, its heading, GOV.UK forms, and no script the CSP blocks."""
    assert response.status_code == status, response
    html = response.content.decode()
    assert 'class="govuk-template' in html and "C2 Hub" in html
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html or heading in html
    assert "allauth" not in html.lower()  # nothing from allauth's own templates
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    for script in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html):
        assert f'nonce="{nonce}"' in script, script
    assert " style=" not in html
    for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", html, flags=re.S):
        assert "csrfmiddlewaretoken" in form
    return html


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_page(client, db):
    html = assert_our_page(client.get(reverse("account_login")), "Sign in to C2 Hub")
    assert 'type="email"' in html and 'autocomplete="email"' in html
    assert 'type="password"' in html and 'autocomplete="current-password"' in html
    assert f'href="{reverse("account_reset_password")}"' in html and "Forgot your password?" in html
    assert "sign up" not in html.lower()


def test_sign_in_page_keeps_where_you_were_going(client, db):
    html = assert_our_page(client.get(reverse("account_login") + "?next=/audit/"), "Sign in")
    assert '<input type="hidden" name="next" value="/audit/">' in html


def test_sign_out_page(client, member):
    client.force_login(member)
    html = assert_our_page(client.get(reverse("account_logout")), "Sign out")
    assert 'action="/account/logout/"' in html


def test_signup_is_closed(client, db):
    html = assert_our_page(client.get(reverse("account_signup")), "There is no sign-up page")
    assert "programme admin" in html
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "a long password 123", "password2": "a long password 123"},
    )
    assert "There is no sign-up page" in response.content.decode()
    from c2hub.accounts.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_two_factor_code_page(client, facilitator):
    sign_in_with_password(client, facilitator.email)
    html = assert_our_page(client.get(reverse("mfa_authenticate")), "Enter your security code")
    assert 'autocomplete="one-time-code"' in html and "recovery codes" in html
    assert 'form="logout-from-stage"' in html


def test_two_factor_overview_without_and_with_an_app(client, site):
    user = user_with_role(Role.PARTNERSHIP_MEMBER, site)
    client.force_login(user)
    html = assert_our_page(client.get(reverse("mfa_index")), "Two-factor authentication")
    assert "Set up" in html and reverse("mfa_activate_totp") in html

    facilitator = user_with_role(Role.FACILITATOR, site)
    give_recovery_codes(facilitator)
    client.force_login(facilitator)
    html = assert_our_page(client.get(reverse("mfa_index")), "Two-factor authentication")
    assert "10 of 10 unused" in html and reverse("mfa_deactivate_totp") in html
    assert reverse("mfa_view_recovery_codes") in html


def test_set_up_page_shows_the_qr_code_and_the_key(client, member):
    sign_in_with_password(client, member.email)
    reauthenticate(client)
    html = assert_our_page(client.get(reverse("mfa_activate_totp")), "Set up two-factor authentication")
    assert '<img class="c2-totp-qr" src="data:image/svg+xml;base64,' in html
    assert 'id="totp-secret"' in html and 'inputmode="numeric"' in html


def test_set_up_page_shows_a_wrong_code(client, member):
    sign_in_with_password(client, member.email)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})
    html = assert_our_page(response, "Set up two-factor authentication")
    assert "govuk-error-summary" in html and "Incorrect code." in html


def test_turn_off_page(client, member):
    from tests.factories import give_totp

    give_totp(member)
    client.force_login(member)
    reauthenticate(client)
    html = assert_our_page(client.get(reverse("mfa_deactivate_totp")), "Turn off two-factor authentication")
    assert "govuk-button--warning" in html
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302


def test_recovery_code_pages(client, facilitator):
    codes = give_recovery_codes(facilitator)
    client.force_login(facilitator)
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 302  # confirm it is you
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret_of(facilitator))})
    html = assert_our_page(client.get(reverse("mfa_view_recovery_codes")), "Your recovery codes")
    assert all(f"<code>{code}</code>" in html for code in codes)
    assert reverse("mfa_download_recovery_codes") in html

    html = assert_our_page(client.get(reverse("mfa_generate_recovery_codes")), "Make new recovery codes")
    assert "Your 10 unused recovery codes will stop working." in html
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    new_codes = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert f"<code>{codes[0]}</code>" not in new_codes


def test_confirm_it_is_you_pages(client, facilitator):
    client.force_login(facilitator)
    html = assert_our_page(client.get(reverse("account_reauthenticate")), "Confirm it is you")
    assert reverse("mfa_reauthenticate") in html  # the other way to confirm
    html = assert_our_page(client.get(reverse("mfa_reauthenticate")), "Confirm it is you")
    assert reverse("account_reauthenticate") in html
    response = client.post(reverse("account_reauthenticate"), {"password": "wrong"})
    assert "govuk-error-summary" in assert_our_page(response, "Confirm it is you")


def test_change_password_page(client, member):
    client.force_login(member)
    html = assert_our_page(client.get(reverse("account_change_password")), "Change your password")
    assert "at least 10 characters" in html  # the validators' help, as HTML in the hint
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "short", "password2": "short"},
    )
    html = assert_our_page(response, "Change your password")
    assert 'href="#id_password1"' in html
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a much better passphrase", "password2": "a much better passphrase"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a much better passphrase")


def test_set_password_page_for_an_account_without_one(client, db):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert client.get(reverse("account_change_password"))["Location"] == reverse("account_set_password")
    assert_our_page(client.get(reverse("account_set_password")), "Set a password")


def test_password_reset_pages_from_request_to_new_password(client, member):
    assert_our_page(client.get(reverse("account_reset_password")), "Reset your password")
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert_our_page(client.get(reverse("account_reset_password_done")), "Check your e-mail")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.email]
    link = re.search(r"http://testserver(/account/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    html = assert_our_page(client.get(form_url), "Choose a new password")
    assert 'autocomplete="new-password"' in html
    response = client.post(form_url, {"password1": "a much better passphrase", "password2": "a much better passphrase"})
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert_our_page(client.get(reverse("account_reset_password_from_key_done")), "Password changed")
    member.refresh_from_db()
    assert member.check_password("a much better passphrase")


def test_password_reset_with_a_bad_link(client, member):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "not-a-key"})
    assert_our_page(client.get(url), "The link has expired")


def test_password_reset_asks_for_a_valid_address(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "not an address"})
    html = assert_our_page(response, "Reset your password")
    assert 'href="#id_email"' in html


def test_account_page(client, member):
    client.force_login(member)
    html = assert_our_page(client.get(reverse("account_settings")), "Your account")
    assert "Partnership member: Southchurch" in html


@pytest.mark.parametrize("heading", ["Audit log"])
def test_audit_log_page(client, programme_admin, heading):
    client.force_login(programme_admin)
    assert_our_page(client.get(reverse("audit_log")), heading)
