"""Imports into the area-statistics store: police.uk crime, deprivation, population, lookups,
boundaries and generic indicator files.

Every import is idempotent (the keys a file holds — a force-month, an edition's domain, a year —
are replaced, never added to) and atomic (a file with any problem imports nothing and says which
lines and columns are wrong). LSOA codes are checked against the lookups, so the lookups are
imported first (``c2hub import lookup``); an unknown code is reported, never dropped.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from c2hub.areas import store
from c2hub.areas.files import (
    ImportRefused,
    Problem,
    Problems,
    csv_files,
    is_gzip,
    iter_rows,
    parse_int,
    parse_number,
    read_header,
    require_columns,
    sniff_encoding,
)

#: Called with the fraction done (0–1) and what is happening.
Progress = Callable[[float, str], None]

LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

POLICE_REQUIRED = ["Month", "Reported by", "LSOA code", "Crime type"]

#: Official number of LSOAs per edition of the English indices (for the national percentile).
IMD_LSOA_COUNT = {2004: 32482, 2007: 32482, 2010: 32482, 2015: 32844, 2019: 32844, 2025: 33755}

IMD_DOMAINS: dict[str, str] = {
    "imd": "Index of Multiple Deprivation",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing": "Barriers to Housing and Services",
    "environment": "Living Environment",
}


def _nothing(fraction: float, message: str) -> None:
    return None


@dataclass
class ImportResult:
    """What an import did: shown by the CLI and the upload page, and kept in the manifest."""

    dataset: str
    files: list[str]
    rows_read: int
    rows_stored: int
    replaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"Imported {self.rows_read:,} rows from {len(self.files)} file(s) into {self.dataset} "
            f"({self.rows_stored:,} rows stored)."
        )
        if self.replaced:
            shown = ", ".join(self.replaced[:6]) + (" …" if len(self.replaced) > 6 else "")
            text += f" Replaced: {shown}."
        return " ".join([text, *self.notes])


def _record(result: ImportResult) -> ImportResult:
    store.manifest_add(
        {
            "dataset": result.dataset,
            "files": result.files,
            "rows_read": result.rows_read,
            "rows_stored": result.rows_stored,
            "replaced": result.replaced[:200],
            "notes": result.notes,
        }
    )
    return result


# ---------------------------------------------------------------------------------------------
# Known LSOA codes (from the lookups)


@dataclass(frozen=True)
class KnownCodes:
    lsoa21: frozenset[str]
    lsoa11: frozenset[str]

    def vintage_of(self, code: str) -> int | None:
        if code in self.lsoa21:
            return 2021
        if code in self.lsoa11:
            return 2011
        return None


def known_codes(con: duckdb.DuckDBPyConnection) -> KnownCodes:
    if not store.has("lsoa21_geo") and not store.has("lsoa11_lsoa21"):
        raise ImportRefused(
            [
                Problem(
                    "lookups",
                    "Import the LSOA lookups first (c2hub import lookup lookup_lsoa21_ward24_ltla24.csv "
                    "lookup_lsoa11_lsoa21_ltla22.csv): LSOA codes are checked against them.",
                )
            ]
        )
    l21 = con.execute(
        f"SELECT lsoa FROM {store.source('lsoa21_geo')} UNION SELECT lsoa21 FROM {store.source('lsoa11_lsoa21')}"
    ).fetchall()
    l11 = con.execute(f"SELECT DISTINCT lsoa11 FROM {store.source('lsoa11_lsoa21')}").fetchall()
    return KnownCodes(frozenset(r[0] for r in l21), frozenset(r[0] for r in l11))


def _create_known_table(con: duckdb.DuckDBPyConnection) -> None:
    known_codes(con)  # refuses when there are no lookups
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE known AS
        SELECT code, bool_or(v = 2021) AS in21, bool_or(v = 2011) AS in11 FROM (
            SELECT lsoa AS code, 2021 AS v FROM {store.source("lsoa21_geo")}
            UNION ALL SELECT lsoa21, 2021 FROM {store.source("lsoa11_lsoa21")}
            UNION ALL SELECT lsoa11, 2011 FROM {store.source("lsoa11_lsoa21")}
        ) GROUP BY code"""
    )


# ---------------------------------------------------------------------------------------------
# police.uk street-level crime


def import_police(paths: Iterable[Path], progress: Progress = _nothing) -> ImportResult:
    """Import police.uk street-level crime: CSVs, folders of them or the monthly archive zip.

    Stored as counts of rows per (month, force, LSOA, LSOA vintage, crime type); rows without an
    LSOA are counted as unlocated for their force and month. Each force-month in the files
    replaces what the store held for it.
    """
    paths = [Path(p) for p in paths]
    with tempfile.TemporaryDirectory(dir=store.store_dir() / ".tmp" if _tmp_ready() else None) as work:
        progress(0.0, "Reading the files")
        files, names = csv_files(paths, "*-street.csv*", Path(work))
        display = dict(zip([str(f) for f in files], names, strict=True))
        groups: dict[tuple[str, ...], list[Path]] = defaultdict(list)
        for file, name in zip(files, names, strict=True):
            groups[tuple(_check_police_file(file, name))].append(file)
        with store.import_lock():
            con = store.import_connection()
            try:
                return _import_police(con, groups, files, display, progress)
            finally:
                con.close()


def _tmp_ready() -> bool:
    (store.store_dir() / ".tmp").mkdir(exist_ok=True)
    return True


def _check_police_file(file: Path, name: str) -> list[str]:
    with file.open("rb") as handle:
        head = handle.read(4096)
    if is_gzip(file):
        import gzip

        with gzip.open(file, "rb") as handle:
            try:
                head = handle.read(4096)
            except (OSError, EOFError) as exc:
                raise ImportRefused([Problem(name, f"The gzip file is damaged ({exc}).")]) from exc
    if b"\x00" in head or not head.strip():
        reason = "it is empty" if not head.strip() else "it contains binary data"
        raise ImportRefused([Problem(name, f"This is not a police.uk CSV file ({reason}).")])
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "latin-1"
    header = read_header(file, encoding)
    require_columns(name, header, POLICE_REQUIRED, "a police.uk street-level crime file")
    return header


