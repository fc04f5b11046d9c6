"""Every write to community groups and activities, their monthly participation, and the site's
value of an hour of volunteering.

Keyword-only arguments, the permission checked on the site (``community.change_groups``;
``community.set_volunteering_value`` for the value per hour, which facilitators and programme
admins set; ``programmes.add_evidence`` to attach evidence), every error at once keyed by field,
one transaction attributed to the actor, and the site marked active. ``actor=None`` is the system.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require
from c2hub.community.models import (
    AGE_GROUPS,
    CommunityGroup,
    CommunityGroupKind,
    HealthPriority,
    Involvement,
    Participation,
    VolunteeringValue,
)
from c2hub.programmes import services as programme_services
from c2hub.programmes.models import Evidence, EvidenceKind, Site, StepCriterion
from c2hub.programmes.services import _touch

CHANGE = "community.change_groups"
SET_VALUE = "community.set_volunteering_value"
GROUP_FIELDS = (
    "name",
    "kind",
    "involvement",
    "description",
    "founded_on",
    "ended_on",
    "age_groups",
    "health_priorities",
    "schedule",
    "venue",
    "public",
)
#: Typo guards for one month of one group (not a venue's capacity).
PARTICIPANTS_MAX = 100_000
VOLUNTEER_HOURS_MAX = Decimal("100000")
#: The most an hour of volunteering may be valued at.
VALUE_PER_HOUR_MAX = Decimal("1000")


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _age_label(value: str) -> str:
    from c2hub.people.models import AgeBand

    return dict(AgeBand.choices).get(value, value)


def clean_age_groups(values: Any, errors: dict[str, str]) -> list[str]:
    """Known age groups, youngest first, each once; unknown values are named in the error."""
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        errors["age_groups"] = 'Age groups must be a list such as ["11-15", "16-18"].'
        return []
    unknown = [v for v in values if v not in AGE_GROUPS]
    if unknown:
        errors["age_groups"] = (
            f"Unknown age group{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. Use {', '.join(AGE_GROUPS)}."
        )
        return []
    return [band for band in AGE_GROUPS if band in values]


def clean_health_priorities(values: Any, errors: dict[str, str]) -> list[str]:
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        errors["health_priorities"] = "Health priorities must be a list of priority names."
        return []
    unknown = [v for v in values if v not in HealthPriority.values]
    if unknown:
        errors["health_priorities"] = f"Unknown health priority: {', '.join(unknown)}."
        return []
    return [p for p in HealthPriority.values if p in values]


# Groups and activities ----------------------------------------------------------------------------
def _validate_group(group: CommunityGroup) -> None:
    errors: dict[str, str] = {}
    group.name = (group.name or "").strip()
    group.schedule = (group.schedule or "").strip()
    group.venue = (group.venue or "").strip()
    if not group.name:
        errors["name"] = "Enter the group's or activity's name."
    elif CommunityGroup.objects.filter(site_id=group.site_id, name__iexact=group.name).exclude(pk=group.pk).exists():
        errors["name"] = "This site already has a group or activity with that name."
    if group.kind not in CommunityGroupKind.values:
        errors["kind"] = "Choose the kind of group or activity."
    if group.involvement not in Involvement.values:
        errors["involvement"] = "Say whether the partnership started or supports it."
    today = timezone.localdate()
    if group.founded_on is not None and group.founded_on > today:
        errors["founded_on"] = "The founding date cannot be in the future."
    if group.ended_on is not None and group.founded_on is not None and group.ended_on < group.founded_on:
        errors["ended_on"] = "It cannot end before it was founded."
    group.age_groups = clean_age_groups(group.age_groups, errors)
    group.health_priorities = clean_health_priorities(group.health_priorities, errors)
    _raise_if(errors)


@transaction.atomic
def group_create(
    *,
    actor: Any,
    site: Site,
    name: str,
    kind: str = CommunityGroupKind.GROUP,
    involvement: str = Involvement.STARTED,
    description: str = "",
    founded_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    age_groups: Iterable[str] = (),
    health_priorities: Iterable[str] = (),
    schedule: str = "",
    venue: str = "",
    public: bool = True,
) -> CommunityGroup:
    """Add a group or activity the partnership started or supports to the site's register."""
    require(actor, CHANGE, site)
    group = CommunityGroup(
        site=site,
        name=name,
        kind=kind,
        involvement=involvement,
        description=description,
        founded_on=founded_on,
        ended_on=ended_on,
        age_groups=list(age_groups) if not isinstance(age_groups, str) else age_groups,
        health_priorities=list(health_priorities) if not isinstance(health_priorities, str) else health_priorities,
        schedule=schedule,
        venue=venue,
        public=public,
        created_by=actor,
    )
    _validate_group(group)
    with acting_as(actor):
        group.save()
    _touch(site)
    return group


