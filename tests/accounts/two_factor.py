"""Helpers for tests that sign in. Admin and facilitator fixtures already have an authenticator
app (tests/factories.give_totp); these read its secret back and give them recovery codes."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.utils import decrypt
from django.test import Client

from tests.factories import PASSWORD


def secret_of(user) -> str:
    """The TOTP secret the user's authenticator app holds."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def give_recovery_codes(user) -> list[str]:
    """Recovery codes, as allauth makes them when TOTP is turned on through the pages."""
    return RecoveryCodes.activate(user).get_unused_codes()


def sign_in_with_password(client: Client, email: str, password: str = PASSWORD, **extra):
    """Post the sign-in form as a browser would."""
    return client.post("/account/login/", {"login": email, "password": password}, **extra)
