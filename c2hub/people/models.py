"""People (residents and workers), organisations, consent, groups and dated memberships.

A person belongs to one programme and may take part in several of its sites. Everything shown
about a person is read through a site (see ``selectors.py``): another site's groups, notes or
contact details are never part of the answer.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone


class OrganisationKind(models.TextChoices):
    ICB = "icb", "CCG / ICB"
    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"
    HOUSING = "housing", "Housing"
    EDUCATION = "education", "Education"
    NHS_PROVIDER = "nhs_provider", "NHS provider"
    VOLUNTARY = "voluntary", "Voluntary sector"
    BUSINESS = "business", "Business"
    UNIVERSITY = "university", "University / C2 team"
    COMMUNITY_GROUP = "community_group", "Community group"


class Organisation(models.Model):
    """An agency or group whose workers take part: a CCG, the council, the police, a school…"""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    sites = models.ManyToManyField("programmes.Site", blank=True, related_name="organisations")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="unique_organisation_name")
        ]

    def __str__(self) -> str:
        return self.name


class AgeBand(models.TextChoices):
    UNDER_5 = "0-4", "0–4"
    AGE_5_10 = "5-10", "5–10"
    AGE_11_15 = "11-15", "11–15"
    AGE_16_18 = "16-18", "16–18"
    AGE_19_25 = "19-25", "19–25"
    AGE_26_64 = "26-64", "26–64"
    AGE_65_PLUS = "65+", "65 and over"
    UNKNOWN = "", "Not known"


#: Age bands of children (under 18): their records are flagged and handled with extra care.
CHILD_AGE_BANDS = frozenset(
    {AgeBand.UNDER_5, AgeBand.AGE_5_10, AgeBand.AGE_11_15, AgeBand.AGE_16_18}
)


class PersonKind(models.TextChoices):
    RESIDENT = "resident", "Resident"
    WORKER = "worker", "Worker"


class Person(models.Model):
    """A resident or a worker taking part in one or more sites. Residents need no login."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="people"
    )
    kind = models.CharField(max_length=10, choices=PersonKind.choices, default=PersonKind.RESIDENT)
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="workers"
    )
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True, default="")
    sites = models.ManyToManyField("programmes.Site", related_name="people", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    @property
    def is_child(self) -> bool:
        return self.age_band in CHILD_AGE_BANDS

    @property
    def pseudonym(self) -> str:
        """A stable label for researchers, not reversible without the server's secret key."""
        digest = hmac.new(
            settings.SECRET_KEY.encode(), f"person:{self.pk}".encode(), hashlib.sha256
        ).hexdigest()
        return f"Person {digest[:8].upper()}"


class PersonSiteNotes(models.Model):
    """Notes about a person kept by one site. A person may take part in several sites; what one
    site writes about them is never shown in another."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="site_notes")
    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="person_notes")
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "site"], name="unique_person_site_notes")]
        verbose_name_plural = "person site notes"

    def __str__(self) -> str:
        return f"Notes on {self.person} in {self.site}"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"
    PUBLIC_TASK = "public_task", "Public task"
    CONTRACT = "contract", "Contract"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
    VITAL_INTERESTS = "vital_interests", "Vital interests"


class Consent(models.Model):
    """What a person agreed to, on what lawful basis, where it was recorded and until when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=300)
    lawful_basis = models.CharField(max_length=24, choices=LawfulBasis.choices)
    source = models.CharField(
        max_length=300, help_text="E.g. paper form at the engagement workshop."
    )
    given_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    is_child = models.BooleanField(
        default=False, help_text="The person was a child when this was recorded (parental consent)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.get_lawful_basis_display()})"

    def is_current(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        if self.withdrawn_on and self.withdrawn_on <= today:  # type: ignore[operator]
            return False
        return not (self.expires_on and self.expires_on < today)  # type: ignore[operator]


class GroupKind(models.TextChoices):
    STRATEGIC_STEERING = "strategic_steering", "Strategic Steering Group / Network"
    PARTNERSHIP_STEERING = "partnership_steering", "Partnership Steering Group"
    INTERIM_PARTNERSHIP = "interim_partnership", "Interim partnership"
    CONSTITUTED_PARTNERSHIP = "constituted_partnership", "Constituted partnership"
    LEARNING_COHORT = "learning_cohort", "Learning-programme cohort"


class LegalForm(models.TextChoices):
    NONE = "", "Not constituted"
    UNINCORPORATED = "unincorporated", "Unincorporated association"
    CHARITY = "charity", "Registered charity"
    CIO = "cio", "Charitable incorporated organisation (CIO)"
    CHARITABLE_COMPANY = "charitable_company", "Charitable company"
    CIC = "cic", "Community interest company (CIC)"


class Group(models.Model):
    """A group in a site: steering group or network, partnership, or a learning-programme cohort."""

    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(max_length=30, choices=GroupKind.choices)
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    formed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # A constituted partnership
    legal_form = models.CharField(max_length=24, choices=LegalForm.choices, blank=True, default="")
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    hub_address = models.TextField(blank=True)
    opening_times = models.TextField(blank=True)
    # A learning-programme cohort
    wave = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["site", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    KEY_RESIDENT = "key_resident", "Key resident"
    CHAIR = "chair", "Chair"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    FACILITATOR = "facilitator", "Facilitator"
    LEARNER = "learner", "Learner"
    TRUSTEE = "trustee", "Trustee"
    VOLUNTEER = "volunteer", "Volunteer"


class GroupMembership(models.Model):
    """A person's dated membership of a group, in a role. An organisation may sit on a group
    without a named person (e.g. "Police" in a steering network's membership list)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", null=True, blank=True,
        help_text="The organisation represented (defaults to the person's own).",
    )
    role = models.CharField(
        max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["group", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(organisation__isnull=False),
                name="membership_has_person_or_organisation",
            )
        ]

    def __str__(self) -> str:
        who = self.person or self.organisation
        return f"{who} in {self.group} ({self.get_role_display()})"

    def is_current(self, on: object = None) -> bool:
        on = on or timezone.localdate()
        if self.started_on and self.started_on > on:  # type: ignore[operator]
            return False
        return not (self.ended_on and self.ended_on < on)  # type: ignore[operator]
