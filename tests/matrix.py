"""What the apps' permission matrices (tests/<app>/test_permissions.py) share: a page's URL from
named ids, a form's data with ids filled in, and the pages check — each page answers 200 to a role
that has what it needs, 403 to one that does not, and 404 in a site the user does not belong to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse


def url_for(name: str, keys: Mapping[str, str], site: Any, ids: Mapping[str, int]) -> str:
    """``reverse(name)`` for the site, each URL kwarg taken from ``ids`` by the key ``keys`` names."""
    return reverse(name, kwargs={"slug": site.slug, **{kwarg: ids[key] for kwarg, key in keys.items()}})


def form_data(form: Mapping[str, str], ids: Mapping[str, int]) -> dict[str, str]:
    """The form with every value that names an id replaced by that id."""
    return {k: str(ids[v]) if v in ids else v for k, v in form.items()}


def page_failures(
    client: Any,
    role: str,
    grants: Iterable[str],
    sites: Iterable[tuple[bool, Any, Mapping[str, int]]],
    pages: Iterable[tuple[str, Mapping[str, str], str]],
) -> list[str]:
    """GET every page in each (own?, site, ids); the answers that differ from the matrix's."""
    granted = set(grants)
    failures = []
    for own, site, ids in sites:
        for name, keys, need in pages:
            url = url_for(name, keys, site, ids)
            got = client.get(url).status_code
            want = (200 if need in granted else 403) if own else 404
            if got != want:
                failures.append(f"{role} GET {url} ({'own' if own else 'other'} site): {got}, expected {want}")
    return failures
