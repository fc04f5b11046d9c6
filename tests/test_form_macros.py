"""The form macros in includes/forms.html render every kind of field Django gives them."""

from django import forms
from django.template import engines


class ConsentForm(forms.Form):
    agreed = forms.BooleanField(label="They agreed", required=False)


def _render(form: forms.Form) -> str:
    template = engines["jinja2"].from_string(
        '{% from "includes/forms.html" import field %}{{ field(form["agreed"]) }}'
    )
    return template.render({"form": form})


def test_single_checkbox_renders_unchecked_and_checked():
    unchecked = _render(ConsentForm())
    assert 'type="checkbox"' in unchecked
    assert "They agreed" in unchecked
    assert "checked" not in unchecked.split('type="checkbox"')[1].split(">")[0]
    checked = _render(ConsentForm(data={"agreed": "on"}))
    assert "checked" in checked.split('type="checkbox"')[1].split(">")[0]
