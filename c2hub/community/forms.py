"""Forms for the community groups pages: the register, a month-by-month participation table and
the value of an hour of volunteering. The rules (known age groups, months not in the future, one
row a month…) live in ``services.py``; the views put its errors back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from c2hub.community.models import AGE_GROUPS, CommunityGroupKind, HealthPriority, Involvement
from c2hub.people.forms import DateInput, _Form
from c2hub.people.models import AgeBand


class MonthInput(forms.DateInput):
    input_type = "month"


class GroupForm(_Form):
    required_messages = {
        "name": "Enter the group's or activity's name.",
        "kind": "Choose the kind of group or activity.",
        "involvement": "Say whether the partnership started or supports it.",
    }

    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=CommunityGroupKind.choices)
    involvement = forms.ChoiceField(
        label="The partnership's part", choices=Involvement.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="Description", required=False, max_length=10000, widget=forms.Textarea({"rows": 3})
    )
    founded_on = forms.DateField(label="Founded on", required=False, widget=DateInput(format="%Y-%m-%d"))
    ended_on = forms.DateField(
        label="Ended on", required=False, widget=DateInput(format="%Y-%m-%d"), help_text="Leave empty while it runs."
    )
    age_groups = forms.MultipleChoiceField(
        label="Age groups it serves",
        required=False,
        choices=[(b, dict(AgeBand.choices)[b]) for b in AGE_GROUPS],
        widget=forms.CheckboxSelectMultiple,
    )
    health_priorities = forms.MultipleChoiceField(
        label="Health priorities it targets",
        required=False,
        choices=HealthPriority.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    schedule = forms.CharField(
        label="When it meets", required=False, max_length=200, help_text="For example, Tuesdays 6–8pm, term time."
    )
    venue = forms.CharField(label="Where it meets", required=False, max_length=200)
    public = forms.BooleanField(label="Show on the public page and offer to newsletters", required=False, initial=True)


class ParticipationTableForm(forms.Form):
    """Months of one group as rows of a small table: ``rows-<n>-month`` (a month input),
    ``-participants``, ``-volunteers``, ``-volunteer_hours``. Empty rows are ignored."""

    COLUMNS = ("month", "participants", "volunteers", "volunteer_hours")

    def __init__(self, *args: Any, row_count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = row_count
        for n in range(row_count):
            self.fields[f"rows-{n}-month"] = forms.DateField(
                label="Month",
                required=False,
                input_formats=["%Y-%m", "%Y-%m-%d"],
                widget=MonthInput(format="%Y-%m"),
                error_messages={"invalid": "Enter the month like 2013-06."},
            )
            for name, label in (("participants", "Participants"), ("volunteers", "Volunteers")):
                self.fields[f"rows-{n}-{name}"] = forms.IntegerField(
                    label=label,
                    required=False,
                    widget=forms.TextInput({"inputmode": "numeric"}),
                    error_messages={"invalid": f"{label} must be a whole number."},
                )
            self.fields[f"rows-{n}-volunteer_hours"] = forms.DecimalField(
                label="Volunteer hours",
                required=False,
                widget=forms.TextInput({"inputmode": "decimal"}),
                error_messages={"invalid": "Volunteer hours must be a number, like 12.5."},
            )

    def rows(self) -> list[dict[str, Any]]:
        """The filled rows (cleaned data), each with its row number as ``n``."""
        rows = []
        for n in range(self.row_count):
            values = {c: self.cleaned_data.get(f"rows-{n}-{c}") for c in self.COLUMNS}
            if all(v in (None, "") for v in values.values()):
                continue
            rows.append({"n": n, **values})
        return rows

    def table(self) -> list[list[forms.BoundField]]:
        return [[self[f"rows-{n}-{c}"] for c in self.COLUMNS] for n in range(self.row_count)]


class VolunteeringValueForm(_Form):
    required_messages = {
        "per_hour": "Enter the value of an hour in pounds, like 12.21.",
        "basis": "Say where the figure comes from, for example the National Living Wage.",
    }

    per_hour = forms.DecimalField(
        label="Value of one hour of volunteering, in pounds",
        max_digits=6,
        decimal_places=2,
        widget=forms.TextInput({"inputmode": "decimal"}),
        error_messages={"invalid": "Enter the value of an hour in pounds, like 12.21."},
    )
    basis = forms.CharField(
        label="Where the figure comes from",
        max_length=300,
        help_text="For example, the National Living Wage 2025/26, or a local volunteering valuation.",
    )


class ParticipationCsvForm(_Form):
    required_messages = {"file": "Choose a CSV file to import."}

    file = forms.FileField(
        label="CSV file",
        help_text="Columns month, participants, volunteers, volunteer_hours; months like 2013-06. Up to 1 MB.",
    )
