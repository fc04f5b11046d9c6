"""Every write to newsletters, subscribers, deliveries and the public page.

Each function takes keyword-only arguments, checks the actor's permission on the site
(``newsletters.change_newsletters`` to compose, ``newsletters.send_newsletters`` to publish, send
and switch the public page on; ``actor=None`` is the system: the public forms, the worker, the
demo), validates (all errors at once, by field), saves in one transaction attributed to the actor
in the audit log, and marks the site as active.

Safety: rich text is sanitised with nh3 to a small set of tags; images are read with Pillow (type,
size, pixels); a subject or a name with a line break is refused (e-mail header injection);
unsubscribe and confirmation links carry a signed token, and a forged, tampered or expired one is
a ``BadToken`` the page explains.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from typing import Any

import nh3
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require, signed_in_user
from c2hub.newsletters import selectors
from c2hub.newsletters.models import (
    DATA_KINDS,
    Block,
    BlockKind,
    Delivery,
    DeliveryStatus,
    IssueStatus,
    NewsletterIssue,
    PublicPage,
    SendStatus,
    Subscriber,
    SubscriberSource,
)
from c2hub.programmes import services as programme_services
from c2hub.programmes.models import Evidence, EvidenceKind, Site, StepCriterion
from c2hub.programmes.services import _touch

logger = logging.getLogger(__name__)

CHANGE, SEND = "newsletters.change_newsletters", "newsletters.send_newsletters"

#: The tags and attributes rich text may keep; everything else is removed (scripts with their content).
ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
BODY_MAX_LENGTH = 20_000
#: Images: the largest file, the most pixels (a "decompression bomb" guard), and the types.
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ITEM_LIMIT_MAX = 20
#: Up to this many e-mails are sent while the page waits; more go to the background worker.
SEND_INLINE_MAX: int = getattr(settings, "NEWSLETTER_SEND_INLINE_MAX", 50)
#: A send that has not finished after this long may be asked for again: it resumes with the e-mails
#: still waiting (each is claimed before it goes, so a second run never sends one twice).
SEND_STALLED_AFTER = dt.timedelta(minutes=30)
#: How long an unsubscribe link works (old issues stay in people's inboxes), and a confirmation link.
UNSUBSCRIBE_MAX_AGE = dt.timedelta(days=400)
CONFIRM_MAX_AGE = dt.timedelta(days=7)
UNSUBSCRIBE_SALT = "c2hub.newsletters.unsubscribe"
CONFIRM_SALT = "c2hub.newsletters.confirm"

DEFAULT_CONSENT = (
    "I would like to receive the partnership's newsletter by e-mail. The partnership keeps my "
    "e-mail address (and my name, if I give it) only to send the newsletter, never shares it, and "
    "every newsletter has a link to unsubscribe at once."
)
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]")


class BadToken(Exception):
    """An unsubscribe or confirmation link that is forged, tampered with, expired or for nobody."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _first_errors(exc: ValidationError) -> dict[str, str]:
    return {k: v[0] for k, v in exc.message_dict.items()}


# Safety ----------------------------------------------------------------------------------------------
def sanitise_rich_text(text: str) -> str:
    """Plain text becomes paragraphs; HTML keeps only ``ALLOWED_TAGS`` (no scripts, no event
    handlers, no ``javascript:`` links), and links get rel="noopener noreferrer nofollow"."""
    text = (text or "").strip()
    if not text:
        return ""
    if "<" not in text:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def check_header_safe(value: str, field: str, what: str) -> None:
    """A value that goes into an e-mail header (a subject, a name) must be one line."""
    if _LINE_BREAK.search(value or ""):
        raise ValidationError({field: f"{what} cannot contain line breaks: it goes into the e-mail's header."})


