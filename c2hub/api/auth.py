"""API authentication: a session (same permissions as the pages) or `Authorization: Bearer`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from c2hub.accounts.models import ApiToken
from c2hub.accounts.selectors import has_totp, requires_two_factor

TWO_FACTOR_REQUIRED = "Set up two-factor authentication in C2 Hub before using the API."


class BearerToken(HttpBearer):
    """A token made with `c2hub token create --user EMAIL`; only its hash is stored."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(
                key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True
            )
            .first()
        )
        if found is None:
            return None
        user = found.user
        # The pages refuse admins and facilitators without a second factor
        # (RequireTwoFactorMiddleware); a token must not be the way round that.
        if requires_two_factor(user) and not has_totp(user):
            raise PermissionDenied(TWO_FACTOR_REQUIRED)
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = user
        return user


API_AUTH = [BearerToken(), django_auth]
