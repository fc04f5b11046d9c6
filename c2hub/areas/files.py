"""Reading the files people import: encodings, byte-order marks, gzip, zips and folders, and problems.

Every problem names the file, and where it can the line and the column, so that someone fixing
the file knows where to look. An import that finds a problem imports nothing.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: At most this many problems are listed; the total is always given.
MAX_LISTED = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an imported file."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """The file(s) cannot be imported; nothing was changed. ``problems`` says why and where."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = problems[:MAX_LISTED]
        self.total = total if total is not None else len(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.total > len(self.problems):
            lines.append(f"… and {self.total - len(self.problems)} more problem(s).")
        return "Nothing was imported. " + "\n".join(lines)


@dataclass
class Problems:
    """Collects problems (keeping the first few and counting the rest)."""

    items: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.items) < MAX_LISTED:
            self.items.append(problem)

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportRefused(self.items, self.total)


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def is_zip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _open_bytes(path: Path) -> io.BufferedIOBase:
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def sniff_encoding(path: Path) -> str:
    """``utf-8-sig`` when the file is UTF-8 (with or without a byte-order mark), else ``cp1252``.

    Files saved from Excel on Windows are often Windows-1252 ("Latin-1"); every byte decodes, so
    such a file is read rather than refused. Raises ImportRefused for a file that is not text.
    """
    name = path.name
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with _open_bytes(path) as handle:
            head = handle.read(4096)
            if b"\x00" in head:
                raise ImportRefused([Problem(name, "This is not a CSV file (it contains binary data).")])
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise ImportRefused([Problem(name, "This file is UTF-16; save it as CSV UTF-8 and import it again.")])
            decoder.decode(head)
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; ISO-8859-1 decodes every byte.
        with _open_bytes(path) as handle:
            try:
                handle.read().decode("cp1252")
            except UnicodeDecodeError:
                return "latin-1"
        return "cp1252"
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ImportRefused([Problem(name, f"The file cannot be read ({exc}); is it complete?")]) from exc
    return "utf-8-sig"


def open_text(path: Path, encoding: str) -> io.TextIOBase:
    if is_gzip(path):
        return gzip.open(path, "rt", encoding=encoding, newline="")  # type: ignore[return-value]
    return path.open("r", encoding=encoding, newline="")


def read_header(path: Path, encoding: str) -> list[str]:
    """The first row of a CSV file, stripped of spaces (empty list for an empty file)."""
    with open_text(path, encoding) as handle:
        try:
            row = next(csv.reader(handle), [])
        except csv.Error as exc:
            raise ImportRefused([Problem(path.name, f"This is not a readable CSV file: {exc}", line=1)]) from exc
    return [column.strip().lstrip("\ufeff") for column in row]


def require_columns(file: str, header: list[str], required: list[str], what: str) -> None:
    """Refuse a file that lacks any of ``required`` columns, naming them and the file."""
    missing = [column for column in required if column not in header]
    if missing:
        shown = ", ".join(f"“{c}”" for c in missing)
        found = ", ".join(f"“{c}”" for c in header[:12]) or "nothing"
        raise ImportRefused(
            [Problem(file, f"This is not {what}: missing column(s) {shown}. The first row has {found}.")]
        )


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]


def iter_rows(path: Path, encoding: str, problems: Problems) -> Iterator[CsvRow]:
    """Rows of a CSV file as dicts keyed by the (stripped) header, with their line numbers.

    A row with the wrong number of fields or a broken quote is recorded as a problem and skipped
    (the import will refuse the file at the end).
    """
    name = path.name
    with open_text(path, encoding) as handle:
        reader = csv.reader(handle)
        try:
            header = [c.strip().lstrip("\ufeff") for c in next(reader, [])]
        except csv.Error as exc:
            problems.add(Problem(name, f"This is not a readable CSV file: {exc}", line=1))
            return
        width = len(header)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems.add(Problem(name, f"The row cannot be read: {exc}", line=reader.line_num))
                return
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                problems.add(
                    Problem(name, f"The row has {len(row)} fields but the header has {width}.", line=reader.line_num)
                )
                continue
            yield CsvRow(reader.line_num, dict(zip(header, row, strict=True)))


def parse_number(text: str) -> float | None:
    """A number as written in the published files: thousands separators allowed, empty is None."""
    cleaned = text.strip().replace(",", "").replace("£", "").replace("%", "")
    if cleaned in {"", "NA", "N/A", "..", ":", "x", "c", "z"}:
        return None
    return float(cleaned)


def parse_int(text: str) -> int | None:
    number = parse_number(text)
    if number is None:
        return None
    if not number.is_integer():
        raise ValueError(f"{text!r} is not a whole number")
    return int(number)


def csv_files(paths: list[Path], pattern: str, workdir: Path) -> tuple[list[Path], list[str]]:
    """The CSV files among ``paths``: files, folders (their ``pattern`` files, else every CSV) and zips.

    Zip members matching ``pattern`` are extracted to ``workdir``. Returns the files and display
    names (``archive.zip!2024-01/2024-01-kent-street.csv`` for a zip member).
    """
    files: list[Path] = []
    names: list[str] = []
    for path in paths:
        if not path.exists():
            raise ImportRefused([Problem(str(path), "There is no such file or folder.")])
        if path.is_dir():
            found = sorted(path.rglob(pattern)) or sorted(path.rglob("*.csv"))
            if not found:
                raise ImportRefused([Problem(str(path), f"The folder holds no CSV files ({pattern}).")])
            files.extend(found)
            names.extend(str(f.relative_to(path.parent)) for f in found)
        elif is_zip(path):
            extracted = _extract_zip(path, pattern, workdir)
            files.extend(extracted)
            names.extend(f"{path.name}!{f.relative_to(workdir / path.stem)}" for f in extracted)
        else:
            files.append(path)
            names.append(path.name)
    return files, names


def _extract_zip(path: Path, pattern: str, workdir: Path) -> list[Path]:
    target = workdir / path.stem
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            wanted = [m for m in members if Path(m.filename).match(pattern)]
            if not wanted:
                wanted = [m for m in members if m.filename.lower().endswith(".csv")]
            if not wanted:
                raise ImportRefused([Problem(path.name, f"The zip archive holds no CSV files ({pattern}).")])
            out = []
            for member in wanted:
                name = Path(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise ImportRefused(
                        [Problem(path.name, f"The archive member {member.filename} has an unsafe path.")]
                    )
                archive.extract(member, target)
                out.append(target / name)
            return sorted(out)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, OSError) as exc:
        raise ImportRefused(
            [Problem(path.name, f"The zip archive is damaged or incomplete ({exc}); download it again.")]
        ) from exc
