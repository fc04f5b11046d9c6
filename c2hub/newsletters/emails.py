"""The e-mails: a newsletter issue (HTML with a plain-text alternative, a one-click unsubscribe
link and the RFC 8058 List-Unsubscribe headers) and the confirmation of a subscription.

Subjects and names are checked to be one line before they get here (``services.check_header_safe``);
Django's e-mail classes refuse a line break in any header as well.
"""

from __future__ import annotations

import email.policy
import re
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags

from c2hub.newsletters.models import NewsletterIssue, Subscriber
from c2hub.newsletters.selectors import BlockView, public_page_of


class NewsletterMessage(EmailMultiAlternatives):
    """An e-mail whose headers are folded at RFC 5322's 998 characters rather than 78: a long
    unsubscribe address then stays a plain URL in ``List-Unsubscribe`` (Python's e-mail package
    would otherwise turn it into encoded words, which mail programs do not read as a link)."""

    def message(self, *, policy: email.policy.Policy = email.policy.default) -> Any:
        return super().message(policy=policy.clone(max_line_length=998))


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
    message = NewsletterMessage(
        subject=f"{site.name} newsletter {issue.number}: {issue.title}",
        body=plain_text(issue, content, unsubscribe_url=unsubscribe_url, web_url=context["web_url"]),
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


def _text(html: str) -> str:
    """Sanitised rich text as plain text: paragraphs and line breaks kept, tags dropped."""
    html = re.sub(r"<br\s*/?>", "\n", html)
    html = re.sub(r"</(p|li|h3|h4|blockquote)>", "\n", html)
    html = re.sub(r"<li>", "- ", html)
    from html import unescape

    return "\n".join(line.strip() for line in unescape(strip_tags(html)).splitlines() if line.strip())


def plain_text(issue: NewsletterIssue, content: list[BlockView], *, unsubscribe_url: str, web_url: str) -> str:
    """The issue as plain text, for mail programs that do not show HTML."""
    site = issue.site
    lines = [f"{site.name} newsletter {issue.number}: {issue.title}"]
    if web_url:
        lines.append(f"Read it on the web: {web_url}")
    for view in content:
        block = view.block
        lines.append("")
        if block.heading:
            lines += [block.heading.upper(), ""]
        if block.kind == "image":
            lines.append(f"[Picture: {block.alt_text}]")
        if block.body:
            lines.append(_text(block.body))
        for item in view.items:
            title = f"You said: {item['title']}" if block.kind == "you_said" else item["title"]
            details = ", ".join(v for v in (item.get("when"), item.get("where"), item.get("detail")) if v)
            lines.append(f"* {title}" + (f" ({details})" if details else ""))
            for key in ("text", "quote"):
                if item.get(key):
                    lines.append(f"  {item[key]}")
            place = ", ".join(v for v in (item.get("schedule"), item.get("venue")) if v)
            if place:
                lines.append(f"  {place}")
            for action in item.get("actions", []):
                done = f"We did: {action['title']} ({action['status'].lower()})"
                lines.append(f"  {done}" + (f". {action['what_changed']}" if action.get("what_changed") else ""))
        if block.is_data and not view.items:
            lines.append("Nothing to report this time.")
    lines += [
        "",
        "--",
        f"You are getting this because you subscribed to the {site.name} partnership's newsletter.",
        f"Unsubscribe: {unsubscribe_url}",
    ]
    return "\n".join(lines) + "\n"


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
