"""Helpers for the browser tests: signing in, authenticator codes, viewport sizes."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.test import Client

from c2hub.accounts.models import User

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 360, "height": 740}


def add_totp(user: User) -> str:
    """Give a user a (new) TOTP authenticator the way allauth's activation does; returns the
    secret."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now; waits out the last seconds of a period so that
    the code is still valid when the server checks it (allauth allows no tolerance)."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def submit_sign_in_form(page, email: str, password: str) -> None:
    """Fill in /account/login/ by its field names and press its submit button (the password
    field may have its own show/hide button)."""
    page.goto("/account/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()


def submit_authenticator_code(page, code: str) -> None:
    page.locator("input[name=code]").fill(code)
    page.locator("form:has(input[name=code]) [type=submit]").first.click()


def sign_in_as(page, user: User) -> None:
    """Start a signed-in session without the sign-in pages (tested on their own in
    test_sign_in.py): the session cookie of Django's test client goes into the browser."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": page.c2_base_url}]
    )
