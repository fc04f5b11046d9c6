"""The area-statistics store: Parquet files under ``DATA_DIR/areas``, read and written with DuckDB.

One Parquet file per dataset (``crime.parquet``, ``imd.parquet``…). An import computes the new
content of a dataset in DuckDB — the rows it keeps from the old file plus the file's rows, which
replace the same keys (a force-month of crime, an edition's domain of deprivation…) — writes it to
a temporary file and moves it into place with ``os.replace``. Readers therefore see the old file or
the new one, never half of either; a failed import leaves the old file untouched. Imports hold a
file lock so two never interleave. ``manifest.json`` records what was imported when, from which
file, and how many rows.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings

#: Datasets and the columns they hold (in order). Queries read these files only.
DATASETS: dict[str, str] = {
    # file: which of its import's files (numbered from 0, listed in the manifest) the row came from.
    "crime": "month VARCHAR, force VARCHAR, lsoa VARCHAR, vintage SMALLINT, crime_type VARCHAR, count BIGINT, "
    "file INTEGER",
    "imd": "edition SMALLINT, vintage SMALLINT, lsoa VARCHAR, domain VARCHAR, measure VARCHAR, value DOUBLE",
    "population": "vintage SMALLINT, lsoa VARCHAR, year SMALLINT, age_band VARCHAR, count BIGINT",
    "lsoa11_lsoa21": "lsoa11 VARCHAR, lsoa21 VARCHAR, change_code VARCHAR",
    "lsoa21_geo": "lsoa VARCHAR, name VARCHAR, ward_code VARCHAR, ward_name VARCHAR, lad_code VARCHAR, "
    "lad_name VARCHAR",
    "lad_force": "lad_code VARCHAR, force_code VARCHAR, force_name VARCHAR",
    "rural_urban": "lsoa VARCHAR, ruc_code VARCHAR, classification VARCHAR, ruc VARCHAR",
    "lsoa21_size": "lsoa VARCHAR, households BIGINT",
    "apportion": "lsoa11 VARCHAR, lsoa21 VARCHAR, share DOUBLE",
    "boundaries": "vintage SMALLINT, lsoa VARCHAR, geometry VARCHAR",
    "adjacency": "lsoa VARCHAR, neighbour VARCHAR",
    "indicator_values": "indicator VARCHAR, area_code VARCHAR, period VARCHAR, value DOUBLE, numerator DOUBLE, "
    "denominator DOUBLE",
    "indicator_meta": "indicator VARCHAR, label VARCHAR, source VARCHAR, licence VARCHAR, unit VARCHAR, "
    "higher_is_better BOOLEAN",
}

#: How each dataset is sorted on disk (sorted LSOA codes let DuckDB skip row groups in a site's query).
ORDER: dict[str, str] = {
    # LSOA codes are a letter and eight digits: sorting on them as a number is much faster, and the
    # LSOA alone is what lets a site's query skip row groups.
    "crime": "ascii(lsoa[1])::BIGINT * 100000000 + TRY_CAST(substr(lsoa, 2) AS BIGINT)",
    "imd": "lsoa, edition, domain, measure",
    "population": "lsoa, year, age_band",
    "lsoa11_lsoa21": "lsoa21, lsoa11",
    "lsoa21_geo": "lsoa",
    "lad_force": "lad_code",
    "rural_urban": "lsoa",
    "lsoa21_size": "lsoa",
    "apportion": "lsoa21, lsoa11",
    "boundaries": "vintage, lsoa",
    "adjacency": "lsoa, neighbour",
    "indicator_values": "indicator, area_code, period",
    "indicator_meta": "indicator",
}

#: DuckDB settings for imports: a national year of police data stays well under 1 GB of memory.
IMPORT_MEMORY_LIMIT = os.environ.get("C2HUB_AREAS_MEMORY_LIMIT", "700MB")
IMPORT_THREADS = int(os.environ.get("C2HUB_AREAS_THREADS", str(min(4, os.cpu_count() or 1))))


def store_dir() -> Path:
    """The store's directory (``DATA_DIR/areas``), created on first use."""
    path = Path(settings.DATA_DIR) / "areas"
    path.mkdir(parents=True, exist_ok=True)
    return path


def dataset_path(name: str) -> Path:
    if name not in DATASETS:
        raise KeyError(f"Unknown dataset {name!r}")
    return store_dir() / f"{name}.parquet"


