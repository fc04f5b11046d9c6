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
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=True)


class OverrideForm(forms.Form):
    override_reason = forms.CharField(
        label="Why should this step be completed without evidence for every criterion?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )


WARD_HELP = "One ward per line: its code, then its name, e.g. “E05002223 Southchurch”."
LSOA_HELP = "The LSOA codes the site covers, separated by spaces, commas or new lines."


def parse_wards(text: str) -> list[dict[str, str]]:
    wards = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        code, _, name = line.partition(" ")
        if not (len(code) == 9 and code[0] in "EW" and code[1:].isdigit()):
            raise forms.ValidationError(
                f"Line {number}: “{code}” is not a ward code (E or W then 8 digits, e.g. E05002223)."
            )
        wards.append({"code": code.upper(), "name": name.strip()})
    return wards


def wards_text(wards: list[dict[str, str]]) -> str:
    return "\n".join(f"{w.get('code', '')} {w.get('name', '')}".strip() for w in wards)


class SiteForm(forms.Form):
    """A site's details. The pathway model is chosen only when the site is created."""

    name = forms.CharField(label="Site name", max_length=200)
    slug = forms.SlugField(
        label="Short name for web addresses",
        max_length=50,
        help_text="Lower-case letters, numbers and hyphens, e.g. southchurch.",
    )
    pathway_model = forms.ChoiceField(label="Pathway model")
    status = forms.ChoiceField(label="Status")
    start_date = forms.DateField(label="Start date", widget=forms.DateInput(attrs={"type": "date"}))
    planned_length_months = forms.IntegerField(label="Planned length in months", min_value=1, max_value=240, initial=24)
    local_authority = forms.CharField(label="Local authority", max_length=200, required=False)
    local_authority_code = forms.CharField(
        label="Local authority code", max_length=9, required=False, help_text="E.g. E06000033 for Southend-on-Sea."
    )
    wards = forms.CharField(
        label="Wards", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=WARD_HELP
    )
    lsoa_codes = forms.CharField(
        label="LSOAs", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=LSOA_HELP
    )
    lead_agency = forms.ChoiceField(label="Lead agency", required=False)
    commissioner = forms.ChoiceField(label="Commissioner", required=False)
    description = forms.CharField(
        label="Description", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    facilitators = forms.MultipleChoiceField(
        label="Facilitators",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The people who facilitate this site (add them on the People page first).",
    )

    def __init__(
        self,
        *args: Any,
        models: list[tuple[str, str]],
        organisations: list[tuple[str, str]],
        editing: bool = False,
        people: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        from c2hub.programmes.models import Site

        super().__init__(*args, **kwargs)
        self.fields["pathway_model"].choices = models
        self.fields["status"].choices = Site.Status.choices
        org_choices = [("", "None")] + organisations
        self.fields["lead_agency"].choices = org_choices
        self.fields["commissioner"].choices = org_choices
        if editing:
            del self.fields["pathway_model"]
            del self.fields["slug"]
            self.fields["facilitators"].choices = people or []
        else:
            del self.fields["facilitators"]

    def clean_wards(self) -> list[dict[str, str]]:
        return parse_wards(self.cleaned_data.get("wards", ""))

    def clean_lsoa_codes(self) -> list[str]:
        import re

        return [c for c in re.split(r"[\s,;]+", self.cleaned_data.get("lsoa_codes", "").upper()) if c]


class FundingLineForm(forms.Form):
    description = forms.CharField(
        label="What the funding is", max_length=300, help_text="E.g. “Grant for the first 7.5 months”."
    )
    funder = forms.ChoiceField(label="Funder", required=False)
    funder_name = forms.CharField(label="Funder, if not listed", max_length=200, required=False)
    amount = forms.DecimalField(
        label="Amount in pounds (optional)", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    status = forms.ChoiceField(label="Status")
    steps_covered = forms.MultipleChoiceField(
        label="Steps it covers", required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label="Starts on", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Ends on", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args: Any, organisations: list[tuple[str, str]], steps: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        from c2hub.programmes.models import FundingLine

        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = [("", "Not listed")] + organisations
        self.fields["status"].choices = FundingLine.Status.choices
        self.fields["steps_covered"].choices = steps

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("funder") and not data.get("funder_name"):
            self.add_error("funder_name", "Choose the funder or type its name.")
        return data


class DueDateForm(forms.Form):
    due_on = forms.DateField(
        label="Due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for no due date.",
    )
