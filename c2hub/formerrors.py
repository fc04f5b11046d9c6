"""Showing a service's ValidationError on a page's form: the one way every view does it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put each error beside the field it names, or above the form when it names none."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, field_errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, field_errors)
