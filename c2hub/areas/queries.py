"""Reading the area-statistics store: the functions other apps (outcomes, evaluation) build on.

Pure functions over plain values, returning dataclasses or pandas DataFrames. Every LSOA code in
and out is a 2021 code: data published on 2011 LSOAs (deprivation 2015/2019, population
2017–2020, old crime) is reconciled through the 2011→2021 lookup — counts shared out by each 2011
LSOA's share of its 2021 LSOAs (households, Census 2021), scores averaged with population weights.
Counts are floats for that reason (whole numbers wherever no 2011 data is involved).

An empty store answers with empty frames (with their columns), never an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from c2hub.areas import store
from c2hub.areas.importers import IMD_DOMAINS, IMD_LSOA_COUNT

LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
SAFE_TEXT = re.compile(r"^[\w &'(),./:+-]*$")


@dataclass(frozen=True)
class AreaInfo:
    """Where an LSOA (2021) is: its ward, local authority, police force area and rural–urban class."""

    lsoa: str
    name: str
    ward_code: str
    ward_name: str
    lad_code: str
    lad_name: str
    force: str | None
    rural_urban: str | None


@dataclass(frozen=True)
class IndicatorMeta:
    """A generic indicator's metadata, as imported with its file."""

    indicator: str
    label: str
    source: str
    licence: str
    unit: str
    higher_is_better: bool | None


def _df(sql: str, params: list[object] | None = None) -> pd.DataFrame:
    return store.query_connection().execute(sql, params or []).df()


def _codes(codes: Iterable[str]) -> str:
    """A validated SQL list of LSOA codes (literals let DuckDB skip row groups in the sorted files)."""
    cleaned = sorted({str(c).strip() for c in codes})
    bad = [c for c in cleaned if not LSOA_CODE.match(c)]
    if bad:
        raise ValueError(f"Not LSOA codes: {', '.join(bad[:5])}")
    return "(" + ", ".join(f"'{c}'" for c in cleaned) + ")" if cleaned else "(NULL)"


def _text(value: str) -> str:
    if not SAFE_TEXT.match(value):
        raise ValueError(f"Unexpected characters in {value!r}")
    return "'" + value.replace("'", "''") + "'"


def _month(value: str | None) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise ValueError(f"{value!r} is not a month (YYYY-MM)")
    return value


def _crime_filters(start: str | None, end: str | None, crime_type: str | None, alias: str = "c") -> str:
    parts = []
    if (start := _month(start)) is not None:
        parts.append(f"{alias}.month >= '{start}'")
    if (end := _month(end)) is not None:
        parts.append(f"{alias}.month <= '{end}'")
    if crime_type is not None:
        parts.append(f"{alias}.crime_type = {_text(crime_type)}")
    return "".join(f" AND {p}" for p in parts)


_cache: dict[str, tuple[int, object]] = {}


def _cached[T](name: str, load: Callable[[], T]) -> T:
    """A value computed from a dataset, kept until the dataset's file changes (an import)."""
    path = store.dataset_path(name)
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    hit = _cache.get(f"{name}:{load.__name__}")
    if hit is not None and hit[0] == stamp:
        return hit[1]  # type: ignore[return-value]
    value = load()
    _cache[f"{name}:{load.__name__}"] = (stamp, value)
    return value


def _load_apportion() -> dict[str, list[tuple[str, float]]]:
    shares: dict[str, list[tuple[str, float]]] = {}
    for lsoa11, lsoa21, share in (
        store.query_connection().execute(f"SELECT lsoa11, lsoa21, share FROM {store.source('apportion')}").fetchall()
    ):
        shares.setdefault(lsoa21, []).append((lsoa11, share))
    return shares


def _load_crime_has_2011() -> bool:
    row = (
        store.query_connection()
        .execute(f"SELECT count(*) FROM {store.source('crime')} WHERE vintage = 2011")
        .fetchone()
    )
    return bool(row and row[0])