def check_image(image: UploadedFile) -> None:
    """An image of an accepted type, size and number of pixels, checked by reading it (not its name)."""
    from PIL import Image, UnidentifiedImageError

    if image.size is not None and image.size > IMAGE_MAX_BYTES:
        raise ValidationError({"image": f"The image must be smaller than {IMAGE_MAX_BYTES // (1024 * 1024)} MB."})
    message = "The image must be a JPEG, PNG, WebP or GIF picture."
    try:
        image.seek(0)
        with Image.open(image) as opened:
            image_format = opened.format
            width, height = opened.size
            opened.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"image": message}) from None
    finally:
        image.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError({"image": message})
    if width * height > IMAGE_MAX_PIXELS:
        raise ValidationError({"image": "The image is too large: make it smaller than 40 megapixels."})


# The public page -----------------------------------------------------------------------------------
def consent_wording(site: Site) -> str:
    page = selectors.public_page_of(site)
    return (page.consent_wording.strip() if page else "") or DEFAULT_CONSENT


def public_page_set(
    *, actor: Any, site: Site, enabled: bool, introduction: str = "", consent_wording: str = ""
) -> PublicPage:
    """Turn the site's public page on or off, with its introduction and the consent wording."""
    require(actor, SEND, site)
    with transaction.atomic(), acting_as(actor):
        page, _ = PublicPage.objects.get_or_create(site=site)
        page.enabled = bool(enabled)
        page.introduction = (introduction or "").strip()[:5000]
        page.consent_wording = (consent_wording or "").strip()[:2000]
        page.updated_at = timezone.now()
        page.save()
        _touch(site)
    return page


# Issues ------------------------------------------------------------------------------------------
def _clean_title(title: str) -> str:
    check_header_safe(title or "", "title", "The title")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the newsletter's title."})
    if len(title) > 150:
        raise ValidationError({"title": "The title must be 150 characters or fewer."})
    return title


def _draft(issue: NewsletterIssue) -> None:
    if issue.is_published:
        raise ValidationError("This newsletter is published: its content is frozen.")


def issue_create(*, actor: Any, site: Site, title: str) -> NewsletterIssue:
    """A new draft issue, numbered after the site's last one."""
    require(actor, CHANGE, site)
    title = _clean_title(title)
    with transaction.atomic(), acting_as(actor):
        # Lock the site's row so that two issues started at once do not take the same number.
        Site.objects.select_for_update().filter(pk=site.pk).first()
        last = NewsletterIssue.objects.filter(site=site).aggregate(n=Max("number"))["n"] or 0
        issue = NewsletterIssue.objects.create(
            site=site, number=last + 1, title=title, created_by=signed_in_user(actor)
        )
        _touch(site)
    return issue


def issue_rename(*, actor: Any, issue: NewsletterIssue, title: str) -> NewsletterIssue:
    require(actor, CHANGE, issue.site)
    _draft(issue)
    issue.title = _clean_title(title)
    with transaction.atomic(), acting_as(actor):
        issue.save(update_fields=["title"])
        _touch(issue.site)
    return issue


def issue_delete(*, actor: Any, issue: NewsletterIssue) -> None:
    """Delete a draft (a published issue is part of the record and stays)."""
    require(actor, CHANGE, issue.site)
    _draft(issue)
    with transaction.atomic(), acting_as(actor):
        for block in issue.blocks.exclude(image=""):
            block.image.delete(save=False)
        issue.delete()


def issue_publish(*, actor: Any, issue: NewsletterIssue, when: dt.datetime | None = None) -> NewsletterIssue:
    """Publish: freeze the data blocks' items as they are now and date the issue. From then on the
    web page, the PDF and the e-mail all show that frozen content. ``when`` (the demo's history)
    dates it earlier and leaves out wins and groups that came after."""
    require(actor, SEND, issue.site)
    _draft(issue)
    blocks = selectors.blocks_of(issue)
    if not blocks:
        raise ValidationError({"blocks": "Add at least one block before publishing."})
    from c2hub.actions.selectors import name_guard

    guard = name_guard(issue.site)
    with transaction.atomic(), acting_as(actor):
        for block in blocks:
            if block.kind in DATA_KINDS:
                block.items = selectors.live_items(
                    issue.site, block, guard, as_of=timezone.localdate(when) if when else None
                )
                block.save(update_fields=["items"])
        issue.status = IssueStatus.PUBLISHED
        issue.published_at = when or timezone.now()
        issue.save(update_fields=["status", "published_at"])
        _touch(issue.site)
    return issue


