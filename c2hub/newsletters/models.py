"""The newsletter and the public partnership page (steps 4–7: "clear communication channels to
the wider community").

A ``NewsletterIssue`` is composed from ordered ``Block``s — recent wins, upcoming events, "you
said, we did", group activities (filled from the site's records), free text and images. When it
is published, the data blocks' items are frozen (``Block.items``), so the web page, the A4 PDF and
the e-mail say what they said on the day, like published minutes. A ``Subscriber`` gave consent
(with the wording they saw); a ``Delivery`` is one e-mail of one issue to one subscriber, so a
send can be resumed and never sends twice. ``PublicPage`` is the site's opt-in to ``/p/<slug>/``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PublicPage(models.Model):
    """A site's public partnership page at ``/p/<slug>/``: off until the site's team turns it on."""

    site = models.OneToOneField("programmes.Site", on_delete=models.CASCADE, related_name="public_page")
    enabled = models.BooleanField(default=False)
    introduction = models.TextField(blank=True, help_text="A few words for the top of the page.")
    #: The consent wording shown beside the subscribe form (and recorded with each subscriber).
    consent_wording = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Public page of {self.site}"


class SubscriberSource(models.TextChoices):
    PUBLIC_FORM = "public_form", "Subscribed on the public page"
    STAFF = "staff", "Added by the site's team, with consent recorded"


class Subscriber(models.Model):
    """Someone who asked for the newsletter by e-mail. Never shown to commissioners or researchers;
    never on a public page. Unsubscribing keeps the row (with ``unsubscribed_at``) as the record."""

    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=12, choices=SubscriberSource.choices)
    consent_given_at = models.DateTimeField()
    #: The wording the subscriber saw and agreed to, word for word.
    consent_wording = models.TextField()
    #: How a member of staff recorded consent given on paper, by phone or in person.
    consent_note = models.CharField(max_length=300, blank=True)
    #: When the subscriber confirmed the address (the link in the e-mail the public form sends);
    #: staff-added subscribers are confirmed when added. Only confirmed subscribers are sent issues.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "email"]
        constraints = [models.UniqueConstraint(fields=["site", "email"], name="subscriber_once_per_site")]

    def __str__(self) -> str:
        return f"Subscriber {self.pk} of {self.site}"

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None and self.confirmed_at is not None


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class SendStatus(models.TextChoices):
    NOT_SENT = "", "Not sent"
    QUEUED = "queued", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Some e-mails could not be sent"


class NewsletterIssue(models.Model):
    """One issue of a site's newsletter, numbered 1, 2, 3… within the site."""

    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="newsletter_issues")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    send_status = models.CharField(max_length=10, choices=SendStatus.choices, blank=True, default="")
    send_requested_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "-number"]
        constraints = [models.UniqueConstraint(fields=["site", "number"], name="newsletter_number_once")]
        indexes = [models.Index(fields=["site", "status", "number"])]

    def __str__(self) -> str:
        return f"Newsletter {self.number}: {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == IssueStatus.PUBLISHED


class BlockKind(models.TextChoices):
    WINS = "wins", "Recent wins"
    EVENTS = "events", "Upcoming events"
    YOU_SAID = "you_said", "You said, we did"
    GROUPS = "groups", "Group activities"
    TEXT = "text", "Free text"
    IMAGE = "image", "Image"


#: Blocks filled from the site's records (frozen into ``Block.items`` at publication).
DATA_KINDS = frozenset({BlockKind.WINS, BlockKind.EVENTS, BlockKind.YOU_SAID, BlockKind.GROUPS})


def block_image_path(instance: Block, filename: str) -> str:
    return f"newsletters/{instance.issue.site_id}/{instance.issue_id}/{filename}"


class Block(models.Model):
    """A part of an issue, in ``order``. ``body`` is rich text already sanitised (a small set of
    safe tags); an image block has an image (checked by reading it) and its alt text."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="blocks")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=BlockKind.choices)
    heading = models.CharField(max_length=150, blank=True)
    body = models.TextField(blank=True, help_text="Sanitised HTML.")
    image = models.FileField(upload_to=block_image_path, blank=True)
    alt_text = models.CharField(max_length=300, blank=True)
    #: Data blocks: how many records, and (wins) from which date.
    item_limit = models.PositiveSmallIntegerField(default=5)
    since = models.DateField(null=True, blank=True)
    #: Data blocks of a published issue: the records as they were at publication (public fields only).
    items = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["issue", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.issue}"

    @property
    def is_data(self) -> bool:
        return self.kind in DATA_KINDS


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One e-mail of one issue to one subscriber: made before sending, marked as it goes, so a
    send interrupted half-way resumes where it stopped and nobody gets the issue twice."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["issue", "id"]
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once")]

    def __str__(self) -> str:
        return f"{self.issue} to subscriber {self.subscriber_id}: {self.status}"
