"""Forms for account settings and the audit log's filters."""

from __future__ import annotations

from django import forms
from django.apps import apps

from c2hub.accounts.audit import AUDITED_MODELS


def record_type_choices() -> list[tuple[str, str]]:
    """Every audited model, as ("app_label.model", "Verbose name"), sorted by name."""
    choices = []
    for label in AUDITED_MODELS:
        meta = apps.get_model(label)._meta
        choices.append((f"{meta.app_label}.{meta.model_name}", str(meta.verbose_name).capitalize()))
    return [("", "Any")] + sorted(choices, key=lambda choice: choice[1])


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="A name to recognise it by later, such as “Weekly export script”.",
        max_length=100,
    )


class AuditLogFilterForm(forms.Form):
    """The audit log's filters. All optional; invalid values are reported, not ignored."""

    record_type = forms.ChoiceField(label="Record type", required=False, choices=record_type_choices)
    actor = forms.CharField(label="Changed by (e-mail)", required=False, max_length=254)
    q = forms.CharField(label="Record contains", required=False, max_length=200)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date.")
        return cleaned
