"""The C2 Hub API under /api/v1/: one NinjaAPI, a router per app (each app's api.py).

Every error is JSON with a human-readable ``detail``: the handlers below turn the domain's
exceptions (Http404, PermissionDenied, Django's ValidationError) and ninja's own into that shape.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from c2hub.api.auth import API_AUTH

logger = logging.getLogger(__name__)


class NotAJsonObject(ValueError):
    """The body is JSON, but not an object: every request body of this API is one."""


class JsonObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAJsonObject
        return data


api = NinjaAPI(
    title="C2 Hub API",
    version="1.0.0",
    description=(
        "Read and write a C2 programme's sites, people, groups and pathway. Authenticate with a "
        "session or `Authorization: Bearer <token>` (`c2hub token create --user EMAIL`). "
        "You see only the sites you belong to, with the same permissions as the pages. "
        "Every error answer is JSON with a `detail` saying why."
    ),
    auth=API_AUTH,
    parser=JsonObjectParser(),
    urls_namespace="api-1.0.0",
)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found")


@api.exception_handler(ObjectDoesNotExist)
def no_such_object(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or "You do not have permission to do this.")


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A domain rule refused the input (raised by a service or a model's full_clean)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = "; ".join(
        f"{field}: {message}" if field != "__all__" else message
        for field, messages in errors.items()
        for message in messages
    )
    return _error(request, 422, detail or "Invalid input", errors=errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, "Sign in or send a valid bearer token.")


def _location(loc: Iterable[Any]) -> str:
    return ".".join(str(part) for part in loc)


@api.exception_handler(NinjaValidationError)
def bad_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The request did not match the endpoint's schema (wrong types, missing fields, too long)."""
    errors = [
        {
            "loc": list(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    detail = "; ".join(f"{_location(e['loc'])}: {e['msg']}" for e in errors)
    return _error(request, 422, detail or "Invalid request", errors=errors)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises HttpError(400, "Cannot parse request body") when the parser fails.
    detail = exc.message
    if isinstance(exc.__cause__, NotAJsonObject):
        detail = "The request body must be a JSON object."
    elif exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "The request body is not valid JSON."
    return _error(request, exc.status_code, detail)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback, answered as JSON like every other error."""
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return _error(request, 500, "Something went wrong on the server. It has been logged.")


def _register_routers() -> None:
    from c2hub.people.api import router as people_router
    from c2hub.programmes.api import router as programmes_router

    api.add_router("/sites", programmes_router)
    api.add_router("/sites", people_router)
    # These routers spell out their whole paths (/sites/{slug}/… and /listening-events/{id}, …).
    from c2hub.areas.api import router as areas_router
    from c2hub.events.api import router as events_router
    from c2hub.listening.api import router as listening_router
    from c2hub.outcomes.api import router as outcomes_router

    api.add_router("", events_router)
    api.add_router("", listening_router)
    api.add_router("", areas_router)
    api.add_router("", outcomes_router)
    from c2hub.community.api import router as community_router
    from c2hub.wins.api import router as wins_router

    api.add_router("", wins_router)
    api.add_router("", community_router)
    from c2hub.reports.api import router as reports_router

    api.add_router("", reports_router)
    from c2hub.value.api import router as value_router

    api.add_router("", value_router)
    from c2hub.actions.api import router as actions_router

    api.add_router("", actions_router)

    from c2hub.casestudies.api import router as casestudies_router

    api.add_router("", casestudies_router)

    from c2hub.newsletters.api import router as newsletters_router

    api.add_router("", newsletters_router)


_register_routers()
