#!/usr/bin/env python
"""Ingest benchmark: a national year of police.uk crime into the area-statistics store.

    .venv/bin/python bench/ingest.py [--rows 6000000] [--workdir /tmp/c2hub-ingest] [--queries 200]
        [--real ../shared/data/real] [--nice -10]

1. Generates a national year in police.uk's street-level format (one CSV, 6 million rows by
   default, ~1.3 GB) by resampling the real rows of ../shared/data/real/police-uk-street-2024q1/:
   each generated row copies a real row's crime type, Crime ID presence (anti-social behaviour has
   none), location, outcome and whether it has an LSOA, and gets an LSOA drawn from all 2021 LSOAs
   in the national lookup, that LSOA's police force and one of the twelve months of 2023.
   It goes to --workdir (not the repository) and is reused by later runs.
2. Measures, each in its own process (peak memory = that process's maximum resident set size):
   - **import**: `importers.import_police([file])` into a fresh store that already holds the
     national lookups — reading, checking every row, aggregating and writing the store;
   - **bare DuckDB**: the same aggregation as one DuckDB query (read_csv + GROUP BY), result
     written to Parquet, default settings;
   - **pandas**: `read_csv` (the four columns) + `groupby(...).size()`, the usual baseline.
3. Times a site's indicator query on the national store: `queries.crime_totals` and
   `queries.crime_counts` for the 36 LSOAs of the demo sites' wards, --queries times each after
   a warm-up; the median is reported.
4. Prints the figures as JSON and writes them to bench/results/ingest.json.

This is a benchmark, not a test: nothing here fails because something is slow.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REAL = ROOT.parent / "shared" / "data" / "real"
COLUMNS = ["Month", "Reported by", "LSOA code", "Crime type"]


def _setup_django(data_dir: Path) -> None:
    os.environ["C2HUB_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2hub.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def generate(real: Path, out: Path, rows: int) -> None:
    """Write the national file by resampling the real rows (see the module docstring)."""
    import duckdb

    con = duckdb.connect(config={"memory_limit": "2GB"})
    police = str(real / "police-uk-street-2024q1" / "*-street.csv")
    lookup = str(real / "lookups" / "lookup_lsoa21_ward24_ltla24.csv")
    forces = str(real / "lookups" / "lookup_ltla24_csp24_pfa24.csv")
    con.execute(
        f"""CREATE TABLE tmpl AS SELECT (row_number() OVER () - 1)::BIGINT AS i, *
            FROM read_csv('{police}', all_varchar = true, header = true)"""
    )
    con.execute(
        f"""CREATE TABLE places AS
            SELECT (row_number() OVER (ORDER BY g.lsoa21_code) - 1)::BIGINT AS j, g.lsoa21_code AS lsoa,
                   g.lsoa21_name AS name, coalesce(f.force, 'Metropolitan') || ' Police' AS force
            FROM read_csv('{lookup}', all_varchar = true) g
            LEFT JOIN (SELECT DISTINCT ltla24_code, pfa24_name AS force FROM read_csv('{forces}', all_varchar = true)) f
              ON f.ltla24_code = g.ltla24_code
            WHERE g.lsoa21_code LIKE 'E%'"""
    )
    n_tmpl = con.execute("SELECT count(*) FROM tmpl").fetchone()[0]  # type: ignore[index]
    n_places = con.execute("SELECT count(*) FROM places").fetchone()[0]  # type: ignore[index]
    con.execute(
        f"""COPY (
            SELECT CASE WHEN t."Crime ID" IS NULL THEN NULL ELSE sha256(r::VARCHAR) END AS "Crime ID",
                   '2023-' || lpad((r % 12 + 1)::VARCHAR, 2, '0') AS "Month",
                   p.force AS "Reported by", p.force AS "Falls within",
                   t."Longitude", t."Latitude", t."Location",
                   CASE WHEN t."LSOA code" IS NULL THEN NULL ELSE p.lsoa END AS "LSOA code",
                   CASE WHEN t."LSOA code" IS NULL THEN NULL ELSE p.name END AS "LSOA name",
                   t."Crime type", t."Last outcome category", t."Context"
            FROM range({rows}) AS s(r)
            JOIN tmpl t ON t.i = hash(r) % {n_tmpl}
            JOIN places p ON p.j = hash(r * 31 + 7) % {n_places}
        ) TO '{out}' (HEADER, DELIMITER ',')"""
    )
    con.close()


# Each measurement runs in its own process: `bench/ingest.py --measure NAME --file F --data D`.


def measure_import(file: Path, data_dir: Path, real: Path) -> dict[str, float]:
    _setup_django(data_dir)
    from c2hub.areas import importers

    for name in ("lookup_lsoa21_ward24_ltla24.csv", "lookup_lsoa11_lsoa21_ltla22.csv", "lookup_ltla24_csp24_pfa24.csv"):
        importers.import_lookup(real / "lookups" / name)
    cpu, start = _cpu_seconds(), time.perf_counter()
    result = importers.import_police([file])
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu_seconds": _cpu_seconds() - cpu,
        "rows_read": result.rows_read,
        "rows_stored": result.rows_stored,
        "peak_mb": _peak_mb(),
    }


def measure_duckdb(file: Path, data_dir: Path, real: Path) -> dict[str, float]:
    import duckdb

    out = data_dir / "bare.parquet"
    cpu, start = _cpu_seconds(), time.perf_counter()
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT "Month", "Reported by", "LSOA code", "Crime type", count(*) AS count
                 FROM read_csv('{file}', header = true, all_varchar = true) GROUP BY ALL) TO '{out}' (FORMAT parquet)"""
    )
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]  # type: ignore[index]
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu_seconds": _cpu_seconds() - cpu, "groups": rows, "peak_mb": _peak_mb()}