def _read_csv_sql(groups: dict[tuple[str, ...], list[Path]], ids: dict[str, int], encoding: str) -> str:
    """One relation of the needed columns over every file, each row with its file's number."""
    parts = []
    for header, files in groups.items():
        columns = "{" + ", ".join(f"'{c.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for c in header) + "}"
        needed = ", ".join(f'"{c}"' for c in POLICE_REQUIRED)
        for file in files:
            parts.append(
                f"SELECT {ids[str(file)]} AS file, {needed} FROM read_csv({store.sql_path(file)}, header = true, "
                f"columns = {columns}, store_rejects = true, delim = ',', quote = '\"', escape = '\"', "
                f"encoding = '{encoding}')"
            )
    return "(" + " UNION ALL ".join(parts) + ")"


def _run_with_progress(con: duckdb.DuckDBPyConnection, sql: str, progress: Progress, start: float, end: float) -> None:
    """Run a long statement, reporting DuckDB's own progress between ``start`` and ``end``."""
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.25):
            try:
                pct = con.query_progress()
            except Exception:  # the connection is busy or finished: try again on the next tick
                continue
            if pct >= 0:
                progress(start + (end - start) * min(pct, 100) / 100, "Counting crimes")

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        con.execute(sql)
    finally:
        done.set()
        watcher.join()


def _import_police(
    con: duckdb.DuckDBPyConnection,
    groups: dict[tuple[str, ...], list[Path]],
    files: list[Path],
    display: dict[str, str],
    progress: Progress,
) -> ImportResult:
    """Read, aggregate, sort and write the new rows in one pass to a temporary Parquet file, check
    them there, then put them into the store in place of the force-months they hold."""
    con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
    _create_known_table(con)
    ids = {str(file): index for index, file in enumerate(files)}
    work = store.store_dir() / ".tmp" / f"crime-{os.getpid()}-{threading.get_ident()}.parquet"
    aggregate = f"""COPY (
        SELECT {store.casts("crime")} FROM (
            SELECT month, force, lsoa, 2021 AS vintage, crime_type, count, file
            FROM (SELECT file, "Month" AS month, "Reported by" AS force, NULLIF("LSOA code", '') AS lsoa,
                         "Crime type" AS crime_type, count(*) AS count
                  FROM {{source}} GROUP BY ALL))
        ORDER BY {store.ORDER["crime"]}
    ) TO {store.sql_path(work)} (FORMAT parquet, COMPRESSION {store.COMPRESSION["crime"]},
          ROW_GROUP_SIZE {store.ROW_GROUP_SIZE})"""
    try:
        notes = _aggregate_police(con, aggregate, groups, ids, display, progress)
        con.execute(f"CREATE OR REPLACE VIEW agg AS SELECT * FROM read_parquet({store.sql_path(work)})")
        progress(0.8, "Checking the rows")
        problems = Problems()
        _police_rejects(con, display, problems)
        _police_values(con, files, display, problems)
        problems.raise_if_any()
        rows_read = int(con.execute("SELECT coalesce(sum(count), 0) FROM agg").fetchone()[0])  # type: ignore[index]
        if rows_read == 0:
            raise ImportRefused([Problem(", ".join(display.values()), "The file(s) hold no rows of crime.")])
        con.execute("CREATE OR REPLACE TEMP TABLE keys AS SELECT DISTINCT force, month FROM agg")
        # Codes that only exist on 2011 LSOAs (older police.uk files) are stored with vintage 2011.
        con.execute(
            """CREATE OR REPLACE TEMP TABLE old_codes AS SELECT d.lsoa FROM (SELECT DISTINCT lsoa FROM agg) d
               JOIN known k ON k.code = d.lsoa WHERE k.in11 AND NOT k.in21"""
        )
        has_2011 = bool(con.execute("SELECT count(*) FROM old_codes").fetchone()[0])  # type: ignore[index]
        progress(0.9, "Writing the store")
        if store.has("crime") or has_2011:
            stored = store.replace_dataset(
                con,
                "crime",
                f"""SELECT c.* FROM {store.source("crime")} c
                    ANTI JOIN keys k ON c.force = k.force AND c.month = k.month
                    UNION ALL
                    SELECT month, force, lsoa,
                           CASE WHEN lsoa IN (SELECT lsoa FROM old_codes) THEN 2011 ELSE 2021 END AS vintage,
                           crime_type, count, file
                    FROM agg""",
            )
        else:  # already in the dataset's shape and order
            con.execute("DROP VIEW agg")
            stored = store.adopt_file(con, "crime", work)
            con.execute(f"CREATE VIEW agg AS SELECT * FROM {store.source('crime')}")
        keys = con.execute("SELECT force || ' ' || month FROM keys ORDER BY month, force").fetchall()
        unlocated = con.execute("SELECT coalesce(sum(count), 0) FROM agg WHERE lsoa IS NULL").fetchone()[0]  # type: ignore[index]
        only_2021 = con.execute(
            """SELECT count(*) FROM (SELECT DISTINCT lsoa FROM agg) d JOIN known k ON k.code = d.lsoa
               WHERE k.in21 AND NOT k.in11"""
        ).fetchone()[0]  # type: ignore[index]
        vintages = [v for v, present in ((2011, has_2011), (2021, only_2021 or not has_2011)) if present]
    finally:
        con.execute("DROP VIEW IF EXISTS agg")
        work.unlink(missing_ok=True)
    notes.append(f"{unlocated:,} rows had no LSOA and are counted as unlocated for their force and month.")
    if vintages:
        notes.append("LSOA codes: " + " and ".join(str(v) for v in vintages) + ".")
    progress(1.0, "Done")
    return _record(ImportResult("crime", list(display.values()), rows_read, stored, [k[0] for k in keys], notes))


