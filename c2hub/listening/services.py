"""Every write to a listening event goes through these functions.

Each runs in one transaction, checks the actor's permission with the rules in
``c2hub/accounts/rules.py`` (``listening.change_listening`` on the site; ``actor=None`` is the
system: the public capture page, the demo, the feedback check), validates what it is given with
field-level messages, and is attributed to the actor in the audit log.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require, signed_in_user
from c2hub.events.models import Event, EventKind, EventStatus, ParticipantKind
from c2hub.listening.models import (
    COMMENT_MAX_LENGTH,
    Comment,
    CommentSource,
    ListeningEvent,
    Theme,
    ThemingStatus,
    Vote,
    VoteSource,
)
from c2hub.people.models import AgeBand
from c2hub.programmes.models import Evidence, EvidenceKind, Site, StepCriterion

#: The step-3 criterion a feedback event held in time evidences.
FEEDBACK_CRITERION_KEY = "issues-report-fed-back"
#: Days after the event when the feedback is due, if the pathway model does not say.
DEFAULT_FEEDBACK_DEADLINE_DAYS = 10
#: A comment may carry at most this many web links (more is link spam).
MAX_LINKS = 2
#: The most comments one CSV file or one batch of lines may add.
MAX_BATCH_COMMENTS = 20_000
MAX_CSV_BYTES = 5 * 1024 * 1024
THEME_NAME_MAX_LENGTH = 200

_LANGUAGE_RE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$")
_OUTWARD_CODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
_LINK_RE = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_SUBMISSION_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


CHANGE = "listening.change_listening"


# Who said it ------------------------------------------------------------------------------------
def clean_language(value: str) -> str:
    """A BCP 47-like tag ("en", "pl", "en-GB", "kw"), normalised: language lower, region upper."""
    value = (value or "").strip().replace("_", "-")
    if not value:
        return "en"
    if not _LANGUAGE_RE.match(value):
        raise ValidationError({"language": "Enter a language code like en, pl or en-GB."})
    parts = value.split("-")
    return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])


def clean_postcode_district(value: str) -> str:
    """The first half of a UK postcode (the outward code), e.g. TR14, SS1, EC1A."""
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        return ""
    if not _OUTWARD_CODE_RE.match(value):
        raise ValidationError({"postcode_district": "Enter the first half of a postcode only, like TR14 or SS1."})
    return value


def clean_participant(value: str) -> str:
    value = (value or "").strip().lower()
    if value in ParticipantKind.values:
        return value
    for choice, label in ParticipantKind.choices:
        if value == str(label).lower():
            return choice
    raise ValidationError({"participant": "Say whether a resident or a provider said this."})


def clean_age_band(value: str) -> str:
    value = (value or "").strip()
    if value in AgeBand.values:
        return value
    normalised = value.replace("–", "-").lower()
    for choice, label in AgeBand.choices:
        if normalised in {choice.lower(), str(label).replace("–", "-").lower()}:
            return choice
    if normalised in {"unknown", "not known"}:
        return ""
    raise ValidationError({"age_band": "Choose an age band: " + ", ".join(c for c in AgeBand.values if c) + "."})


def clean_text(value: str, *, max_links: int = MAX_LINKS) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise ValidationError({"text": "Write the comment."})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"text": f"A comment must be {COMMENT_MAX_LENGTH:,} characters or fewer (this one is {len(text):,})."}
        )
    if len(_LINK_RE.findall(text)) > max_links:
        raise ValidationError({"text": f"A comment can have at most {max_links} web links."})
    return text


def clean_count(value: Any) -> int:
    if value in (None, ""):
        return 1
    try:
        count = int(str(value).strip())
    except ValueError:
        raise ValidationError({"count": "The count must be a whole number, like 12."}) from None
    if not 1 <= count <= 10_000:
        raise ValidationError({"count": "The count must be between 1 and 10,000."})
    return count


@dataclass(frozen=True)
class CommentFields:
    text: str
    participant: str
    age_band: str = ""
    language: str = "en"
    postcode_district: str = ""
    given_name: str = ""
    name_consent: bool = False
    count: int = 1


def clean_comment(
    *,
    text: str,
    participant: str,
    age_band: str = "",
    language: str = "en",
    postcode_district: str = "",
    given_name: str = "",
    name_consent: bool = False,
    count: Any = 1,
    max_links: int = MAX_LINKS,
) -> CommentFields:
    """Check every field of a comment, reporting all the problems at once (field → message)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, fn, raw in (
        ("text", lambda v: clean_text(v, max_links=max_links), text),
        ("participant", clean_participant, participant),
        ("age_band", clean_age_band, age_band),
        ("language", clean_language, language),
        ("postcode_district", clean_postcode_district, postcode_district),
        ("count", clean_count, count),
    ):
        try:
            cleaned[name] = fn(raw)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    given_name = (given_name or "").strip()
    if given_name and not name_consent:
        errors["given_name"] = ["A name is kept only when the person agrees: tick the consent box or leave it out."]
    if len(given_name) > 100:
        errors["given_name"] = ["A name must be 100 characters or fewer."]
    if errors:
        raise ValidationError(errors)
    return CommentFields(given_name=given_name, name_consent=bool(given_name) and name_consent, **cleaned)


