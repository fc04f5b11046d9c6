"""Forms for the events pages. They collect and type the input; the rules (organisers from the
site's people, a site visit under a residential, approval at a later meeting…) live in
``services.py``, whose ValidationErrors the views put back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from c2hub.events.models import EventKind, EventStatus, ExchangeDirection, FindingKind, VenueKind
from c2hub.people.forms import DateInput, _Form


class TimeInput(forms.TimeInput):
    input_type = "time"


def _choices(options: list[tuple[int, str]], empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(str(pk), label) for pk, label in options]


class EventForm(_Form):
    required_messages = {
        "kind": "Choose the kind of event.",
        "title": "Enter the event's title.",
        "start_date": "Enter the date of the event.",
        "venue_kind": "Choose where the event is.",
    }

    kind = forms.ChoiceField(label="Kind of event", choices=[("", "Choose a kind")] + EventKind.choices)
    title = forms.CharField(label="Title", max_length=200)
    start_date = forms.DateField(
        label="Date", widget=DateInput(format="%Y-%m-%d"), help_text="For example, 14 June 2013."
    )
    start_time = forms.TimeField(
        label="Start time", required=False, widget=TimeInput(format="%H:%M"), help_text="Leave empty if not known."
    )
    end_date = forms.DateField(
        label="End date",
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        help_text="For an event over several days, like a residential.",
    )
    end_time = forms.TimeField(label="End time", required=False, widget=TimeInput(format="%H:%M"))
    venue_kind = forms.ChoiceField(
        label="Where is it?", choices=VenueKind.choices, widget=forms.RadioSelect, initial=VenueKind.HUB
    )
    venue = forms.CharField(
        label="Venue", max_length=300, required=False, help_text="Name and address, when not at the hub."
    )
    steps = forms.MultipleChoiceField(
        label="Pathway steps it serves", required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label="Description", required=False, max_length=10000, widget=forms.Textarea({"rows": 4})
    )
    organisers = forms.MultipleChoiceField(
        label="Organisers (people)", required=False, widget=forms.CheckboxSelectMultiple
    )
    organiser_organisations = forms.MultipleChoiceField(
        label="Organising organisations", required=False, widget=forms.CheckboxSelectMultiple
    )
    # Kind-specific
    exchange_direction = forms.ChoiceField(
        label="Exchange visit: made or hosted?",
        required=False,
        choices=[
            ("", "Not an exchange visit"),
            (ExchangeDirection.MADE, ExchangeDirection.MADE.label),
            (ExchangeDirection.HOSTED, ExchangeDirection.HOSTED.label),
        ],
        help_text="Exchange visits only.",
    )
    exchange_site = forms.ChoiceField(
        label="Exchange visit: with which site?",
        required=False,
        help_text="Exchange visits only: a site of this programme, or type its name below.",
    )
    exchange_site_name = forms.CharField(
        label="Exchange visit: other site's name",
        max_length=200,
        required=False,
        help_text="Exchange visits only, when the site is not in C2 Hub.",
    )
    parent = forms.ChoiceField(
        label="Site visit: during which residential?", required=False, help_text="Learning-programme site visits only."
    )
    cohort = forms.ChoiceField(
        label="Residential or training: for which cohort?",
        required=False,
        help_text="Learning-programme residentials and trainings only.",
    )
    route_description = forms.CharField(
        label="Walkabout: the route",
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text="Walkabouts only.",
    )

    def __init__(
        self,
        *args: Any,
        steps: list[tuple[str, str]],
        people: list[tuple[int, str]],
        organisations: list[tuple[int, str]],
        sites: list[tuple[int, str]],
        residentials: list[tuple[int, str]],
        cohorts: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steps"].choices = steps  # type: ignore[attr-defined]
        self.fields["organisers"].choices = [(str(pk), label) for pk, label in people]  # type: ignore[attr-defined]
        self.fields["organiser_organisations"].choices = [  # type: ignore[attr-defined]
            (str(pk), label) for pk, label in organisations
        ]
        self.fields["exchange_site"].choices = _choices(sites, "None")  # type: ignore[attr-defined]
        self.fields["parent"].choices = _choices(residentials, "None")  # type: ignore[attr-defined]
        self.fields["cohort"].choices = _choices(cohorts, "None")  # type: ignore[attr-defined]


EVENT_SECTIONS = [
    (
        "",
        [
            "kind",
            "title",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "venue_kind",
            "venue",
            "steps",
            "description",
        ],
    ),
    ("Organisers", ["organisers", "organiser_organisations"]),
    ("Exchange visits", ["exchange_direction", "exchange_site", "exchange_site_name"]),
    ("The learning programme", ["cohort", "parent"]),
    ("Walkabouts", ["route_description"]),
]


def event_sections(kind: str) -> list[tuple[str, list[str]]]:
    """The form's sections for one kind of event: only the kind-specific fields that apply."""
    wanted = {
        "exchange_direction": kind == EventKind.EXCHANGE_VISIT,
        "exchange_site": kind == EventKind.EXCHANGE_VISIT,
        "exchange_site_name": kind == EventKind.EXCHANGE_VISIT,
        "cohort": kind in (EventKind.RESIDENTIAL, EventKind.TRAINING),
        "parent": kind == EventKind.SITE_VISIT,
        "route_description": kind == EventKind.WALKABOUT,
    }
    if kind not in EventKind.values:
        return EVENT_SECTIONS
    sections = []
    for heading, names in EVENT_SECTIONS:
        shown = [n for n in names if wanted.get(n, True)]
        if shown:
            sections.append((heading, shown))
    return sections


