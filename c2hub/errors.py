"""Error pages: JSON under /api/, GOV.UK-styled pages elsewhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _respond(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=status)
    return render(request, "pages/error.html", {"title": title, "text": text}, status=status)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 404, "Page not found", "If you typed the web address, check it is correct.")


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(
        request,
        403,
        "You cannot see this page",
        "Your role does not allow this. Ask your programme admin if you need it.",
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 400, "Bad request", "The request could not be understood.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _respond(request, 500, "Sorry, there is a problem with the service", "Try again later.")
