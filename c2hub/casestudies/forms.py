"""Forms for the case-study pages: they type the input; the rules (consent, a child's parental
consent, the photo's content, records of the same site) live in ``services.py``."""

from __future__ import annotations

from typing import Any

from django import forms

from c2hub.casestudies.models import Audience, ConsentScope
from c2hub.people.forms import DateInput, _Form


class CaseStudyForm(_Form):
    required_messages = {"title": "Enter the case study's title."}

    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary",
        max_length=400,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text="One or two sentences, shown in the library.",
    )
    narrative = forms.CharField(
        label="The story",
        required=False,
        widget=forms.Textarea({"rows": 12}),
        help_text="What happened, who made it happen and what changed. Leave a blank line between paragraphs.",
    )
    figures = forms.CharField(
        label="Figures quoted",
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text="One per line, each with its source, e.g. “Truancy down 90% (school records, 2010)”.",
    )
    events = forms.TypedMultipleChoiceField(
        label="Linked events", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    wins = forms.TypedMultipleChoiceField(
        label="Linked wins", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    community_groups = forms.TypedMultipleChoiceField(
        label="Linked groups and activities", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: dict[str, list[tuple[int, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]


class _ConsentForm(_Form):
    consent_from = forms.CharField(
        label="Who gave consent",
        max_length=200,
        help_text="For example, “the speaker” or “a parent of the child pictured”.",
    )
    consent_given_on = forms.DateField(label="Date consent was given", widget=DateInput(format="%Y-%m-%d"))
    consent_scope = forms.ChoiceField(
        label="What the consent covers", choices=ConsentScope.choices, widget=forms.RadioSelect
    )
    about_a_child = forms.BooleanField(label="This is about a child (under 18)", required=False)
    parental_consent = forms.BooleanField(label="A parent or guardian gave consent", required=False)


class QuoteForm(_ConsentForm):
    required_messages = {
        "text": "Enter the quote.",
        "attribution": "Say who said it, e.g. 'A resident, aged 16'.",
        "consent_from": "Say who gave consent.",
        "consent_given_on": "Enter the date consent was given.",
        "consent_scope": "Choose what the consent covers.",
    }

    text = forms.CharField(label="Quote", max_length=2000, widget=forms.Textarea({"rows": 3}))
    attribution = forms.CharField(
        label="Who said it",
        max_length=200,
        help_text="How they are described. No name unless they agreed to be named.",
    )


class PhotoForm(_ConsentForm):
    required_messages = {
        "image": "Choose the photo.",
        "alt_text": "Describe what the photo shows, for people who cannot see it.",
        "consent_from": "Say who gave consent.",
        "consent_given_on": "Enter the date consent was given.",
        "consent_scope": "Choose what the consent covers.",
    }

    image = forms.FileField(label="Photo", help_text="A JPEG, PNG, WebP or GIF smaller than 8 MB.")
    alt_text = forms.CharField(
        label="What the photo shows", max_length=300, help_text="Read out to people who cannot see the photo."
    )
    caption = forms.CharField(label="Caption", max_length=300, required=False)


class PublishForm(_Form):
    required_messages = {"audience": "Choose who the case study is for."}

    audience = forms.ChoiceField(label="Who is it for?", choices=Audience.choices, widget=forms.RadioSelect)


class WithdrawForm(_Form):
    on = forms.DateField(label="Date consent was withdrawn", required=False, widget=DateInput(format="%Y-%m-%d"))
