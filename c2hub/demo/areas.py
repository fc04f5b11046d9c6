"""Real public data for the demo: crime, deprivation, population, lookups and boundaries.

The demo sites are in Cornwall, Southend-on-Sea and Thanet. ``data/areas/`` holds slices of the
real files in ``../shared/data/real/`` for those three local authorities (rows copied unchanged,
headers and byte-order marks kept), so the demo works on a machine without ``../shared``. They are
imported through the same importers as any file; a second run with the same files does nothing.

Rebuild the slices with ``python -m c2hub.demo.areas /path/to/shared/data/real``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

from c2hub.areas import importers, store

BUNDLE = Path(__file__).parent / "data" / "areas"
#: Cornwall, Southend-on-Sea, Thanet: the demo sites' local authorities.
LADS = ("E06000052", "E06000033", "E07000114")
FORCE_FILES = ("devon-and-cornwall", "essex", "kent")

LOOKUPS = (
    "lookup_lsoa21_ward24_ltla24.csv",
    "lookup_lsoa11_lsoa21_ltla22.csv",
    "lookup_ltla24_csp24_pfa24.csv",
    "ruc21_lsoa21.csv",
    "household_deprivation21_lsoa21_wide.csv",
)
IMD_FILES = (
    ("imd2015_england_lsoa11.csv", 2015),
    ("File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv", 2019),
    ("File_2_-_IoD2019_Domains_of_Deprivation.csv", 2019),
    ("imd2025_england_lsoa21.csv", 2025),
)
POPULATION = "population_lsoa11_2017_2019_2020_ageband.csv"
BOUNDARIES = "lsoa21_bsc_cornwall_southend_thanet.geojson"


def _bundle_stamp(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def demo_areas_ensure(folder: Path = BUNDLE) -> str:
    """Import the demo's public data (once: a second run with the same files imports nothing)."""
    stamp = _bundle_stamp(folder)
    if any(e.get("dataset") == "demo" and e.get("stamp") == stamp for e in store.manifest()):
        return "Area statistics: already imported."
    import_folder(folder)
    with store.import_lock():
        store.manifest_add({"dataset": "demo", "stamp": stamp, "files": [str(folder)]})
    return f"Area statistics: imported real crime, deprivation, population, lookups and boundaries from {folder.name}/."


def import_folder(folder: Path) -> list[importers.ImportResult]:
    """Import a folder laid out like ``data/areas/`` (lookups first: codes are checked against them)."""
    results = [importers.import_lookup(folder / "lookups" / name) for name in LOOKUPS]
    results += [importers.import_imd(folder / "imd" / name, edition=edition) for name, edition in IMD_FILES]
    results.append(importers.import_population(folder / "population" / POPULATION))
    results.append(importers.import_boundaries(folder / "boundaries" / BOUNDARIES))
    results.append(importers.import_police(sorted((folder / "crime").iterdir())))
    return results


# ---------------------------------------------------------------------------------------------
# Making the slices from the real files


def _read_rows(path: Path) -> tuple[str, list[tuple[str, list[str]]]]:
    """The header line and (raw line, parsed fields) of each row; rows are one line each in these files."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = handle.read().splitlines(keepends=True)
    rows = [(line, next(csv.reader([line]))) for line in lines[1:] if line.strip()]
    raw = path.read_bytes()
    header = lines[0]
    if raw.startswith(b"\xef\xbb\xbf"):
        header = "\ufeff" + header
    return header, rows


def _write_filtered(
    source: Path, target: Path, column: str, keep: set[str] | None, limit: int | None = None, compress: bool = False
) -> set[str]:
    """Copy the header and the rows whose ``column`` is in ``keep`` (or the first ``limit`` rows)."""
    header, rows = _read_rows(source)
    index = next(csv.reader([header.lstrip("\ufeff")])).index(column)
    kept = [
        (line, fields)
        for line, fields in rows
        if keep is None or fields[index] in keep or (column == "LSOA code" and not fields[index])
    ]
    if limit is not None:  # the first rows, and the last few (police.uk puts the rows with no location last)
        kept = kept[: limit - limit // 5] + kept[-(limit // 5) :]
    target.parent.mkdir(parents=True, exist_ok=True)
    data = (header + "".join(line for line, _ in kept)).encode("utf-8")
    if compress:
        with target.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle:
            handle.write(data)
    else:
        target.write_bytes(data)
    return {fields[index] for _, fields in kept}


def write_bundle(
    real: Path,
    out: Path,
    lads: Iterable[str] = LADS,
    crime_rows: int | None = None,
    months: Iterable[str] = ("2024-01", "2024-02", "2024-03", "2024-04"),
) -> None:
    """Write slices of the real files for ``lads`` to ``out`` (the demo bundle or the test fixtures).

    ``crime_rows`` keeps only the first rows of each force file (verbatim, for tests); without it
    every row located in the local authorities (and the unlocated rows) is kept, gzipped.
    """
    lads = set(lads)
    _, geo = _read_rows(real / "lookups" / "lookup_lsoa21_ward24_ltla24.csv")
    lsoa21 = {f[1] for _, f in geo if f[5] in lads}
    crime_codes: set[str] = set()
    for month in months:
        for force in FORCE_FILES:
            name = f"{month}-{force}-street.csv"
            source = real / "police-uk-street-2024q1" / name
            if crime_rows is not None:
                crime_codes |= _write_filtered(source, out / "crime" / name, "LSOA code", None, crime_rows)
            else:
                _write_filtered(source, out / "crime" / f"{name}.gz", "LSOA code", lsoa21, compress=True)
    lsoa21 |= {c for c in crime_codes if c}
    _, change = _read_rows(real / "lookups" / "lookup_lsoa11_lsoa21_ltla22.csv")
    lsoa11 = {f[1] for _, f in change if f[4] in lsoa21}
    lsoa21 |= {f[4] for _, f in change if f[1] in lsoa11}
    lookups = out / "lookups"
    _write_filtered(real / "lookups" / LOOKUPS[0], lookups / LOOKUPS[0], "lsoa21_code", lsoa21)
    _write_filtered(real / "lookups" / LOOKUPS[1], lookups / LOOKUPS[1], "lsoa11_code", lsoa11)
    shutil.copyfile(real / "lookups" / LOOKUPS[2], lookups / LOOKUPS[2])
    _write_filtered(real / "lookups" / LOOKUPS[3], lookups / LOOKUPS[3], "lsoa21_code", lsoa21)
    _write_filtered(real / "census2021-lsoa21" / LOOKUPS[4], lookups / LOOKUPS[4], "lsoa21_code", lsoa21)
    imd = out / "imd"
    _write_filtered(real / "imd2015-lsoa11" / IMD_FILES[0][0], imd / IMD_FILES[0][0], "lsoa11_code", lsoa11)
    for name, _ in IMD_FILES[1:3]:
        _write_filtered(real / "imd2019-lsoa11" / name, imd / name, "LSOA code (2011)", lsoa11)
    _write_filtered(real / "imd2025-lsoa21" / IMD_FILES[3][0], imd / IMD_FILES[3][0], "lsoa21_code", lsoa21)
    _write_filtered(real / "population-lsoa" / POPULATION, out / "population" / POPULATION, "lsoa11_code", lsoa11)
    (out / "boundaries").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(real / "boundaries" / BOUNDARIES, out / "boundaries" / BOUNDARIES)


if __name__ == "__main__":
    write_bundle(Path(sys.argv[1]), BUNDLE)
