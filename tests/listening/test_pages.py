"""The listening event's pages: the public capture form, fast entry, cards, CSV, themes, dots, report."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from c2hub.listening import services
from c2hub.listening.models import Comment, CommentSource, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, user):
    client.force_login(user)
    return client


def _public(listening):
    return reverse("public_capture", args=[listening.public_token])


def _key(response) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', response.content.decode()).group(1)


# The public capture page --------------------------------------------------------------------------
def test_public_page_needs_no_login_and_shows_consent(client, open_listening):
    response = client.get(_public(open_listening))
    assert response.status_code == 200
    html = response.content.decode()
    assert "How we use your comment" in html and "never shown next to your comment" in html
    assert "dist/app.css" not in html and "<script" not in html  # its own light page
    assert 'name="website"' in html  # the honeypot


def test_public_comment_is_stored_once_when_resent(client, open_listening):
    key = _key(client.get(_public(open_listening)))
    data = {
        "text": "More bins please",
        "participant": "resident",
        "age_band": "65+",
        "postcode_district": "ss2",
        "language": "en",
        "submission_key": key,
    }
    first = client.post(_public(open_listening), data)
    assert first.status_code == 302 and first["Location"].endswith("?sent=1")
    second = client.post(_public(open_listening), data)
    assert second.status_code == 302
    comment = Comment.objects.get(listening_event=open_listening)
    assert (comment.text, comment.source, comment.postcode_district, comment.age_band) == (
        "More bins please",
        CommentSource.PUBLIC,
        "SS2",
        "65+",
    )
    thanks = client.get(first["Location"])
    assert "Your comment has been sent" in thanks.content.decode()
    assert _key(thanks) != key


def test_text_is_kept_after_a_validation_error(client, open_listening):
    key = _key(client.get(_public(open_listening)))
    response = client.post(
        _public(open_listening),
        {
            "text": "Street lights broken <b>for months</b>",
            "participant": "resident",
            "postcode_district": "NOT A CODE",
            "submission_key": key,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Street lights broken &lt;b&gt;for months&lt;/b&gt;</textarea>" in html
    assert "first half of a postcode" in html
    assert not Comment.objects.exists()


def test_empty_and_over_long_comments_are_refused(client, open_listening):
    key = _key(client.get(_public(open_listening)))
    empty = client.post(_public(open_listening), {"text": "  ", "participant": "resident", "submission_key": key})
    assert empty.status_code == 400 and "Write the comment" in empty.content.decode()
    long = client.post(_public(open_listening), {"text": "a" * 2500, "participant": "resident", "submission_key": key})
    assert long.status_code == 400 and "2,000 characters or fewer" in long.content.decode()
    assert not Comment.objects.exists()


def test_honeypot_stores_nothing(client, open_listening):
    key = _key(client.get(_public(open_listening)))
    response = client.post(
        _public(open_listening),
        {"text": "Buy pills", "participant": "resident", "submission_key": key, "website": "http://spam.example"},
    )
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_flood_is_rate_limited_with_a_clear_message(client, open_listening, settings, monkeypatch):
    from c2hub.listening import views

    monkeypatch.setattr(views, "PUBLIC_RATE_LIMIT", (3, 600))
    for n in range(3):
        key = _key(client.get(_public(open_listening)))
        assert (
            client.post(
                _public(open_listening), {"text": f"comment {n}", "participant": "resident", "submission_key": key}
            ).status_code
            == 302
        )
    key = _key(client.get(_public(open_listening)))
    response = client.post(
        _public(open_listening), {"text": "one too many", "participant": "resident", "submission_key": key}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait 10 minutes" in html and "one too many</textarea>" in html
    assert Comment.objects.count() == 3
    # Another client address is not limited.
    other = client.post(
        _public(open_listening),
        {"text": "from next door", "participant": "resident", "submission_key": key},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_closed_capture_is_gone_and_unknown_token_is_not_found(client, listening):
    assert client.get(_public(listening)).status_code == 410
    assert client.post(_public(listening), {"text": "x", "participant": "resident"}).status_code == 410
    assert client.get(reverse("public_capture", args=["no-such-token"])).status_code == 404


# The facilitator's pages --------------------------------------------------------------------------
def test_fast_entry_keeps_the_batch_defaults(client, listening, facilitator, site):
    _login(client, facilitator)
    url = reverse("listening_comments_add", args=[site.slug, listening.pk])
    response = client.post(
        url,
        {
            "lines": "Too much traffic\n4x No youth club",
            "participant": "provider",
            "age_band": "26-64",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert "participant=provider" in response["Location"] and "saved=2" in response["Location"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "No youth club" in html and "4 people said this" in html
    assert "autofocus" in html
    assert Comment.objects.filter(participant="provider").count() == 2


def test_fast_entry_error_keeps_the_lines(client, listening, facilitator, site):
    _login(client, facilitator)
    url = reverse("listening_comments_add", args=[site.slug, listening.pk])
    response = client.post(url, {"lines": "fine\n" + "z" * 2100, "participant": "resident", "language": "en"})
    assert response.status_code == 400
    assert "Line 2" in response.content.decode() and "fine\n" in response.content.decode()


def test_open_and_close_capture_and_qr(client, listening, facilitator, site):
    _login(client, facilitator)
    client.post(reverse("listening_capture_toggle", args=[site.slug, listening.pk]), {"open": "1"})
    listening.refresh_from_db()
    assert listening.capture_open
    html = client.get(reverse("listening_detail", args=[site.slug, listening.pk])).content.decode()
    assert listening.public_token in html and "QR code for the public comment link" in html
    client.post(reverse("listening_capture_toggle", args=[site.slug, listening.pk]), {"open": "0"})
    listening.refresh_from_db()
    assert not listening.capture_open


def test_paper_card_with_tally_and_consented_name(client, listening, facilitator, site):
    _login(client, facilitator)
    url = reverse("listening_card", args=[site.slug, listening.pk])
    refused = client.post(
        url, {"text": "Parking", "count": "12", "participant": "resident", "language": "en", "given_name": "Jo"}
    )
    assert refused.status_code == 400 and "Parking</textarea>" in refused.content.decode()
    ok = client.post(
        url,
        {
            "text": "Parking",
            "count": "12",
            "participant": "resident",
            "language": "en",
            "given_name": "Jo",
            "name_consent": "on",
        },
    )
    assert ok.status_code == 302
    comment = Comment.objects.get()
    assert (comment.count, comment.given_name, comment.source) == (12, "Jo", CommentSource.PAPER)


# CSV ----------------------------------------------------------------------------------------------
def _upload(client, site, listening, content: bytes):
    f = io.BytesIO(content)
    f.name = "comments.csv"
    return client.post(reverse("listening_csv", args=[site.slug, listening.pk]), {"file": f})


def test_csv_import_tolerates_bom_case_and_latin1(client, listening, facilitator, site):
    _login(client, facilitator)
    utf8 = "\ufeffText,PARTICIPANT,Count,language,postcode_district\nToo many potholes,resident,3,en,tr14\n".encode()
    assert _upload(client, site, listening, utf8).status_code == 302
    latin1 = "text,participant\nCafé closed on Sundays,provider\n".encode("latin-1")
    assert _upload(client, site, listening, latin1).status_code == 302
    assert list(Comment.objects.order_by("id").values_list("text", "count", "postcode_district")) == [
        ("Too many potholes", 3, "TR14"),
        ("Café closed on Sundays", 1, ""),
    ]


def test_csv_wrong_columns_are_named_and_nothing_imported(client, listening, facilitator, site):
    _login(client, facilitator)
    response = _upload(client, site, listening, b"comment,who\nhello,resident\n")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Missing columns: text, participant" in html and "Unknown columns: comment, who" in html
    assert not Comment.objects.exists()


def test_csv_bad_rows_give_line_numbers_and_import_nothing(client, listening, facilitator, site):
    _login(client, facilitator)
    content = b"text,participant,count\nfine,resident,1\n,resident,1\nalso fine,martian,2\nok,provider,lots\n"
    response = _upload(client, site, listening, content)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Line 3, text" in html and "Line 4, participant" in html and "Line 5, count" in html
    assert not Comment.objects.exists()


# Themes, dots, report -----------------------------------------------------------------------------
def test_theme_editing_pages(client, listening, facilitator, site):
    _login(client, facilitator)
    comments = [
        services.comment_add(actor=None, listening=listening, text=t, participant="resident")[0]
        for t in ("Bins", "Litter", "Speeding", "Parking")
    ]
    url = reverse("listening_themes", args=[site.slug, listening.pk])
    assert client.post(url, {"action": "suggest", "n_themes": "2"}).status_code == 302
    assert Theme.objects.filter(listening_event=listening).count() == 2
    a, b = Theme.objects.filter(listening_event=listening)
    assert client.post(url, {"action": "rename", "theme": a.pk, "name": "Rubbish"}).status_code == 302
    bad = client.post(url, {"action": "rename", "theme": a.pk, "name": " "})
    assert bad.status_code == 400 and "Give the theme a name" in bad.content.decode()
    assert client.post(url, {"action": "move", "comments": [comments[2].pk], "to": a.pk}).status_code == 302
    assert client.post(url, {"action": "merge", "merge": [b.pk], "into": a.pk}).status_code == 302
    assert list(Theme.objects.filter(listening_event=listening).values_list("name", flat=True)) == ["Rubbish"]
    assert (
        client.post(
            url, {"action": "split", "theme": a.pk, "comments": [comments[3].pk], "name": "Parking"}
        ).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert "Rubbish" in page and "Parking" in page


def test_votes_page_records_tallies(client, listening, facilitator, site):
    _login(client, facilitator)
    theme = services.theme_create(actor=None, listening=listening, name="Crime")
    url = reverse("listening_votes", args=[site.slug, listening.pk])
    response = client.post(url, {"participant": "resident", "source": "paper", f"theme_{theme.pk}": "14"})
    assert response.status_code == 302
    assert "14" in client.get(url).content.decode()
    too_many = client.post(url, {"participant": "resident", "source": "live", f"theme_{theme.pk}": "9"})
    assert too_many.status_code == 400


SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def report_listening(listening, site):
    services.comment_add(
        actor=None,
        listening=listening,
        text=f"Fix the lights {SCRIPT}",
        participant="resident",
        given_name="Secret Name",
        name_consent=True,
        postcode_district="SS9",
    )
    for n in range(5):
        services.comment_add(
            actor=None,
            listening=listening,
            text=f"Dog mess {n}",
            participant="provider",
            postcode_district="SS2",
            age_band="26-64",
        )
    theme = services.theme_create(actor=None, listening=listening, name=f"Lights {SCRIPT}")
    services.comments_move(
        actor=None, listening=listening, comment_ids=list(listening.comments.values_list("pk", flat=True)), theme=theme
    )
    services.vote_add(actor=None, theme=theme, participant="resident", dots=3)
    return listening


def test_report_html_escapes_and_has_no_personal_data(client, report_listening, commissioner, site):
    _login(client, commissioner)
    html = client.get(reverse("listening_report", args=[site.slug, report_listening.pk])).content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html
    assert "Secret Name" not in html
    assert "SS2" in html and "SS9" not in html  # fewer than 5 comments: not named
    assert "<svg" in html and "What people said, by theme" in html


def test_report_pdf_text_is_escaped(client, report_listening, commissioner, site):
    """The PDF is printed from the report's HTML: the text WeasyPrint lays out on its pages shows
    the resident's script as text, and no name."""
    from weasyprint import HTML

    from c2hub.listening import reports, selectors

    _login(client, commissioner)
    response = client.get(reverse("listening_report", args=[site.slug, report_listening.pk]) + "?format=pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    document = HTML(string=reports.render_html_document(selectors.report(report_listening))).render()
    text = " ".join(box.text for page in document.pages for box in page._page_box.descendants() if hasattr(box, "text"))
    assert 'alert("x")' in text and "<script>" in text  # shown as the characters typed
    assert "Secret Name" not in text and "SS9" not in text


def test_report_docx_escapes(client, report_listening, commissioner, site):
    import zipfile

    _login(client, commissioner)
    response = client.get(reverse("listening_report", args=[site.slug, report_listening.pk]) + "?format=docx")
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "&lt;script&gt;alert" in xml and "<script>" not in xml
    assert "Secret Name" not in xml and "SS9" not in xml
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(response.content)).namelist())


