"""Reads about users (whether they must use a second factor, and whether they have one) and
about the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone

from c2hub.accounts.models import ROLES_REQUIRING_2FA, ApiToken, User
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


def audit_log_entries(
    *,
    record_type: str = "",
    actor: str = "",
    q: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[LogEntry]:
    """Audit entries, newest first. ``record_type`` is "app_label.model"; ``actor`` matches
    part of an e-mail address; dates are whole days in the site's time zone, both inclusive."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if record_type:
        app_label, _, model = record_type.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    if actor:
        entries = entries.filter(Q(actor__email__icontains=actor) | Q(actor_email__icontains=actor))
    if q:
        entries = entries.filter(object_repr__icontains=q)
    if date_from:
        entries = entries.filter(timestamp__gte=_start_of_day(date_from))
    if date_to:
        entries = entries.filter(timestamp__lt=_start_of_day(date_to + dt.timedelta(days=1)))
    return entries


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class AuditRow:
    """An audit entry as the audit log page shows it."""

    entry: LogEntry
    actor: str
    record_type: str
    changes: list[str]

    @classmethod
    def of(cls, entry: LogEntry) -> AuditRow:
        return cls(entry, audit_actor(entry), audit_record_type(entry), audit_changes(entry))


def audit_actor(entry: LogEntry) -> str:
    """Who made the change: their e-mail address, or "System" for commands and imports."""
    if entry.actor_id and entry.actor:
        return entry.actor.email
    return entry.actor_email or "System"


def audit_record_type(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    name = model._meta.verbose_name if model is not None else entry.content_type.model
    return str(name).capitalize()


def audit_changes(entry: LogEntry) -> list[str]:
    """One readable line per changed field, e.g. "status: not started → complete"."""
    model = entry.content_type.model_class()
    lines = []
    for name, change in (entry.changes_dict or {}).items():
        label = _field_label(model, name)
        if isinstance(change, dict) and change.get("type") == "m2m":
            objects = ", ".join(str(o) for o in change.get("objects", []))
            lines.append(f"{label}: {change.get('operation', 'changed')} {objects}")
        elif isinstance(change, (list, tuple)) and len(change) == 2:
            lines.append(f"{label}: {_blank(change[0])} → {_blank(change[1])}")
        else:
            lines.append(f"{label}: {change}")
    return lines


def _field_label(model: Any, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _blank(value: Any) -> str:
    return "(empty)" if value in (None, "", "None") else str(value)


def active_api_tokens(user: Any) -> QuerySet[ApiToken]:
    """A user's API tokens that still work, newest first."""
    return user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at", "-id")
