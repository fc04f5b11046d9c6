"""Reads for the upload page: recent imports and what the store holds."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from c2hub.areas import store
from c2hub.areas.models import ImportRun


def recent_imports(limit: int = 20) -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]


def store_contents() -> list[dict[str, Any]]:
    """The latest import of each dataset in the store (from the manifest), newest first."""
    latest: dict[str, dict[str, Any]] = {}
    for entry in store.manifest():
        if entry.get("dataset") != "demo":
            latest[entry["dataset"]] = entry
    return sorted(latest.values(), key=lambda e: e["imported_at"], reverse=True)
