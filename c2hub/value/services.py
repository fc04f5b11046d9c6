"""Every write for value for money: the programme's unit-cost library (add, edit, CSV import, the
open Home Office figures) and a site's saved scenarios; and the one place inputs are turned into a
calculation (``scenario_compute``), used by the page, the API and the demo alike.

Permissions (``c2hub/accounts/rules.py``): ``value.change_unit_costs`` on the programme,
``value.run_value_for_money`` on the site. ``actor=None`` is the system (the demo loader).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require, signed_in_user
from c2hub.programmes.models import Programme, Site
from c2hub.programmes.services import _touch
from c2hub.value import calculation as calc
from c2hub.value import selectors
from c2hub.value.models import Scenario, UnitCost

UNIT_COST_FIELDS = (
    "name",
    "cost_of",
    "amount",
    "unit",
    "crime_category",
    "source_citation",
    "source_url",
    "source_year",
    "price_base_year",
    "licence",
    "shares",
    "notes",
)
CSV_COLUMNS = (
    "name",
    "cost_of",
    "amount",
    "unit",
    "crime_category",
    "source_citation",
    "source_url",
    "source_year",
    "price_base_year",
    "licence",
    "shares",
    "notes",
)
REQUIRED_CSV = ("name", "cost_of", "amount", "source_citation", "source_year", "price_base_year", "licence", "shares")
MAX_IMPORT_BYTES = 1024 * 1024
ASSUMPTION_NAMES = ("deadweight", "attribution", "displacement", "drop_off", "optimism_bias")


# Unit costs -----------------------------------------------------------------------------------
def parse_shares(text: str) -> dict[str, Decimal]:
    """ "police=19.73; unallocated=80.27" → {"police": 19.73, …} (per cent)."""
    shares: dict[str, Decimal] = {}
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        key, sep, value = part.partition("=")
        key = key.strip().lower().replace(" ", "_")
        if not sep:
            raise ValidationError({"shares": f"“{part}” is not bearer=per cent (e.g. police=25)."})
        try:
            shares[key] = Decimal(value.strip().rstrip("%"))
        except InvalidOperation:
            raise ValidationError({"shares": f"“{value.strip()}” is not a number."}) from None
    return shares


def _validated(programme: Programme, values: Mapping[str, Any], instance: UnitCost | None) -> dict[str, Any]:
    data = {k: values[k] for k in UNIT_COST_FIELDS if k in values}
    errors: dict[str, str] = {}
    shares = data.get("shares", instance.shares if instance else {})
    if isinstance(shares, str):
        shares = parse_shares(shares)
    try:
        fractions = {str(k): float(Decimal(str(v))) / 100 for k, v in dict(shares).items()}
    except (InvalidOperation, ValueError):
        fractions = {"": -1.0}
    share_errors = calc.check_shares(fractions)
    if share_errors:
        errors.update(share_errors)
    else:
        data["shares"] = {k: float(Decimal(str(v))) for k, v in dict(shares).items() if Decimal(str(v)) != 0}
    amount = data.get("amount", instance.amount if instance else None)
    try:
        amount = Decimal(str(amount))
        if not amount.is_finite() or amount < 0:
            errors["amount"] = "The amount must be zero or more."
        data["amount"] = amount
    except InvalidOperation:
        errors["amount"] = "The amount must be a number of pounds, e.g. 11320."
    for year_field in ("source_year", "price_base_year"):
        if year_field in data:
            try:
                year = int(data[year_field])
                if not 1900 <= year <= 2100:
                    raise ValueError
                data[year_field] = year
            except (TypeError, ValueError):
                errors[year_field] = "Give a year between 1900 and 2100."
    name = str(data.get("name", instance.name if instance else "")).strip()
    if (
        name
        and UnitCost.objects.filter(programme=programme, name=name)
        .exclude(pk=instance.pk if instance else None)
        .exists()
    ):
        errors["name"] = "The library already has a unit cost with this name."
    if errors:
        raise ValidationError(errors)
    record = instance or UnitCost(programme=programme)
    for key, value in data.items():
        setattr(record, key, value.strip() if isinstance(value, str) else value)
    try:
        record.full_clean(exclude=["programme", "created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    return data


@transaction.atomic
def unit_cost_create(*, actor: Any, programme: Programme, **values: Any) -> UnitCost:
    require(actor, "value.change_unit_costs", programme)
    record = UnitCost(programme=programme, created_by=signed_in_user(actor))
    for key, value in _validated(programme, values, None).items():
        setattr(record, key, value.strip() if isinstance(value, str) else value)
    with acting_as(actor):
        record.save()
    return record


@transaction.atomic
def unit_cost_update(*, actor: Any, unit_cost: UnitCost, **changes: Any) -> UnitCost:
    require(actor, "value.change_unit_costs", unit_cost.programme)
    for key, value in _validated(unit_cost.programme, changes, unit_cost).items():
        setattr(unit_cost, key, value.strip() if isinstance(value, str) else value)
    unit_cost.updated_at = timezone.now()
    with acting_as(actor):
        unit_cost.save()
    return unit_cost


@transaction.atomic
def unit_cost_delete(*, actor: Any, unit_cost: UnitCost) -> None:
    require(actor, "value.change_unit_costs", unit_cost.programme)
    with acting_as(actor):
        unit_cost.delete()


def unit_costs_import_csv(*, actor: Any, programme: Programme, data: bytes) -> list[UnitCost]:
    """Add (or, by name, replace) unit costs from a CSV file with the library's columns. All or
    nothing: any bad line refuses the whole file, each error naming its line."""
    require(actor, "value.change_unit_costs", programme)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": "The file is larger than 1 MB."})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The file is not UTF-8 text (save it as “CSV UTF-8”)."}) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_CSV if c not in header]
    if missing:
        raise ValidationError({"file": "Missing columns: " + ", ".join(missing) + "."})
    reader.fieldnames = header
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    for line_no, row in enumerate(reader, start=2):
        values = {k: (row.get(k) or "").strip() for k in CSV_COLUMNS if k in header}
        if not any(values.values()):
            continue
        values.setdefault("unit", "per offence")
        if not values.get("unit"):
            values["unit"] = "per offence"
        rows.append({"line": line_no, **values})
    if not rows:
        raise ValidationError({"file": "The file has no unit costs."})
    saved: list[UnitCost] = []
    with transaction.atomic():
        for row in rows:
            line = row.pop("line")
            existing = UnitCost.objects.filter(programme=programme, name=row.get("name", "")).first()
            try:
                with transaction.atomic():
                    if existing:
                        saved.append(unit_cost_update(actor=actor, unit_cost=existing, **row))
                    else:
                        saved.append(unit_cost_create(actor=actor, programme=programme, **row))
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.extend(f"Line {line}: {field}: {m}" for m in messages)
        if errors:
            raise ValidationError({"file": errors})
    return saved


#: The open figures pre-loaded into a programme's library. Each is quoted exactly from the Home
#: Office report's per-offence unit costs (2015/16 prices, all costs: in anticipation, as a
#: consequence and in response). Only figures we could confirm are here; see docs/value-for-money.md.
HOME_OFFICE_CITATION = (
    "Heeks, M., Reed, S., Tafsiri, M. and Prince, S. (2018) The economic and social costs of crime, "
    "second edition. Home Office Research Report 99, July 2018. Unit costs per crime, 2015/16 prices."
)
HOME_OFFICE_URL = "https://www.gov.uk/government/publications/the-economic-and-social-costs-of-crime"
HOME_OFFICE_LICENCE = "Open Government Licence v3.0"
HOME_OFFICE_COSTS: tuple[dict[str, Any], ...] = (
    {
        "name": "Violence with injury (Home Office 2018)",
        "cost_of": "one violence with injury offence against an individual",
        "amount": "14050",
        "crime_category": "violent-crime",
        "shares": {"unallocated": 100},
    },
    {
        "name": "Robbery (Home Office 2018)",
        "cost_of": "one robbery of an individual",
        "amount": "11320",
        "crime_category": "robbery",
        "shares": {"unallocated": 100},
    },
    {
        "name": "Theft of a vehicle (Home Office 2018)",
        "cost_of": "one theft of a vehicle",
        "amount": "10290",
        "crime_category": "vehicle-crime",
        "shares": {"police": "19.73", "unallocated": "80.27"},
        "notes": "Police share: £2,030 of £10,290 (19.73%), as quoted from the report; "
        "the rest is not split by agency here.",
    },
    {
        "name": "Theft from a vehicle (Home Office 2018)",
        "cost_of": "one theft from a vehicle",
        "amount": "870",
        "crime_category": "vehicle-crime",
        "shares": {"unallocated": 100},
    },
    {
        "name": "Criminal damage — arson (Home Office 2018)",
        "cost_of": "one arson",
        "amount": "8420",
        "crime_category": "criminal-damage-arson",
        "shares": {"unallocated": 100},
    },
    {
        "name": "Criminal damage — other (Home Office 2018)",
        "cost_of": "one criminal damage offence other than arson",
        "amount": "1350",
        "crime_category": "criminal-damage-arson",
        "shares": {"unallocated": 100},
    },
    {
        "name": "Rape (Home Office 2018)",
        "cost_of": "one rape",
        "amount": "39360",
        "crime_category": "violent-crime",
        "shares": {"police": "16.16", "unallocated": "83.84"},
        "notes": "Police share: £6,360 of £39,360 (16.16%), as quoted from the report; "
        "the rest is not split by agency here.",
    },
    {
        "name": "Other sexual offences (Home Office 2018)",
        "cost_of": "one sexual offence other than rape",
        "amount": "6520",
        "crime_category": "violent-crime",
        "shares": {"unallocated": 100},
    },
)


@transaction.atomic
def home_office_costs_load(*, actor: Any, programme: Programme) -> list[UnitCost]:
    """Add the open Home Office figures to a programme's library (those not already there, by name)."""
    require(actor, "value.change_unit_costs", programme)
    added = []
    for figure in HOME_OFFICE_COSTS:
        if UnitCost.objects.filter(programme=programme, name=figure["name"]).exists():
            continue
        added.append(
            unit_cost_create(
                actor=actor,
                programme=programme,
                unit="per offence",
                source_citation=HOME_OFFICE_CITATION,
                source_url=HOME_OFFICE_URL,
                source_year=2018,
                price_base_year=2015,
                licence=HOME_OFFICE_LICENCE,
                **{"notes": "", **figure},
            )
        )
    return added


