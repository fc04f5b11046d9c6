"""The upload form of the area-statistics store."""

from __future__ import annotations

from typing import Any

from django import forms

from c2hub.areas.services import KINDS

#: Largest upload: a monthly police.uk archive of every force is about 1.6 GB.
MAX_UPLOAD_BYTES = 2 * 1024**3
EXTENSIONS = {
    "police": (".csv", ".gz", ".zip"),
    "imd": (".csv", ".gz"),
    "population": (".csv", ".gz"),
    "lookup": (".csv", ".gz"),
    "boundaries": (".geojson", ".json"),
    "indicator": (".csv", ".gz"),
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is the file?",
        choices=list(KINDS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file is"},
    )
    file = forms.FileField(
        label="File",
        help_text="CSV (or .csv.gz); police.uk crime may also be the monthly archive zip; boundaries are GeoJSON.",
        error_messages={"required": "Choose a file to import", "empty": "The file is empty"},
    )
    edition = forms.IntegerField(
        label="Edition of the indices (deprivation only)",
        required=False,
        min_value=2004,
        max_value=2100,
        help_text="For example, 2019.",
    )
    year = forms.IntegerField(
        label="Year (population only, when the file has no year column)",
        required=False,
        min_value=1990,
        max_value=2100,
    )
    source = forms.CharField(
        label="Source (indicators only)",
        required=False,
        max_length=200,
        help_text="For example, Department for Education, KS2 attainment.",
    )
    licence = forms.CharField(
        label="Licence (indicators only)",
        required=False,
        max_length=200,
        help_text="For example, Open Government Licence v3.0.",
    )
    unit = forms.CharField(label="Unit (indicators only)", required=False, max_length=50)
    higher_is_better = forms.TypedChoiceField(
        label="Is a higher value better? (indicators only)",
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No"), ("", "Neither")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        upload = data.get("file")
        if kind and upload is not None:
            allowed = EXTENSIONS[kind]
            if not upload.name.lower().endswith(allowed):
                self.add_error("file", f"Choose a {' or '.join(allowed)} file for this kind of data")
            elif upload.size > MAX_UPLOAD_BYTES:
                self.add_error("file", "The file must be smaller than 2 GB")
        if kind == "imd" and not data.get("edition"):
            self.add_error("edition", "Enter the edition of the indices, like 2019")
        if kind == "indicator":
            if not (data.get("source") or "").strip():
                self.add_error("source", "Enter where the numbers come from")
            if not (data.get("licence") or "").strip():
                self.add_error("licence", "Enter the licence of the numbers")
        return data
