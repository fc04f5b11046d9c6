"""Account pages: the lock-out page, account settings (2FA, API tokens) and the audit log."""

from __future__ import annotations

import csv
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from c2hub.accounts.selectors import has_totp, requires_two_factor


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown by django-axes after too many failed sign-ins."""
    return render(request, "accounts/locked_out.html", status=429)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/settings.html",
        {
            "has_totp": has_totp(user),
            "requires_two_factor": requires_two_factor(user),
            "roles": user.role_assignments.select_related("site", "programme"),
            "tokens": user.api_tokens.filter(revoked_at__isnull=True),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_entries(request: HttpRequest) -> Any:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(object_repr__icontains=q)
    actor = request.GET.get("actor", "").strip()
    if actor:
        entries = entries.filter(actor__email__icontains=actor)
    model = request.GET.get("model", "").strip()
    if model:
        entries = entries.filter(content_type__model=model)
    return entries


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every change, newest first; admins can filter and export it as CSV."""
    if not request.user.has_perm("accounts.view_audit_log"):
        raise PermissionDenied
    entries = audit_entries(request)
    if request.GET.get("format") == "csv":
        writer = csv.writer(_Echo())

        def rows() -> Any:
            yield writer.writerow(["timestamp", "actor", "action", "record type", "record", "changes", "remote address"])
            for e in entries.iterator(chunk_size=2000):
                yield writer.writerow([
                    e.timestamp.isoformat(), e.actor.email if e.actor else "system",
                    e.get_action_display(), e.content_type.model, e.object_repr,
                    e.changes_str if hasattr(e, "changes_str") else e.changes, e.remote_addr or "",
                ])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="c2hub-audit-log.csv"'
        return response
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page, "q": request.GET})