def _crime_rows(lsoas: Iterable[str], start: str | None, end: str | None, crime_type: str | None) -> str:
    codes = _codes(lsoas)
    where = _crime_filters(start, end, crime_type)
    direct = f"""SELECT c.lsoa, c.month, c.crime_type, c.count::DOUBLE AS n
                 FROM {store.source("crime")} c WHERE c.lsoa IN {codes} AND c.vintage = 2021{where}"""
    if not _cached("crime", _load_crime_has_2011):
        return direct
    # 2011-coded months: the rows of the 2011 LSOAs these 2021 LSOAs came from, shared out.
    apportion = _cached("apportion", _load_apportion)
    pairs = [(l11, l21, share) for l21 in sorted(set(lsoas)) for l11, share in apportion.get(l21, [])]
    if not pairs:
        return direct
    values = ", ".join(f"('{l11}', '{l21}', {share!r})" for l11, l21, share in pairs)
    return f"""{direct}
        UNION ALL
        SELECT a.lsoa21, c.month, c.crime_type, c.count * a.share
        FROM {store.source("crime")} c JOIN (VALUES {values}) a(lsoa11, lsoa21, share) ON a.lsoa11 = c.lsoa
        WHERE c.lsoa IN {_codes(p[0] for p in pairs)} AND c.vintage = 2011{where}"""


def crime_counts(
    lsoas: Iterable[str], *, start: str | None = None, end: str | None = None, crime_type: str | None = None
) -> pd.DataFrame:
    """Crimes per LSOA, month and crime type: columns lsoa, month (YYYY-MM), crime_type, count."""
    return _df(
        f"""SELECT lsoa, month, crime_type, sum(n) AS count FROM ({_crime_rows(lsoas, start, end, crime_type)})
            GROUP BY ALL ORDER BY lsoa, month, crime_type"""
    )


def crime_totals(
    lsoas: Iterable[str], *, start: str | None = None, end: str | None = None, crime_type: str | None = None
) -> pd.DataFrame:
    """Crimes in a set of LSOAs per month and crime type: columns month, crime_type, count."""
    return _df(
        f"""SELECT month, crime_type, sum(n) AS count FROM ({_crime_rows(lsoas, start, end, crime_type)})
            GROUP BY ALL ORDER BY month, crime_type"""
    )


def crime_types() -> list[str]:
    """The crime types the store holds (including Anti-social behaviour), alphabetically."""
    return [
        r[0]
        for r in store.query_connection()
        .execute(f"SELECT DISTINCT crime_type FROM {store.source('crime')} ORDER BY 1")
        .fetchall()
    ]


def crime_months() -> list[str]:
    """The months (YYYY-MM) the store holds crime for, oldest first."""
    return [
        r[0]
        for r in store.query_connection()
        .execute(f"SELECT DISTINCT month FROM {store.source('crime')} ORDER BY 1")
        .fetchall()
    ]


def unlocated_counts(force: str | None = None) -> pd.DataFrame:
    """Crimes with no LSOA per reporting force and month: columns force, month, count."""
    where = f" AND force = {_text(force)}" if force is not None else ""
    return _df(
        f"""SELECT force, month, sum(count) AS count FROM {store.source("crime")}
            WHERE lsoa IS NULL{where} GROUP BY ALL ORDER BY force, month"""
    )


def _latest_population_2011() -> str:
    """SQL: total population per 2011 LSOA in the latest year held (the weights for 2011 scores)."""
    return f"""SELECT lsoa, sum(count)::DOUBLE AS people FROM {store.source("population")}
               WHERE vintage = 2011 AND year = (SELECT max(year) FROM {store.source("population")} WHERE vintage = 2011)
               GROUP BY lsoa"""


def _edition_sizes() -> str:
    known = " UNION ALL ".join(f"SELECT {e} AS edition, {n} AS n" for e, n in IMD_LSOA_COUNT.items())
    return f"""SELECT e.edition, coalesce(k.n, e.n_rows) AS n FROM (
                 SELECT edition, count(DISTINCT lsoa) AS n_rows FROM {store.source("imd")} GROUP BY edition) e
               LEFT JOIN ({known}) k USING (edition)"""