def measure_pandas(file: Path, data_dir: Path, real: Path) -> dict[str, float]:
    import pandas as pd

    cpu, start = _cpu_seconds(), time.perf_counter()
    frame = pd.read_csv(file, usecols=COLUMNS, dtype=str)
    counts = frame.groupby(COLUMNS, dropna=False).size()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu_seconds": _cpu_seconds() - cpu, "groups": len(counts), "peak_mb": _peak_mb()}


def measure_query(file: Path, data_dir: Path, real: Path, repeats: int = 200) -> dict[str, float]:
    _setup_django(data_dir)
    import csv

    from c2hub.areas import queries

    with (real / "police-uk-street-2024q1-target-wards" / "target_lsoa21_wards.csv").open(encoding="utf-8") as fh:
        site = [row["lsoa21_code"] for row in csv.DictReader(fh)]
    out: dict[str, float] = {"lsoas": len(site)}
    for name, call in (
        ("crime_totals", lambda: queries.crime_totals(site)),
        ("crime_counts", lambda: queries.crime_counts(site)),
        (
            "crime_totals_asb_6_months",
            lambda: queries.crime_totals(site, start="2023-07", end="2023-12", crime_type="Anti-social behaviour"),
        ),
    ):
        for _ in range(5):
            call()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            frame = call()
            times.append((time.perf_counter() - start) * 1000)
        out[f"{name}_median_ms"] = statistics.median(times)
        out[f"{name}_p95_ms"] = sorted(times)[int(0.95 * len(times)) - 1]
        out[f"{name}_rows"] = len(frame)
    out["peak_mb"] = _peak_mb()
    return out


MEASURES = {"import": measure_import, "duckdb": measure_duckdb, "pandas": measure_pandas, "query": measure_query}


def _run(name: str, file: Path, data_dir: Path, real: Path, extra: list[str], nice: int = 0) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--measure",
        name,
        "--file",
        str(file),
        "--data",
        str(data_dir),
        "--real",
        str(real),
        *extra,
    ]
    done = subprocess.run(
        command, check=True, capture_output=True, text=True, preexec_fn=(lambda: os.nice(nice)) if nice else None
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _machine() -> dict[str, str]:
    import duckdb
    import pandas

    def first(path: str, key: str) -> str:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError:
            return ""
        return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), "")

    memory, cpu = first("/proc/meminfo", "MemTotal"), first("/proc/cpuinfo", "model name")
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=6_000_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "c2hub-ingest")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="Run each measurement at this niceness (e.g. -10, as root) on a machine shared with other work.",
    )
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        extra = {"repeats": args.queries} if args.measure == "query" else {}
        print(json.dumps(MEASURES[args.measure](args.file, args.data, args.real, **extra)))
        return

    args.workdir.mkdir(parents=True, exist_ok=True)
    file = args.workdir / f"national-{args.rows}.csv"
    if not file.exists():
        print(f"Generating {args.rows:,} rows → {file}", file=sys.stderr)
        start = time.perf_counter()
        partial = file.with_suffix(".partial")
        generate(args.real, partial, args.rows)
        os.replace(partial, file)
        print(f"  {time.perf_counter() - start:.1f} s", file=sys.stderr)
    figures: dict[str, object] = {
        "file": str(file),
        "rows": args.rows,
        "file_mb": round(file.stat().st_size / 1024**2),
        "machine": _machine(),
        "command": " ".join(["bench/ingest.py", *sys.argv[1:]]),
    }
    with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
        for name in ("duckdb", "pandas", "import", "query"):
            data_dir = Path(scratch) / ("store" if name in {"import", "query"} else name)
            data_dir.mkdir(exist_ok=True)
            print(f"Measuring {name}", file=sys.stderr)
            figures[name] = _run(name, file, data_dir, args.real, ["--queries", str(args.queries)], args.nice)
            print(f"  {figures[name]}", file=sys.stderr)
    imp, bare, pandas_ = figures["import"], figures["duckdb"], figures["pandas"]
    figures["ratios"] = {
        "import_over_bare_duckdb": round(imp["seconds"] / bare["seconds"], 2),  # type: ignore[index]
        "pandas_over_import": round(pandas_["seconds"] / imp["seconds"], 2),  # type: ignore[index]
        "import_over_bare_duckdb_cpu": round(imp["cpu_seconds"] / bare["cpu_seconds"], 2),  # type: ignore[index]
        "pandas_over_import_cpu": round(pandas_["cpu_seconds"] / imp["cpu_seconds"], 2),  # type: ignore[index]
    }
    figures["machine"]["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())  # type: ignore[index]
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "ingest.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
