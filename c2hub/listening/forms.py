"""Forms for the listening event's pages. They only collect and type the input: the rules (a
comment's length, a postcode district's format, a name only with consent…) live in
``services.py``, whose ValidationErrors the views put back on these forms' fields."""

from __future__ import annotations

from typing import Any

from django import forms

from c2hub.events.models import ParticipantKind
from c2hub.listening.models import COMMENT_MAX_LENGTH, VoteSource
from c2hub.people.forms import DateInput, _Form
from c2hub.people.models import AgeBand

AGE_BAND_CHOICES = [("", "Not known")] + [(c, label) for c, label in AgeBand.choices if c]
LANGUAGE_HINT = "A language code: en for English, pl for Polish, kw for Cornish, cy for Welsh."


def _participant(label: str = "Who said it?") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=ParticipantKind.choices, widget=forms.RadioSelect, initial=ParticipantKind.RESIDENT
    )


def _age_band(label: str = "Age band") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=AGE_BAND_CHOICES, required=False)


def _language() -> forms.CharField:
    return forms.CharField(
        label="Language",
        max_length=35,
        required=False,
        initial="en",
        help_text=LANGUAGE_HINT,
        widget=forms.TextInput({"autocomplete": "off", "class": "govuk-input--width-5"}),
    )


def _postcode_district() -> forms.CharField:
    return forms.CharField(
        label="Postcode district (optional)",
        max_length=20,
        required=False,
        help_text="The first half of the postcode only, like TR14.",
        widget=forms.TextInput({"autocomplete": "off"}),
    )


class ListeningEventForm(_Form):
    required_messages = {
        "title": "Give the listening event a title.",
        "held_on": "Enter the date of the listening event.",
    }

    title = forms.CharField(label="Title", max_length=200)
    held_on = forms.DateField(
        label="Date",
        widget=DateInput(format="%Y-%m-%d"),
        help_text="Feedback to residents is due a set number of days after it.",
    )
    venue = forms.CharField(label="Venue (if not the hub)", max_length=300, required=False)
    dots_per_participant = forms.IntegerField(
        label="Dots per participant", initial=3, min_value=1, max_value=20, help_text="For the dot vote on the themes."
    )


class ListeningSettingsForm(_Form):
    dots_per_participant = forms.IntegerField(label="Dots per participant", min_value=1, max_value=20)
    consent_statement = forms.CharField(
        label="Consent statement on the public page",
        required=False,
        widget=forms.Textarea({"rows": 4}),
        max_length=3000,
        help_text="Leave blank for C2 Hub's standard statement.",
    )
    next_steps = forms.CharField(
        label="What happens next (for the report)",
        required=False,
        widget=forms.Textarea({"rows": 5}),
        max_length=5000,
    )


class FastEntryForm(_Form):
    """A facilitator typing during the event: one comment per line, the batch's who-said-it."""

    required_messages = {"lines": "Type at least one comment, one per line."}

    lines = forms.CharField(
        label="Comments, one per line",
        widget=forms.Textarea({"rows": 8, "autofocus": "autofocus", "spellcheck": "true"}),
        help_text="Press Enter between comments. Start a line with “12x ” when 12 people said it.",
        max_length=200_000,
    )
    participant = _participant("Said by")
    age_band = _age_band()
    language = _language()


class CommentCardForm(_Form):
    """A paper comment card or tally, typed in later (every who-said-it field)."""

    required_messages = {"text": "Type what the card says."}

    text = forms.CharField(label="Comment", widget=forms.Textarea({"rows": 4}), max_length=COMMENT_MAX_LENGTH + 1000)
    count = forms.IntegerField(
        label="How many people said this?",
        initial=1,
        min_value=1,
        max_value=10_000,
        help_text="More than 1 for a tally: “12 people said this”.",
        widget=forms.NumberInput({"class": "govuk-input--width-5"}),
    )
    participant = _participant()
    age_band = _age_band()
    language = _language()
    postcode_district = _postcode_district()
    given_name = forms.CharField(
        label="Name (only if they agreed to give it)",
        max_length=100,
        required=False,
        widget=forms.TextInput({"autocomplete": "off"}),
    )
    name_consent = forms.BooleanField(label="They agreed to their name being recorded", required=False)