# Scenarios ------------------------------------------------------------------------------------
def _number(value: Any, field: str, errors: dict[str, str]) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[field] = "Enter a number."
        return None
    if not math.isfinite(number):
        errors[field] = "Enter a number."
        return None
    return number


def _range(value: Any, name: str, errors: dict[str, str]) -> calc.Range3:
    default: calc.Range3 = getattr(calc.Assumptions(), name)
    if value is None:
        return default
    if isinstance(value, (int, float, str)):
        value = {"central": value}
    out = {}
    for case in calc.SCENARIOS:
        number = _number(value.get(case), f"{name}.{case}", errors)
        out[case] = default.pick(case) if number is None else number / 100
    if any(v < 0 for v in out.values()):
        errors[name] = "A percentage cannot be negative."
    return calc.Range3(**out)


def build_inputs(site: Site, data: Mapping[str, Any]) -> tuple[calc.Inputs, dict[str, Any]]:
    """Turn a request (the page's form or the API's JSON; percentages as per cent) into the
    calculation's inputs, resolving unit costs from the site's programme library and programme
    costs from the site's funding lines when none are given. Raises ValidationError."""
    errors: dict[str, str] = {}
    meta: dict[str, Any] = {}
    library = {c.pk: c for c in selectors.unit_costs(site.programme)}
    outcomes: list[calc.OutcomeIn] = []
    for i, row in enumerate(data.get("outcomes") or []):
        where = f"outcomes[{i}]"
        effect = _number(row.get("effect"), where, errors)
        low, high = _number(row.get("ci_low"), where, errors), _number(row.get("ci_high"), where, errors)
        uc_id = row.get("unit_cost_id")
        unit_cost = None
        if uc_id not in (None, ""):
            try:
                record = library.get(int(uc_id))
            except (TypeError, ValueError):
                record = None
            if record is None:
                errors[where] = f"Unknown unit cost {uc_id}: it is not in {site.programme.name}'s library."
            else:
                unit_cost = calc.UnitCostIn(
                    name=record.name,
                    amount=float(record.amount),
                    price_base_year=record.price_base_year,
                    shares={k: float(v) / 100 for k, v in record.shares.items()},
                    source=record.source_citation,
                )
        if effect is None and where not in errors:
            errors[where] = "Give the effect a year (negative = fewer)."
        if effect is not None:
            outcomes.append(
                calc.OutcomeIn(str(row.get("label") or f"Outcome {i + 1}")[:200], effect, low, high, unit_cost)
            )
    horizon = data.get("horizon_years", 5)
    try:
        horizon = int(horizon)
    except (TypeError, ValueError):
        errors["horizon_years"] = "Enter a whole number of years."
        horizon = 5
    first_year = int(data.get("first_year") or site.start_date.year)
    start_year = int(data.get("benefits_start_year") or first_year)
    raw_costs = data.get("costs")
    if raw_costs in (None, {}):
        costs, lines = selectors.funding_costs(site)
        meta["costs_from"] = "funding lines"
        meta["funding_lines"] = lines
    else:
        costs = {}
        for year, amount in dict(raw_costs).items():
            number = _number(amount, "costs", errors)
            try:
                costs[int(year)] = number or 0.0
            except (TypeError, ValueError):
                errors["costs"] = f"“{year}” is not a year."
        meta["costs_from"] = "entered"
    deflators = {}
    for year, index in dict(data.get("deflators") or {}).items():
        number = _number(index, "deflators", errors)
        try:
            deflators[int(year)] = number if number is not None else 0.0
        except (TypeError, ValueError):
            errors["deflators"] = f"“{year}” is not a year."
    rate = _number(data.get("discount_rate_percent", 3.5), "discount_rate", errors)
    assumptions = calc.Assumptions(
        **{n: _range((data.get("assumptions") or {}).get(n), n, errors) for n in ASSUMPTION_NAMES}
    )
    bearer = data.get("commissioner_bearer")
    if bearer is None:
        bearer = selectors.commissioner_bearer(site)
    if errors:
        raise ValidationError(errors)
    price_year = data.get("price_year")
    inputs = calc.Inputs(
        outcomes=outcomes,
        assumptions=assumptions,
        horizon_years=horizon,
        first_year=first_year,
        benefits_start_year=start_year,
        costs=costs,
        price_year=int(price_year) if price_year not in (None, "") else None,
        deflators=deflators,
        discount_rate=(rate if rate is not None else 3.5) / 100,
        commissioner_bearer=bearer or "",
        commissioner_name=site.commissioner.name if site.commissioner_id and site.commissioner else "",
    )
    return inputs, meta


