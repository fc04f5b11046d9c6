"""Forms for a site's LSOAs, comparison areas, changes in the area and evaluation runs."""

from __future__ import annotations

from django import forms

from c2hub.outcomes.models import EvaluationRun


class GeographyForm(forms.Form):
    lsoa_codes = forms.CharField(
        label="LSOAs",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="2021 LSOA codes separated by spaces, commas or new lines. A 2011 code is turned into "
        "the 2021 LSOAs it became.",
    )


class ComparisonAddForm(forms.Form):
    lsoa = forms.CharField(label="LSOA code", max_length=20, help_text="For example E01018865.")


class AreaChangeForm(forms.Form):
    title = forms.CharField(label="What changed", max_length=200, help_text="For example “£2.2m housing regeneration”.")
    description = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label="Started on", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Ended on", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class EvaluationForm(forms.Form):
    method = forms.ChoiceField(label="Method", choices=EvaluationRun.Method.choices, initial=EvaluationRun.Method.BOTH,
                               widget=forms.RadioSelect)
    crime_type = forms.ChoiceField(label="Outcome", required=False)
    milestone = forms.ChoiceField(
        label="Start of C2 in the area", required=False,
        help_text="A milestone or recorded change, or give a date below.",
    )
    treatment_start = forms.DateField(
        label="Or a date", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The month it falls in is the first month counted as after.",
    )

    def __init__(self, *args: object, crime_types: list[str], milestones: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["crime_type"].choices = [("", "All crime and anti-social behaviour")] + [
            (t, t) for t in crime_types
        ]
        self.fields["milestone"].choices = [("", "Choose a milestone")] + milestones

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("treatment_start") and data.get("milestone"):
            import datetime as dt

            data["treatment_start"] = dt.date.fromisoformat(str(data["milestone"]))
            data["treatment_label"] = dict(self.fields["milestone"].choices).get(data["milestone"], "")
        if not data.get("treatment_start"):
            self.add_error("milestone", "Choose a milestone or give a date for the start.")
        return data
