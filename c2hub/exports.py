"""CSV downloads: the one way every list in C2 Hub is exported.

Cells that a spreadsheet would run as a formula (=, +, -, @ …) are prefixed with an apostrophe
(CSV injection), the file starts with a byte-order mark so Excel reads it as UTF-8, and rows are
streamed so a long audit log does not have to fit in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """A cell as text, never a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_PREFIXES else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(v) for v in row])


def csv_download(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A CSV attachment called ``<name>-<today>.csv``."""
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
