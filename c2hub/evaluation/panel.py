"""Checking and reshaping a long panel (one row per unit and period) for the evaluation methods.

Everything here raises `EvaluationError` with a message that names what is wrong (the column,
the unit, the value), so the command line and the pages can show it as it is.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd


class EvaluationError(ValueError):
    """Bad input to an evaluation method; the message says what is wrong in plain words."""


def require_columns(panel: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise if any of `columns` is not in the panel, naming the missing ones and the ones there are."""
    missing = [c for c in dict.fromkeys(columns) if c not in panel.columns]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        have = ", ".join(repr(str(c)) for c in panel.columns)
        word = "column" if len(missing) == 1 else "columns"
        raise EvaluationError(f"The panel has no {word} {names} (its columns are: {have}).")


def numeric_column(panel: pd.DataFrame, column: str) -> pd.Series:
    """The column as floats; raise naming the first value that is not a number (empty cells are missing)."""
    series = panel[column]
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    as_text = series.astype("string").str.strip()
    as_text = as_text.mask(as_text == "")
    converted = pd.to_numeric(as_text, errors="coerce")
    bad = converted.isna() & as_text.notna()
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        value = as_text.iloc[position]
        raise EvaluationError(
            f"Column {column!r} must hold numbers, but row {position + 1} of the panel has {value!r}."
        )
    return converted.astype(float)


def unit_labels(panel: pd.DataFrame, unit: str) -> pd.Series:
    """Unit identifiers as text (so 3, "3" and 3.0 read from a file are the same unit)."""
    series = panel[unit]
    if pd.api.types.is_float_dtype(series) and series.dropna().apply(float.is_integer).all():
        series = series.astype("Int64")
    labels = series.astype("string")
    if labels.isna().any():
        position = int(np.flatnonzero(labels.isna().to_numpy())[0])
        raise EvaluationError(f"Column {unit!r} is empty in row {position + 1} of the panel; every row needs a unit.")
    return labels.astype(str)


def unit_label(value: Hashable) -> str:
    """One unit identifier as text, the same way as `unit_labels`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def time_values(panel: pd.DataFrame, time: str) -> pd.Series:
    """The time column: numbers stay numbers, dates stay dates, anything else is text (e.g. "2024-01")."""
    series = panel[time]
    if series.isna().any():
        position = int(np.flatnonzero(series.isna().to_numpy())[0])
        raise EvaluationError(f"Column {time!r} is empty in row {position + 1} of the panel; every row needs a period.")
    if pd.api.types.is_float_dtype(series) and series.apply(float.is_integer).all():
        return series.astype(int)
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
        return series
    return series.astype(str)


def coerce_time(value: Any, times: pd.Series, what: str) -> Any:
    """Turn a period given on the command line or by a caller into the type of the panel's time column."""
    if value is None:
        return None
    try:
        if pd.api.types.is_integer_dtype(times):
            number = float(value)
            if not number.is_integer():
                raise ValueError
            return int(number)
        if pd.api.types.is_numeric_dtype(times):
            return float(value)
        if pd.api.types.is_datetime64_any_dtype(times):
            return pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise EvaluationError(f"{what} {value!r} is not a period like the panel's (e.g. {times.iloc[0]}).") from exc
    return str(value)


def check_unique(panel: pd.DataFrame, unit_col: pd.Series, time_col: pd.Series, unit: str, time: str) -> None:
    """Raise if a unit has two rows for the same period."""
    duplicated = pd.DataFrame({"u": unit_col, "t": time_col}).duplicated()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise EvaluationError(
            f"The panel has more than one row for {unit} {unit_col.iloc[position]!r} and {time} "
            f"{time_col.iloc[position]!r} (row {position + 1}); give one row per unit and period."
        )


def periods_between(times: Sequence[Any], start: Any, end: Any) -> list[Any]:
    """The panel's periods from `start` to `end`, both included."""
    return [t for t in times if start <= t <= end]


def format_units(units: Iterable[str], limit: int = 8) -> str:
    """A short list of unit names for a message."""
    items = [repr(u) for u in units]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return ", ".join(items)