@transaction.atomic
def group_update(*, actor: Any, group: CommunityGroup, **fields: Any) -> CommunityGroup:
    """Change a group (only the fields given, of ``GROUP_FIELDS``)."""
    require(actor, CHANGE, group.site)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown fields: {', '.join(sorted(unknown))}."})
    for name, value in fields.items():
        if name in ("age_groups", "health_priorities") and isinstance(value, tuple):
            value = list(value)
        setattr(group, name, value)
    _validate_group(group)
    with acting_as(actor):
        group.save()
    _touch(group.site)
    return group


# Participation ------------------------------------------------------------------------------------
def _number(value: Any, field: str, errors: dict[str, str], *, label: str, whole: bool = True) -> Any:
    if value is None or value == "":
        return 0 if whole else Decimal("0")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = f"{label} must be a number."
        return None
    if not number.is_finite():
        errors[field] = f"{label} must be a number."
        return None
    if number < 0:
        errors[field] = f"{label} cannot be negative."
        return None
    if whole:
        if number != number.to_integral_value():
            errors[field] = f"{label} must be a whole number."
            return None
        if number > PARTICIPANTS_MAX:
            errors[field] = f"{label} must be {PARTICIPANTS_MAX:,} or fewer."
            return None
        return int(number)
    if number > VOLUNTEER_HOURS_MAX:
        errors[field] = f"{label} must be {VOLUNTEER_HOURS_MAX:,} or fewer."
        return None
    return number.quantize(Decimal("0.1"))


def _check_month(
    group: CommunityGroup, month: dt.date | None, errors: dict[str, str], field: str = "month"
) -> dt.date | None:
    if month is None:
        errors[field] = "Enter the month."
        return None
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        errors[field] = "Participation is recorded for a month that has started, not a future one."
    elif group.founded_on is not None and month < first_of_month(group.founded_on):
        errors[field] = f"{group.name} was founded in {group.founded_on:%B %Y}: record months from then on."
    elif group.ended_on is not None and month > first_of_month(group.ended_on):
        errors[field] = f"{group.name} ended in {group.ended_on:%B %Y}."
    return month


def _participation_values(
    participants: Any, volunteers: Any, volunteer_hours: Any, errors: dict[str, str], prefix: str = ""
) -> tuple[Any, Any, Any]:
    p = _number(participants, f"{prefix}participants", errors, label="Participants")
    v = _number(volunteers, f"{prefix}volunteers", errors, label="Volunteers")
    h = _number(volunteer_hours, f"{prefix}volunteer_hours", errors, label="Volunteer hours", whole=False)
    if v == 0 and h not in (None, Decimal("0")) and f"{prefix}volunteers" not in errors:
        errors[f"{prefix}volunteers"] = "Volunteer hours were given: enter how many volunteers gave them."
    return p, v, h


@transaction.atomic
def participation_set(
    *,
    actor: Any,
    group: CommunityGroup,
    month: dt.date | None,
    participants: Any = 0,
    volunteers: Any = 0,
    volunteer_hours: Any = 0,
) -> Participation:
    """Record (or correct) one month of a group: one row a month, the month as its 1st day."""
    require(actor, CHANGE, group.site)
    errors: dict[str, str] = {}
    first = _check_month(group, month, errors)
    p, v, h = _participation_values(participants, volunteers, volunteer_hours, errors)
    _raise_if(errors)
    with acting_as(actor):
        row, _ = Participation.objects.update_or_create(
            group=group, month=first, defaults={"participants": p, "volunteers": v, "volunteer_hours": h}
        )
    _touch(group.site)
    return row


