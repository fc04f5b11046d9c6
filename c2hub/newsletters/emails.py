"""The e-mails: a newsletter issue (HTML with a plain-text alternative, a one-click unsubscribe
link and the RFC 8058 List-Unsubscribe headers) and the confirmation of a subscription.

Subjects and names are checked to be one line before they get here (``services.check_header_safe``);
Django's e-mail classes refuse a line break in any header as well.
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from c2hub.newsletters.models import NewsletterIssue, Subscriber
from c2hub.newsletters.selectors import BlockView, public_page_of


def _absolute(path: str) -> str:
    return f"{settings.C2HUB_BASE_URL}{path}"


def _from_address(site_name: str) -> str:
    """The partnership's name with the configured sender's address."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = " ".join(f"{site_name} partnership".split())
    return formataddr((name, address or "no-reply@localhost"))


def issue_message(
    issue: NewsletterIssue, content: list[BlockView], subscriber: Subscriber, token: str
) -> EmailMultiAlternatives:
    site = issue.site
    unsubscribe_url = _absolute(reverse("public_unsubscribe", args=[site.slug, token]))
    page = public_page_of(site)
    public = page is not None and page.enabled
    context = {
        "issue": issue,
        "site": site,
        "content": content,
        "unsubscribe_url": unsubscribe_url,
        "web_url": _absolute(reverse("public_newsletter", args=[site.slug, issue.number])) if public else "",
        "image_url": (
            (lambda block: _absolute(reverse("public_newsletter_image", args=[site.slug, issue.number, block.pk])))
            if public
            else (lambda block: "")
        ),
        "subscriber": subscriber,
    }
    message = EmailMultiAlternatives(
        subject=f"{site.name} newsletter {issue.number}: {issue.title}",
        body=render_to_string("newsletters/email.txt", context),
        from_email=_from_address(site.name),
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{site.name} newsletter <{site.slug}.newsletter.c2hub>",
        },
    )
    message.attach_alternative(render_to_string("newsletters/email.html", context), "text/html")
    return message


def confirmation_message(subscriber: Subscriber, link: str) -> EmailMultiAlternatives:
    site = subscriber.site
    context = {"site": site, "link": link}
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to the {site.name} newsletter",
        body=render_to_string("newsletters/confirm_email.txt", context),
        from_email=_from_address(site.name),
        to=[subscriber.email],
    )
    return message