# Blocks -------------------------------------------------------------------------------------------
def _validate_block(block: Block, *, image: UploadedFile | None, errors: dict[str, str]) -> None:
    block.heading = (block.heading or "").strip()
    block.alt_text = (block.alt_text or "").strip()
    if len(block.heading) > 150:
        errors["heading"] = "The heading must be 150 characters or fewer."
    if len(block.body or "") > BODY_MAX_LENGTH:
        errors["body"] = f"The text must be {BODY_MAX_LENGTH:,} characters or fewer."
    else:
        block.body = sanitise_rich_text(block.body)
    if block.kind == BlockKind.TEXT and not block.body:
        errors["body"] = "Write the text of this block."
    if block.kind == BlockKind.IMAGE:
        if image is None and not block.image:
            errors["image"] = "Choose an image."
        elif image is not None:
            try:
                check_image(image)
            except ValidationError as exc:
                errors.update(_first_errors(exc))
        if not block.alt_text:
            errors["alt_text"] = "Describe the image for people who cannot see it (its alt text)."
        elif len(block.alt_text) > 300:
            errors["alt_text"] = "The alt text must be 300 characters or fewer."
    if block.kind in DATA_KINDS and not 1 <= (block.item_limit or 0) <= ITEM_LIMIT_MAX:
        errors["item_limit"] = f"Show between 1 and {ITEM_LIMIT_MAX} items."
    _raise_if(errors)


def block_add(
    *,
    actor: Any,
    issue: NewsletterIssue,
    kind: str,
    heading: str = "",
    body: str = "",
    image: UploadedFile | None = None,
    alt_text: str = "",
    item_limit: int = 5,
    since: dt.date | None = None,
) -> Block:
    """Add a block at the end of a draft issue."""
    require(actor, CHANGE, issue.site)
    _draft(issue)
    errors: dict[str, str] = {}
    if kind not in BlockKind.values:
        raise ValidationError({"kind": "Choose what kind of block to add."})
    block = Block(
        issue=issue,
        kind=kind,
        heading=heading or ("" if kind in (BlockKind.TEXT, BlockKind.IMAGE) else BlockKind(kind).label),
        body=body or "",
        alt_text=alt_text or "",
        item_limit=item_limit,
        since=since if kind == BlockKind.WINS else None,
    )
    _validate_block(block, image=image, errors=errors)
    with transaction.atomic(), acting_as(actor):
        block.order = (issue.blocks.aggregate(n=Max("order"))["n"] or 0) + 1
        if image is not None:
            block.image = image
        block.save()
        _touch(issue.site)
    return block


def block_update(
    *,
    actor: Any,
    block: Block,
    heading: str,
    body: str = "",
    image: UploadedFile | None = None,
    alt_text: str = "",
    item_limit: int | None = None,
    since: dt.date | None = None,
) -> Block:
    require(actor, CHANGE, block.issue.site)
    _draft(block.issue)
    block.heading = heading
    block.body = body
    block.alt_text = alt_text
    if item_limit is not None:
        block.item_limit = item_limit
    block.since = since if block.kind == BlockKind.WINS else None
    old_image = block.image.name if block.image else ""
    _validate_block(block, image=image, errors={})
    with transaction.atomic(), acting_as(actor):
        if image is not None:
            if old_image:
                block.image.storage.delete(old_image)
            block.image = image
        block.save()
        _touch(block.issue.site)
    return block