def _aggregate_police(
    con: duckdb.DuckDBPyConnection,
    aggregate: str,
    groups: dict[tuple[str, ...], list[Path]],
    ids: dict[str, int],
    display: dict[str, str],
    progress: Progress,
) -> list[str]:
    """Run the aggregation as UTF-8, or again as Latin-1 when the files are not UTF-8 (saying so)."""
    for encoding in ("utf-8", "latin-1"):
        try:
            _run_with_progress(con, aggregate.format(source=_read_csv_sql(groups, ids, encoding)), progress, 0.02, 0.8)
        except duckdb.InvalidInputException as exc:
            if "unicode" not in str(exc).lower() or encoding != "utf-8":
                raise ImportRefused(
                    [Problem(", ".join(display.values()), f"The CSV cannot be read: {_first_line(exc)}")]
                ) from exc
        except duckdb.Error as exc:
            raise ImportRefused(
                [Problem(", ".join(display.values()), f"The CSV cannot be read: {_first_line(exc)}")]
            ) from exc
        else:
            invalid = con.execute(
                "SELECT count(*) FROM reject_errors WHERE error_type IN ('INVALID UNICODE', 'INVALID ENCODING')"
            ).fetchone()
            if not (invalid and invalid[0]):
                return [] if encoding == "utf-8" else ["The file(s) were not UTF-8 and were read as Latin-1."]
        # Not UTF-8: read as Latin-1 (Windows-1252 files saved from Excel), and say so.
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    return ["The file(s) were not UTF-8 and were read as Latin-1."]


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


def _police_rejects(con: duckdb.DuckDBPyConnection, display: dict[str, str], problems: Problems) -> None:
    rows = con.execute(
        """SELECT s.file_path, e.line, e.column_name, e.error_type, e.error_message
           FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) ORDER BY s.file_path, e.line"""
    ).fetchall()
    for file_path, line, column, error_type, message in rows:
        text = {
            "MISSING COLUMNS": "The row has too few fields.",
            "TOO MANY COLUMNS": "The row has too many fields.",
            "UNQUOTED VALUE": "A value has a stray quote.",
            "INVALID UNICODE": "The row has characters that are not text.",
            "INVALID ENCODING": "The row has characters that are not text.",
        }.get(str(error_type), str(message).splitlines()[0])
        problems.add(Problem(display.get(file_path, Path(file_path).name), text, line=int(line), column=column))


def _police_values(
    con: duckdb.DuckDBPyConnection, files: list[Path], display: dict[str, str], problems: Problems
) -> None:
    """Bad months, empty force or crime type, unknown LSOA codes and force-months in two files.

    Checked on the distinct values (a few hundred, and one row per LSOA), not on every row.
    """
    bad = con.execute(
        r"""WITH keys AS (SELECT DISTINCT file, month, force, crime_type FROM agg),
                 codes AS (SELECT DISTINCT file, lsoa FROM agg WHERE lsoa IS NOT NULL)
            SELECT file, month, force, NULL AS lsoa, crime_type,
                   NOT regexp_full_match(coalesce(month, ''), '\d{4}-(0[1-9]|1[0-2])') AS bad_month,
                   coalesce(force, '') = '' AS no_force, coalesce(crime_type, '') = '' AS no_type, false AS unknown
            FROM keys
            WHERE NOT regexp_full_match(coalesce(month, ''), '\d{4}-(0[1-9]|1[0-2])')
               OR coalesce(force, '') = '' OR coalesce(crime_type, '') = ''
            UNION ALL
            SELECT file, NULL, NULL, lsoa, NULL, false, false, false, true
            FROM codes ANTI JOIN known k ON k.code = codes.lsoa"""
    ).fetchall()
    if bad:
        _locate_bad_police_rows(bad, files, display, problems)
    if len(files) > 1:
        dupes = con.execute(
            """SELECT force, month, list(DISTINCT file ORDER BY file)
               FROM (SELECT DISTINCT file, force, month FROM agg) GROUP BY force, month
               HAVING count(*) > 1 ORDER BY month, force"""
        ).fetchall()
        for force, month, dup_files in dupes:
            shown = " and ".join(display[str(files[f])] for f in dup_files)
            problems.add(Problem(shown, f"{force} {month} is in more than one file; import each force-month once."))


def _locate_bad_police_rows(
    bad: list[tuple[Any, ...]], files: list[Path], display: dict[str, str], problems: Problems
) -> None:
    """Find the line numbers of the rows behind bad aggregated keys (only on the error path)."""
    by_file: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in bad:
        by_file[str(files[row[0]])].append(row)
    for file_path, rows in by_file.items():
        name = display.get(file_path, Path(file_path).name)
        bad_months = {r[1] for r in rows if r[5]}
        unknown = {r[3] for r in rows if r[8]}
        check_force = any(r[6] for r in rows)
        check_type = any(r[7] for r in rows)
        path = Path(file_path)
        for row in iter_rows(path, sniff_encoding(path), Problems()):
            values = {k: v or "" for k, v in row.values.items()}
            if values.get("Month", "") in bad_months:
                problems.add(Problem(name, f"“{values.get('Month', '')}” is not a month (YYYY-MM).", row.line, "Month"))
            if check_force and not values.get("Reported by", "").strip():
                problems.add(Problem(name, "The force is empty.", row.line, "Reported by"))
            if check_type and not values.get("Crime type", "").strip():
                problems.add(Problem(name, "The crime type is empty.", row.line, "Crime type"))
            if values.get("LSOA code") in unknown:
                problems.add(
                    Problem(
                        name, f"Unknown LSOA code “{values['LSOA code']}” (not in the lookups).", row.line, "LSOA code"
                    )
                )


# ---------------------------------------------------------------------------------------------
# Python-read files (deprivation, population, lookups, indicators: tens of thousands of rows)


def _encoding_note(encoding: str) -> list[str]:
    return ["The file was not UTF-8 and was read as Latin-1 (Windows-1252)."] if encoding != "utf-8-sig" else []


def _lsoa_column(header: list[str]) -> tuple[str, int | None] | None:
    """The LSOA code column and the vintage its name states (None when it does not say)."""
    for column in header:
        low = column.lower().replace("_", " ")
        if "lsoa" in low and ("code" in low or low.endswith("cd")):
            if "2011" in low or "lsoa11" in low.replace(" ", ""):
                return column, 2011
            if "2021" in low or "lsoa21" in low.replace(" ", ""):
                return column, 2021
            return column, None
    return None