@transaction.atomic
def participation_save_rows(
    *, actor: Any, group: CommunityGroup, rows: Iterable[Mapping[str, Any]]
) -> list[Participation]:
    """Save several months at once (the participation table), all or nothing. Each row:
    ``month``, ``participants``, ``volunteers``, ``volunteer_hours``; errors are keyed
    ``rows-<n>-<field>`` (n from 0) so a table can show them beside the cell."""
    require(actor, CHANGE, group.site)
    errors: dict[str, str] = {}
    cleaned: dict[dt.date, tuple[int, int, Decimal]] = {}
    for n, row in enumerate(rows):
        prefix = f"rows-{n}-"
        first = _check_month(group, row.get("month"), errors, f"{prefix}month")
        values = _participation_values(
            row.get("participants"), row.get("volunteers"), row.get("volunteer_hours"), errors, prefix
        )
        if first is not None and f"{prefix}month" not in errors:
            if first in cleaned:
                errors[f"{prefix}month"] = f"{first:%B %Y} is in the table twice."
            else:
                cleaned[first] = values  # type: ignore[assignment]
    _raise_if(errors)
    saved = []
    with acting_as(actor):
        for month, (p, v, h) in sorted(cleaned.items()):
            row_obj, _ = Participation.objects.update_or_create(
                group=group, month=month, defaults={"participants": p, "volunteers": v, "volunteer_hours": h}
            )
            saved.append(row_obj)
    _touch(group.site)
    return saved


@transaction.atomic
def participation_remove(*, actor: Any, row: Participation) -> None:
    require(actor, CHANGE, row.group.site)
    with acting_as(actor):
        row.delete()
    _touch(row.group.site)


# The value of an hour of volunteering --------------------------------------------------------------
@transaction.atomic
def volunteering_value_set(*, actor: Any, site: Site, per_hour: Any, basis: str = "") -> VolunteeringValue:
    """Set the site's value of one hour of volunteering (facilitators and programme admins)."""
    require(actor, SET_VALUE, site)
    errors: dict[str, str] = {}
    try:
        value = Decimal(str(per_hour).strip()).quantize(Decimal("0.01"))
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["per_hour"] = "Enter the value of an hour in pounds, like 12.21."
        value = None
    if value is not None:
        if value <= 0:
            errors["per_hour"] = "The value of an hour must be more than £0."
        elif value > VALUE_PER_HOUR_MAX:
            errors["per_hour"] = f"The value of an hour must be £{VALUE_PER_HOUR_MAX:,.0f} or less."
    basis = (basis or "").strip()
    if not basis:
        errors["basis"] = "Say where the figure comes from, for example the National Living Wage."
    elif len(basis) > 300:
        errors["basis"] = "The basis must be 300 characters or fewer."
    _raise_if(errors)
    with acting_as(actor):
        record, _ = VolunteeringValue.objects.update_or_create(
            site=site, defaults={"per_hour": value, "basis": basis, "updated_at": timezone.now()}
        )
    _touch(site)
    return record


@transaction.atomic
def volunteering_value_clear(*, actor: Any, site: Site) -> None:
    require(actor, SET_VALUE, site)
    with acting_as(actor):
        VolunteeringValue.objects.filter(site=site).delete()
    _touch(site)


# Evidence ----------------------------------------------------------------------------------------------
def group_summary(group: CommunityGroup) -> str:
    ages = ", ".join(age_labels_for(group.age_groups)) or "ages not recorded"
    text = f"{group.get_kind_display()}: {group.name} ({group.get_involvement_display().lower()}; ages {ages})"
    if group.founded_on:
        text += f", since {group.founded_on:%B %Y}"
    return text[:300]


