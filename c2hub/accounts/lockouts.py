"""How django-axes recognises whose account a failed sign-in was for.

allauth's sign-in form posts the e-mail address as ``login`` but authenticates with
``{"email": …, "password": …}``, so axes' default lookup (one form field name, read from the
credentials first) finds nothing and every failure would count against an empty username.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def username_for_lockout(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The e-mail address a sign-in attempt was for, lower-cased, as axes' lock-out key."""
    raw: Any = None
    if credentials:
        raw = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not raw and request is not None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get("login") or data.get("email")
    return str(raw).strip().lower() if raw else ""
