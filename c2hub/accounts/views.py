"""Account pages: the lock-out page, account settings (2FA, API tokens) and the audit log.
Thin: reads come from selectors, writes go through services."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from c2hub.accounts import selectors, services
from c2hub.accounts.forms import ApiTokenForm, AuditLogFilterForm
from c2hub.exports import csv_download


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None) -> HttpResponse:
    """Shown by django-axes (AXES_LOCKOUT_CALLABLE) after too many failed sign-ins."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _settings_page(request: HttpRequest, form: ApiTokenForm, *, new_key: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/settings.html",
        {
            "has_totp": selectors.has_totp(user),
            "requires_two_factor": selectors.requires_two_factor(user),
            "roles": user.role_assignments.select_related("site", "programme"),
            "tokens": selectors.active_api_tokens(user),
            "token_form": form,
            "new_key": new_key,
        },
        status=status,
    )


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    return _settings_page(request, ApiTokenForm())


@never_cache
@login_required
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show it on the settings page, this once (it is never stored)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, form, status=400)
    try:
        token, key = services.api_token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return _settings_page(request, form, status=400)
    messages.success(request, f"API token “{token.name}” created. Copy it now: it is not shown again.")
    return _settings_page(request, ApiTokenForm(), new_key=key)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(selectors.active_api_tokens(request.user), pk=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"API token “{token.name}” revoked. It no longer works.")
    return redirect("account_settings")


AUDIT_CSV_HEADER = ["timestamp", "actor", "action", "record type", "record id", "record", "changes", "remote address"]


def _audit_csv_rows(entries: Any) -> Iterator[list[Any]]:
    for entry in entries.iterator(chunk_size=2000):
        yield [
            entry.timestamp.isoformat(),
            selectors.audit_actor(entry),
            entry.get_action_display(),
            selectors.audit_record_type(entry),
            entry.object_pk,
            entry.object_repr,
            "; ".join(selectors.audit_changes(entry)),
            entry.remote_addr or "",
        ]


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every change, newest first; programme admins can filter it and export it as CSV."""
    if not request.user.has_perm("accounts.view_audit_log"):
        raise PermissionDenied
    form = AuditLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "accounts/audit_log.html", {"form": form, "page": None}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    entries = selectors.audit_log_entries(
        record_type=filters.get("record_type", ""),
        actor=filters.get("actor", "").strip(),
        q=filters.get("q", "").strip(),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    if request.GET.get("format") == "csv":
        return csv_download("c2hub-audit-log", AUDIT_CSV_HEADER, _audit_csv_rows(entries))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [selectors.AuditRow.of(entry) for entry in page]
    return render(request, "accounts/audit_log.html", {"form": form, "page": page, "rows": rows})