def _check_lsoa(
    code: str, vintage: int | None, known: KnownCodes, name: str, line: int, column: str, problems: Problems
) -> int | None:
    """The code's vintage if it is a known LSOA code of the given vintage, else a problem and None."""
    if not LSOA_CODE.match(code):
        problems.add(Problem(name, f"“{code}” is not an LSOA code (like E01015883).", line, column))
        return None
    if vintage == 2011 and code in known.lsoa11:
        return 2011
    if vintage == 2021 and code in known.lsoa21:
        return 2021
    if vintage is None and (found := known.vintage_of(code)):
        return found
    problems.add(
        Problem(
            name, f"Unknown {vintage or ''} LSOA code “{code}” (not in the lookups).".replace("  ", " "), line, column
        )
    )
    return None


def _write_frame(name: str, frame: pd.DataFrame, keep_sql: str) -> int:
    """Replace dataset ``name`` with ``keep_sql`` (old rows kept, may reference table ``new``) ∪ frame."""
    con = store.import_connection()
    try:
        con.register("new_frame", frame)
        con.execute("CREATE TEMP TABLE new AS SELECT * FROM new_frame")
        columns = ", ".join(store.column_names(name))
        return store.replace_dataset(con, name, f"{keep_sql} UNION ALL SELECT {columns} FROM new")
    finally:
        con.close()


def _imd_column(column: str) -> tuple[str, str] | None:
    """(domain, measure) for a column of a deprivation file, or None for columns we do not keep."""
    low = column.lower().replace("_", " ")
    if any(
        word in low
        for word in (
            "idaci",
            "idaopi",
            "affecting",
            "sub-domain",
            "subdomain",
            "population",
            "denominator",
            "supplementary",
            "indicator",
        )
    ):
        return None
    measure = next((m for m in ("score", "rank", "decile") if m in low), None)
    if measure is None:
        return None
    if "index of multiple deprivation" in low or low.startswith("imd"):
        return "imd", measure
    for domain, words in (
        ("income", ("income",)),
        ("employment", ("employment",)),
        ("education", ("education",)),
        ("health", ("health",)),
        ("crime", ("crime",)),
        ("housing", ("housing", "barriers")),
        ("environment", ("environment",)),
    ):
        if any(word in low for word in words):
            return domain, measure
    return None


def import_imd(path: Path, *, edition: int, progress: Progress = _nothing) -> ImportResult:
    """Import an edition of the English indices of deprivation (any of the official files' layouts).

    Keeps the overall index and the seven domains' scores, ranks and deciles that the file holds;
    each (edition, domain, measure) in the file replaces the store's.
    """
    path = Path(path)
    name = path.name
    if not 1990 <= edition <= 2100:
        raise ImportRefused([Problem(name, f"{edition} is not an edition year (like 2019).")])
    encoding = sniff_encoding(path)
    header = read_header(path, encoding)
    lsoa = _lsoa_column(header)
    if lsoa is None:
        raise ImportRefused(
            [
                Problem(
                    name, "This is not a deprivation file: missing column “LSOA code (2011)” (or “LSOA code (2021)”)."
                )
            ]
        )
    lsoa_col, vintage = lsoa
    measures = {c: m for c in header if (m := _imd_column(c))}
    if not measures:
        raise ImportRefused(
            [
                Problem(
                    name,
                    "This is not a deprivation file: no score, rank or decile columns "
                    "(like “Index of Multiple Deprivation (IMD) Rank”).",
                )
            ]
        )
    con = store.import_connection()
    try:
        known = known_codes(con)
    finally:
        con.close()
    problems = Problems()
    rows: list[tuple[int, int, str, str, str, float]] = []
    seen: dict[str, int] = {}
    count = 0
    for row in iter_rows(path, encoding, problems):
        count += 1
        if count % 5000 == 0:
            progress(0.8 * count / 35000, "Reading deprivation")
        code = row.values[lsoa_col].strip()
        found = _check_lsoa(code, vintage, known, name, row.line, lsoa_col, problems)
        if found is None:
            continue
        if code in seen:
            problems.add(Problem(name, f"LSOA {code} is also on line {seen[code]}.", row.line, lsoa_col))
            continue
        seen[code] = row.line
        vintage = vintage or found
        for column, (domain, measure) in measures.items():
            try:
                value = parse_number(row.values[column])
            except ValueError:
                problems.add(Problem(name, f"“{row.values[column]}” is not a number.", row.line, column))
                continue
            if value is None:
                continue
            if measure == "decile" and not (value.is_integer() and 1 <= value <= 10):
                problems.add(
                    Problem(
                        name, f"A decile is a whole number from 1 to 10, not {row.values[column]}.", row.line, column
                    )
                )
                continue
            if measure == "rank" and not (value.is_integer() and value >= 1):
                problems.add(
                    Problem(name, f"A rank is a whole number from 1, not {row.values[column]}.", row.line, column)
                )
                continue
            rows.append((edition, vintage or 2021, code, domain, measure, value))
    if not rows and not problems.total:
        problems.add(Problem(name, "The file holds no rows."))
    problems.raise_if_any()
    frame = pd.DataFrame(rows, columns=store.column_names("imd"))
    keys = sorted({(d, m) for d, m in measures.values()})
    progress(0.85, "Writing the store")
    with store.import_lock():
        stored = _write_frame(
            "imd",
            frame,
            f"""SELECT o.* FROM {store.source("imd")} o ANTI JOIN (SELECT DISTINCT edition, domain, measure FROM new) n
                ON o.edition = n.edition AND o.domain = n.domain AND o.measure = n.measure""",
        )
        result = ImportResult(
            "imd",
            [name],
            len(seen),
            stored,
            [f"{edition} {d} {m}" for d, m in keys],
            [f"LSOA codes: {vintage}.", *_encoding_note(encoding)],
        )
        progress(1.0, "Done")
        return _record(result)


