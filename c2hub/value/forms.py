"""Forms for the unit-cost library and a site's value-for-money page (percentages as per cent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from c2hub.value import calculation as calc
from c2hub.value.models import UnitCost

OUTCOME_ROWS = 3
ASSUMPTION_LABELS = {
    "deadweight": ("Deadweight", "The share that would have happened anyway."),
    "attribution": ("Attribution", "The share of the change due to C2 rather than other work."),
    "displacement": ("Displacement", "The share that moved elsewhere rather than stopped."),
    "drop_off": ("Drop-off a year", "How much the effect fades each year after the first."),
    "optimism_bias": ("Optimism bias", "An uplift to the programme's costs."),
}
CASE_LABELS = {"low": "Low case", "central": "Central case", "high": "High case"}


def _number(
    label: str, *, required: bool = False, hint: str = "", min_value: float | None = None
) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label, required=required, help_text=hint, min_value=min_value, max_digits=16, decimal_places=4
    )
    field.widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
    return field


def _year(label: str, *, required: bool = True, hint: str = "") -> forms.IntegerField:
    field = forms.IntegerField(label=label, required=required, min_value=1900, max_value=2200, help_text=hint)
    field.widget = forms.TextInput(attrs={"inputmode": "numeric"})
    return field


class UnitCostForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    cost_of = forms.CharField(
        max_length=300, label="What it is a cost of", help_text="For example, one burglary in a dwelling."
    )
    amount = _number("Amount in pounds", required=True, min_value=0)
    unit = forms.CharField(max_length=60, label="Unit", initial="per offence")
    crime_category = forms.CharField(
        max_length=60,
        required=False,
        label="police.uk crime category (optional)",
        help_text="For example robbery, vehicle-crime, criminal-damage-arson.",
    )
    source_citation = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Source (citation)")
    source_url = forms.URLField(
        required=False, max_length=500, label="Source web address (optional)", assume_scheme="https"
    )
    source_year = _year("Year the source was published")
    price_base_year = _year("Price base year", hint="The year whose prices the amount is in.")
    licence = forms.CharField(max_length=200, label="Licence", help_text="For example, Open Government Licence v3.0.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Notes (optional)")

    def __init__(self, *args: Any, instance: UnitCost | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{
                    f: getattr(instance, f)
                    for f in (
                        "name",
                        "cost_of",
                        "amount",
                        "unit",
                        "crime_category",
                        "source_citation",
                        "source_url",
                        "source_year",
                        "price_base_year",
                        "licence",
                        "notes",
                    )
                },
                **{f"share_{k}": v for k, v in instance.shares.items()},
            }
        super().__init__(*args, **kwargs)
        for key, label in calc.BEARERS.items():
            self.fields[f"share_{key}"] = _number(f"{label} (%)", min_value=0)

    @property
    def share_names(self) -> list[str]:
        return [f"share_{k}" for k in calc.BEARERS]

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("share_")}
        data["shares"] = {
            k: self.cleaned_data[f"share_{k}"] for k in calc.BEARERS if self.cleaned_data.get(f"share_{k}")
        }
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: "
        + ", ".join(
            (
                "name",
                "cost_of",
                "amount",
                "unit",
                "crime_category",
                "source_citation",
                "source_url",
                "source_year",
                "price_base_year",
                "licence",
                "shares",
                "notes",
            )
        )
        + ". Shares as police=25; nhs=75.",
    )


def _lines(text: str, what: str) -> dict[int, float]:
    out: dict[int, float] = {}
    for n, line in enumerate(filter(None, (x.strip() for x in (text or "").splitlines())), start=1):
        parts = [p.strip() for p in line.replace("\t", ",").replace(":", ",").split(",") if p.strip()]
        if len(parts) != 2:
            raise forms.ValidationError(f"Line {n}: write a year and {what}, e.g. 2015, 100.")
        try:
            out[int(parts[0])] = float(parts[1].replace("£", ""))
        except ValueError:
            raise forms.ValidationError(f"Line {n}: “{line}” is not a year and a number.") from None
    return out


class ValueForm(forms.Form):
    """A site's value-for-money inputs. Outcome rows: label, effect a year and its interval, unit cost."""

    title = forms.CharField(
        max_length=200, required=False, label="Scenario title", help_text="Needed only to save the scenario."
    )
    illustrative = forms.BooleanField(required=False, label="The effect is illustrative (not from an evaluation)")
    evaluation_run = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Take the effect from an evaluation run"
    )
    horizon_years = forms.IntegerField(
        label="Horizon in years",
        min_value=1,
        max_value=calc.MAX_HORIZON,
        initial=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": f"The horizon must be between 1 and {calc.MAX_HORIZON} years.",
            "max_value": f"The horizon must be between 1 and {calc.MAX_HORIZON} years.",
            "required": "Enter the horizon in years.",
            "invalid": "Enter the horizon as a whole number of years.",
        },
    )
    first_year = _year("First year of the appraisal (year 0)")
    benefits_start_year = _year("Year the effect begins")
    discount_rate_percent = _number("Discount rate (%)", required=True, hint="The Green Book rate is 3.5%.")
    price_year = _year(
        "Express in prices of year (optional)",
        required=False,
        hint="Needs a deflator series below; without one there is no uplift.",
    )
    deflators = forms.CharField(
        required=False,
        label="GDP deflator series (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One year and index a line, e.g. 2015, 100. Blank: no uplift.",
    )
    costs = forms.CharField(
        required=False,
        label="Programme costs by year (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One year and amount a line, e.g. 2013, 25000. Blank: from the site's funding lines.",
    )
    commissioner_bearer = forms.ChoiceField(
        required=False, label="The commissioning body is", choices=[("", "Not set")] + list(calc.BEARERS.items())
    )

    def __init__(self, *args: Any, unit_costs: list[UnitCost], runs: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluation_run"].choices = [("", "None — enter the effect by hand")] + [
            (r["id"], f"{r['outcome']} from {r['treatment_start']:%B %Y} (run {r['id']})") for r in runs
        ]
        cost_choices = [("", "No unit cost — not counted")] + [(c.pk, str(c)) for c in unit_costs]
        for i in range(1, OUTCOME_ROWS + 1):
            self.fields[f"o{i}_label"] = forms.CharField(max_length=200, required=False, label="What changed")
            self.fields[f"o{i}_effect"] = _number("Change a year", hint="Negative = fewer, e.g. −12.")
            self.fields[f"o{i}_ci_low"] = _number("95% interval from")
            self.fields[f"o{i}_ci_high"] = _number("95% interval to")
            self.fields[f"o{i}_unit_cost"] = forms.TypedChoiceField(
                required=False, coerce=int, empty_value=None, choices=cost_choices, label="Unit cost"
            )
        for name, (label, _hint) in ASSUMPTION_LABELS.items():
            for case, case_label in CASE_LABELS.items():
                self.fields[f"{name}_{case}"] = _number(
                    f"{label}, {case_label.lower()} (%)", required=True, min_value=0
                )

    def outcome_rows(self) -> list[list[str]]:
        return [
            [f"o{i}_{p}" for p in ("label", "effect", "ci_low", "ci_high", "unit_cost")]
            for i in range(1, OUTCOME_ROWS + 1)
        ]

    def clean_deflators(self) -> dict[int, float]:
        return _lines(self.cleaned_data.get("deflators", ""), "an index")

    def clean_costs(self) -> dict[int, float]:
        return _lines(self.cleaned_data.get("costs", ""), "an amount")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for i in range(1, OUTCOME_ROWS + 1):
            has_any = any(data.get(f"o{i}_{p}") not in (None, "") for p in ("label", "ci_low", "ci_high", "unit_cost"))
            if has_any and data.get(f"o{i}_effect") is None and f"o{i}_effect" not in self.errors:
                self.add_error(f"o{i}_effect", "Enter the change a year, or clear this row.")
        if not any(data.get(f"o{i}_effect") is not None for i in range(1, OUTCOME_ROWS + 1)) and not self.errors:
            self.add_error("o1_effect", "Enter the change a year for at least one outcome.")
        return data

    def payload(self) -> dict[str, Any]:
        """The inputs as the service and the API take them."""
        d = self.cleaned_data
        outcomes = []
        for i in range(1, OUTCOME_ROWS + 1):
            if d.get(f"o{i}_effect") is None:
                continue
            outcomes.append(
                {
                    "label": d.get(f"o{i}_label") or f"Outcome {i}",
                    "effect": float(d[f"o{i}_effect"]),
                    "ci_low": None if d.get(f"o{i}_ci_low") is None else float(d[f"o{i}_ci_low"]),
                    "ci_high": None if d.get(f"o{i}_ci_high") is None else float(d[f"o{i}_ci_high"]),
                    "unit_cost_id": d.get(f"o{i}_unit_cost"),
                }
            )
        return {
            "outcomes": outcomes,
            "horizon_years": d["horizon_years"],
            "first_year": d["first_year"],
            "benefits_start_year": d["benefits_start_year"],
            "discount_rate_percent": float(d["discount_rate_percent"]),
            "price_year": d.get("price_year"),
            "deflators": {str(k): v for k, v in (d.get("deflators") or {}).items()},
            "costs": {str(k): v for k, v in (d.get("costs") or {}).items()},
            "commissioner_bearer": d.get("commissioner_bearer") or "",
            "assumptions": {
                name: {case: float(d[f"{name}_{case}"]) for case in CASE_LABELS} for name in ASSUMPTION_LABELS
            },
        }


def default_initial(site_start: dt.date, bearer: str) -> dict[str, Any]:
    defaults = calc.Assumptions()
    initial: dict[str, Any] = {
        "horizon_years": 5,
        "first_year": site_start.year,
        "benefits_start_year": site_start.year,
        "discount_rate_percent": "3.5",
        "commissioner_bearer": bearer,
    }
    for name in ASSUMPTION_LABELS:
        rng: calc.Range3 = getattr(defaults, name)
        for case in CASE_LABELS:
            initial[f"{name}_{case}"] = f"{rng.pick(case) * 100:g}"
    return initial
