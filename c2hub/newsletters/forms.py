"""Forms for the newsletter pages and the public page. They collect and type the input; the rules
(sanitising, image checks, one-line subjects, consent) live in ``services.py``, whose
ValidationErrors the views put back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from c2hub.newsletters.models import BlockKind
from c2hub.newsletters.services import ITEM_LIMIT_MAX
from c2hub.people.forms import DateInput, _Form

RICH_TEXT_HINT = (
    "Write in plain text (a blank line starts a new paragraph), or use simple HTML: "
    "<p>, <strong>, <em>, <ul>, <ol>, <li>, <a href>, <h3>, <blockquote>. Anything else is removed."
)


class IssueForm(_Form):
    required_messages = {"title": "Enter the newsletter's title."}
    title = forms.CharField(
        label="Title", max_length=150, help_text="Also the e-mail's subject, for example: Spring 2016."
    )


class BlockKindForm(_Form):
    required_messages = {"kind": "Choose what kind of block to add."}
    kind = forms.ChoiceField(label="Add a block", choices=[("", "Choose a kind of block"), *BlockKind.choices])


class BlockForm(_Form):
    """One form for every kind of block; ``kind`` decides which fields it shows."""

    heading = forms.CharField(label="Heading", max_length=150, required=False)
    body = forms.CharField(
        label="Text", required=False, max_length=20_000, widget=forms.Textarea({"rows": 8}), help_text=RICH_TEXT_HINT
    )
    image = forms.FileField(
        label="Image", required=False, help_text="A JPEG, PNG, WebP or GIF picture, smaller than 5 MB."
    )
    alt_text = forms.CharField(
        label="Alt text",
        max_length=300,
        required=False,
        help_text=(
            "What the picture shows, for people who cannot see it. "
            "For example: Volunteers planting the community garden."
        ),
    )
    item_limit = forms.IntegerField(
        label="How many to show",
        min_value=1,
        max_value=ITEM_LIMIT_MAX,
        initial=5,
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    since = forms.DateField(
        label="Wins since (optional)",
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        help_text="Only wins from this date, for example since the last issue.",
    )

    FIELDS_BY_KIND = {
        BlockKind.TEXT: ["heading", "body"],
        BlockKind.IMAGE: ["image", "alt_text", "body"],
        BlockKind.WINS: ["heading", "body", "item_limit", "since"],
        BlockKind.EVENTS: ["heading", "body", "item_limit"],
        BlockKind.YOU_SAID: ["heading", "body", "item_limit"],
        BlockKind.GROUPS: ["heading", "body", "item_limit"],
    }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = self.FIELDS_BY_KIND[BlockKind(kind)]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if kind == BlockKind.IMAGE:
            self.fields["body"].label = "Caption (optional)"
            self.fields["body"].widget.attrs["rows"] = 2
        elif kind != BlockKind.TEXT:
            self.fields["body"].label = "Introduction (optional)"
            self.fields["body"].widget.attrs["rows"] = 3


class SubscriberForm(_Form):
    required_messages = {
        "email": "Enter their e-mail address.",
        "consent_note": "Say how and when they gave consent.",
    }
    email = forms.CharField(label="E-mail address", max_length=254, widget=forms.EmailInput({"autocomplete": "off"}))
    name = forms.CharField(label="Name (optional)", max_length=120, required=False)
    consent_note = forms.CharField(
        label="How they gave consent",
        max_length=300,
        help_text="For example: signed the sign-up sheet at the hub open day.",
    )
    consent_given_on = forms.DateField(
        label="Date they gave consent (optional)",
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        help_text="Leave empty for today.",
    )


class PublicPageForm(_Form):
    enabled = forms.BooleanField(label="Show the public page (anyone can see it, without signing in)", required=False)
    introduction = forms.CharField(
        label="Introduction (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text="A few words for the top of the page. Do not name residents.",
    )
    consent_wording = forms.CharField(
        label="Consent wording for the subscribe form (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text="Leave empty for the standard wording. It is stored with each subscriber.",
    )


class EvidenceForm(_Form):
    required_messages = {"criterion": "Choose the criterion this evidences."}
    criterion = forms.ChoiceField(label="Use as evidence for…")

    def __init__(self, *args: Any, criteria: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", "Choose a criterion")] + [(str(pk), label) for pk, label in criteria]


class PublicSubscribeForm(forms.Form):
    """The public page's subscribe form. ``website`` is a honeypot."""

    email = forms.CharField(label="Your e-mail address", max_length=254, required=False)
    name = forms.CharField(label="Your name (optional)", max_length=120, required=False)
    consent = forms.BooleanField(label="I agree", required=False)
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)