# Listening events -------------------------------------------------------------------------------
def feedback_due_for(site: Site, held_on: dt.date) -> dt.date:
    days = site.pathway_model.parameter("listening_feedback_deadline_days", DEFAULT_FEEDBACK_DEADLINE_DAYS)
    return held_on + dt.timedelta(days=int(days))


def _starts_at(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def listening_event_create(
    *,
    actor: Any,
    site: Site,
    title: str,
    held_on: dt.date,
    starts_at_time: dt.time = dt.time(10, 0),
    venue: str = "",
    description: str = "",
    dots_per_participant: int = 3,
    consent_statement: str = "",
    status: str | None = None,
    event: Event | None = None,
) -> ListeningEvent:
    """Create the listening event: its ``events.Event`` (kind listening event, step 3) and the
    ``ListeningEvent`` with its feedback deadline. Given ``event`` (a planned listening event made
    on the events pages), attach to it instead of creating one."""
    require(actor, CHANGE, site)
    title = (title or "").strip()
    errors: dict[str, str] = {}
    if not title and event is None:
        errors["title"] = "Give the listening event a title, like “Camborne listening event”."
    if held_on is None:
        errors["held_on"] = "Enter the date of the listening event."
    if not 1 <= int(dots_per_participant or 0) <= 20:
        errors["dots_per_participant"] = "Each participant has between 1 and 20 dots."
    if event is not None:
        if event.site_id != site.pk:
            errors["event"] = "That event belongs to another site."
        elif event.kind != EventKind.LISTENING_EVENT:
            errors["event"] = "That event is not a listening event."
        elif ListeningEvent.objects.filter(event=event).exists():
            errors["event"] = "That event already has its listening event."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        if event is None:
            if status is None:
                status = EventStatus.HELD if held_on <= timezone.localdate() else EventStatus.PLANNED
            event = Event(
                site=site,
                kind=EventKind.LISTENING_EVENT,
                title=title,
                description=description,
                status=status,
                starts_at=_starts_at(held_on, starts_at_time),
                venue_kind="elsewhere" if venue else "hub",
                venue=venue,
                steps=[3],
                created_by=signed_in_user(actor),
            )
            event.full_clean()
            event.save()
        listening = ListeningEvent(
            event=event,
            consent_statement=consent_statement,
            dots_per_participant=int(dots_per_participant),
            feedback_due=feedback_due_for(site, held_on if held_on else event.held_on),
        )
        listening.full_clean(exclude=["event"])
        listening.save()
    return listening


LISTENING_EDITABLE_FIELDS = ("consent_statement", "dots_per_participant", "next_steps")


def listening_event_update(*, actor: Any, listening: ListeningEvent, **changes: Any) -> ListeningEvent:
    """Change the consent statement, dots per participant or what happens next."""
    require(actor, CHANGE, listening.event.site)
    unknown = set(changes) - set(LISTENING_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in unknown})
    if "dots_per_participant" in changes and not 1 <= int(changes["dots_per_participant"] or 0) <= 20:
        raise ValidationError({"dots_per_participant": "Each participant has between 1 and 20 dots."})
    with transaction.atomic(), acting_as(actor):
        for name, value in changes.items():
            setattr(listening, name, value)
        listening.full_clean(exclude=["event"])
        listening.save()
    return listening


