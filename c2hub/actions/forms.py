"""Forms for the action plan's pages. They collect and type the input; the rules (people and
agencies of the site, the agency dates in order, a reason to drop) live in ``services.py``, whose
ValidationErrors the views put back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from c2hub.actions.models import ActionStatus
from c2hub.people.forms import DateInput, _Form

STATUS_CHOICES = [("", "Choose a status"), *ActionStatus.choices]


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput(format="%Y-%m-%d"), help_text=help_text)


def _choice(label: str, empty: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", empty)], help_text=help_text)


class ObjectiveForm(_Form):
    required_messages = {"title": "Enter what the partnership sets out to achieve."}

    title = forms.CharField(label="Objective", max_length=200, help_text="What the partnership sets out to achieve.")
    theme = _choice(
        "The priority it answers",
        "None: an objective of the partnership's own",
        "A theme residents raised at a listening event, with its votes.",
    )
    description = forms.CharField(
        label="Description", required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: Any, themes: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [self.fields["theme"].choices[0], *((str(k), v) for k, v in themes)]


class ActionForm(_Form):
    required_messages = {"title": "Enter what is to be done.", "status": "Choose a status."}

    title = forms.CharField(label="What is to be done", max_length=200)
    objective = _choice("Objective", "No objective")
    theme = _choice(
        "The priority it answers",
        "Same as the objective's, or none",
        "Traceable back to what residents said at the listening event.",
    )
    description = forms.CharField(
        label="Description", required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    lead_resident = _choice("Lead resident", "No lead resident")
    lead_organisation = _choice("Lead agency", "No lead agency")
    lead_officer = _choice("Named officer of the lead agency", "No named officer")
    due_on = _date("Due date", "For example, 27 3 2014.")
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, initial=ActionStatus.NOT_STARTED)
    dropped_reason = forms.CharField(
        label="Why it was dropped",
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text="Needed when the status is dropped.",
    )
    asked_on = _date("Agency asked on")
    acknowledged_on = _date("Agency acknowledged on")
    first_response_on = _date("First response on")
    completed_on = _date("Completed on", "Left empty, it is set to today when the status is done.")
    what_changed = forms.CharField(
        label="What changed (\u201cwe did\u201d)",
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text="In words fit for the public: no names.",
    )
    public = forms.BooleanField(label="Show in the public \u201cyou said, we did\u201d", required=False, initial=True)

    SECTIONS = [
        ("", ["title", "objective", "theme", "description", "due_on", "status", "dropped_reason"]),
        ("Who leads it", ["lead_resident", "lead_organisation", "lead_officer"]),
        ("The agency's response", ["asked_on", "acknowledged_on", "first_response_on", "completed_on"]),
        ("You said, we did", ["what_changed", "public"]),
    ]

    def __init__(self, *args: Any, choices: dict[str, list[tuple[int, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = [self.fields[name].choices[0], *((str(k), v) for k, v in options)]


class UpdateForm(_Form):
    required_messages = {"status": "Choose the status after this update."}

    status = forms.ChoiceField(label="Status after this update", choices=STATUS_CHOICES)
    note = forms.CharField(
        label="What has happened", required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    on = _date("Date of the update", "Left empty: today (or the meeting's date).")
    dropped_reason = forms.CharField(
        label="Why it was dropped",
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text="Needed when the status is dropped.",
    )
    what_changed = forms.CharField(
        label="What changed (\u201cwe did\u201d)",
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 2}),
        help_text="In words fit for the public.",
    )
    link = forms.URLField(
        label="Link to evidence",
        required=False,
        max_length=500,
        error_messages={"invalid": "Enter a link starting with https://"},
    )
    file = forms.FileField(label="Evidence file", required=False)
    meeting = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AttachForm(forms.Form):
    criterion = forms.ChoiceField(label="Use as evidence for", choices=[])

    def __init__(self, *args: Any, criteria: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(str(pk), label) for pk, label in criteria]
        self.fields["criterion"].error_messages["required"] = "Choose the criterion."
        self.fields["criterion"].error_messages["invalid_choice"] = "Choose one of this site's criteria."
