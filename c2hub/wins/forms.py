"""Forms for the wins and funding-bid pages. They collect and type the input; the rules (a funder
and amount for funding, the site's own actions and events, decisions after submission…) live in
``services.py``, whose ValidationErrors the views put back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from c2hub.people.forms import DateInput, _Form
from c2hub.wins.models import BidStatus, WinKind
from c2hub.wins.services import EVIDENCE_TYPES_TEXT


def _choices(options: list[tuple[int, str]], empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(str(pk), label) for pk, label in options]


def _money_field(label: str, *, required: bool = False, help_text: str = "In pounds, like 1500 or 1500.50.") -> Any:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput({"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": f"{label} must be an amount of money, like 1500 or 1500.50.",
            "max_decimal_places": f"{label} has at most 2 decimal places (pence).",
            "max_digits": f"{label} is too large.",
            "max_whole_digits": f"{label} is too large.",
        },
    )


class WinForm(_Form):
    required_messages = {
        "kind": "Choose the kind of win.",
        "title": "Say in a few words what the win was.",
        "won_on": "Enter the date of the win.",
    }

    kind = forms.ChoiceField(label="Kind of win", choices=[("", "Choose a kind")] + WinKind.choices)
    title = forms.CharField(label="What was won", max_length=200, help_text="For example, £5,000 for the youth club.")
    won_on = forms.DateField(label="Date", widget=DateInput(format="%Y-%m-%d"), help_text="For example, 14 June 2013.")
    description = forms.CharField(
        label="Description", required=False, max_length=10000, widget=forms.Textarea({"rows": 4})
    )
    funder = forms.ChoiceField(label="Funder", required=False, help_text="Funding wins only.")
    funder_name = forms.CharField(
        label="Or the funder's name", required=False, max_length=200, help_text="When the funder is not listed."
    )
    amount = _money_field("Amount secured")
    media_outlet = forms.CharField(
        label="Media outlet",
        required=False,
        max_length=200,
        help_text="Media wins only: the paper, radio, TV or website.",
    )
    media_url = forms.URLField(label="Link to the coverage", required=False, max_length=500, assume_scheme="https")
    community_group = forms.ChoiceField(
        label="The new group", required=False, help_text="New-group wins only: the group in the register."
    )
    actions = forms.MultipleChoiceField(
        label="Actions that led to it", required=False, widget=forms.CheckboxSelectMultiple
    )
    celebrated_how = forms.CharField(
        label="How it was celebrated", required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    celebration_event = forms.ChoiceField(label="Event where it was celebrated", required=False)
    evidence_url = forms.URLField(label="Evidence link", required=False, max_length=500, assume_scheme="https")
    evidence_file = forms.FileField(
        label="Evidence file", required=False, help_text=f"Up to 10 MB: {EVIDENCE_TYPES_TEXT}."
    )
    remove_evidence_file = forms.BooleanField(label="Remove the evidence file", required=False)
    public = forms.BooleanField(label="Show on the public page and offer to newsletters", required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        funders: list[tuple[int, str]],
        groups: list[tuple[int, str]],
        actions: list[tuple[int, str]],
        events: list[tuple[int, str]],
        has_file: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = _choices(funders, "Choose a funder")  # type: ignore[attr-defined]
        self.fields["community_group"].choices = _choices(groups, "Choose a group")  # type: ignore[attr-defined]
        self.fields["actions"].choices = [(str(pk), label) for pk, label in actions]  # type: ignore[attr-defined]
        self.fields["celebration_event"].choices = _choices(events, "None")  # type: ignore[attr-defined]
        if not actions:
            del self.fields["actions"]
        if not has_file:
            del self.fields["remove_evidence_file"]


def win_sections(form: WinForm) -> list[tuple[str, list[str]]]:
    sections = [
        ("", ["kind", "title", "won_on", "description"]),
        ("Funding", ["funder", "funder_name", "amount"]),
        ("Media", ["media_outlet", "media_url"]),
        ("New group", ["community_group"]),
        ("Celebration", ["celebrated_how", "celebration_event"]),
        ("Evidence", ["evidence_url", "evidence_file", "remove_evidence_file", "actions"]),
        ("", ["public"]),
    ]
    return [(heading, [n for n in names if n in form.fields]) for heading, names in sections]


class BidForm(_Form):
    required_messages = {
        "purpose": "Say what the money is for.",
        "amount_asked": "Enter the amount asked for.",
        "status": "Choose where the bid is in the pipeline.",
    }

    funder = forms.ChoiceField(label="Funder", required=False)
    funder_name = forms.CharField(
        label="Or the funder's name", required=False, max_length=200, help_text="When the funder is not listed."
    )
    purpose = forms.CharField(label="What the money is for", max_length=300)
    amount_asked = _money_field("Amount asked", required=True)
    status = forms.ChoiceField(label="Status", choices=BidStatus.choices, widget=forms.RadioSelect)
    submitted_on = forms.DateField(label="Submitted on", required=False, widget=DateInput(format="%Y-%m-%d"))
    decision_due_on = forms.DateField(label="Decision expected by", required=False, widget=DateInput(format="%Y-%m-%d"))
    decided_on = forms.DateField(label="Decided on", required=False, widget=DateInput(format="%Y-%m-%d"))
    amount_awarded = _money_field("Amount awarded", help_text="When awarded or partly awarded.")
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, funders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = _choices(funders, "Choose a funder")  # type: ignore[attr-defined]


class FilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", "All")] + WinKind.choices)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
