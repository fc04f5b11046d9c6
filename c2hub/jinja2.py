"""The Jinja2 environment for C2 Hub's pages: GOV.UK Frontend macros, URL and static helpers,
and UK formats for dates, times and money (times stored in UTC, shown in Europe/London)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    PrefixLoader,
    pass_context,
)


def uk_date(value: dt.date | dt.datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: dt.datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def money(value: Decimal | float | int | None, empty: str = "—") -> str:
    if value is None:
        return empty
    amount = Decimal(value)
    return f"£{amount:,.0f}" if amount == amount.to_integral() else f"£{amount:,.2f}"


@pass_context
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters changed (for filters and pagination)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params, doseq=True) if params else "?"


def form_choice_items(bound_field: Any) -> list[dict[str, Any]]:
    """GOV.UK items for a choice field, with the current value(s) selected."""
    value = bound_field.value()
    chosen = {str(v) for v in value} if isinstance(value, (list, tuple)) else {str(value)}
    items = []
    for option_value, label in bound_field.field.choices:
        option_value = getattr(option_value, "value", option_value)
        option_value = "" if option_value is None else str(option_value)
        items.append(
            {"value": option_value, "text": str(label), "checked": option_value in chosen,
             "selected": option_value in chosen}
        )
    return items


def form_input_value(bound_field: Any) -> str:
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    base_loader = options.pop("loader")
    options.setdefault("autoescape", True)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    # Compiled templates are kept on disk: the GOV.UK macros are many, and compiling them again in
    # every new process (each gunicorn worker, each test run) costs seconds.
    cache_dir = settings.DATA_DIR / "cache" / "jinja2"
    cache_dir.mkdir(parents=True, exist_ok=True)
    options.setdefault("bytecode_cache", FileSystemBytecodeCache(str(cache_dir)))
    env = Environment(
        loader=ChoiceLoader(
            [
                base_loader,
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        extensions=["jinja2.ext.do"],
        **options,
    )
    env.globals.update(
        {
            "static": static,
            "url": url,
            "query_with": query_with,
            "form_choice_items": form_choice_items,
            "form_input_value": form_input_value,
            "now": timezone.now,
            "today": timezone.localdate,
        }
    )
    env.filters.update(
        {
            "uk_date": uk_date,
            "uk_datetime": uk_datetime,
            "money": money,
            "naturaltime": naturaltime,
        }
    )
    return env
