"""API for sites and the pathway (mounted at /api/v1/sites)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["sites"])