def scenario_compute(*, actor: Any, site: Site, data: Mapping[str, Any]) -> dict[str, Any]:
    """Compute from inputs without saving. Raises ValidationError with the reason for bad inputs."""
    require(actor, "value.run_value_for_money", site)
    inputs, meta = build_inputs(site, data)
    try:
        results = calc.compute(inputs)
    except calc.CalculationError as exc:
        raise ValidationError(exc.errors) from None
    return {**results, **meta}


@transaction.atomic
def scenario_save(
    *,
    actor: Any,
    site: Site,
    title: str,
    data: Mapping[str, Any],
    illustrative: bool = False,
    evaluation_run_id: int | None = None,
) -> Scenario:
    """Compute and keep a scenario (its inputs and every figure) so a board report can quote it."""
    results = scenario_compute(actor=actor, site=site, data=data)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Give the scenario a title."})
    run = None
    if evaluation_run_id:
        run = selectors.evaluation_effect(site, int(evaluation_run_id))["run"]
    scenario = Scenario(
        site=site,
        title=title[:200],
        illustrative=illustrative,
        evaluation_run=run,
        inputs=dict(data),
        results=results,
        created_by=signed_in_user(actor),
    )
    with acting_as(actor):
        scenario.save()
    _touch(site)
    return scenario


@transaction.atomic
def scenario_delete(*, actor: Any, scenario: Scenario) -> None:
    require(actor, "value.run_value_for_money", scenario.site)
    with acting_as(actor):
        scenario.delete()