def _deprivation_sql(where_2021: str, where_apportion: str) -> str:
    return f"""
        WITH wide AS (
            SELECT edition, vintage, lsoa, domain,
                   max(value) FILTER (WHERE measure = 'score') AS score,
                   max(value) FILTER (WHERE measure = 'rank') AS rank,
                   max(value) FILTER (WHERE measure = 'decile') AS decile
            FROM {store.source("imd")} GROUP BY ALL),
        mapped AS (
            SELECT lsoa, edition, domain, score, rank, decile, false AS approximate
            FROM wide WHERE vintage = 2021 AND {where_2021}
            UNION ALL
            SELECT a.lsoa21 AS lsoa, w.edition, w.domain,
                   sum(w.score * a.share * coalesce(p.people, 1)) / sum(a.share * coalesce(p.people, 1)),
                   sum(w.rank * a.share * coalesce(p.people, 1)) / sum(a.share * coalesce(p.people, 1)),
                   CASE WHEN count(*) = 1 THEN max(w.decile) END,
                   count(*) > 1
            FROM wide w
            JOIN (SELECT * FROM {store.source("apportion")} WHERE {where_apportion}) a ON a.lsoa11 = w.lsoa
            LEFT JOIN ({_latest_population_2011()}) p ON p.lsoa = w.lsoa
            WHERE w.vintage = 2011
            GROUP BY a.lsoa21, w.edition, w.domain)
        SELECT m.lsoa, m.edition, m.domain, m.score, round(m.rank)::BIGINT AS rank,
               coalesce(m.decile, least(10, greatest(1, ceil(10 * m.rank / s.n))))::BIGINT AS decile,
               round(100 * m.rank / s.n, 1) AS percentile, m.approximate
        FROM mapped m JOIN ({_edition_sizes()}) s USING (edition)"""


def deprivation(lsoas: Iterable[str]) -> pd.DataFrame:
    """Deprivation per LSOA, edition and domain (``imd`` is the overall index).

    Columns lsoa, edition, domain, score, rank, decile, percentile, approximate. Rank 1 and decile
    1 are the most deprived; percentile is the national percentile of the rank (1.0 = among the
    1% most deprived). An edition published on 2011 LSOAs is mapped to 2021 LSOAs: a 2021 LSOA
    made from several 2011 LSOAs gets their population-weighted score and rank (``approximate``).
    """
    codes = _codes(lsoas)
    return _df(_deprivation_sql(f"lsoa IN {codes}", f"lsoa21 IN {codes}") + " ORDER BY m.lsoa, m.edition, m.domain")


def deprivation_domains() -> dict[str, str]:
    """Domain keys and their official names, in the official order."""
    return dict(IMD_DOMAINS)


def imd_editions() -> list[int]:
    """The editions of the indices the store holds."""
    return [
        r[0]
        for r in store.query_connection()
        .execute(f"SELECT DISTINCT edition FROM {store.source('imd')} ORDER BY 1")
        .fetchall()
    ]


def _population_rows(codes: str, year: int | None) -> str:
    year_filter = (
        f" AND p.year = {int(year)}"
        if year is not None
        else (f" AND p.year = (SELECT max(year) FROM {store.source('population')})")
    )
    return f"""
        SELECT p.lsoa, p.year, p.age_band, p.count::DOUBLE AS n
        FROM {store.source("population")} p WHERE p.vintage = 2021 AND p.lsoa IN {codes}{year_filter}
        UNION ALL
        SELECT a.lsoa21, p.year, p.age_band, p.count * a.share
        FROM {store.source("population")} p
        JOIN (SELECT * FROM {store.source("apportion")} WHERE lsoa21 IN {codes}) a ON a.lsoa11 = p.lsoa
        WHERE p.vintage = 2011{year_filter}"""


def population(lsoas: Iterable[str], *, year: int | None = None) -> pd.DataFrame:
    """People per LSOA and age band in a year (default: the latest): columns lsoa, year, age_band, count."""
    return _df(
        f"""SELECT lsoa, year, age_band, sum(n) AS count FROM ({_population_rows(_codes(lsoas), year)})
            GROUP BY ALL ORDER BY lsoa, year, age_band"""
    )


