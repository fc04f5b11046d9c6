"""Forms for the people, organisations and groups pages. They only collect and type the input:
the rules (a worker needs an organisation, a member must take part in the site…) live in
``services.py``, whose ValidationErrors the views put back on these forms' fields."""

from __future__ import annotations

from typing import Any

from django import forms

from c2hub.people.models import (
    AgeBand,
    GroupKind,
    LawfulBasis,
    LegalForm,
    MembershipRole,
    Organisation,
    OrganisationKind,
    PersonKind,
)

DATE_HINT = "For example, 27 March 2024."
#: People's details are typed in by someone else: the browser must not fill in the user's own.
_NO_AUTOFILL = {"autocomplete": "off"}


class DateInput(forms.DateInput):
    """A native date field: the GOV.UK input macro takes its type from ``input_type``."""

    input_type = "date"


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(format="%Y-%m-%d"), help_text=help_text)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class _Form(forms.Form):
    """Error messages that say what to do, as GOV.UK asks, instead of "This field is required"."""

    #: field name → the message when it is left empty
    required_messages: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            if name in self.required_messages:
                form_field.error_messages["required"] = self.required_messages[name]
            if isinstance(form_field, forms.DateField):
                form_field.error_messages["invalid"] = f"{form_field.label} must be a real date."
            if isinstance(form_field, forms.EmailField):
                form_field.error_messages["invalid"] = (
                    "Enter an email address in the correct format, like name@example.com."
                )
            if isinstance(form_field, forms.URLField):
                form_field.error_messages["invalid"] = (
                    "Enter a web address in the correct format, like www.example.org."
                )


class PersonForm(_Form):
    required_messages = {
        "kind": "Choose whether this person is a resident or a worker.",
        "name": "Enter the person's full name.",
    }

    kind = forms.ChoiceField(
        label="Is this person a resident or a worker?",
        choices=PersonKind.choices,
        widget=forms.RadioSelect,
        initial=PersonKind.RESIDENT,
    )
    name = forms.CharField(label="Full name", max_length=200, widget=forms.TextInput(_NO_AUTOFILL))
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None",
        help_text="A worker must have one: the agency or group they work for.",
    )
    job_title = forms.CharField(label="Job title or role", max_length=200, required=False)
    email = forms.EmailField(label="Email address", required=False, widget=forms.EmailInput(_NO_AUTOFILL))
    phone = forms.CharField(label="Phone number", max_length=40, required=False, widget=forms.TextInput(_NO_AUTOFILL))
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea({"rows": 3, **_NO_AUTOFILL}))
    postcode = forms.CharField(label="Postcode", max_length=10, required=False, widget=forms.TextInput(_NO_AUTOFILL))
    age_band = forms.ChoiceField(
        label="Age band",
        choices=[(AgeBand.UNKNOWN.value, "Not known")] + [(c, label) for c, label in AgeBand.choices if c],
        required=False,
        help_text="Under-18s are shown as children and their consent is flagged.",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=_textarea(4),
        max_length=5000,
        help_text="Only people who work in the site can read notes. Write nothing you would not "
        "want the person to read.",
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PersonAddExistingForm(_Form):
    required_messages = {
        "person": "Choose the person to add.",
    }

    person = forms.TypedChoiceField(label="Person", coerce=int, choices=())

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choose a person")] + people  # type: ignore[attr-defined]


class ConsentForm(_Form):
    required_messages = {
        "purpose": "Enter what the consent is for.",
        "lawful_basis": "Choose the lawful basis.",
        "source": "Enter where the consent was recorded.",
        "given_on": "Enter the date consent was given.",
    }

    purpose = forms.CharField(
        label="What is the consent for?",
        max_length=300,
        help_text="For example, being contacted about partnership meetings.",
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        initial=LawfulBasis.CONSENT,
    )
    source = forms.CharField(
        label="Where was it recorded?",
        max_length=300,
        help_text="For example, paper form at the engagement workshop.",
    )
    given_on = _date("Date given", required=True, help_text=DATE_HINT)
    expires_on = _date("Expiry date (optional)", help_text="Leave blank if it does not expire.")


class ConsentWithdrawForm(_Form):
    required_messages = {
        "withdrawn_on": "Enter the date consent was withdrawn.",
    }

    withdrawn_on = _date("Date withdrawn", required=True, help_text=DATE_HINT)


class OrganisationForm(_Form):
    required_messages = {
        "name": "Enter the organisation's name.",
        "kind": "Choose the type of organisation.",
    }

    name = forms.CharField(label="Name", max_length=200)
    short_name = forms.CharField(
        label="Short name (optional)",
        max_length=40,
        required=False,
        help_text="For example, SBC for Southend-on-Sea Borough Council.",
    )
    kind = forms.ChoiceField(label="Type of organisation", choices=[("", "Choose a type")] + OrganisationKind.choices)
    website = forms.URLField(label="Website (optional)", required=False, max_length=200, assume_scheme="https")
    notes = forms.CharField(label="Notes (optional)", required=False, widget=_textarea(), max_length=5000)


class OrganisationAddExistingForm(_Form):
    required_messages = {
        "organisation": "Choose the organisation to add.",
    }

    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class GroupForm(_Form):
    required_messages = {
        "kind": "Choose the type of group.",
        "name": "Enter the group's name.",
    }

    kind = forms.ChoiceField(label="Type of group", choices=GroupKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label="Name", max_length=200)
    purpose = forms.CharField(label="Purpose (optional)", required=False, widget=_textarea(), max_length=5000)
    formed_on = _date("Date formed (optional)", help_text=DATE_HINT)
    ended_on = _date("Date ended (optional)", help_text="Leave blank while the group meets.")
    legal_form = forms.ChoiceField(
        label="Legal form",
        choices=[("", "Choose a legal form")] + [(c, label) for c, label in LegalForm.choices if c],
        required=False,
    )
    charity_number = forms.CharField(label="Charity number (optional)", max_length=20, required=False)
    company_number = forms.CharField(label="Company number (optional)", max_length=20, required=False)
    hub_address = forms.CharField(
        label="Hub address (optional)",
        required=False,
        widget=_textarea(),
        max_length=2000,
        help_text="Where the partnership runs from in the community.",
    )
    opening_times = forms.CharField(
        label="Hub opening times (optional)", required=False, widget=_textarea(), max_length=2000
    )
    wave = forms.IntegerField(
        label="Wave",
        required=False,
        min_value=1,
        max_value=50,
        help_text="1 for the first wave of learners, 2 for the second…",
    )


class MembershipForm(_Form):
    required_messages = {
        "role": "Choose the member's role.",
    }

    person = forms.TypedChoiceField(label="Person", coerce=int, required=False, empty_value=None)
    organisation = forms.ModelChoiceField(
        label="Organisation represented",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Their own organisation, if any",
        help_text="Choose an organisation on its own when it sits on the group without a named "
        "person, for example Police on a steering network.",
    )
    role = forms.ChoiceField(label="Role", choices=MembershipRole.choices, initial=MembershipRole.MEMBER)
    started_on = _date("Start date (optional)", help_text=DATE_HINT)
    ended_on = _date("End date (optional)", help_text="Leave blank for a current member.")
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=300)

    def __init__(self, *args: Any, people: list[tuple[int, str]], organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "No named person")] + people  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class MembershipEndForm(_Form):
    required_messages = {
        "ended_on": "Enter the date the membership ended.",
    }

    ended_on = _date("Date the membership ended", required=True, help_text=DATE_HINT)