AGE_BAND = re.compile(r"^aged?[ _](\d+)[ _-](?:to[ _])?(\d+|plus)$", re.IGNORECASE)
SINGLE_AGE = re.compile(r"^(\d+)(\+?)$")
STANDARD_BANDS = ((0, 15, "0-15"), (16, 64, "16-64"), (65, 200, "65+"))


def _band_of_age(age: int) -> str:
    return next(label for low, high, label in STANDARD_BANDS if low <= age <= high)


def import_population(path: Path, *, year: int | None = None, progress: Progress = _nothing) -> ImportResult:
    """Import population per LSOA by age band and year.

    Takes ONS-style files with age-band columns (``aged_0_15``, ``aged_16_64``, ``aged_65_plus``)
    or single years of age (``0`` … ``89``, ``90+``, summed into 0–15, 16–64 and 65+), with a
    ``year`` column or ``--year``. Each (vintage, year) in the file replaces the store's.
    """
    path = Path(path)
    name = path.name
    encoding = sniff_encoding(path)
    header = read_header(path, encoding)
    lsoa = _lsoa_column(header)
    year_col = next((c for c in header if c.lower() in {"year", "mid_year", "mid-year"}), None)
    bands: dict[str, list[str]] = defaultdict(list)
    for column in header:
        if match := AGE_BAND.match(column):
            low, high = match.groups()
            bands[f"{low}+" if high == "plus" else f"{low}-{high}"].append(column)
        elif match := SINGLE_AGE.match(column):
            bands[_band_of_age(int(match.group(1)))].append(column)
    missing = []
    if lsoa is None:
        missing.append("“lsoa11_code” (or “lsoa21_code”)")
    if not bands:
        missing.append("age bands (like “aged_0_15”) or single years of age (“0” … “90+”)")
    if year_col is None and year is None:
        missing.append("“year” (or give --year)")
    if missing:
        raise ImportRefused([Problem(name, "This is not a population file: missing " + ", ".join(missing) + ".")])
    assert lsoa is not None
    lsoa_col, vintage = lsoa
    total_col = next((c for c in header if c.lower() in {"total_population", "all ages", "all_ages", "total"}), None)
    con = store.import_connection()
    try:
        known = known_codes(con)
    finally:
        con.close()
    problems = Problems()
    rows: list[tuple[int, str, int, str, int]] = []
    seen: dict[tuple[str, int], int] = {}
    count = 0
    for row in iter_rows(path, encoding, problems):
        count += 1
        if count % 10000 == 0:
            progress(min(0.8, 0.8 * count / 105000), "Reading population")
        code = row.values[lsoa_col].strip()
        found = _check_lsoa(code, vintage, known, name, row.line, lsoa_col, problems)
        if found is None:
            continue
        vintage = vintage or found
        row_year = year
        if year_col:
            try:
                row_year = parse_int(row.values[year_col])
            except ValueError:
                row_year = None
            if row_year is None or not 1900 <= row_year <= 2100:
                problems.add(Problem(name, f"“{row.values[year_col]}” is not a year.", row.line, year_col))
                continue
        assert row_year is not None
        if (code, row_year) in seen:
            problems.add(
                Problem(name, f"LSOA {code} in {row_year} is also on line {seen[code, row_year]}.", row.line, lsoa_col)
            )
            continue
        seen[code, row_year] = row.line
        sums: dict[str, int] = {}
        ok = True
        for band, columns in bands.items():
            total = 0
            for column in columns:
                try:
                    value = parse_int(row.values[column])
                except ValueError:
                    value = -1
                if value is None or value < 0:
                    problems.add(Problem(name, f"“{row.values[column]}” is not a count of people.", row.line, column))
                    ok = False
                    break
                total += value
            sums[band] = total
        if not ok:
            continue
        if total_col:
            try:
                stated = parse_int(row.values[total_col])
            except ValueError:
                stated = None
            if stated is not None and stated != sum(sums.values()):
                problems.add(
                    Problem(
                        name, f"The age bands add up to {sum(sums.values()):,}, not {stated:,}.", row.line, total_col
                    )
                )
                continue
        rows.extend((vintage or 2021, code, row_year, band, value) for band, value in sums.items())
    if not rows and not problems.total:
        problems.add(Problem(name, "The file holds no rows."))
    problems.raise_if_any()
    frame = pd.DataFrame(rows, columns=store.column_names("population"))
    years = sorted({r[2] for r in rows})
    progress(0.85, "Writing the store")
    with store.import_lock():
        stored = _write_frame(
            "population",
            frame,
            f"""SELECT o.* FROM {store.source("population")} o ANTI JOIN (SELECT DISTINCT vintage, year FROM new) n
                ON o.vintage = n.vintage AND o.year = n.year""",
        )
        progress(1.0, "Done")
        return _record(
            ImportResult(
                "population",
                [name],
                len(seen),
                stored,
                [f"{vintage} LSOAs, {y}" for y in years],
                [f"Age bands: {', '.join(sorted(bands))}.", *_encoding_note(encoding)],
            )
        )


# ---------------------------------------------------------------------------------------------
# Lookups


def _find(header: list[str], *patterns: str) -> str | None:
    for pattern in patterns:
        regex = re.compile(pattern, re.IGNORECASE)
        for column in header:
            if regex.fullmatch(column.strip()):
                return column
    return None


@dataclass(frozen=True)
class LookupKind:
    dataset: str
    what: str
    columns: dict[str, tuple[str, ...]]  # dataset column -> header patterns
    optional: tuple[str, ...] = ()


