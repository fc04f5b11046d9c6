from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from c2hub.programmes.models import EvidenceKind


class EvidenceForm(forms.Form):
    """Add evidence to a criterion: a note, a file, a link, or a record in C2 Hub."""

    kind = forms.ChoiceField(
        label="What kind of evidence is it?", choices=EvidenceKind.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label="Summary", max_length=300, help_text="One line, e.g. 'Engagement workshop held on 14 June 2013'."
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    url = forms.URLField(label="Link", required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(label="File", required=False)
    record = forms.ChoiceField(label="Record", required=False, choices=())
    occurred_on = forms.DateField(
        label="When did it happen? (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, record_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", "Choose a record")] + (record_choices or [])

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.C2HUB_EVIDENCE_MAX_BYTES:
            limit = settings.C2HUB_EVIDENCE_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The file must be smaller than {limit} MB.")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind == EvidenceKind.LINK and not data.get("url"):
            self.add_error("url", "Enter the link's address.")
        if kind == EvidenceKind.FILE and not data.get("file"):
            self.add_error("file", "Choose a file to upload.")
        if kind == EvidenceKind.RECORD and not data.get("record"):
            self.add_error("record", "Choose the record that evidences this criterion.")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=True
    )


class OverrideForm(forms.Form):
    override_reason = forms.CharField(
        label="Why should this step be completed without evidence for every criterion?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