def population_total(lsoas: Iterable[str], year: int | None = None) -> int:
    """People living in a set of LSOAs in a year (default: the latest), rounded to a whole number."""
    row = (
        store.query_connection()
        .execute(f"SELECT coalesce(sum(n), 0) FROM ({_population_rows(_codes(lsoas), year)})")
        .fetchone()
    )
    return int(round(row[0])) if row else 0


def population_years() -> list[int]:
    """The years the store holds population for."""
    return [
        r[0]
        for r in store.query_connection()
        .execute(f"SELECT DISTINCT year FROM {store.source('population')} ORDER BY 1")
        .fetchall()
    ]


def area(lsoa: str) -> AreaInfo | None:
    """Where a 2021 LSOA is, or None for a code the lookups do not know."""
    if not LSOA_CODE.match(lsoa or ""):
        return None
    row = (
        store.query_connection()
        .execute(
            f"""SELECT g.lsoa, g.name, g.ward_code, g.ward_name, g.lad_code, g.lad_name, f.force_name, r.classification
            FROM {store.source("lsoa21_geo")} g
            LEFT JOIN {store.source("lad_force")} f ON f.lad_code = g.lad_code
            LEFT JOIN {store.source("rural_urban")} r ON r.lsoa = g.lsoa
            WHERE g.lsoa = ?""",
            [lsoa],
        )
        .fetchone()
    )
    return AreaInfo(*row) if row else None


def lsoas_in_wards(ward_codes: Iterable[str]) -> list[str]:
    """The 2021 LSOAs in these wards (ONS best fit), sorted."""
    wards = sorted({str(w) for w in ward_codes})
    if not wards:
        return []
    return [
        r[0]
        for r in store.query_connection()
        .execute(
            f"SELECT lsoa FROM {store.source('lsoa21_geo')} WHERE list_contains(?, ward_code) ORDER BY lsoa", [wards]
        )
        .fetchall()
    ]


def lsoas_in_lad(lad_code: str) -> list[str]:
    """The 2021 LSOAs in a local authority district, sorted."""
    return [
        r[0]
        for r in store.query_connection()
        .execute(f"SELECT lsoa FROM {store.source('lsoa21_geo')} WHERE lad_code = ? ORDER BY lsoa", [lad_code])
        .fetchall()
    ]


def all_lsoas() -> pd.DataFrame:
    """Every 2021 LSOA with what comparison areas are matched on.

    Columns lsoa, name, ward_code, lad_code, rural_urban (classification), imd_decile (of the
    latest edition held), population (latest year held).
    """
    return _df(
        f"""WITH dep AS ({_deprivation_sql("true", "true")}),
            latest AS (SELECT lsoa, decile FROM dep WHERE domain = 'imd'
                       AND edition = (SELECT max(edition) FROM dep WHERE domain = 'imd')),
            pop AS (SELECT lsoa, sum(n) AS people FROM ({_population_rows_all()}) GROUP BY lsoa)
            SELECT g.lsoa, g.name, g.ward_code, g.lad_code, r.classification AS rural_urban,
                   l.decile AS imd_decile, round(p.people)::BIGINT AS population
            FROM {store.source("lsoa21_geo")} g
            LEFT JOIN {store.source("rural_urban")} r ON r.lsoa = g.lsoa
            LEFT JOIN latest l ON l.lsoa = g.lsoa
            LEFT JOIN pop p ON p.lsoa = g.lsoa
            ORDER BY g.lsoa"""
    )


def _population_rows_all() -> str:
    latest = f"(SELECT max(year) FROM {store.source('population')})"
    return f"""
        SELECT p.lsoa, p.count::DOUBLE AS n FROM {store.source("population")} p
        WHERE p.vintage = 2021 AND p.year = {latest}
        UNION ALL
        SELECT a.lsoa21, p.count * a.share FROM {store.source("population")} p
        JOIN {store.source("apportion")} a ON a.lsoa11 = p.lsoa WHERE p.vintage = 2011 AND p.year = {latest}"""


