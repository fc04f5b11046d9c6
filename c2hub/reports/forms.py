"""Forms of the board report pages: a new draft, the sections' texts, a Word template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from c2hub.people.forms import DateInput, _Form
from c2hub.reports.board import DEFAULT_BOARD
from c2hub.reports.render import TEMPLATE_MAX_BYTES, check_word_template
from c2hub.reports.services import SECTION_MAX_LENGTH


class DraftForm(_Form):
    required_messages = {
        "as_of": "Enter the date the report is as of, for example 1 December 2013",
        "board_name": "Enter the name of the board the report is for",
    }

    as_of = forms.DateField(
        label="As of",
        widget=DateInput(format="%Y-%m-%d"),
        help_text="The report says what C2 Hub's records held at the end of this day, and nothing after it.",
    )
    board_name = forms.CharField(
        label="Board", max_length=200, initial=DEFAULT_BOARD, help_text="The board the report goes to."
    )


class SectionsForm(forms.Form):
    """One text area per section of the latest version, and a note of what changed."""

    note = forms.CharField(
        label="What changed (optional)", max_length=300, required=False,
        help_text="A few words for the list of versions, for example 'Risk assessment written'.",
    )

    def __init__(self, *args: Any, sections: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for s in sections:
            if s["key"] == "implications" and not s["text"]:
                continue  # the corporate implications' heading: its text is in its sub-sections
            self.fields[f"section_{s['key']}"] = forms.CharField(
                label=s["heading"], required=False, max_length=SECTION_MAX_LENGTH, initial=s["text"],
                widget=forms.Textarea(attrs={"rows": 8 if s["key"] in ("background", "progress") else 4}),
            )

    def texts(self) -> dict[str, str]:
        """The posted sections' texts (a section left out of the post keeps its text)."""
        return {
            name.removeprefix("section_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("section_") and name in self.data
        }


class TemplateForm(forms.Form):
    template = forms.FileField(
        label="Your organisation's Word template (.docx)",
        help_text="Optional. The DOCX uses its styles, headers and footers. Up to 10 MB.",
    )

    def clean_template(self) -> Any:
        upload = self.cleaned_data["template"]
        if not upload.name.lower().endswith(".docx"):
            raise ValidationError("Choose a Word document ending in .docx.")
        if upload.size > TEMPLATE_MAX_BYTES:
            raise ValidationError("The Word template must be smaller than 10 MB.")
        try:
            check_word_template(upload, size=upload.size)
        except ValidationError as error:
            raise ValidationError(error.message_dict["template"]) from error
        return upload