def test_dashboard_warns_of_the_feedback_deadline(client, site, facilitator):
    import datetime as dt

    from tests.listening.conftest import make_listening

    today = dt.date.today()
    soon = make_listening(site, title="Soon", held_on=today - dt.timedelta(days=8))  # due in 2 days
    late = make_listening(site, title="Late", held_on=today - dt.timedelta(days=12))  # 2 days overdue
    make_listening(site, title="Fine", held_on=today - dt.timedelta(days=1))  # due in 9 days
    _login(client, facilitator)
    html = client.get(reverse("dashboard")).content.decode()
    assert "feedback to residents from" in html
    assert reverse("listening_detail", args=[site.slug, soon.pk]) in html and "in 2 days" in html
    assert reverse("listening_detail", args=[site.slug, late.pk]) in html and "2 days overdue" in html
    assert ">Fine<" not in html


def test_themes_page_shows_background_progress(client, listening, facilitator, site):
    listening.theming_status = "running"
    listening.save()
    _login(client, facilitator)
    page = client.get(reverse("listening_themes", args=[site.slug, listening.pk])).content.decode()
    assert "Suggesting themes…" in page and 'hx-trigger="every 3s"' in page and "Suggest themes</button>" not in page
    status_url = reverse("listening_theming_status", args=[site.slug, listening.pk])
    assert "HX-Refresh" not in client.get(status_url, HTTP_HX_REQUEST="true")
    listening.theming_status = ""
    listening.save()
    assert client.get(status_url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_link_a_feedback_event_recorded_on_the_events_pages(client, listening, facilitator, site, other_site):
    """A feedback event recorded on the events pages can be linked; held in time, it evidences step 3."""
    import datetime as dt

    from django.utils import timezone

    from c2hub.events.models import Event, EventKind, EventStatus
    from c2hub.programmes.models import Evidence

    held = timezone.make_aware(dt.datetime.combine(listening.feedback_due - dt.timedelta(days=2), dt.time(18)))
    mine = Event.objects.create(
        site=site, kind=EventKind.FEEDBACK_EVENT, title="You said, we heard", starts_at=held, status=EventStatus.HELD
    )
    theirs = Event.objects.create(site=other_site, kind=EventKind.FEEDBACK_EVENT, title="Elsewhere", starts_at=held)
    url = reverse("listening_settings", args=[site.slug, listening.pk])
    _login(client, facilitator)
    page = client.get(url).content.decode()
    assert "You said, we heard" in page and "Elsewhere" not in page

    refused = client.post(url, {"action": "link", "event": theirs.pk})
    assert refused.status_code == 400 and "Choose one of this site" in refused.content.decode()
    assert client.post(url, {"action": "link", "event": ""}).status_code == 400

    response = client.post(url, {"action": "link", "event": mine.pk})
    assert response.status_code == 302
    listening.refresh_from_db()
    assert listening.feedback_event == mine
    assert Evidence.objects.filter(site=site, criterion__key=services.FEEDBACK_CRITERION_KEY).get().record == mine
    assert "Or link a feedback event" not in client.get(url).content.decode()  # linked: the form is gone
