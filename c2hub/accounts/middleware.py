"""Admins and facilitators cannot use C2 Hub until they have set up two-factor authentication."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from c2hub.accounts.selectors import has_totp, requires_two_factor

#: Paths a signed-in user may reach before setting up 2FA: the sign-in and 2FA pages themselves,
#: and the public partnership pages (/p/…) anyone may read.
ALLOWED_PREFIXES = ("/account/", "/static/", "/accessibility/", "/privacy/", "/p/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and requires_two_factor(user)
            and not has_totp(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Set up two-factor authentication in C2 Hub before using the API."},
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