def has(name: str) -> bool:
    return dataset_path(name).exists()


def sql_path(path: Path) -> str:
    """A path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def source(name: str) -> str:
    """SQL for a dataset's rows: its Parquet file, or an empty relation with its columns."""
    path = dataset_path(name)
    if path.exists():
        return f"read_parquet({sql_path(path)})"
    columns = ", ".join(f"CAST(NULL AS {c.split(' ', 1)[1]}) AS {c.split(' ', 1)[0]}" for c in _columns(name))
    return f"(SELECT {columns} LIMIT 0)"


def _columns(name: str) -> list[str]:
    return [c.strip() for c in DATASETS[name].split(",")]


def column_names(name: str) -> list[str]:
    return [c.split(" ", 1)[0] for c in _columns(name)]


def import_connection() -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB connection for an import, with the memory and thread limits set."""
    tmp = store_dir() / ".tmp"
    tmp.mkdir(exist_ok=True)
    con = duckdb.connect(
        config={
            "memory_limit": IMPORT_MEMORY_LIMIT,
            "threads": IMPORT_THREADS,
            "temp_directory": str(tmp),
            "preserve_insertion_order": False,
        }
    )
    return con


_local = threading.local()


def query_connection() -> duckdb.DuckDBPyConnection:
    """This thread's DuckDB connection for reading (queries reopen the Parquet files each time)."""
    con = getattr(_local, "con", None)
    if con is None:
        con = duckdb.connect(config={"threads": 2, "memory_limit": "512MB"})
        _local.con = con
    return con


@contextlib.contextmanager
def import_lock() -> Iterator[None]:
    """Hold the store's write lock: one import at a time, across processes."""
    with (store_dir() / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


ROW_GROUP_SIZE = 20480
#: Snappy writes faster than zstd (the crime file is rewritten by every police import); zstd is smaller.
COMPRESSION: dict[str, str] = {name: "snappy" if name == "crime" else "zstd" for name in DATASETS}


def replace_dataset(con: duckdb.DuckDBPyConnection, name: str, select_sql: str) -> int:
    """Write ``select_sql`` (which must produce the dataset's columns) as the dataset's new file.

    Written to a temporary file first, then moved into place atomically. Returns the row count.
    """
    final = dataset_path(name)
    tmp = final.with_name(f".{final.stem}.{uuid.uuid4().hex}.parquet")
    columns = ", ".join(column_names(name))
    try:
        con.execute(
            f"COPY (SELECT {casts(name)} FROM (SELECT {columns} FROM ({select_sql})) ORDER BY {ORDER[name]}) "
            f"TO {sql_path(tmp)} (FORMAT parquet, COMPRESSION {COMPRESSION[name]}, ROW_GROUP_SIZE {ROW_GROUP_SIZE})"
        )
        return adopt_file(con, name, tmp)
    finally:
        if tmp.exists():
            tmp.unlink()


def casts(name: str) -> str:
    """SQL casting each of a dataset's columns to its type."""
    return ", ".join(
        f"CAST({c.split(' ', 1)[0]} AS {c.split(' ', 1)[1]}) AS {c.split(' ', 1)[0]}" for c in _columns(name)
    )


def adopt_file(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> int:
    """Move a Parquet file already written with the dataset's columns, in its order, into place."""
    schema = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet({sql_path(path)})").fetchall()]
    if schema != column_names(name):
        raise ValueError(f"{path.name} has columns {schema}, not those of {name}")
    rows = con.execute(f"SELECT count(*) FROM read_parquet({sql_path(path)})").fetchone()
    os.replace(path, dataset_path(name))
    return int(rows[0]) if rows else 0


def manifest_path() -> Path:
    return store_dir() / "manifest.json"


def manifest() -> list[dict[str, Any]]:
    """What has been imported: one entry per import, oldest first."""
    path = manifest_path()
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")))


def manifest_add(entry: dict[str, Any]) -> None:
    """Append an entry to the manifest (atomically; call while holding the import lock)."""
    entries = manifest()
    entries.append({"imported_at": datetime.now(UTC).isoformat(timespec="seconds"), **entry})
    path = manifest_path()
    tmp = path.with_name(f".manifest.{uuid.uuid4().hex}.json")
    tmp.write_text(json.dumps(entries, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