LOOKUP_KINDS = (
    LookupKind(
        "lsoa11_lsoa21",
        "LSOA 2011 → LSOA 2021",
        {
            "lsoa11": (r"lsoa11_?c(ode|d)",),
            "lsoa21": (r"lsoa21_?c(ode|d)",),
            "change_code": (r"change_?code", r"chgind"),
        },
    ),
    LookupKind(
        "lsoa21_geo",
        "LSOA 2021 → ward → local authority",
        {
            "lsoa": (r"lsoa21_?c(ode|d)",),
            "name": (r"lsoa21_?n(ame|m)",),
            "ward_code": (r"ward\d\d_?code", r"wd\d\dcd"),
            "ward_name": (r"ward\d\d_?name", r"wd\d\dnm"),
            "lad_code": (r"ltla\d\d_?code", r"lad\d\dcd"),
            "lad_name": (r"ltla\d\d_?name", r"lad\d\dnm"),
        },
    ),
    LookupKind(
        "lad_force",
        "local authority → police force area",
        {
            "lad_code": (r"ltla\d\d_?code", r"lad\d\dcd"),
            "force_code": (r"pfa\d\d_?code", r"pfa\d\dcd"),
            "force_name": (r"pfa\d\d_?name", r"pfa\d\dnm"),
        },
    ),
    LookupKind(
        "rural_urban",
        "rural–urban classification of LSOAs 2021",
        {
            "lsoa": (r"lsoa21_?c(ode|d)",),
            "ruc_code": (r"ruc21_?c(ode|d)",),
            "classification": (r"classification", r"ruc21_?n(ame|m)"),
            "ruc": (r"ruc", r"urban_?rural", r"ruc21_?2"),
        },
        optional=("ruc",),
    ),
    LookupKind(
        "lsoa21_size",
        "households per LSOA 2021 (Census 2021, the weights for splitting 2011 LSOAs)",
        {"lsoa": (r"lsoa21_?c(ode|d)",), "households": (r"total_?households",)},
    ),
)


def _lookup_kind(header: list[str]) -> tuple[LookupKind, dict[str, str | None]] | None:
    for kind in LOOKUP_KINDS:
        found = {col: _find(header, *patterns) for col, patterns in kind.columns.items()}
        if all(found[c] for c in kind.columns if c not in kind.optional):
            if kind.dataset == "lad_force" and _find(header, r"lsoa\d\d_?c(ode|d)"):
                continue
            if kind.dataset == "lsoa21_size" and _find(header, r"ward\d\d_?code"):
                continue
            return kind, found
    return None


def import_lookup(path: Path, progress: Progress = _nothing) -> ImportResult:
    """Import a geography lookup, recognised by its columns (see LOOKUP_KINDS); it replaces its dataset."""
    path = Path(path)
    name = path.name
    encoding = sniff_encoding(path)
    header = read_header(path, encoding)
    matched = _lookup_kind(header)
    if matched is None:
        kinds = "; ".join(
            f"{k.what}: "
            + ", ".join(
                p[0]
                .replace("\\d\\d", "24")
                .replace("_?c(ode|d)", "_code")
                .replace("_?n(ame|m)", "_name")
                .replace("_?", "_")
                for c, p in k.columns.items()
                if c not in k.optional
            )
            for k in LOOKUP_KINDS
        )
        raise ImportRefused(
            [
                Problem(
                    name,
                    f"This is not a lookup C2 Hub knows. Its columns are {', '.join(header[:10])}. "
                    f"Lookups C2 Hub takes (columns): {kinds}.",
                )
            ]
        )
    kind, columns = matched
    problems = Problems()
    rows: list[tuple[Any, ...]] = []
    seen: dict[tuple[str, ...], int] = {}
    seen_rows: dict[tuple[str, ...], tuple[Any, ...]] = {}
    key_columns = {"lsoa11_lsoa21": ("lsoa11", "lsoa21"), "lad_force": ("lad_code",)}.get(kind.dataset, ("lsoa",))
    for index, row in enumerate(iter_rows(path, encoding, problems)):
        if index % 5000 == 0:
            progress(min(0.8, index / 45000), f"Reading {kind.what}")
        values: dict[str, Any] = {}
        for col, header_col in columns.items():
            values[col] = row.values[header_col].strip() if header_col else None
        for col, value in values.items():
            header_col = columns[col]
            if col in {"lsoa", "lsoa11", "lsoa21"} and not LSOA_CODE.match(value or ""):
                problems.add(Problem(name, f"“{value}” is not an LSOA code (like E01015883).", row.line, header_col))
            elif col in {"ward_code", "lad_code", "force_code"} and not GSS_CODE.match(value or ""):
                problems.add(Problem(name, f"“{value}” is not a GSS code (like E05013278).", row.line, header_col))
            elif col == "change_code" and value not in {"U", "S", "M", "X"}:
                problems.add(Problem(name, f"“{value}” is not a change code (U, S, M or X).", row.line, header_col))
            elif col == "households":
                try:
                    number = parse_int(value or "")
                except ValueError:
                    number = None
                if number is None or number < 0:
                    problems.add(Problem(name, f"“{value}” is not a count of households.", row.line, header_col))
                values[col] = number
        key = tuple(str(values[k]) for k in key_columns)
        stored_row = tuple(values[c] for c in store.column_names(kind.dataset))
        if key in seen:
            # The LAD → CSP → PFA lookup lists a LAD once per community safety partnership:
            # the same LAD and force again is not a conflict.
            if seen_rows[key] != stored_row:
                problems.add(Problem(name, f"{' → '.join(key)} is also on line {seen[key]}, differently.", row.line))
            continue
        seen[key] = row.line
        seen_rows[key] = stored_row
        rows.append(stored_row)
    if not rows and not problems.total:
        problems.add(Problem(name, "The file holds no rows."))
    problems.raise_if_any()
    frame = pd.DataFrame(rows, columns=store.column_names(kind.dataset))
    with store.import_lock():
        progress(0.85, "Writing the store")
        stored = _write_frame(kind.dataset, frame, f"SELECT * FROM {store.source(kind.dataset)} WHERE false")
        notes = [f"Recognised as {kind.what}.", *_encoding_note(encoding)]
        if kind.dataset in {"lsoa11_lsoa21", "lsoa21_size"}:
            notes.append(_rebuild_apportion())
        progress(1.0, "Done")
        return _record(ImportResult(kind.dataset, [name], len(rows), stored, [kind.dataset], notes))


