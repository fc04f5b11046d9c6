"""Newsletter services: sanitising, images, header injection, signed links, sending once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from c2hub.accounts.models import Role
from c2hub.newsletters import selectors, services
from c2hub.newsletters.models import BlockKind, Delivery, DeliveryStatus, SendStatus, Subscriber
from c2hub.wins.models import Win, WinKind
from tests.factories import PersonFactory, user_with_role
from tests.newsletters.conftest import png_upload

pytestmark = pytest.mark.django_db


# Rich text ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dirty",
    [
        "<p>Hi<script>alert('x')</script></p>",
        '<p><img src="x" onerror="alert(1)">Hi</p>',
        '<p><a href="javascript:alert(1)">Hi</a></p>',
        '<p onclick="alert(1)" style="color:red">Hi</p>',
        '<p>Hi<iframe src="https://evil.example"></iframe></p>',
    ],
)
def test_rich_text_keeps_no_script(dirty):
    clean = services.sanitise_rich_text(dirty)
    assert "Hi" in clean
    for bad in ("script", "onerror", "javascript:", "onclick", "style", "iframe", "<img", "alert"):
        assert bad not in clean


def test_rich_text_keeps_safe_tags_and_marks_links():
    clean = services.sanitise_rich_text(
        '<h3>News</h3><p><strong>Big</strong> <a href="https://example.org">day</a></p>'
    )
    assert "<h3>News</h3>" in clean and "<strong>Big</strong>" in clean
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_plain_text_becomes_paragraphs_and_is_escaped():
    assert services.sanitise_rich_text("Fish & chips\nat six\n\nAll welcome") == (
        "<p>Fish &amp; chips<br>at six</p><p>All welcome</p>"
    )


def test_a_text_block_is_stored_sanitised(site):
    issue = services.issue_create(actor=None, site=site, title="Spring")
    block = services.block_add(actor=None, issue=issue, kind=BlockKind.TEXT, body="<p>Hi</p><script>x()</script>")
    assert block.body == "<p>Hi</p>"


# Images ------------------------------------------------------------------------------------------------
def test_an_image_block_needs_alt_text(site):
    issue = services.issue_create(actor=None, site=site, title="Spring")
    with pytest.raises(ValidationError) as exc:
        services.block_add(actor=None, issue=issue, kind=BlockKind.IMAGE, image=png_upload())
    assert "alt_text" in exc.value.message_dict
    block = services.block_add(actor=None, issue=issue, kind=BlockKind.IMAGE, image=png_upload(), alt_text="A garden")
    assert block.image.name.endswith(".png")


def test_a_fake_image_is_refused(site):
    issue = services.issue_create(actor=None, site=site, title="Spring")
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.block_add(actor=None, issue=issue, kind=BlockKind.IMAGE, image=fake, alt_text="A garden")
    assert "JPEG, PNG" in exc.value.message_dict["image"][0]


def test_an_oversized_image_is_refused(site, monkeypatch):
    monkeypatch.setattr(services, "IMAGE_MAX_BYTES", 100)
    issue = services.issue_create(actor=None, site=site, title="Spring")
    with pytest.raises(ValidationError) as exc:
        services.block_add(
            actor=None, issue=issue, kind=BlockKind.IMAGE, image=png_upload(size=(200, 200)), alt_text="A garden"
        )
    assert "smaller than" in exc.value.message_dict["image"][0]


def test_an_image_with_too_many_pixels_is_refused(site, monkeypatch):
    monkeypatch.setattr(services, "IMAGE_MAX_PIXELS", 100)
    issue = services.issue_create(actor=None, site=site, title="Spring")
    with pytest.raises(ValidationError) as exc:
        services.block_add(
            actor=None, issue=issue, kind=BlockKind.IMAGE, image=png_upload(size=(20, 20)), alt_text="A garden"
        )
    assert "megapixels" in exc.value.message_dict["image"][0]


# Header injection ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("title", ["Spring\r\nBcc: everyone@example.org", "Spring\nnews", "Spring\rnews"])
def test_a_title_with_a_line_break_is_refused(site, title):
    with pytest.raises(ValidationError) as exc:
        services.issue_create(actor=None, site=site, title=title)
    assert "line breaks" in exc.value.message_dict["title"][0]


def test_a_subscriber_name_or_address_with_a_line_break_is_refused(site):
    with pytest.raises(ValidationError) as exc:
        services.subscribe_public(site=site, email="a@example.org", name="Ann\r\nBcc: x@example.org", consent=True)
    assert "line breaks" in exc.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as exc:
        services.subscribe_public(site=site, email="a@example.org\nBcc: x@example.org", consent=True)
    assert "email" in exc.value.message_dict
    assert not Subscriber.objects.exists()


# Subscribing --------------------------------------------------------------------------------------------
def test_public_subscription_needs_consent_and_records_its_wording(
    site, public_page, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as exc:
        services.subscribe_public(site=site, email="ann@example.org", consent=False)
    assert "consent" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = services.subscribe_public(site=site, email="ann@Example.ORG", consent=True)
    assert subscriber.email == "ann@example.org"
    assert subscriber.consent_wording == services.DEFAULT_CONSENT
    assert subscriber.confirmed_at is None and not subscriber.is_active
    assert len(mail.outbox) == 1 and "/confirm/" in mail.outbox[0].body


def test_subscribing_twice_makes_one_subscriber(site, public_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe_public(site=site, email="ann@example.org", consent=True)
        services.subscribe_public(site=site, email="ANN@example.org", consent=True)
    assert Subscriber.objects.filter(site=site).count() == 1


def test_the_confirmation_link_confirms(site, public_page):
    subscriber = services.subscribe_public(site=site, email="ann@example.org", consent=True)
    services.confirm_with_token(site=site, token=services.confirm_token(subscriber))
    subscriber.refresh_from_db()
    assert subscriber.is_active


def test_staff_must_say_how_consent_was_given(site, facilitator):
    with pytest.raises(ValidationError) as exc:
        services.subscriber_add(actor=facilitator, site=site, email="bob@example.org", consent_note=" ")
    assert "consent_note" in exc.value.message_dict
    subscriber = services.subscriber_add(
        actor=facilitator, site=site, email="bob@example.org", consent_note="Paper form"
    )
    assert subscriber.is_active and subscriber.added_by == facilitator


def test_consent_and_unsubscribing_are_in_the_audit_log(site, subscriber):
    from auditlog.models import LogEntry

    services.unsubscribe_with_token(site=site, token=services.unsubscribe_token(subscriber))
    entries = LogEntry.objects.get_for_object(subscriber)
    assert entries.count() == 2
    assert "unsubscribed_at" in entries.order_by("-timestamp").first().changes_dict


# Tokens ---------------------------------------------------------------------------------------------------
def test_a_forged_token_is_refused(site, subscriber):
    forged = signing.dumps(
        {"s": subscriber.pk, "e": subscriber.email}, salt=services.UNSUBSCRIBE_SALT, key="not-our-key"
    )
    with pytest.raises(services.BadToken):
        services.unsubscribe_with_token(site=site, token=forged)


def test_a_tampered_token_is_refused(site, subscriber):
    token = services.unsubscribe_token(subscriber)
    with pytest.raises(services.BadToken):
        services.unsubscribe_with_token(site=site, token=token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB"))
    with pytest.raises(services.BadToken):
        services.unsubscribe_with_token(site=site, token="garbage")


def test_a_token_for_another_salt_or_site_is_refused(site, other_site, subscriber):
    with pytest.raises(services.BadToken):
        services.unsubscribe_with_token(site=site, token=services.confirm_token(subscriber))
    with pytest.raises(services.BadToken):
        services.unsubscribe_with_token(site=other_site, token=services.unsubscribe_token(subscriber))


def test_an_expired_token_says_so(site, subscriber):
    token = services.unsubscribe_token(subscriber)
    later = timezone.now() + services.UNSUBSCRIBE_MAX_AGE + dt.timedelta(days=1)
    with time_machine.travel(later), pytest.raises(services.BadToken) as exc:
        services.unsubscribe_with_token(site=site, token=token)
    assert exc.value.expired


# Publishing -----------------------------------------------------------------------------------------------
def test_publishing_freezes_the_data_blocks(site, published, win):
    wins_block = [b for b in published.blocks.all() if b.kind == BlockKind.WINS][0]
    assert [i["title"] for i in wins_block.items] == ["Play area funded"]
    assert wins_block.items[0]["detail"] == "£25,000 from Southend Council"
    Win.objects.create(site=site, kind=WinKind.AWARD, title="Later award", won_on=timezone.localdate())
    content = selectors.issue_content(published)
    assert [i["title"] for i in content[1].items] == ["Play area funded"]
    with pytest.raises(ValidationError):
        services.block_add(actor=None, issue=published, kind=BlockKind.TEXT, body="Too late")


def test_an_empty_issue_cannot_be_published(site):
    issue = services.issue_create(actor=None, site=site, title="Empty")
    with pytest.raises(ValidationError):
        services.issue_publish(actor=None, issue=issue)


def test_a_residents_name_in_a_win_is_not_published(site, win):
    PersonFactory(programme=site.programme, name="Mavis Pennyworth", sites=[site])
    win.description = "Mavis Pennyworth cut the ribbon."
    win.save()
    issue = services.issue_create(actor=None, site=site, title="Spring")
    services.block_add(actor=None, issue=issue, kind=BlockKind.WINS)
    services.issue_publish(actor=None, issue=issue)
    text = str(issue.blocks.get().items)
    assert "Mavis" not in text and "Pennyworth" not in text and "a resident cut the ribbon" in text


def test_blocks_move_up_and_down(site):
    issue = services.issue_create(actor=None, site=site, title="Spring")
    first = services.block_add(actor=None, issue=issue, kind=BlockKind.TEXT, body="One")
    second = services.block_add(actor=None, issue=issue, kind=BlockKind.TEXT, body="Two")
    services.block_move(actor=None, block=second, up=True)
    assert [b.pk for b in selectors.blocks_of(issue)] == [second.pk, first.pk]
    services.block_move(actor=None, block=second, up=False)
    assert [b.pk for b in selectors.blocks_of(issue)] == [first.pk, second.pk]


def test_issues_are_numbered_per_site(site, other_site):
    assert services.issue_create(actor=None, site=site, title="A").number == 1
    assert services.issue_create(actor=None, site=site, title="B").number == 2
    assert services.issue_create(actor=None, site=other_site, title="C").number == 1


# Sending ----------------------------------------------------------------------------------------------------
def test_sending_reaches_confirmed_subscribers_once_with_a_working_unsubscribe_link(
    site, published, subscriber, client
):
    pending = services.subscribe_public(site=site, email="pending@example.org", consent=True)  # not confirmed
    mail.outbox.clear()
    assert services.issue_send_request(actor=None, issue=published) is True
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Southchurch newsletter 1: Spring news"
    assert "Play area funded" in message.body
    html = message.alternatives[0]
    assert html.mimetype == "text/html" and "Play area funded" in html.content
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body
    # A mail program reads the header as a plain URL, not as encoded words, however long it is.
    import email.policy

    raw = message.message(policy=email.policy.SMTP).as_string()
    assert f"List-Unsubscribe: <{url}>\r\n" in raw
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    published.refresh_from_db()
    assert published.send_status == SendStatus.SENT
    assert Delivery.objects.get().status == DeliveryStatus.SENT

    # Sending again sends nothing twice.
    with pytest.raises(ValidationError):
        services.issue_send_request(actor=None, issue=published)
    assert len(mail.outbox) == 1

    # The one-click unsubscribe (RFC 8058 POST) works without a CSRF token.
    path = url.removeprefix("http://127.0.0.1:8000")
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    assert pending.pk and not Delivery.objects.filter(subscriber=pending).exists()


def test_an_unsubscribed_subscriber_gets_nothing(site, published, subscriber):
    services.unsubscribe_with_token(site=site, token=services.unsubscribe_token(subscriber))
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.issue_send_request(actor=None, issue=published)
    assert mail.outbox == []


def test_a_new_subscriber_gets_a_sent_issue_when_it_is_sent_again(site, published, subscriber):
    services.issue_send_request(actor=None, issue=published)
    services.subscriber_add(actor=None, site=site, email="new@example.org", consent_note="At the hub")
    mail.outbox.clear()
    services.issue_send_request(actor=None, issue=published)
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_an_interrupted_send_resumes_without_sending_twice(site, published, subscriber):
    other = services.subscriber_add(actor=None, site=site, email="two@example.org", consent_note="At the hub")
    Delivery.objects.create(issue=published, subscriber=subscriber, status=DeliveryStatus.SENT, sent_at=timezone.now())
    Delivery.objects.create(issue=published, subscriber=other)
    mail.outbox.clear()
    services.issue_send_run(published.pk)
    assert [m.to for m in mail.outbox] == [["two@example.org"]]


def test_a_failed_e_mail_is_recorded_and_can_be_retried(site, published, subscriber, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def refuse(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    services.issue_send_request(actor=None, issue=published)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "mail server down" in delivery.error
    published.refresh_from_db()
    assert published.send_status == SendStatus.FAILED
    monkeypatch.setattr(EmailBackend, "send_messages", real)
    mail.outbox.clear()
    services.deliveries_retry(actor=None, issue=published)
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_long_list_is_sent_in_the_background(
    site, published, subscriber, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(services, "SEND_INLINE_MAX", 0)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.issue_send_request(actor=None, issue=published) is False
    assert len(mail.outbox) == 1
    published.refresh_from_db()
    assert published.send_status == SendStatus.SENT


def test_a_draft_cannot_be_sent(site, subscriber):
    issue = services.issue_create(actor=None, site=site, title="Draft")
    with pytest.raises(ValidationError):
        services.issue_send_request(actor=None, issue=issue)


def test_only_those_who_run_the_site_send(site, published):
    member = user_with_role(Role.PARTNERSHIP_MEMBER, site)
    with pytest.raises(PermissionDenied):
        services.issue_send_request(actor=member, issue=published)
    with pytest.raises(PermissionDenied):
        services.issue_publish(actor=member, issue=published)


def test_an_issue_dated_earlier_lists_only_what_had_happened_by_then(site, win):
    Win.objects.create(site=site, kind=WinKind.AWARD, title="Old award", won_on=dt.date(2014, 5, 1))
    issue = services.issue_create(actor=None, site=site, title="Summer 2014")
    services.block_add(actor=None, issue=issue, kind=BlockKind.WINS)
    when = timezone.make_aware(dt.datetime(2014, 7, 1, 12))
    services.issue_publish(actor=None, issue=issue, when=when)
    assert [i["title"] for i in issue.blocks.get().items] == ["Old award"]
    assert issue.published_at == when


def test_a_stalled_send_can_be_asked_for_again_and_resumes(site, published, subscriber):
    from c2hub.newsletters.models import NewsletterIssue

    other = services.subscriber_add(actor=None, site=site, email="two@example.org", consent_note="At the hub")
    Delivery.objects.create(issue=published, subscriber=subscriber, status=DeliveryStatus.SENT, sent_at=timezone.now())
    Delivery.objects.create(issue=published, subscriber=other)
    started = timezone.now() - dt.timedelta(minutes=5)
    NewsletterIssue.objects.filter(pk=published.pk).update(send_status=SendStatus.SENDING, send_requested_at=started)
    published.refresh_from_db()
    with pytest.raises(ValidationError):
        services.issue_send_request(actor=None, issue=published)
    NewsletterIssue.objects.filter(pk=published.pk).update(send_requested_at=started - services.SEND_STALLED_AFTER)
    published.refresh_from_db()
    mail.outbox.clear()
    services.issue_send_request(actor=None, issue=published)
    assert [m.to for m in mail.outbox] == [["two@example.org"]]