class StatusForm(_Form):
    status = forms.ChoiceField(choices=EventStatus.choices)


class AttendanceForm(_Form):
    person = forms.ChoiceField(label="A person of this site", required=False)
    organisation = forms.ChoiceField(label="Or an organisation represented", required=False)

    def __init__(
        self, *args: Any, people: list[tuple[int, str]], organisations: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = _choices(people, "Choose a person")  # type: ignore[attr-defined]
        self.fields["organisation"].choices = _choices(organisations, "None")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("person") and not data.get("organisation"):
            self.add_error("person", "Choose a person or an organisation.")
        return data


class HeadCountForm(_Form):
    """One number per participant kind × age band, named ``<participant>__<age band>``."""

    def __init__(self, *args: Any, cells: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label, _ in cells:
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=10_000,
                required=False,
                error_messages={
                    "invalid": f"{label}: enter a whole number.",
                    "min_value": f"{label}: enter 0 or more.",
                    "max_value": f"{label}: enter at most 10,000.",
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            )


class MinutesForm(_Form):
    agenda = forms.CharField(
        label="Agenda",
        required=False,
        max_length=20000,
        widget=forms.Textarea({"rows": 6}),
        help_text="One item a line.",
    )
    text = forms.CharField(
        label="Minutes",
        required=False,
        max_length=100000,
        widget=forms.Textarea({"rows": 14}),
        help_text="Drafted here. Residents' names are taken out of the published version.",
    )


class DecisionForm(_Form):
    required_messages = {"text": "Write the decision."}
    text = forms.CharField(label="Decision", max_length=5000, widget=forms.Textarea({"rows": 2}))


class ApproveForm(_Form):
    required_messages = {"at_meeting": "Choose the meeting at which the minutes were approved."}
    at_meeting = forms.ChoiceField(label="Approved at the meeting of")

    def __init__(self, *args: Any, meetings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].choices = _choices(meetings, "Choose a meeting")  # type: ignore[attr-defined]


class EvidenceForm(_Form):
    required_messages = {"criterion": "Choose the criterion this evidences."}
    criterion = forms.ChoiceField(label="Use as evidence for…")

    def __init__(self, *args: Any, criteria: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = _choices(criteria, "Choose a criterion")  # type: ignore[attr-defined]


class FindingForm(_Form):
    required_messages = {
        "kind": "Choose an asset or strength, or an issue.",
        "title": "Say in a few words what was found.",
    }
    kind = forms.ChoiceField(label="What was found?", choices=FindingKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="In a few words", max_length=200)
    description = forms.CharField(label="Details", required=False, max_length=5000, widget=forms.Textarea({"rows": 3}))
    location = forms.CharField(label="Where", max_length=200, required=False, help_text="A street, a park, a building.")
    latitude = forms.DecimalField(
        label="Latitude",
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text="Optional map point, for example 51.5432.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label="Longitude",
        required=False,
        max_digits=10,
        decimal_places=6,
        help_text="For example 0.7313.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    photo = forms.FileField(label="Photo", required=False, help_text="Optional: a JPEG, PNG, WebP or GIF up to 10 MB.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].error_messages.update(
                {
                    "invalid": f"{self.fields[name].label} must be a number, like 51.5432.",
                    "max_digits": f"{self.fields[name].label} has too many digits.",
                    "max_decimal_places": f"{self.fields[name].label}: at most 6 decimal places.",
                    "max_whole_digits": f"{self.fields[name].label} is out of range.",
                }
            )


class CompletionForm(_Form):
    required_messages = {"completed_on": "Enter the date the learner completed the programme."}
    completed_on = forms.DateField(label="Completed on", widget=DateInput(format="%Y-%m-%d"))