def _rebuild_apportion() -> str:
    """Shares of each 2011 LSOA in the 2021 LSOAs it became, weighted by 2021 size (households).

    Unchanged and merged LSOAs go whole (share 1); a split 2011 LSOA is shared among its 2021
    LSOAs in proportion to their households in Census 2021, or equally when those are unknown.
    2011-coded counts (population, crime) are multiplied by the shares; 2011-coded scores are
    averaged with population × share as the weight.
    """
    if not store.has("lsoa11_lsoa21"):
        return ""
    con = store.import_connection()
    try:
        store.replace_dataset(
            con,
            "apportion",
            f"""WITH w AS (
                    SELECT l.lsoa11, l.lsoa21, s.households AS size,
                           count(*) OVER (PARTITION BY l.lsoa11) AS n,
                           count(s.households) OVER (PARTITION BY l.lsoa11) AS n_sized,
                           sum(s.households) OVER (PARTITION BY l.lsoa11) AS total
                    FROM {store.source("lsoa11_lsoa21")} l
                    LEFT JOIN {store.source("lsoa21_size")} s ON s.lsoa = l.lsoa21)
                SELECT lsoa11, lsoa21,
                       CASE WHEN n = 1 THEN 1.0
                            WHEN n_sized = n AND total > 0 THEN size::DOUBLE / total
                            ELSE 1.0 / n END AS share
                FROM w""",
        )
        sized = store.has("lsoa21_size")
    finally:
        con.close()
    return (
        "Split 2011 LSOAs are shared by households (Census 2021)."
        if sized
        else "Split 2011 LSOAs are shared equally until households per LSOA 2021 are imported."
    )


# ---------------------------------------------------------------------------------------------
# Boundaries


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        raise ValueError(f"a {kind} is not a polygon")
    rings = []
    for polygon in polygons or []:
        for ring in polygon:
            points = [[float(x), float(y)] for x, y, *_ in ring]
            if len(points) < 4:
                raise ValueError("a ring has fewer than 4 points")
            rings.append(points)
    if not rings:
        raise ValueError("the polygon is empty")
    return rings


def adjacency_pairs(polygons: dict[str, list[list[list[float]]]]) -> set[tuple[str, str]]:
    """Pairs of areas whose polygons touch: they share a boundary vertex.

    ONS boundary files are topologically consistent (neighbours' shared edges have the same
    vertices, also after generalisation), so a shared vertex — at 6 decimal places, about 10 cm —
    is a touch. Both orders of each pair are returned.
    """
    by_vertex: dict[tuple[int, int], set[str]] = defaultdict(set)
    for code, rings in polygons.items():
        for ring in rings:
            for x, y in ring:
                by_vertex[round(x * 1e6), round(y * 1e6)].add(code)
    pairs: set[tuple[str, str]] = set()
    for codes in by_vertex.values():
        if len(codes) > 1:
            for a in codes:
                for b in codes:
                    if a != b:
                        pairs.add((a, b))
    return pairs


def import_boundaries(path: Path, progress: Progress = _nothing) -> ImportResult:
    """Import LSOA boundaries (GeoJSON, WGS84) and the adjacency of 2021 LSOAs they imply."""
    path = Path(path)
    name = path.name
    progress(0.0, "Reading boundaries")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise ImportRefused([Problem(name, f"The file cannot be read ({exc}).")]) from exc
    except UnicodeDecodeError as exc:
        raise ImportRefused([Problem(name, "This is not a GeoJSON file (it is not UTF-8 text).")]) from exc
    except json.JSONDecodeError as exc:
        raise ImportRefused([Problem(name, f"This is not a GeoJSON file: {exc.msg}.", line=exc.lineno)]) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise ImportRefused([Problem(name, "This is not a GeoJSON FeatureCollection with features.")])
    first = features[0].get("properties") or {}
    code_key = next((k for k in first if re.fullmatch(r"lsoa(11|21)_?c(ode|d)", k, re.IGNORECASE)), None)
    if code_key is None:
        raise ImportRefused(
            [
                Problem(
                    name,
                    "The features have no LSOA code property (lsoa21_code or LSOA21CD; "
                    f"found {', '.join(list(first)[:8])}).",
                )
            ]
        )
    vintage = 2011 if "11" in code_key else 2021
    con = store.import_connection()
    try:
        known = known_codes(con)
    finally:
        con.close()
    problems = Problems()
    polygons: dict[str, list[list[list[float]]]] = {}
    rows = []
    for index, feature in enumerate(features, start=1):
        where = f"feature {index}"
        code = str((feature.get("properties") or {}).get(code_key, "")).strip()
        if vintage == 2021 and code not in known.lsoa21 or vintage == 2011 and code not in known.lsoa11:
            problems.add(Problem(name, f"{where}: unknown {vintage} LSOA code “{code}”.", column=code_key))
            continue
        try:
            rings = _rings(feature.get("geometry") or {})
        except (TypeError, ValueError) as exc:
            problems.add(Problem(name, f"{where} ({code}): the geometry is not usable: {exc}."))
            continue
        if code in polygons:
            problems.add(Problem(name, f"{where}: LSOA {code} appears twice."))
            continue
        polygons[code] = rings
        rows.append((vintage, code, json.dumps(feature["geometry"], separators=(",", ":"))))
    problems.raise_if_any()
    progress(0.6, "Working out which areas touch")
    pairs = sorted(adjacency_pairs(polygons)) if vintage == 2021 else []
    frame = pd.DataFrame(rows, columns=store.column_names("boundaries"))
    with store.import_lock():
        stored = _write_frame(
            "boundaries",
            frame,
            f"""SELECT o.* FROM {store.source("boundaries")} o ANTI JOIN new n
                ON o.vintage = n.vintage AND o.lsoa = n.lsoa""",
        )
        notes = []
        if vintage == 2021:
            adjacency = pd.DataFrame(pairs, columns=["lsoa", "neighbour"])
            codes = pd.DataFrame({"code": sorted(polygons)})
            con = store.import_connection()
            try:
                con.register("pairs", adjacency)
                con.register("codes", codes)
                store.replace_dataset(
                    con,
                    "adjacency",
                    f"""SELECT a.* FROM {store.source("adjacency")} a
                        WHERE a.lsoa NOT IN (SELECT code FROM codes) AND a.neighbour NOT IN (SELECT code FROM codes)
                        UNION ALL SELECT lsoa, neighbour FROM pairs""",
                )
            finally:
                con.close()
            notes.append(f"{len(pairs) // 2:,} pairs of neighbouring LSOAs.")
        progress(1.0, "Done")
        return _record(ImportResult("boundaries", [name], len(rows), stored, [f"{vintage} LSOAs in {name}"], notes))