def group_attach_evidence(*, actor: Any, group: CommunityGroup, criterion: StepCriterion) -> Evidence:
    """Attach a group or activity as evidence (kind record) for one of its site's criteria."""
    if Evidence.objects.filter(
        site=group.site,
        criterion=criterion,
        record_type__app_label="community",
        record_type__model="communitygroup",
        record_id=group.pk,
    ).exists():
        raise ValidationError({"criterion": "This group is already evidence for that criterion."})
    note_parts = []
    if group.health_priorities:
        labels = dict(HealthPriority.choices)
        note_parts.append("Health priorities: " + ", ".join(labels[p] for p in group.health_priorities) + ".")
    if group.schedule:
        note_parts.append(f"Meets {group.schedule}" + (f" at {group.venue}." if group.venue else "."))
    return programme_services.evidence_add(
        actor=actor,
        site=group.site,
        criterion=criterion,
        kind=EvidenceKind.RECORD,
        summary=group_summary(group),
        note=" ".join(note_parts),
        record=group,
        occurred_on=group.founded_on,
    )


def coverage_attach_evidence(*, actor: Any, site: Site, criterion: StepCriterion) -> Evidence:
    """Attach today's coverage (which age groups the running groups serve) as a dated evidence note."""
    from c2hub.community.selectors import coverage

    grid = coverage(site)
    if not grid.rows:
        raise ValidationError({"criterion": "No running group or activity is recorded yet: add them first."})
    summary = grid.summary
    note_lines = [
        f"{row.group.name}: {', '.join(age_labels_for(row.group.age_groups)) or 'ages not recorded'}"
        for row in grid.rows
    ]
    return programme_services.evidence_add(
        actor=actor,
        site=site,
        criterion=criterion,
        kind=EvidenceKind.NOTE,
        summary=summary[:300],
        note="\n".join(note_lines),
        occurred_on=timezone.localdate(),
    )


def age_labels_for(values: Iterable[str]) -> list[str]:
    return [_age_label(v) for v in values]


#: The columns of a participation CSV file, in any order (extra columns are ignored).
CSV_COLUMNS = ("month", "participants", "volunteers", "volunteer_hours")
CSV_MAX_BYTES = 1024 * 1024
CSV_MAX_ROWS = 600


def _csv_month(value: str) -> dt.date | None:
    text = value.strip()
    for fmt in ("%Y-%m", "%Y-%m-%d", "%m/%Y", "%d/%m/%Y", "%b %Y", "%B %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def participation_import_csv(*, actor: Any, group: CommunityGroup, file: Any) -> list[Participation]:
    """Import months from a CSV file (columns ``month``, ``participants``, ``volunteers``,
    ``volunteer_hours``; months like 2013-06), all or nothing: a missing column, an unreadable
    month or a bad number is named with its line, and nothing is saved."""
    import csv
    import io

    require(actor, CHANGE, group.site)
    if file.size is not None and file.size > CSV_MAX_BYTES:
        raise ValidationError({"file": "The file must be smaller than 1 MB."})
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The file must be a CSV file saved as UTF-8."}) from None
    finally:
        file.seek(0)
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower().replace(" ", "_") for name in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            {"file": f"The file has no column {', '.join(missing)}: the first line must name {', '.join(CSV_COLUMNS)}."}
        )
    reader.fieldnames = header
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for line, record in enumerate(reader, start=2):
        if len(rows) >= CSV_MAX_ROWS:
            raise ValidationError({"file": f"The file has more than {CSV_MAX_ROWS} months."})
        if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
            continue
        month = _csv_month(record.get("month") or "")
        if month is None:
            problems.append(f"line {line}: the month must be like 2013-06")
            continue
        rows.append({c: month if c == "month" else (record.get(c) or "").strip() for c in CSV_COLUMNS} | {"line": line})
    if problems:
        raise ValidationError({"file": "; ".join(problems[:10]) + "."})
    if not rows:
        raise ValidationError({"file": "The file has no months."})
    try:
        return participation_save_rows(
            actor=actor, group=group, rows=[{k: v for k, v in r.items() if k != "line"} for r in rows]
        )
    except ValidationError as exc:
        named = []
        for key, messages in exc.message_dict.items():
            index = int(key.split("-")[1]) if key.startswith("rows-") else None
            where = f"line {rows[index]['line']}: " if index is not None else ""
            named.extend(f"{where}{m}" for m in messages)
        raise ValidationError({"file": "; ".join(named[:10])}) from None
