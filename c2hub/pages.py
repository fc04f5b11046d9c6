"""The one way a site's form page is drawn: every app's forms (events, people, the action plan,
wins, community groups, case studies) use ``form_page`` and ``includes/form_page.html`` — fields
in order under optional headings, the error summary, inline errors, a Cancel link."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(
    request: HttpRequest,
    site: Any,
    form: forms.Form,
    *,
    active: str,
    title: str,
    submit_label: str,
    cancel_url: str,
    breadcrumbs: list[dict[str, str]],
    sections: Sequence[tuple[str, Sequence[str]]] | None = None,
    intro: str = "",
    warning: str = "",
    multipart: bool = False,
    hidden: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The page of a form in a site; 400 when the form came back with errors."""
    return render(
        request,
        "includes/form_page.html",
        {
            "site": site,
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "sections": sections or [("", list(form.fields))],
            "intro": intro,
            "warning": warning,
            "multipart": multipart,
            "hidden": hidden or {},
            "breadcrumbs": breadcrumbs,
            "active": active,
        },
        status=400 if form.errors else 200,
    )