def adjacent_lsoas(lsoas: Iterable[str]) -> set[str]:
    """LSOAs whose boundaries touch any of these (not including these), from the imported boundaries."""
    codes = _codes(lsoas)
    rows = (
        store.query_connection()
        .execute(
            f"""SELECT DISTINCT neighbour FROM {store.source("adjacency")}
            WHERE lsoa IN {codes} AND neighbour NOT IN {codes}"""
        )
        .fetchall()
    )
    return {r[0] for r in rows}


def boundaries(lsoas: Iterable[str]) -> dict[str, str]:
    """GeoJSON geometry (a string) per 2021 LSOA, for the LSOAs whose boundaries were imported."""
    rows = (
        store.query_connection()
        .execute(
            f"SELECT lsoa, geometry FROM {store.source('boundaries')} WHERE vintage = 2021 AND lsoa IN {_codes(lsoas)}"
        )
        .fetchall()
    )
    return dict(rows)


def indicator_series(indicator: str, area_codes: Iterable[str]) -> pd.DataFrame:
    """An indicator's values for these areas: columns area_code, period, value, numerator, denominator."""
    areas = sorted({str(a) for a in area_codes})
    return _df(
        f"""SELECT area_code, period, value, numerator, denominator FROM {store.source("indicator_values")}
            WHERE indicator = ? AND list_contains(?, area_code) ORDER BY area_code, period""",
        [indicator, areas],
    )


def indicators() -> list[IndicatorMeta]:
    """The generic indicators the store holds, with their metadata."""
    rows = (
        store.query_connection()
        .execute(
            f"""SELECT indicator, label, source, licence, unit, higher_is_better
            FROM {store.source("indicator_meta")} ORDER BY indicator"""
        )
        .fetchall()
    )
    return [IndicatorMeta(*row) for row in rows]


def indicators_for_area(area_code: str) -> pd.DataFrame:
    """Every generic indicator value held for one area: columns indicator, period, value, numerator, denominator."""
    return _df(
        f"""SELECT indicator, period, value, numerator, denominator FROM {store.source("indicator_values")}
            WHERE area_code = ? ORDER BY indicator, period""",
        [area_code],
    )


def unknown_lsoas(codes: Iterable[str]) -> list[str]:
    """The codes that are not 2021 LSOA codes in the lookups (2011-only codes included), sorted."""
    wanted = sorted({str(c).strip() for c in codes})
    if not wanted:
        return []
    valid = [c for c in wanted if LSOA_CODE.match(c)]
    known = {
        r[0]
        for r in store.query_connection()
        .execute(
            f"""SELECT lsoa FROM {store.source("lsoa21_geo")} WHERE list_contains(?, lsoa)
            UNION SELECT lsoa21 FROM {store.source("lsoa11_lsoa21")} WHERE list_contains(?, lsoa21)""",
            [valid, valid],
        )
        .fetchall()
    }
    return [c for c in wanted if c not in known]


def to_lsoa21(codes: Iterable[str]) -> list[str]:
    """2021 codes for a mix of 2011 and 2021 LSOA codes: a 2011-only code becomes the 2021 LSOAs it became."""
    wanted = sorted({str(c).strip() for c in codes if LSOA_CODE.match(str(c).strip())})
    if not wanted:
        return []
    unknown = set(unknown_lsoas(wanted))
    successors = (
        {
            r[0]
            for r in store.query_connection()
            .execute(
                f"SELECT DISTINCT lsoa21 FROM {store.source('lsoa11_lsoa21')} WHERE list_contains(?, lsoa11)",
                [sorted(unknown)],
            )
            .fetchall()
        }
        if unknown
        else set()
    )
    return sorted((set(wanted) - unknown) | successors)


def rate_per_1000(count: float, people: float) -> float | None:
    """A rate per 1,000 residents (None when the population is unknown or zero)."""
    if not people or math.isnan(people):
        return None
    return 1000 * count / people
