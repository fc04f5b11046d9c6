"""Reads about users: whether they must use a second factor, and whether they have one."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from c2hub.accounts.models import ROLES_REQUIRING_2FA, User
from c2hub.accounts.rules import _roles_by_site


def requires_two_factor(user: Any) -> bool:
    """Programme admins, facilitators and superusers must sign in with a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    admin_programmes, by_site = _roles_by_site(user)
    return bool(admin_programmes) or any(roles & ROLES_REQUIRING_2FA for roles in by_site.values())


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
