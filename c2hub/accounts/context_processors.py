from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The service navigation for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.url_name if request.resolver_match else ""
    items = [
        {"href": reverse("dashboard"), "text": "My sites", "active": current == "dashboard"},
    ]
    items.append(
        {
            "href": reverse("case_study_library"),
            "text": "Case studies",
            "active": current == "case_study_library",
        }
    )
    if user.has_perm("commissioning.open_overview"):
        items.append(
            {
                "href": reverse("commissioner_overview"),
                "text": "Commissioner's view",
                "active": current in {"commissioner_overview", "commissioner_site"},
            }
        )
    if user.has_perm("areas.import_data"):
        items.append(
            {
                "href": reverse("areas_import"),
                "text": "Area data",
                "active": current in {"areas_import", "areas_import_status"},
            }
        )
    if user.has_perm("accounts.view_audit_log"):
        items.append(
            {"href": reverse("audit_log"), "text": "Audit log", "active": current == "audit_log"}
        )
    if user.is_superuser:
        items.append({"href": reverse("admin:index"), "text": "Django admin"})
    items.append({"href": reverse("account_logout"), "text": "Sign out"})
    return {"nav_items": items}
