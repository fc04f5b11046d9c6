"""The public partnership page and newsletters: no login, nobody's personal details, a subscribe
form that is not doubled and resists robots, and links that fail with a clear page, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from c2hub.accounts.models import Role
from c2hub.events import services as event_services
from c2hub.events.models import EventKind
from c2hub.newsletters import services, views
from c2hub.newsletters.models import BlockKind, Subscriber
from c2hub.people.models import GroupKind
from tests.factories import GroupFactory, PersonFactory, user_with_role
from tests.newsletters.conftest import png_upload

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Mavis Pennyworth", "mavis.pennyworth@example.net", "01702 123456"


@pytest.fixture
def partnership(site):
    return GroupFactory(
        site=site,
        kind=GroupKind.CONSTITUTED_PARTNERSHIP,
        name="Southchurch Together",
        purpose="Residents and agencies improving Southchurch as equals.",
        hub_address="The Hub, 1 Church Road, Southend SS1 2AB",
        opening_times="Monday to Friday, 10am to 4pm",
    )


@pytest.fixture
def everything(site, public_page, partnership, published, win):
    """A site whose records mention a resident by name, with a subscriber and a planned event."""
    resident = PersonFactory(programme=site.programme, name=NAME, email=EMAIL, phone=PHONE, sites=[site])
    win.description = f"{NAME} cut the ribbon."
    win.save()
    event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.CELEBRATION,
        title=f"Tea with {NAME}",
        description=f"Call {NAME} on {PHONE}",
        starts_at=timezone.now() + dt.timedelta(days=10),
        organisers=[resident],
    )
    issue = services.issue_create(actor=None, site=site, title="Summer")
    services.block_add(actor=None, issue=issue, kind=BlockKind.WINS)
    services.block_add(actor=None, issue=issue, kind=BlockKind.EVENTS)
    services.block_add(actor=None, issue=issue, kind=BlockKind.GROUPS)
    services.block_add(actor=None, issue=issue, kind=BlockKind.YOU_SAID)
    services.issue_publish(actor=None, issue=issue)
    services.subscriber_add(
        actor=None, site=site, email="secret.reader@example.org", name="Secret Reader", consent_note="Hub sheet"
    )
    return issue


def _public_urls(site, issue) -> list[str]:
    return [
        reverse("public_page", args=[site.slug]),
        reverse("public_newsletters", args=[site.slug]),
        reverse("public_newsletter", args=[site.slug, issue.number]),
    ]


def test_the_public_page_shows_who_we_are_without_a_login(client, site, everything):
    response = client.get(reverse("public_page", args=[site.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "Southchurch Together",
        "Residents and agencies improving Southchurch",
        "1 Church Road",
        "Monday to Friday, 10am to 4pm",
        "Tea with a resident",
        "Play area funded",
        "Newsletter 2: Summer",
        "Subscribe",
        "only to send the newsletter, never shares it",  # the consent wording
    ):
        assert expected in text, expected


def test_no_residents_personal_details_appear_anywhere_public(client, site, everything):
    for url in _public_urls(site, everything):
        text = client.get(url).content.decode()
        for secret in ("Mavis", "Pennyworth", EMAIL, PHONE, "secret.reader@example.org", "Secret Reader"):
            assert secret not in text, (url, secret)


def test_the_pdf_is_an_a4_pdf(client, site, everything):
    response = client.get(reverse("public_newsletter", args=[site.slug, everything.number]) + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from c2hub.newsletters.documents import render_document

    page = render_document(everything).pages[0]
    assert (round(page.width / 96 * 25.4), round(page.height / 96 * 25.4)) == (210, 297)  # A4, in mm


def test_latest_goes_to_the_newest_published_issue(client, site, everything):
    services.issue_create(actor=None, site=site, title="Unpublished draft")
    response = client.get(f"/p/{site.slug}/newsletters/latest")
    assert response.status_code == 302
    assert response["Location"] == reverse("public_newsletter", args=[site.slug, everything.number])
    response = client.get(f"/p/{site.slug}/newsletters/latest?format=pdf")
    assert response["Location"].endswith("?format=pdf")


def test_drafts_and_their_images_are_not_public(client, site, public_page):
    draft = services.issue_create(actor=None, site=site, title="Draft")
    block = services.block_add(actor=None, issue=draft, kind=BlockKind.IMAGE, image=png_upload(), alt_text="A garden")
    assert client.get(reverse("public_newsletter", args=[site.slug, draft.number])).status_code == 404
    assert client.get(reverse("public_newsletter_image", args=[site.slug, draft.number, block.pk])).status_code == 404
    services.issue_publish(actor=None, issue=draft)
    response = client.get(reverse("public_newsletter_image", args=[site.slug, draft.number, block.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    html = client.get(reverse("public_newsletter", args=[site.slug, draft.number])).content.decode()
    assert 'alt="A garden"' in html


def test_a_page_that_is_off_or_unknown_is_not_found(client, site, published):
    services.public_page_set(actor=None, site=site, enabled=False)
    for url in _public_urls(site, published) + ["/p/nowhere/", f"/p/{site.slug}/newsletters/latest"]:
        assert client.get(url).status_code == 404, url


def test_a_facilitator_without_two_factor_can_still_read_public_pages(client, site, public_page):
    client.force_login(user_with_role(Role.FACILITATOR, site, totp=False))
    assert client.get(reverse("public_page", args=[site.slug])).status_code == 200


# The subscribe form ------------------------------------------------------------------------------------
def _subscribe(client, site, **data):
    form = {"email": "ann@example.org", "name": "", "consent": "on", "website": "", **data}
    return client.post(reverse("public_page", args=[site.slug]), form)


def test_subscribing_twice_makes_one_subscriber_and_confirms_by_e_mail(
    client, site, public_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _subscribe(client, site).status_code == 302
        assert _subscribe(client, site, email="ANN@example.org").status_code == 302
    assert Subscriber.objects.filter(site=site).count() == 1
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/confirm/" in line)
    path = link.strip().removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    assert Subscriber.objects.get().is_active


def test_subscribing_without_consent_says_what_to_do(client, site, public_page):
    response = _subscribe(client, site, consent="")
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    response = _subscribe(client, site, email="not an address")
    assert response.status_code == 400 and "right format" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_name_with_a_line_break_is_refused_clearly(client, site, public_page):
    response = _subscribe(client, site, name="Ann\r\nBcc: all@example.org")
    assert response.status_code == 400
    assert "cannot contain line breaks" in response.content.decode()


def test_the_honeypot_stores_nothing(client, site, public_page):
    assert _subscribe(client, site, website="http://spam.example").status_code == 302
    assert not Subscriber.objects.exists()


def test_many_sign_ups_from_one_address_are_slowed_down(client, site, public_page, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(views, "PUBLIC_RATE_LIMIT", (2, 600))
    assert _subscribe(client, site, email="a1@example.org").status_code == 302
    assert _subscribe(client, site, email="a2@example.org").status_code == 302
    response = _subscribe(client, site, email="a3@example.org")
    assert response.status_code == 429
    assert "try again in 10 minutes" in response.content.decode()
    assert Subscriber.objects.count() == 2
    cache.clear()


# Links in e-mails ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("token", ["garbage", "a" * 300, "eyJzIjoxfQ:forged:signature", "%00"])
def test_a_bad_unsubscribe_link_is_a_clear_page(client, site, subscriber, token):
    for method in ("get", "post"):
        response = getattr(client, method)(f"/p/{site.slug}/unsubscribe/{token}/")
        assert response.status_code in (400, 404)
        if response.status_code == 400:
            assert "This link does not work" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None


def test_an_expired_confirmation_link_says_so(client, site, public_page):
    subscriber = services.subscribe_public(site=site, email="ann@example.org", consent=True)
    path = reverse("public_confirm", args=[site.slug, services.confirm_token(subscriber)])
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        response = client.post(path)
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_unsubscribing_works_after_the_public_page_is_turned_off(client, site, subscriber):
    path = reverse("public_unsubscribe", args=[site.slug, services.unsubscribe_token(subscriber)])
    assert client.get(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None  # a link checker's GET changes nothing
    response = client.post(path)
    assert response.status_code == 200 and "You have unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


def test_who_we_are_is_the_newest_constituted_partnership(site):
    from c2hub.newsletters.selectors import who_we_are

    assert who_we_are(site).name == "Southchurch partnership"
    GroupFactory(site=site, kind=GroupKind.PARTNERSHIP_STEERING, name="Steering group", purpose="Steering")
    assert who_we_are(site).name == "Steering group"
    GroupFactory(site=site, kind=GroupKind.CONSTITUTED_PARTNERSHIP, name="Old CIC", formed_on=dt.date(2014, 1, 1))
    GroupFactory(
        site=site,
        kind=GroupKind.CONSTITUTED_PARTNERSHIP,
        name="New CIC",
        formed_on=dt.date(2016, 1, 1),
        hub_address="2 High Street",
    )
    who = who_we_are(site)
    assert (who.name, who.hub_address) == ("New CIC", "2 High Street")