def block_move(*, actor: Any, block: Block, up: bool) -> None:
    """Swap a block with the one before (``up``) or after it."""
    require(actor, CHANGE, block.issue.site)
    _draft(block.issue)
    blocks = selectors.blocks_of(block.issue)
    index = next(i for i, b in enumerate(blocks) if b.pk == block.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(blocks):
        return
    blocks[index], blocks[other] = blocks[other], blocks[index]
    with transaction.atomic(), acting_as(actor):
        for position, b in enumerate(blocks, start=1):
            if b.order != position:
                b.order = position
                b.save(update_fields=["order"])
        _touch(block.issue.site)


def block_remove(*, actor: Any, block: Block) -> None:
    require(actor, CHANGE, block.issue.site)
    _draft(block.issue)
    with transaction.atomic(), acting_as(actor):
        if block.image:
            block.image.delete(save=False)
        block.delete()


# Subscribers ---------------------------------------------------------------------------------------
def _clean_address(email: str, name: str) -> tuple[str, str]:
    errors: dict[str, str] = {}
    email = (email or "").strip()
    try:
        check_header_safe(email, "email", "An e-mail address")
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter an e-mail address in the right format, like name@example.org."
    try:
        check_header_safe(name or "", "name", "A name")
    except ValidationError as exc:
        errors.update(_first_errors(exc))
    name = (name or "").strip()
    if len(name) > 120:
        errors["name"] = "The name must be 120 characters or fewer."
    _raise_if(errors)
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}", name


def _existing(site: Site, email: str) -> Subscriber | None:
    return Subscriber.objects.filter(site=site, email__iexact=email).first()


def subscriber_add(
    *, actor: Any, site: Site, email: str, name: str = "", consent_note: str, consent_given_on: dt.date | None = None
) -> Subscriber:
    """The site's team adds someone who gave consent on paper, by phone or in person, saying how.
    They are confirmed at once; someone who had unsubscribed is subscribed again."""
    require(actor, CHANGE, site)
    errors: dict[str, str] = {}
    try:
        email, name = _clean_address(email, name)
    except ValidationError as exc:
        errors.update(_first_errors(exc))
    consent_note = (consent_note or "").strip()
    if not consent_note:
        errors["consent_note"] = "Say how and when they gave consent (for example, the sign-up sheet at the hub)."
    if consent_given_on is not None and consent_given_on > timezone.localdate():
        errors["consent_given_on"] = "Consent cannot be given in the future."
    _raise_if(errors)
    now = timezone.now()
    given = (
        timezone.make_aware(dt.datetime.combine(consent_given_on, dt.time(12))) if consent_given_on is not None else now
    )
    with transaction.atomic(), acting_as(actor):
        subscriber = _existing(site, email) or Subscriber(site=site, email=email)
        if subscriber.pk and subscriber.is_active:
            raise ValidationError({"email": "This address is already subscribed."})
        subscriber.name = name
        subscriber.source = SubscriberSource.STAFF
        subscriber.consent_given_at = given
        subscriber.consent_wording = consent_wording(site)
        subscriber.consent_note = consent_note[:300]
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = None
        subscriber.added_by = signed_in_user(actor)
        subscriber.save()
        _touch(site)
    return subscriber


def subscriber_remove(*, actor: Any, subscriber: Subscriber) -> Subscriber:
    """The team records that someone asked to stop (the row stays, dated, as the record)."""
    require(actor, CHANGE, subscriber.site)
    return _unsubscribe(subscriber, actor=actor)


def subscribe_public(*, site: Site, email: str, name: str = "", consent: bool) -> Subscriber:
    """The public form: record consent with the wording shown, and send a confirmation link.
    Sending the form twice makes one subscriber (and sends the link again); someone already
    subscribed is left as they are (the page says the same to everyone, revealing nobody)."""
    errors: dict[str, str] = {}
    try:
        email, name = _clean_address(email, name)
    except ValidationError as exc:
        errors.update(_first_errors(exc))
    if not consent:
        errors["consent"] = "Tick the box to say you agree, so that we may send you the newsletter."
    _raise_if(errors)
    now = timezone.now()
    with transaction.atomic():
        subscriber = _existing(site, email)
        if subscriber is not None and subscriber.is_active:
            return subscriber
        if subscriber is None:
            subscriber = Subscriber(site=site, email=email)
        subscriber.name = name or subscriber.name
        subscriber.source = SubscriberSource.PUBLIC_FORM
        subscriber.consent_given_at = now
        subscriber.consent_wording = consent_wording(site)
        subscriber.consent_note = ""
        subscriber.confirmed_at = None
        subscriber.unsubscribed_at = None
        subscriber.save()
        subscriber_pk = subscriber.pk
        transaction.on_commit(lambda: _send_confirmation(subscriber_pk))
    return subscriber


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email.lower()}, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email.lower()}, salt=UNSUBSCRIBE_SALT, compress=True)