def capture_set_open(*, actor: Any, listening: ListeningEvent, open: bool) -> ListeningEvent:  # noqa: A002
    """Open or close the public capture link (/listen/<token>/)."""
    require(actor, CHANGE, listening.event.site)
    with transaction.atomic(), acting_as(actor):
        listening.capture_open = open
        listening.save(update_fields=["capture_open"])
    return listening


# Comments ---------------------------------------------------------------------------------------
def _comment(listening: ListeningEvent, fields: CommentFields, source: str, actor: Any, key: str | None) -> Comment:
    return Comment(
        listening_event=listening,
        text=fields.text,
        participant=fields.participant,
        age_band=fields.age_band,
        language=fields.language,
        postcode_district=fields.postcode_district,
        given_name=fields.given_name,
        name_consent=fields.name_consent,
        count=fields.count,
        source=source,
        submission_key=key,
        created_by=signed_in_user(actor),
    )


def comment_add(
    *,
    actor: Any,
    listening: ListeningEvent,
    text: str,
    participant: str,
    source: str = CommentSource.FACILITATOR,
    age_band: str = "",
    language: str = "en",
    postcode_district: str = "",
    given_name: str = "",
    name_consent: bool = False,
    count: Any = 1,
    submission_key: str | None = None,
) -> tuple[Comment, bool]:
    """Add one comment; answers (comment, created). With a ``submission_key`` (the public form's),
    a re-sent submission returns the comment already stored instead of storing it twice."""
    require(actor, CHANGE, listening.event.site)
    if source not in CommentSource.values:
        raise ValidationError({"source": "Unknown source."})
    if submission_key is not None and not _SUBMISSION_KEY_RE.match(submission_key):
        raise ValidationError({"submission_key": "The form has expired: please send your comment again."})
    fields = clean_comment(
        text=text,
        participant=participant,
        age_band=age_band,
        language=language,
        postcode_district=postcode_district,
        given_name=given_name,
        name_consent=name_consent,
        count=count,
        max_links=1 if source == CommentSource.PUBLIC else MAX_LINKS,
    )
    if submission_key:
        existing = Comment.objects.filter(listening_event=listening, submission_key=submission_key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic(), acting_as(actor):
            comment = _comment(listening, fields, source, actor, submission_key or None)
            comment.save()
    except IntegrityError:
        # The same submission arrived twice at once: the other request stored it.
        existing = Comment.objects.filter(listening_event=listening, submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    return comment, True


def comments_add_lines(
    *,
    actor: Any,
    listening: ListeningEvent,
    lines: str,
    participant: str,
    age_band: str = "",
    language: str = "en",
    source: str = CommentSource.FACILITATOR,
) -> list[Comment]:
    """Fast entry: one comment per line, with the batch's who-said-it. A line may start with a
    tally, "12x " or "12 x " ("12 people said this"). All or nothing: a bad line is named."""
    require(actor, CHANGE, listening.event.site)
    rows = [line.strip() for line in (lines or "").splitlines()]
    numbered = [(n, line) for n, line in enumerate(rows, start=1) if line]
    if not numbered:
        raise ValidationError({"lines": "Type at least one comment, one per line."})
    if len(numbered) > MAX_BATCH_COMMENTS:
        raise ValidationError({"lines": f"Add at most {MAX_BATCH_COMMENTS:,} comments at a time."})
    batch_errors: list[str] = []
    batch = []
    for n, line in numbered:
        count: Any = 1
        match = re.match(r"^(\d{1,5})\s*[x×]\s+(.*)$", line, re.IGNORECASE)
        if match:
            count, line = match.group(1), match.group(2)
        try:
            batch.append(
                clean_comment(text=line, participant=participant, age_band=age_band, language=language, count=count)
            )
        except ValidationError as exc:
            field_errors = exc.message_dict
            for name in ("participant", "age_band", "language"):
                if name in field_errors:
                    raise ValidationError({name: field_errors[name]}) from None
            batch_errors += [f"Line {n}: {m}" for msgs in field_errors.values() for m in msgs]
    if batch_errors:
        raise ValidationError({"lines": batch_errors})
    with transaction.atomic(), acting_as(actor):
        comments = [_comment(listening, fields, source, actor, None) for fields in batch]
        for comment in comments:
            comment.save()  # one by one: each is audited
    return comments


def comment_delete(*, actor: Any, comment: Comment) -> None:
    require(actor, CHANGE, comment.listening_event.event.site)
    with transaction.atomic(), acting_as(actor):
        comment.delete()


CSV_REQUIRED = ("text", "participant")
CSV_OPTIONAL = ("age_band", "language", "count", "postcode_district")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace") if b"\x81" not in data else data.decode("latin-1")


def comments_import_csv(*, actor: Any, listening: ListeningEvent, data: bytes) -> list[Comment]:
    """Import comments from a CSV (columns text, participant, and optionally age_band, language,
    count, postcode_district; header names in any case). All or nothing: wrong or missing columns
    are named, bad rows are listed by line number, and then nothing is imported."""
    require(actor, CHANGE, listening.event.site)
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError({"file": f"The file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB."})
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ValidationError({"file": "The file is empty: it needs a header row (text, participant, …)."}) from None
    columns = [h.strip().lower().replace(" ", "_") for h in header]
    unknown = [h for h, c in zip(header, columns, strict=True) if c and c not in CSV_REQUIRED + CSV_OPTIONAL]
    missing = [c for c in CSV_REQUIRED if c not in columns]
    problems = []
    if missing:
        problems.append("Missing column" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing) + ".")
    if unknown:
        problems.append(
            "Unknown column"
            + ("s" if len(unknown) > 1 else "")
            + ": "
            + ", ".join(unknown)
            + ". The columns are: "
            + ", ".join(CSV_REQUIRED + CSV_OPTIONAL)
            + "."
        )
    duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicated:
        problems.append("Column named twice: " + ", ".join(duplicated) + ".")
    if problems:
        raise ValidationError({"file": problems})
    batch: list[CommentFields] = []
    errors: list[str] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                errors.append(f"Line {line}: {len(row)} cells but the header has {len(columns)} columns.")
                continue
            values = dict(zip(columns, row + [""] * (len(columns) - len(row)), strict=True))
            try:
                batch.append(
                    clean_comment(
                        text=values["text"],
                        participant=values["participant"],
                        age_band=values.get("age_band", ""),
                        language=values.get("language", ""),
                        postcode_district=values.get("postcode_district", ""),
                        count=values.get("count", ""),
                    )
                )
            except ValidationError as exc:
                errors += [f"Line {line}, {name}: {m}" for name, msgs in exc.message_dict.items() for m in msgs]
            if len(batch) > MAX_BATCH_COMMENTS:
                raise ValidationError({"file": f"A file can add at most {MAX_BATCH_COMMENTS:,} comments."})
    except csv.Error as exc:
        errors.append(f"Line {reader.line_num}: the file is not valid CSV ({exc}).")
    if errors:
        shown = errors[:20] + ([f"… and {len(errors) - 20} more problems."] if len(errors) > 20 else [])
        raise ValidationError({"file": ["Nothing was imported. Correct these rows and upload the file again."] + shown})
    if not batch:
        raise ValidationError({"file": "The file has a header but no comments."})
    with transaction.atomic(), acting_as(actor):
        comments = [_comment(listening, fields, CommentSource.CSV, actor, None) for fields in batch]
        for comment in comments:
            comment.save()
    return comments


# Themes -----------------------------------------------------------------------------------------
def _clean_theme_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the theme a name."})
    if len(name) > THEME_NAME_MAX_LENGTH:
        raise ValidationError({"name": f"A theme's name must be {THEME_NAME_MAX_LENGTH} characters or fewer."})
    return name


def themes_suggest(
    *, actor: Any, listening: ListeningEvent, replace_edited: bool = False, n_themes: int | None = None
) -> list[Theme]:
    """Group the comments into suggested themes (``c2hub.listening.theming``), weighting each by its
    tally. Earlier suggested themes are replaced; themes people have edited, and the comments in
    them, are kept unless ``replace_edited``."""
    from c2hub.listening.theming import suggest_themes

    require(actor, CHANGE, listening.event.site)
    if n_themes is not None and not 1 <= n_themes <= 30:
        raise ValidationError({"n_themes": "Ask for between 1 and 30 themes."})
    with transaction.atomic(), acting_as(actor):
        kept = Theme.objects.filter(listening_event=listening, suggested=False)
        if replace_edited:
            Comment.objects.filter(listening_event=listening).update(theme=None)
            Theme.objects.filter(listening_event=listening).delete()
        else:
            Theme.objects.filter(listening_event=listening, suggested=True).delete()
        comments = list(
            Comment.objects.filter(listening_event=listening, theme__isnull=True)
            .order_by("id")
            .only("id", "text", "count")
        )
        if not comments:
            return list(Theme.objects.filter(listening_event=listening))
        n = min(n_themes, len(comments)) if n_themes else None
        suggestions = suggest_themes([c.text for c in comments], n_themes=n, weights=[c.count for c in comments])
        start = (kept.aggregate(m=Max("order"))["m"] or 0) + 1 if not replace_edited else 0
        themes = []
        for i, suggestion in enumerate(suggestions):
            members = [comments[m] for m in suggestion.members]
            theme = Theme.objects.create(
                listening_event=listening,
                name=suggestion.name[:THEME_NAME_MAX_LENGTH] or f"Theme {i + 1}",
                order=start + i,
                suggested=True,
                representatives=[comments[r].pk for r in suggestion.representatives[:3]],
            )
            Comment.objects.filter(pk__in=[c.pk for c in members]).update(theme=theme)
            themes.append(theme)
    return list(Theme.objects.filter(listening_event=listening))


#: Up to this many comments, themes are suggested while the facilitator waits (a few seconds);
#: more go to the background worker, and the themes page shows that they are on their way.
THEMING_INLINE_MAX = 1000


def themes_suggest_request(
    *, actor: Any, listening: ListeningEvent, replace_edited: bool = False, n_themes: int | None = None
) -> bool:
    """Suggest themes now (answers True), or, for more than ``THEMING_INLINE_MAX`` comments, queue
    it for the background worker (answers False; ``listening.theming_status`` says how it goes)."""
    require(actor, CHANGE, listening.event.site)
    if n_themes is not None and not 1 <= n_themes <= 30:
        raise ValidationError({"n_themes": "Ask for between 1 and 30 themes."})
    if listening.theming_status in (ThemingStatus.QUEUED, ThemingStatus.RUNNING):
        raise ValidationError("C2 Hub is already suggesting themes for this listening event: wait for it to finish.")
    if Comment.objects.filter(listening_event=listening).count() <= THEMING_INLINE_MAX:
        themes_suggest(actor=actor, listening=listening, replace_edited=replace_edited, n_themes=n_themes)
        return True
    with transaction.atomic(), acting_as(actor):
        listening.theming_status = ThemingStatus.QUEUED
        listening.theming_requested_at = timezone.now()
        listening.theming_requested_by = signed_in_user(actor)
        listening.theming_options = {"replace_edited": replace_edited, "n_themes": n_themes}
        listening.theming_message = ""
        listening.save(
            update_fields=[
                "theming_status",
                "theming_requested_at",
                "theming_requested_by",
                "theming_options",
                "theming_message",
            ]
        )
        listening_id = listening.pk

        def _enqueue() -> None:
            from c2hub.listening.tasks import suggest_themes_in_background

            suggest_themes_in_background.enqueue(listening_id)

        transaction.on_commit(_enqueue)
    return False


def themes_suggest_run(listening_id: int) -> str:
    """The background worker's part: suggest the themes as requested, recording the outcome."""
    listening = ListeningEvent.objects.select_related("event__site", "theming_requested_by").get(pk=listening_id)
    if listening.theming_status != ThemingStatus.QUEUED:
        return listening.theming_status or "idle"
    ListeningEvent.objects.filter(pk=listening_id).update(theming_status=ThemingStatus.RUNNING)
    options = listening.theming_options or {}
    try:
        themes = themes_suggest(
            actor=listening.theming_requested_by,
            listening=listening,
            replace_edited=bool(options.get("replace_edited")),
            n_themes=options.get("n_themes"),
        )
    except Exception as exc:  # noqa: BLE001 - recorded for the facilitator, and re-raised for the worker's log
        ListeningEvent.objects.filter(pk=listening_id).update(
            theming_status=ThemingStatus.FAILED, theming_message=f"Suggesting themes failed: {exc}"[:300]
        )
        raise
    ListeningEvent.objects.filter(pk=listening_id).update(
        theming_status=ThemingStatus.IDLE, theming_message=f"{len(themes)} themes suggested."
    )
    return "done"


def theme_create(*, actor: Any, listening: ListeningEvent, name: str) -> Theme:
    require(actor, CHANGE, listening.event.site)
    name = _clean_theme_name(name)
    with transaction.atomic(), acting_as(actor):
        order = (Theme.objects.filter(listening_event=listening).aggregate(m=Max("order"))["m"] or 0) + 1
        return Theme.objects.create(listening_event=listening, name=name, order=order, suggested=False)


def theme_rename(*, actor: Any, theme: Theme, name: str) -> Theme:
    require(actor, CHANGE, theme.listening_event.event.site)
    name = _clean_theme_name(name)
    with transaction.atomic(), acting_as(actor):
        theme.name = name
        theme.suggested = False
        theme.save(update_fields=["name", "suggested"])
    return theme


def _same_event(listening: ListeningEvent, themes: Iterable[Theme]) -> None:
    if any(t.listening_event_id != listening.pk for t in themes):
        raise ValidationError({"themes": "Those themes belong to another listening event."})


def themes_merge(*, actor: Any, into: Theme, others: Sequence[Theme], name: str | None = None) -> Theme:
    """Merge ``others`` into ``into``: their comments and dots move, they are deleted."""
    listening = into.listening_event
    require(actor, CHANGE, listening.event.site)
    others = [t for t in others if t.pk != into.pk]
    if not others:
        raise ValidationError({"themes": "Choose at least one other theme to merge into this one."})
    _same_event(listening, others)
    with transaction.atomic(), acting_as(actor):
        ids = [t.pk for t in others]
        _move(list(Comment.objects.filter(theme_id__in=ids)), into)  # one by one: each move is audited
        for vote in Vote.objects.filter(theme_id__in=ids):
            vote.theme = into
            vote.save(update_fields=["theme"])
        into.representatives = list(into.representatives) + [r for t in others for r in t.representatives]
        into.representatives = into.representatives[:3]
        into.name = _clean_theme_name(name) if name else into.name
        into.suggested = False
        into.save()
        for theme in others:
            theme.delete()
    return into


def _comments_of(listening: ListeningEvent, comment_ids: Sequence[int]) -> list[Comment]:
    comments = list(Comment.objects.filter(listening_event=listening, pk__in=list(comment_ids)))
    if not comments or len(comments) != len(set(comment_ids)):
        raise ValidationError({"comments": "Choose comments from this listening event."})
    return comments


def theme_split(*, actor: Any, theme: Theme, comment_ids: Sequence[int], name: str) -> Theme:
    """Split the chosen comments of a theme out into a new theme."""
    listening = theme.listening_event
    require(actor, CHANGE, listening.event.site)
    name = _clean_theme_name(name)
    if not comment_ids:
        raise ValidationError({"comments": "Choose the comments that go into the new theme."})
    comments = _comments_of(listening, comment_ids)
    if any(c.theme_id != theme.pk for c in comments):
        raise ValidationError({"comments": "Choose comments from this theme."})
    with transaction.atomic(), acting_as(actor):
        new = theme_create(actor=actor, listening=listening, name=name)
        _move(comments, new)
        theme.suggested = False
        theme.save(update_fields=["suggested"])
    return new


def _move(comments: Sequence[Comment], theme: Theme | None) -> None:
    for comment in comments:
        comment.theme = theme
        comment.save(update_fields=["theme"])


def comments_move(*, actor: Any, listening: ListeningEvent, comment_ids: Sequence[int], theme: Theme | None) -> int:
    """Move comments to another theme (or out of every theme with ``theme=None``)."""
    require(actor, CHANGE, listening.event.site)
    if theme is not None:
        _same_event(listening, [theme])
    comments = _comments_of(listening, comment_ids)
    with transaction.atomic(), acting_as(actor):
        touched = {c.theme_id for c in comments if c.theme_id} | ({theme.pk} if theme else set())
        _move(comments, theme)
        Theme.objects.filter(pk__in=touched).update(suggested=False)
    return len(comments)


def theme_delete(*, actor: Any, theme: Theme) -> None:
    """Delete a theme; its comments are left without a theme, its dots go."""
    require(actor, CHANGE, theme.listening_event.event.site)
    with transaction.atomic(), acting_as(actor):
        theme.delete()


# Dot votes --------------------------------------------------------------------------------------
def vote_add(
    *,
    actor: Any,
    theme: Theme,
    participant: str,
    dots: Any,
    source: str = VoteSource.LIVE,
) -> Vote:
    """Dots on a theme: one participant's (at most the event's dots per participant) or a paper
    tally (any number)."""
    listening = theme.listening_event
    require(actor, CHANGE, listening.event.site)
    errors: dict[str, str] = {}
    try:
        participant = clean_participant(participant)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        dots = int(str(dots).strip())
    except ValueError:
        errors["dots"] = "The number of dots must be a whole number."
    else:
        if dots < 1:
            errors["dots"] = "Put at least 1 dot."
        elif source == VoteSource.LIVE and dots > listening.dots_per_participant:
            errors["dots"] = f"Each participant has {listening.dots_per_participant} dots."
        elif dots > 100_000:
            errors["dots"] = "That is more dots than anyone could have put."
    if source not in VoteSource.values:
        errors["source"] = "Unknown source."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        return Vote.objects.create(
            listening_event=listening,
            theme=theme,
            participant=participant,
            dots=dots,
            source=source,
            created_by=signed_in_user(actor),
        )


def votes_record(
    *,
    actor: Any,
    listening: ListeningEvent,
    participant: str,
    dots_by_theme: dict[int, Any],
    source: str = VoteSource.PAPER,
) -> list[Vote]:
    """Several themes' dots at once (the votes page's tally form). Empty or 0 entries are skipped."""
    require(actor, CHANGE, listening.event.site)
    themes = {t.pk: t for t in Theme.objects.filter(listening_event=listening)}
    chosen = {pk: v for pk, v in dots_by_theme.items() if str(v).strip() not in ("", "0")}
    if not chosen:
        raise ValidationError({"dots": "Enter the dots for at least one theme."})
    if any(pk not in themes for pk in chosen):
        raise ValidationError({"theme": "Choose themes of this listening event."})
    if source == VoteSource.LIVE:
        try:
            total = sum(int(str(v)) for v in chosen.values())
        except ValueError:
            total = 0
        if total > listening.dots_per_participant:
            raise ValidationError({"dots": f"Each participant has {listening.dots_per_participant} dots, not {total}."})
    with transaction.atomic():
        return [
            vote_add(actor=actor, theme=themes[pk], participant=participant, dots=v, source=source)
            for pk, v in chosen.items()
        ]


def vote_delete(*, actor: Any, vote: Vote) -> None:
    require(actor, CHANGE, vote.listening_event.event.site)
    with transaction.atomic(), acting_as(actor):
        vote.delete()


# The feedback event -----------------------------------------------------------------------------
def feedback_event_plan(
    *, actor: Any, listening: ListeningEvent, held_on: dt.date, title: str = "", venue: str = ""
) -> Event:
    """Plan the feedback event (an ``events.Event`` of kind feedback event) and link it."""
    site = listening.event.site
    require(actor, CHANGE, site)
    if held_on is None:
        raise ValidationError({"held_on": "Enter the date of the feedback event."})
    if held_on < listening.event.held_on:
        raise ValidationError({"held_on": "The feedback event comes after the listening event."})
    with transaction.atomic(), acting_as(actor):
        event = Event(
            site=site,
            kind=EventKind.FEEDBACK_EVENT,
            title=(title or "").strip() or f"Feedback from {listening.event.title}",
            status=EventStatus.PLANNED,
            starts_at=_starts_at(held_on, dt.time(18, 0)),
            venue_kind="elsewhere" if venue else "hub",
            venue=venue,
            steps=[3],
            created_by=signed_in_user(actor),
        )
        event.full_clean()
        event.save()
        listening.feedback_event = event
        listening.save(update_fields=["feedback_event"])
    return event


def feedback_event_link(*, actor: Any, listening: ListeningEvent, event: Event) -> ListeningEvent:
    """Link an existing feedback event; if it is already held in time, the criterion is evidenced."""
    site = listening.event.site
    require(actor, CHANGE, site)
    if event.site_id != site.pk:
        raise ValidationError({"feedback_event": "That event belongs to another site."})
    if event.kind != EventKind.FEEDBACK_EVENT:
        raise ValidationError({"feedback_event": "Choose a feedback event."})
    with transaction.atomic(), acting_as(actor):
        listening.feedback_event = event
        listening.save(update_fields=["feedback_event"])
        feedback_event_held(event, actor)
    return listening


def feedback_event_mark_held(*, actor: Any, listening: ListeningEvent, held_on: dt.date | None = None) -> Event:
    """Record that the linked feedback event was held (on ``held_on`` if given)."""
    require(actor, CHANGE, listening.event.site)
    event = listening.feedback_event
    if event is None:
        raise ValidationError({"feedback_event": "Plan or link the feedback event first."})
    if held_on is not None and held_on > timezone.localdate():
        raise ValidationError({"held_on": "A feedback event cannot be held in the future."})
    with transaction.atomic(), acting_as(actor):
        event.status = EventStatus.HELD
        if held_on is not None:
            event.starts_at = _starts_at(held_on, timezone.localtime(event.starts_at).time())
        event.save(update_fields=["status", "starts_at"])
        feedback_event_held(event, actor)
    return event


def feedback_event_held(event: Event, actor: Any = None) -> Evidence | None:
    """Call when a feedback event is marked held (the events pages do). When it is linked to a
    listening event and was held on or before the feedback deadline, the step-3 criterion
    ``issues-report-fed-back`` gets a record evidence item linking it (once), added by ``actor``
    (whoever marked it held; else whoever created the event). Answers the evidence item, or None
    when there is nothing to evidence (not linked, not held, late, nobody to attribute it to)."""
    from c2hub.programmes.services import evidence_add

    if event.kind != EventKind.FEEDBACK_EVENT or event.status != EventStatus.HELD:
        return None
    listening = ListeningEvent.objects.select_related("event__site__pathway_model").filter(feedback_event=event).first()
    if listening is None or event.held_on > listening.feedback_due:
        return None
    site = listening.event.site
    criterion = StepCriterion.objects.filter(step__model_id=site.pathway_model_id, key=FEEDBACK_CRITERION_KEY).first()
    if criterion is None:
        return None
    existing = Evidence.objects.filter(
        site=site, criterion=criterion, record_type__model="event", record_type__app_label="events", record_id=event.pk
    ).first()
    if existing is not None:
        return existing
    # Evidence is always someone's: whoever marked the event held, else whoever created it.
    recorder = next(
        (
            user
            for user in (signed_in_user(actor), event.created_by, listening.event.created_by)
            if user is not None and user.is_active and user.has_perm("programmes.add_evidence", site)
        ),
        None,
    )
    if recorder is None:
        return None
    return evidence_add(
        actor=recorder,
        site=site,
        criterion=criterion,
        kind=EvidenceKind.RECORD,
        summary=(
            f"Feedback event held on {event.held_on:%-d %B %Y}, within the deadline of "
            f"{listening.feedback_due:%-d %B %Y} for {listening.event.title}"
        ),
        record=event,
        occurred_on=event.held_on,
    )