class CsvUploadForm(_Form):
    required_messages = {"file": "Choose a CSV file to upload."}

    file = forms.FileField(
        label="CSV file",
        help_text="Columns: text, participant, and optionally age_band, language, count, postcode_district.",
    )


#: Languages offered on the public page (the comment is kept as written, tagged with its language).
PUBLIC_LANGUAGES = [
    ("en", "English"),
    ("pl", "Polski (Polish)"),
    ("kw", "Kernewek (Cornish)"),
    ("cy", "Cymraeg (Welsh)"),
    ("ro", "Română (Romanian)"),
    ("pt", "Português (Portuguese)"),
    ("lt", "Lietuvių (Lithuanian)"),
    ("und", "Another language"),
]


class PublicCommentForm(forms.Form):
    """The public page: one comment and, if they like, who said it. ``website`` is a honeypot."""

    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea({"rows": 5}),
        required=False,
        max_length=COMMENT_MAX_LENGTH * 4,
    )
    participant = forms.ChoiceField(
        label="Are you",
        widget=forms.RadioSelect,
        initial=ParticipantKind.RESIDENT,
        choices=[
            (ParticipantKind.RESIDENT, "A resident (you live here)"),
            (ParticipantKind.PROVIDER, "Someone who works here (police, council, housing, health…)"),
        ],
    )
    age_band = forms.ChoiceField(label="Your age (optional)", choices=AGE_BAND_CHOICES, required=False)
    postcode_district = forms.CharField(
        label="First half of your postcode (optional)",
        max_length=20,
        required=False,
        help_text="For example, TR14. Not your full postcode.",
    )
    language = forms.ChoiceField(
        label="The language you are writing in", choices=PUBLIC_LANGUAGES, required=False, initial="en"
    )
    submission_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)


class ThemeNameForm(_Form):
    required_messages = {"name": "Give the theme a name."}
    name = forms.CharField(label="Name", max_length=200)


class VoteForm(_Form):
    """Dots for several themes at once: one participant live, or a paper tally."""

    participant = _participant("Whose dots?")
    source = forms.ChoiceField(
        label="How were they counted?",
        widget=forms.RadioSelect,
        initial=VoteSource.PAPER,
        choices=[
            (VoteSource.LIVE, "One participant's dots, entered live"),
            (VoteSource.PAPER, "A tally of dots counted on paper or a board"),
        ],
    )

    def __init__(self, *args: Any, themes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme_fields = []
        for theme in themes:
            name = f"theme_{theme.pk}"
            self.fields[name] = forms.IntegerField(
                label=theme.name,
                required=False,
                min_value=0,
                max_value=100_000,
                widget=forms.NumberInput({"class": "govuk-input--width-4", "inputmode": "numeric"}),
            )
            self.theme_fields.append(name)

    def dots_by_theme(self) -> dict[int, Any]:
        return {int(n.removeprefix("theme_")): self.cleaned_data.get(n) or 0 for n in self.theme_fields}


class FeedbackEventLinkForm(_Form):
    """Link a feedback event already recorded on the events pages (one of this site's)."""

    required_messages = {"event": "Choose the feedback event."}

    event = forms.ModelChoiceField(queryset=None, label="A feedback event already recorded", empty_label="")

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events  # type: ignore[attr-defined]
        self.fields["event"].error_messages["invalid_choice"] = "Choose one of this site's feedback events."


class FeedbackEventForm(_Form):
    required_messages = {"held_on": "Enter the date of the feedback event."}

    held_on = forms.DateField(label="Date of the feedback event", widget=DateInput(format="%Y-%m-%d"))
    title = forms.CharField(label="Title", max_length=200, required=False)