def _subscriber_from_token(site: Site, token: str, *, salt: str, max_age: dt.timedelta) -> Subscriber:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise BadToken("This link has expired.", expired=True) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        raise BadToken("This link is not valid: it may have been copied wrongly.") from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("e"), str):
        raise BadToken("This link is not valid: it may have been copied wrongly.")
    subscriber = Subscriber.objects.filter(site=site, pk=data["s"]).first()
    if subscriber is None or subscriber.email.lower() != data["e"]:
        raise BadToken("This link is not valid: it may have been copied wrongly.")
    return subscriber


def subscriber_for_unsubscribe(site: Site, token: str) -> Subscriber:
    """The subscriber an unsubscribe link is for, or ``BadToken``."""
    return _subscriber_from_token(site, token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)


def subscriber_for_confirm(site: Site, token: str) -> Subscriber:
    """The subscriber a confirmation link is for, or ``BadToken``."""
    return _subscriber_from_token(site, token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def _unsubscribe(subscriber: Subscriber, *, actor: Any = None) -> Subscriber:
    if subscriber.unsubscribed_at is not None:
        return subscriber
    with transaction.atomic(), acting_as(actor):
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
        Delivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.PENDING).delete()
    return subscriber


def unsubscribe_with_token(*, site: Site, token: str) -> Subscriber:
    """One-click unsubscribe (the link in each e-mail, and RFC 8058's List-Unsubscribe-Post)."""
    return _unsubscribe(subscriber_for_unsubscribe(site, token))


def confirm_with_token(*, site: Site, token: str) -> Subscriber:
    """The subscriber follows the link in the confirmation e-mail: from now on they are sent issues."""
    subscriber = subscriber_for_confirm(site, token)
    if subscriber.unsubscribed_at is not None:
        raise BadToken("This address has unsubscribed since: subscribe again on the partnership's page.")
    if subscriber.confirmed_at is None:
        with transaction.atomic():
            subscriber.confirmed_at = timezone.now()
            subscriber.save(update_fields=["confirmed_at"])
    return subscriber


# Sending -------------------------------------------------------------------------------------------
def _absolute(path: str) -> str:
    return f"{settings.C2HUB_BASE_URL}{path}"


def _send_confirmation(subscriber_pk: int) -> None:
    from django.core.mail import EmailMultiAlternatives
    from django.urls import reverse

    from c2hub.newsletters.emails import confirmation_message

    subscriber = Subscriber.objects.select_related("site").filter(pk=subscriber_pk).first()
    if subscriber is None or subscriber.confirmed_at is not None:
        return
    link = _absolute(reverse("public_confirm", args=[subscriber.site.slug, confirm_token(subscriber)]))
    message: EmailMultiAlternatives = confirmation_message(subscriber, link)
    try:
        message.send()
    except Exception:  # a mail server that is down must not lose the subscription: they can ask again
        logger.exception("Could not send the newsletter confirmation e-mail to subscriber %s", subscriber_pk)


def _recipients(issue: NewsletterIssue) -> Iterable[Subscriber]:
    return Subscriber.objects.filter(site=issue.site, unsubscribed_at__isnull=True, confirmed_at__isnull=False).exclude(
        deliveries__issue=issue
    )