# ---------------------------------------------------------------------------------------------
# Generic indicators


@dataclass(frozen=True)
class IndicatorMetaInput:
    """What an indicator file must say about each indicator it holds."""

    source: str
    licence: str
    unit: str = ""
    higher_is_better: bool | None = None
    label: str = ""


INDICATOR_REQUIRED = ["area_code", "period", "indicator", "value"]


def load_meta_file(path: Path) -> dict[str, IndicatorMetaInput]:
    """Metadata per indicator from a JSON file: ``{"indicator": {"source": …, "licence": …, …}}``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused([Problem(Path(path).name, f"The metadata is not a readable JSON file ({exc}).")]) from exc
    if not isinstance(data, dict):
        raise ImportRefused([Problem(Path(path).name, "The metadata must be a JSON object keyed by indicator.")])
    out = {}
    for indicator, meta in data.items():
        if not isinstance(meta, dict) or not meta.get("source") or not meta.get("licence"):
            raise ImportRefused([Problem(Path(path).name, f"“{indicator}” needs at least a source and a licence.")])
        out[str(indicator)] = IndicatorMetaInput(
            source=str(meta["source"]),
            licence=str(meta["licence"]),
            unit=str(meta.get("unit", "")),
            higher_is_better=meta.get("higher_is_better"),
            label=str(meta.get("label", "")),
        )
    return out


def import_indicator(
    path: Path,
    *,
    meta: dict[str, IndicatorMetaInput] | None = None,
    default_meta: IndicatorMetaInput | None = None,
    progress: Progress = _nothing,
) -> ImportResult:
    """Import a generic indicator file: area_code, period, indicator, value[, numerator, denominator].

    Area codes may be LSOAs (2021 codes, checked against the lookups), wards, local authorities or
    any other code (a site's own survey, say). Every indicator needs a source and a licence, from
    ``meta`` (per indicator) or ``default_meta``. Each indicator in the file replaces the store's.
    """
    path = Path(path)
    name = path.name
    encoding = sniff_encoding(path)
    header = [h.lower().replace(" ", "_") for h in read_header(path, encoding)]
    require_columns(name, header, INDICATOR_REQUIRED, "an indicator file")
    con = store.import_connection()
    try:
        known = known_codes(con)
    finally:
        con.close()
    problems = Problems()
    rows: list[tuple[str, str, str, float, float | None, float | None]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in iter_rows(path, encoding, problems):
        values = {k.lower().replace(" ", "_"): (v or "").strip() for k, v in row.values.items()}
        indicator, area, period = values["indicator"], values["area_code"], values["period"]
        for column, value in (("indicator", indicator), ("area_code", area), ("period", period)):
            if not value:
                problems.add(Problem(name, f"The {column.replace('_', ' ')} is empty.", row.line, column))
        if not (indicator and area and period):
            continue
        if len(indicator) > 100 or len(period) > 20:
            problems.add(Problem(name, "The indicator name (100) or period (20 characters) is too long.", row.line))
            continue
        if LSOA_CODE.match(area) and area not in known.lsoa21:
            message = (
                f"“{area}” is a 2011 LSOA code; indicator files take 2021 LSOA codes."
                if area in known.lsoa11
                else f"Unknown LSOA code “{area}” (not in the lookups)."
            )
            problems.add(Problem(name, message, row.line, "area_code"))
            continue
        numbers: dict[str, float | None] = {}
        for column in ("value", "numerator", "denominator"):
            try:
                numbers[column] = parse_number(values.get(column, ""))
            except ValueError:
                problems.add(Problem(name, f"“{values.get(column)}” is not a number.", row.line, column))
                numbers[column] = None
                break
        else:
            if numbers["value"] is None:
                problems.add(Problem(name, "The value is empty.", row.line, "value"))
                continue
            key = (indicator, area, period)
            if key in seen:
                problems.add(
                    Problem(name, f"{indicator} for {area} in {period} is also on line {seen[key]}.", row.line)
                )
                continue
            seen[key] = row.line
            rows.append((indicator, area, period, numbers["value"], numbers["numerator"], numbers["denominator"]))  # type: ignore[arg-type]
    indicators = sorted({r[0] for r in rows})
    metas: dict[str, IndicatorMetaInput] = {}
    for indicator in indicators:
        found = (meta or {}).get(indicator) or default_meta
        if found is None or not found.source.strip() or not found.licence.strip():
            problems.add(
                Problem(
                    name, f"“{indicator}” has no source and licence: give --source and --licence, or a --meta file."
                )
            )
        else:
            metas[indicator] = found
    if not rows and not problems.total:
        problems.add(Problem(name, "The file holds no rows."))
    problems.raise_if_any()
    frame = pd.DataFrame(rows, columns=store.column_names("indicator_values"))
    meta_frame = pd.DataFrame(
        [(i, m.label or i, m.source, m.licence, m.unit, m.higher_is_better) for i, m in metas.items()],
        columns=store.column_names("indicator_meta"),
    )
    with store.import_lock():
        stored = _write_frame(
            "indicator_values",
            frame,
            f"""SELECT o.* FROM {store.source("indicator_values")} o
                WHERE o.indicator NOT IN (SELECT DISTINCT indicator FROM new)""",
        )
        _write_frame(
            "indicator_meta",
            meta_frame,
            f"""SELECT o.* FROM {store.source("indicator_meta")} o
                WHERE o.indicator NOT IN (SELECT indicator FROM new)""",
        )
        progress(1.0, "Done")
        return _record(ImportResult("indicators", [name], len(rows), stored, indicators, _encoding_note(encoding)))
