"""Case studies: the story of a change in a site (the TR14ers at Camborne), told with residents'
own words and pictures — each quote and photo carrying the consent under which it may be used.

A quote or photo is shown only where its consent reaches: ``ConsentScope.TEAM`` (the programme
team, the site's partnership and its commissioners) or ``ConsentScope.PUBLICATION`` (anywhere,
including print and the public web). A child's quote or photo needs a parent's or guardian's
consent. A withdrawn consent takes the item out of every page and export from that day.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class CaseStudyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ConsentScope(models.TextChoices):
    TEAM = "team", "The programme team, the partnership and commissioners only"
    PUBLICATION = "publication", "Publication, in print and on the public web"


class Audience(models.TextChoices):
    """Who a published case study is for; its quotes and photos must have consent that reaches them."""

    TEAM = "team", "The programme team, the partnership and commissioners"
    PUBLIC = "public", "The public (print, web, press)"


#: The consent scope an audience needs.
SCOPE_NEEDED = {
    Audience.TEAM: {ConsentScope.TEAM, ConsentScope.PUBLICATION},
    Audience.PUBLIC: {ConsentScope.PUBLICATION},
}


class CaseStudy(models.Model):
    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="case_studies")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, blank=True, help_text="One or two sentences for the library.")
    narrative = models.TextField(blank=True, help_text="The story. A blank line starts a new paragraph.")
    #: Figures the story quotes, one per line, each with its source ("Truancy down 90% (school records, 2010)").
    figures = models.TextField(blank=True)
    events = models.ManyToManyField("events.Event", blank=True, related_name="case_studies")
    wins = models.ManyToManyField("wins.Win", blank=True, related_name="case_studies")
    community_groups = models.ManyToManyField("community.CommunityGroup", blank=True, related_name="case_studies")
    status = models.CharField(max_length=10, choices=CaseStudyStatus.choices, default=CaseStudyStatus.DRAFT)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.TEAM)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "-updated_at", "-id"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == CaseStudyStatus.PUBLISHED

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.narrative.replace("\r\n", "\n").split("\n\n") if p.strip()]

    def figure_lines(self) -> list[str]:
        return [line.strip() for line in self.figures.splitlines() if line.strip()]


class ConsentedItem(models.Model):
    """What a quote and a photo share: the consent under which it may be used."""

    consent_from = models.CharField(
        max_length=200, help_text="Who gave consent, e.g. 'the speaker' or 'a parent of the child pictured'."
    )
    consent_given_on = models.DateField()
    consent_scope = models.CharField(max_length=12, choices=ConsentScope.choices)
    #: A child (under 18) is quoted or pictured: a parent's or guardian's consent is needed.
    about_a_child = models.BooleanField(default=False)
    parental_consent = models.BooleanField(default=False)
    consent_withdrawn_on = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def usable_for(self, audience: str, today: dt.date | None = None) -> bool:
        """Whether this item may be shown to ``audience`` (an ``Audience`` value) today."""
        today = today or timezone.localdate()
        if self.consent_withdrawn_on is not None and self.consent_withdrawn_on <= today:
            return False
        if self.about_a_child and not self.parental_consent:
            return False
        return self.consent_scope in SCOPE_NEEDED[Audience(audience)]

    @property
    def site_id(self) -> int:
        return self.case_study.site_id  # type: ignore[attr-defined]


class Quote(ConsentedItem):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(max_length=2000)
    #: How the speaker is described: never a name unless the consent covers it ("A resident, aged 16").
    attribution = models.CharField(max_length=200)

    class Meta:
        ordering = ["case_study", "order", "id"]

    def __str__(self) -> str:
        return f"“{self.text[:60]}” — {self.attribution}"


def photo_path(instance: Photo, filename: str) -> str:
    return f"case-studies/{instance.case_study.site_id}/{instance.case_study_id}/{filename}"


class Photo(ConsentedItem):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path)
    alt_text = models.CharField(max_length=300, help_text="What the photo shows, for people who cannot see it.")
    caption = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["case_study", "order", "id"]

    def __str__(self) -> str:
        return self.caption or self.alt_text
