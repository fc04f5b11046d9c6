"""The C2 Hub API under /api/v1/: one NinjaAPI, a router per app (each app's api.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from c2hub.api.auth import API_AUTH

api = NinjaAPI(
    title="C2 Hub API",
    version="1.0.0",
    description=(
        "Read and write a C2 programme's sites, people, groups and pathway. Authenticate with a "
        "session or `Authorization: Bearer <token>` (`c2hub token create --user EMAIL`). "
        "You see only the sites you belong to, with the same permissions as the pages."
    ),
    auth=API_AUTH,
    urls_namespace="api-1.0.0",
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "You do not have permission to do this."}, status=403
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Sign in or send a valid bearer token."}, status=401)


@api.exception_handler(NinjaValidationError)
def bad_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Invalid request", "errors": exc.errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


def _register_routers() -> None:
    from c2hub.programmes.api import router as programmes_router

    api.add_router("/sites", programmes_router)


_register_routers()