def issue_send_request(*, actor: Any, issue: NewsletterIssue) -> bool:
    """Send a published issue to every confirmed subscriber who has not unsubscribed and has not
    had it yet. Small lists are sent now (answers True); larger ones are queued for the background
    worker (answers False; the page shows the progress). Sending again only reaches new subscribers,
    and resumes a send that stalled (a worker stopped half-way) with the e-mails still waiting."""
    require(actor, SEND, issue.site)
    check_header_safe(issue.title, "title", "The title")
    if not issue.is_published:
        raise ValidationError("Publish the newsletter before sending it.")
    if (
        issue.send_status in (SendStatus.QUEUED, SendStatus.SENDING)
        and issue.send_requested_at is not None
        and timezone.now() - issue.send_requested_at < SEND_STALLED_AFTER
    ):
        raise ValidationError("This newsletter is being sent already: wait for it to finish.")
    with transaction.atomic(), acting_as(actor):
        new = [Delivery(issue=issue, subscriber=s) for s in _recipients(issue)]
        Delivery.objects.bulk_create(new, ignore_conflicts=True)
        waiting = Delivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING).count()
        if not waiting:
            raise ValidationError(
                "Everyone subscribed has had this newsletter already: there is nobody new to send it to."
            )
        issue.send_status = SendStatus.QUEUED
        issue.send_requested_at = timezone.now()
        issue.save(update_fields=["send_status", "send_requested_at"])
        _touch(issue.site)
        issue_id = issue.pk
        if waiting > SEND_INLINE_MAX:

            def _enqueue() -> None:
                from c2hub.newsletters.tasks import send_issue_in_background

                send_issue_in_background.enqueue(issue_id)

            transaction.on_commit(_enqueue)
            return False
    issue_send_run(issue_id)
    issue.refresh_from_db()
    return True


def issue_send_run(issue_id: int) -> str:
    """Send the issue's waiting deliveries, one e-mail each, marking each as it goes. Each is
    claimed (waiting → being sent) before its e-mail goes, so two workers never send the same one,
    and a send interrupted half-way resumes with the rest."""
    from django.core.mail import mailers

    from c2hub.newsletters.emails import issue_message

    issue = NewsletterIssue.objects.select_related("site").filter(pk=issue_id).first()
    if issue is None:
        return "no such issue"
    NewsletterIssue.objects.filter(pk=issue_id).update(send_status=SendStatus.SENDING)
    content = selectors.issue_content(issue)
    pending = list(
        Delivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING).select_related("subscriber").order_by("id")
    )
    with mailers.default as connection:
        for delivery in pending:
            claimed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.SENDING
            )
            if not claimed:
                continue
            subscriber = delivery.subscriber
            if not subscriber.is_active:
                Delivery.objects.filter(pk=delivery.pk).delete()
                continue
            try:
                message = issue_message(issue, content, subscriber, unsubscribe_token(subscriber))
                connection.send_messages([message])
            except Exception as exc:  # one bad address or a refused message must not stop the rest
                logger.warning("Newsletter %s to subscriber %s failed: %s", issue.pk, subscriber.pk, exc)
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:300]
                )
            else:
                Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    progress = selectors.send_progress(issue)
    status = SendStatus.FAILED if progress.failed else SendStatus.SENT
    NewsletterIssue.objects.filter(pk=issue_id).update(send_status=status, sent_at=timezone.now())
    return f"{progress.sent} sent, {progress.failed} failed"


def deliveries_retry(*, actor: Any, issue: NewsletterIssue) -> bool:
    """Try the failed e-mails of an issue again."""
    require(actor, SEND, issue.site)
    with transaction.atomic(), acting_as(actor):
        Delivery.objects.filter(issue=issue, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, error=""
        )
        issue.send_status = SendStatus.NOT_SENT
        issue.save(update_fields=["send_status"])
    return issue_send_request(actor=actor, issue=issue)


# Evidence in one click -------------------------------------------------------------------------------
def issue_attach_evidence(*, actor: Any, issue: NewsletterIssue, criterion: StepCriterion) -> Evidence:
    """Attach a published newsletter as evidence (kind record) for one of its site's criteria."""
    if not issue.is_published:
        raise ValidationError({"criterion": "Publish the newsletter before using it as evidence."})
    if Evidence.objects.filter(
        site=issue.site,
        criterion=criterion,
        record_type__app_label="newsletters",
        record_type__model="newsletterissue",
        record_id=issue.pk,
    ).exists():
        raise ValidationError({"criterion": "This newsletter is already evidence for that criterion."})
    return programme_services.evidence_add(
        actor=actor,
        site=issue.site,
        criterion=criterion,
        kind=EvidenceKind.RECORD,
        summary=f"Newsletter {issue.number}: {issue.title}"[:300],
        record=issue,
        occurred_on=selectors.issue_published_on(issue),
    )
