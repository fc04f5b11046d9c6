"""Reads for neighbourhood outcomes: a site's indicators (crime, deprivation, generic indicators),
its comparison areas, the markers for charts, and evaluation runs.

Every table the indicators page shows is built here once, as display strings *and* as CSV rows, so
the page, the CSV downloads and the API show the same numbers. Counts shown to commissioners go
through ``outcomes.suppression`` (facilitators, partnership members, programme admins and
researchers see exact counts). Charts are rendered with ``c2hub.charts`` and the SVG is kept in
``DATA_DIR/cache/outcome-charts/`` under a hash of the chart's data, so a page is rendered once per
change of the data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.cache import cache

from c2hub import charts
from c2hub.accounts.models import Role
from c2hub.accounts.rules import site_roles
from c2hub.areas import queries, store
from c2hub.outcomes.models import AreaChange, ComparisonArea, EvaluationRun
from c2hub.outcomes.suppression import SuppressedTable, suppress_series, suppress_table
from c2hub.programmes.models import Site, StepProgress, StepStatus

ALL_CRIME = ""
ALL_CRIME_LABEL = "All crime and anti-social behaviour"
ENGLAND_LSOAS = 33_755
ENGLAND_CODE = "E92000001"
CHART_CACHE_VERSION = "1"


def counts_suppressed(user: Any, site: Site) -> bool:
    """True when the user sees the suppressed view: commissioners (and anyone with no other role in
    the site). Everyone who works in the site, and researchers, see exact counts."""
    roles = site_roles(user, site)
    return not (roles - {Role.COMMISSIONER})


def suppression_threshold() -> int:
    return int(getattr(settings, "C2HUB_SUPPRESSION_THRESHOLD", 5))


def store_version() -> str:
    """Changes whenever anything is imported into the area-statistics store."""
    path = store.manifest_path()
    return str(path.stat().st_mtime_ns) if path.exists() else "empty"


# Geography ---------------------------------------------------------------------------------------
@dataclass
class LsoaRow:
    lsoa: str
    name: str
    ward: str
    population: int | None
    imd_decile: int | None
    rural_urban: str


def _lsoa_facts(codes: Sequence[str]) -> pd.DataFrame:
    """name, ward, rural–urban class, latest IMD decile and population of some LSOAs (cached per store version)."""
    key = f"outcomes:lsoa-facts:{store_version()}"
    facts = cache.get(key)
    if facts is None:
        facts = queries.all_lsoas().set_index("lsoa")
        cache.set(key, facts, 3600)
    return facts.reindex(list(codes))


def site_lsoa_rows(site: Site) -> list[LsoaRow]:
    facts = _lsoa_facts(site.lsoa_codes)
    rows = []
    for code in site.lsoa_codes:
        info = facts.loc[code] if code in facts.index else None
        area = queries.area(code)
        rows.append(LsoaRow(
            lsoa=code,
            name=str(info["name"]) if info is not None and isinstance(info["name"], str) else "",
            ward=area.ward_name if area else "",
            population=None if info is None or pd.isna(info["population"]) else int(info["population"]),
            imd_decile=None if info is None or pd.isna(info["imd_decile"]) else int(info["imd_decile"]),
            rural_urban=str(info["rural_urban"]) if info is not None and isinstance(info["rural_urban"], str) else "",
        ))
    return rows


def comparison_areas(site: Site, *, include_removed: bool = False) -> list[ComparisonArea]:
    areas = ComparisonArea.objects.filter(site=site).select_related("changed_by")
    if not include_removed:
        areas = areas.exclude(status=ComparisonArea.Status.REMOVED)
    return sorted(areas, key=lambda a: (a.status != ComparisonArea.Status.ACCEPTED, a.score or 0, a.lsoa))


def accepted_comparison_lsoas(site: Site) -> list[str]:
    return sorted(
        ComparisonArea.objects.filter(site=site, status=ComparisonArea.Status.ACCEPTED).values_list("lsoa", flat=True)
    )


def site_lad_code(site: Site) -> str:
    if site.local_authority_code:
        return site.local_authority_code
    for code in site.lsoa_codes[:1]:
        area = queries.area(code)
        if area:
            return area.lad_code
    return ""


# Markers -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Marker:
    day: dt.date
    label: str
    kind: str  # "milestone" or "change"


def site_markers(site: Site) -> list[Marker]:
    """Pathway milestones (steps completed) and recorded changes in the area, oldest first."""
    markers = [
        Marker(p.completed_at.date(), f"Step {p.step.number} complete", "milestone")
        for p in StepProgress.objects.filter(site=site, status=StepStatus.COMPLETE, completed_at__isnull=False)
        .select_related("step")
    ]
    markers += [Marker(c.starts_on, c.title, "change") for c in AreaChange.objects.filter(site=site)]
    return sorted(markers, key=lambda m: (m.day, m.label))


def area_changes(site: Site) -> list[AreaChange]:
    return list(AreaChange.objects.filter(site=site).select_related("recorded_by").order_by("starts_on", "id"))


# Charts --------------------------------------------------------------------------------------------
def _chart_dir() -> Path:
    path = Path(settings.DATA_DIR) / "cache" / "outcome-charts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cached_svg(kind: str, spec: dict[str, Any], build: Any, description: str) -> str:
    """Render a chart once per distinct data: ``spec`` (JSON-able) is the chart's data and labels."""
    digest = hashlib.sha256(
        json.dumps([CHART_CACHE_VERSION, kind, spec, description], sort_keys=True, default=str).encode()
    ).hexdigest()[:32]
    path = _chart_dir() / f"{digest}.svg"
    if path.exists():
        return path.read_text(encoding="utf-8")
    svg = charts.render_svg(build(), description=description)
    tmp = path.with_suffix(f".{digest[:6]}.tmp")
    tmp.write_text(svg, encoding="utf-8")
    tmp.replace(path)
    return svg


@dataclass
class ChartBlock:
    """A chart with the table of the same numbers and the CSV of them."""

    key: str
    title: str
    description: str
    header: list[str]
    rows: list[list[str]]
    csv_rows: list[list[Any]]
    svg: str = ""
    notes: list[str] = field(default_factory=list)
    suppressed: bool = False


def _markers_in_range(markers: Sequence[Marker], months: Sequence[str]) -> tuple[list[dict[str, str]], list[Marker]]:
    if not months:
        return [], list(markers)
    first, last = months[0], months[-1]
    inside = [m for m in markers if first <= f"{m.day:%Y-%m}" <= last]
    outside = [m for m in markers if m not in inside]
    return [{"date": f"{m.day:%Y-%m-%d}", "label": m.label} for m in inside], outside


def _marker_note(outside: Sequence[Marker]) -> list[str]:
    if not outside:
        return []
    listed = "; ".join(f"{m.label} ({m.day:%-d %B %Y})" for m in outside)
    return [f"Outside the months shown: {listed}."]


def _csv_cell(table: SuppressedTable, row: int, column: int) -> int | str:
    """A count for a CSV: the number, or its label ("<5", "[c]") when it is withheld."""
    shown = table.shown(row, column)
    return table.label(row, column) if shown is None else shown


def _number(value: float | None, places: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{places}f}"


# Crime ---------------------------------------------------------------------------------------------
def _totals_by_month(lsoas: Sequence[str], crime_type: str, months: Sequence[str]) -> pd.Series:
    if not lsoas:
        return pd.Series(0.0, index=list(months))
    frame = queries.crime_totals(lsoas, crime_type=crime_type or None)
    series = frame.groupby("month")["count"].sum() if not frame.empty else pd.Series(dtype=float)
    return series.reindex(list(months), fill_value=0.0).round()


def _england(crime_type: str, months: Sequence[str]) -> tuple[pd.Series, int, int]:
    """Monthly counts and population over every LSOA the store holds (England when it holds them all)."""
    key = f"outcomes:all-areas:{store_version()}:{crime_type}"
    cached = cache.get(key)
    if cached is None:
        codes = queries.all_lsoas()["lsoa"].tolist()
        series = _totals_by_month(codes, crime_type, months)
        cached = (series, queries.population_total(codes) if codes else 0, len(codes))
        cache.set(key, cached, 3600)
    return cached


def _population(lsoas: Sequence[str]) -> int:
    return queries.population_total(lsoas) if lsoas else 0


def _rate(count: float, people: int) -> float | None:
    return queries.rate_per_1000(count, people)


def _type_grid(lsoas: Sequence[str], types: Sequence[str], months: Sequence[str]) -> pd.DataFrame:
    frame = queries.crime_totals(lsoas) if lsoas else pd.DataFrame()
    if frame.empty:
        return pd.DataFrame(0, index=list(types), columns=list(months))
    return (frame.pivot_table(index="crime_type", columns="month", values="count", aggfunc="sum")
            .reindex(index=list(types), columns=list(months)).fillna(0).round().astype(int))


def _type_table(grid: pd.DataFrame, suppressed: bool) -> SuppressedTable:
    """The site's crime type × month table: the one suppression every view of these counts uses,
    so a single type's series (a row) or the monthly totals (the total row) never differ between views."""
    counts = grid.to_numpy().tolist()
    return suppress_table(counts, threshold=suppression_threshold()) if suppressed else SuppressedTable.exact(counts)


def rolling_sums(values: Sequence[int | None], window: int = 12) -> list[int | None]:
    """The total of each run of ``window`` months ending at each month: None until a full window,
    and None wherever a month in the window is withheld (so a rolling total never reveals one)."""
    sums: list[int | None] = []
    for end in range(len(values)):
        part = values[end - window + 1: end + 1] if end + 1 >= window else []
        sums.append(sum(part) if part and all(v is not None for v in part) else None)  # type: ignore[arg-type]
    return sums


@dataclass
class CrimeSection:
    months: list[str]
    crime_type: str
    crime_types: list[str]
    blocks: list[ChartBlock]
    site_population: int
    comparison_count: int


def crime_section(site: Site, *, crime_type: str = ALL_CRIME, suppressed: bool) -> CrimeSection:
    months = queries.crime_months()
    types = queries.crime_types()
    if crime_type and crime_type not in types:
        crime_type = ALL_CRIME
    threshold = suppression_threshold()
    comparison = accepted_comparison_lsoas(site)
    lad = site_lad_code(site)
    lad_lsoas = queries.lsoas_in_lad(lad) if lad else []
    site_people = _population(site.lsoa_codes)
    markers, outside = _markers_in_range(site_markers(site), months)
    label = crime_type or "All crime and anti-social behaviour"
    blocks: list[ChartBlock] = []
    if not months or not site.lsoa_codes:
        return CrimeSection(months, crime_type, types, blocks, site_people, len(comparison))

    grid = _type_grid(site.lsoa_codes, types, months)
    table = _type_table(grid, suppressed)
    site_row = types.index(crime_type) if crime_type else len(types)
    site_counts = grid.loc[crime_type] if crime_type else grid.sum(axis=0)
    lines: list[tuple[str, pd.Series, int]] = [(site.name, site_counts.astype(float), site_people)]
    if comparison:
        lines.append((f"Comparison areas ({len(comparison)})", _totals_by_month(comparison, crime_type, months),
                      _population(comparison)))
    if lad_lsoas:
        lines.append((site.local_authority or "Local authority", _totals_by_month(lad_lsoas, crime_type, months),
                      _population(lad_lsoas)))
    england_counts, england_people, held = _england(crime_type, months)
    england_name = "England" if held >= ENGLAND_LSOAS else f"All areas held ({held:,} LSOAs)"
    lines.append((england_name, england_counts, england_people))

    # 1. Monthly rate per 1,000: the site against its comparison areas, local authority and England.
    # Each line's counts as (table, row): the site's from its type table, the others as one series each.
    tables: dict[str, tuple[SuppressedTable, int]] = {site.name: (table, site_row)}
    for name, series, _ in lines[1:]:
        counts = series.astype(int).tolist()
        tables[name] = (suppress_series(counts, threshold=threshold) if suppressed
                        else SuppressedTable.exact([counts]), 0)
    header = ["Month", f"{site.name}: count"] + [f"{name}: rate per 1,000" for name, _, _ in lines]
    rows, csv_rows, points = [], [], []
    for j, month in enumerate(months):
        row = [month, table.label(site_row, j)]
        csv_row: list[Any] = [month, _csv_cell(table, site_row, j)]
        for name, _series, people in lines:
            line_table, line_row = tables[name]
            shown = line_table.shown(line_row, j)
            rate = _rate(float(shown), people) if shown is not None else None
            row.append(_number(rate) if shown is not None else line_table.label(line_row, j))
            csv_row.append(None if rate is None else round(rate, 4))
            if rate is not None:
                points.append({"month": month, "area": name, "rate": round(rate, 3)})
        rows.append(row)
        csv_rows.append(csv_row)
    description = (f"{label} per 1,000 residents each month, {months[0]} to {months[-1]}: "
                   + ", ".join(name for name, _, _ in lines) + ".")
    title = f"{label} per 1,000 residents"
    hidden = suppressed and any(t.any_hidden() for t, _ in tables.values())
    block = ChartBlock("crime-rate", title, description, header, rows, csv_rows, notes=_marker_note(outside),
                       suppressed=hidden)
    block.svg = cached_svg("line", {"rows": points, "markers": markers, "title": title}, lambda: charts.line_chart(
        points, x="month", y="rate", series="area", title=title, x_title="Month", y_title="Per 1,000 residents",
        markers=markers), description)
    blocks.append(block)

    # 1b. Rolling 12 months, once the store holds a year.
    if len(months) >= 12:
        header = ["12 months to", f"{site.name}: count"] + [f"{name}: rate per 1,000" for name, _, _ in lines]
        rows, csv_rows, points = [], [], []
        rolling = {name: rolling_sums([tables[name][0].shown(tables[name][1], j) for j in range(len(months))])
                   for name, _, _ in lines}
        for j, month in enumerate(months):
            if j < 11:
                continue
            site_sum = rolling[site.name][j]
            row = [month, f"{site_sum:,}" if site_sum is not None else "[c]"]
            csv_row = [month, site_sum if site_sum is not None else "[c]"]
            for name, _series, people in lines:
                total = rolling[name][j]
                rate = _rate(float(total), people) if total is not None else None
                row.append(_number(rate) if total is not None else "[c]")
                csv_row.append(None if rate is None else round(rate, 4))
                if rate is not None:
                    points.append({"month": month, "area": name, "rate": round(rate, 3)})
            rows.append(row)
            csv_rows.append(csv_row)
        title = f"{label} per 1,000 residents, rolling 12 months"
        description = f"The total of the 12 months to each month, per 1,000 residents, {months[11]} to {months[-1]}."
        block = ChartBlock("crime-rolling", title, description, header, rows, csv_rows, suppressed=hidden)
        block.svg = cached_svg("line", {"rows": points, "markers": markers, "title": title}, lambda: charts.line_chart(
            points, x="month", y="rate", series="area", title=title, x_title="12 months to",
            y_title="Per 1,000 residents", markers=markers), description)
        blocks.append(block)

    # 2. Counts by crime type and month.
    header = ["Crime type"] + months + ["Total", "Rate per 1,000 (all months)"]
    rows, csv_rows, bars = [], [], []
    for i, name in enumerate([*types, "Total"]):
        labels = table.row_labels(i)
        total = table.shown(i, len(months))
        rate = _rate(float(total), site_people) if total is not None else None
        rows.append([name, *labels, _number(rate) if total is not None else labels[-1]])
        csv_rows.append([name, *[_csv_cell(table, i, j) for j in range(len(months) + 1)],
                         None if rate is None else round(rate, 4)])
        if i < len(types) and total is not None:
            bars.append({"crime_type": name, "count": total})
    notes = []
    if len(months) < 12:
        notes.append(f"Rolling 12-month totals need 12 months of data; the store holds {len(months)} "
                     f"({months[0]} to {months[-1]}).")
    title = f"{site.name}: crime and anti-social behaviour by type, {months[0]} to {months[-1]}"
    description = "Counts of each crime type over the months shown, largest first where shown."
    block = ChartBlock("crime-types", title, description, header, rows, csv_rows, notes=notes,
                       suppressed=table.any_hidden())
    bars.sort(key=lambda b: -b["count"])
    block.svg = cached_svg("bar", {"rows": bars, "title": title}, lambda: charts.bar_chart(
        bars, category="crime_type", value="count", title=title, category_title="Crime type",
        value_title="Count"), description)
    blocks.append(block)

    # 3. Per LSOA.
    per_lsoa = queries.crime_counts(site.lsoa_codes, crime_type=crime_type or None)
    lsoa_totals = (per_lsoa.groupby("lsoa")["count"].sum() if not per_lsoa.empty else pd.Series(dtype=float)) \
        .reindex(site.lsoa_codes, fill_value=0).round().astype(int)
    # The LSOAs' total is a cell of the type table too (a type's total, or the grand total): it is
    # withheld here exactly when it is withheld there, and never chosen here when shown there.
    n_lsoas = len(site.lsoa_codes)
    linked = (n_lsoas, 0)
    there_hidden = table.is_hidden(site_row, len(months))
    lsoa_table = (suppress_table([[int(v)] for v in lsoa_totals], threshold=threshold,
                                 withhold=[linked] if there_hidden else [], keep=[] if there_hidden else [linked])
                  if suppressed else SuppressedTable.exact([[int(v)] for v in lsoa_totals]))
    people = queries.population(site.lsoa_codes)
    by_lsoa_people = people.groupby("lsoa")["count"].sum() if not people.empty else pd.Series(dtype=float)
    facts = _lsoa_facts(site.lsoa_codes)
    header = ["LSOA", "Name", "Residents", "Count", "Rate per 1,000"]
    rows, csv_rows, bars = [], [], []
    for i, code in enumerate(site.lsoa_codes):
        residents = int(round(by_lsoa_people.get(code, 0)))
        shown = lsoa_table.shown(i, 0)
        rate = _rate(float(shown), residents) if shown is not None else None
        name = str(facts.loc[code, "name"]) if code in facts.index and isinstance(facts.loc[code, "name"], str) else ""
        rows.append([code, name, f"{residents:,}", lsoa_table.label(i, 0),
                     _number(rate) if shown is not None else lsoa_table.label(i, 0)])
        csv_rows.append([code, name, residents, _csv_cell(lsoa_table, i, 0), None if rate is None else round(rate, 4)])
        if rate is not None:
            bars.append({"lsoa": f"{code} {name}".strip(), "rate": round(rate, 3)})
    total_shown = lsoa_table.shown(len(site.lsoa_codes), 0)
    rows.append(["Total", "", f"{site_people:,}", lsoa_table.label(len(site.lsoa_codes), 0),
                 _number(_rate(float(total_shown), site_people)) if total_shown is not None else
                 lsoa_table.label(len(site.lsoa_codes), 0)])
    csv_rows.append(["Total", "", site_people, _csv_cell(lsoa_table, len(site.lsoa_codes), 0), None])
    title = f"{label} per 1,000 residents by LSOA, {months[0]} to {months[-1]}"
    description = f"The rate in each of the site's {len(site.lsoa_codes)} LSOAs over the months shown."
    block = ChartBlock("lsoas", title, description, header, rows, csv_rows, suppressed=lsoa_table.any_hidden())
    block.svg = cached_svg("bar", {"rows": bars, "title": title}, lambda: charts.bar_chart(
        bars, category="lsoa", value="rate", title=title, category_title="LSOA", value_title="Per 1,000 residents"),
        description)
    blocks.append(block)
    return CrimeSection(months, crime_type, types, blocks, site_people, len(comparison))


# Deprivation ---------------------------------------------------------------------------------------
def deprivation_block(site: Site) -> ChartBlock | None:
    frame = queries.deprivation(site.lsoa_codes) if site.lsoa_codes else pd.DataFrame()
    if frame.empty:
        return None
    domains = queries.deprivation_domains()
    editions = sorted(frame["edition"].unique().tolist())
    header = ["LSOA", "Domain"] + [f"{e}: rank (decile, percentile)" for e in editions]
    rows, csv_rows, points = [], [], []
    for code in site.lsoa_codes:
        mine = frame[frame.lsoa == code]
        for domain, domain_name in domains.items():
            cells = mine[mine.domain == domain].set_index("edition")
            if cells.empty:
                continue
            row = [code, domain_name]
            csv_row: list[Any] = [code, domain_name]
            for edition in editions:
                if edition in cells.index:
                    c = cells.loc[edition]
                    approx = " (approximate)" if bool(c["approximate"]) else ""
                    row.append(f"{int(c['rank']):,} ({int(c['decile'])}, {c['percentile']:.1f}%){approx}")
                    csv_row.append(f"{int(c['rank'])};{int(c['decile'])};{c['percentile']:.1f}")
                    if domain == "imd":
                        points.append({"edition": str(edition), "lsoa": code, "percentile": float(c["percentile"])})
                else:
                    row.append("–")
                    csv_row.append(None)
            rows.append(row)
            csv_rows.append(csv_row)
    title = "Index of Multiple Deprivation: national percentile by edition"
    description = ("Each LSOA's national percentile on the overall index in each edition (lower is more deprived; "
                   "1 means among the 1% most deprived).")
    block = ChartBlock("deprivation", title, description, header, rows, csv_rows, notes=[
        "Rank 1 is the most deprived LSOA in England; decile 1 the 10% most deprived. Editions published on "
        "2011 LSOAs are mapped to 2021 LSOAs; a 2021 LSOA made of several 2011 LSOAs gets their "
        "population-weighted rank (marked approximate)."])
    block.svg = cached_svg("line", {"rows": points, "title": title}, lambda: charts.line_chart(
        points, x="edition", y="percentile", series="lsoa", title=title, x_title="Edition", x_type="O",
        y_title="National percentile"), description)
    return block


# Generic indicators --------------------------------------------------------------------------------
def indicator_blocks(site: Site, *, suppressed: bool) -> list[ChartBlock]:
    metas = queries.indicators()
    if not metas:
        return []
    threshold = suppression_threshold()
    lad = site_lad_code(site)
    wards = [w.get("code", "") for w in site.wards if w.get("code")]
    areas = list(site.lsoa_codes) + wards + ([lad] if lad else []) + [ENGLAND_CODE]
    names = {code: code for code in areas}
    names.update({w.get("code", ""): w.get("name", "") for w in site.wards})
    if lad:
        names[lad] = site.local_authority or lad
    names[ENGLAND_CODE] = "England"
    blocks = []
    for meta in metas:
        frame = queries.indicator_series(meta.indicator, areas)
        if frame.empty:
            continue
        periods = sorted(frame["period"].unique().tolist())
        present = [a for a in areas if a in set(frame["area_code"])]
        header = ["Period"] + [names[a] for a in present]
        rows, csv_rows, points = [], [], []
        for period in periods:
            row, csv_row = [period], [period]
            for area in present:
                cell = frame[(frame.area_code == area) & (frame.period == period)]
                if cell.empty:
                    row.append("–")
                    csv_row.append(None)
                    continue
                value, numerator = cell.iloc[0]["value"], cell.iloc[0]["numerator"]
                small = numerator is not None and not pd.isna(numerator) and 1 <= numerator < threshold
                if suppressed and small:
                    row.append(f"<{threshold}")
                    csv_row.append(f"<{threshold}")
                    continue
                row.append(_number(float(value)))
                csv_row.append(float(value))
                points.append({"period": period, "area": names[area], "value": float(value)})
            rows.append(row)
            csv_rows.append(csv_row)
        title = meta.label or meta.indicator
        direction = {True: "Higher is better.", False: "Lower is better.", None: ""}[meta.higher_is_better]
        description = f"{title} ({meta.unit}) by period for the site's areas, local authority and England."
        block = ChartBlock(f"indicator-{meta.indicator}", title, description, header, rows, csv_rows, notes=[
            " ".join(p for p in [f"Source: {meta.source}." if meta.source else "",
                                 f"Licence: {meta.licence}." if meta.licence else "", direction] if p)])
        block.svg = _period_line_svg(points, title, meta.unit or "Value", description)
        blocks.append(block)
    return blocks


def _period_line_svg(points: list[dict[str, Any]], title: str, unit: str, description: str) -> str:
    return cached_svg("line", {"rows": points, "title": title, "unit": unit}, lambda: charts.line_chart(
        points, x="period", y="value", series="area", title=title, x_title="Period", x_type="O", y_title=unit),
        description)


# The API's monthly series --------------------------------------------------------------------------
def crime_series(site: Site, *, crime_type: str | None, suppressed: bool) -> list[dict[str, Any]]:
    """Monthly counts for the site per crime type: [{month, crime_type, count, label}] (count None when withheld)."""
    months = queries.crime_months()
    types = queries.crime_types()
    table = _type_table(_type_grid(site.lsoa_codes, types, months), suppressed)
    return [
        {"month": month, "crime_type": name, "count": table.shown(i, j), "label": table.label(i, j)}
        for i, name in enumerate([*types, ALL_CRIME_LABEL]) if crime_type in (None, "", name)
        for j, month in enumerate(months)
    ]


# Evaluation runs -----------------------------------------------------------------------------------
def evaluation_runs(site: Site, *, limit: int = 20) -> list[EvaluationRun]:
    return list(EvaluationRun.objects.filter(site=site).select_related("requested_by")[:limit])


def evaluation_get(site: Site, run_id: int) -> EvaluationRun:
    from django.http import Http404

    run = EvaluationRun.objects.filter(site=site, pk=run_id).select_related("requested_by").first()
    if run is None:
        raise Http404("No such evaluation for this site")
    return run


def latest_finished_evaluation(site: Site) -> EvaluationRun | None:
    return EvaluationRun.objects.filter(site=site, status=EvaluationRun.Status.FINISHED).first()


def milestone_choices(site: Site) -> list[tuple[str, str]]:
    """(date, label) of the site's milestones and recorded changes, for the evaluation form."""
    return [(f"{m.day:%Y-%m-%d}", f"{m.label} ({m.day:%-d %B %Y})") for m in site_markers(site)]


@dataclass
class EvaluationView:
    """What the evaluation page shows of a finished run."""

    verdicts: list[tuple[str, dict[str, Any]]]
    mde: dict[str, Any] | None
    did: dict[str, Any] | None
    synthetic: dict[str, Any] | None
    blocks: list[ChartBlock]
    changes: list[str]


def _count_label(value: float | None, suppressed: bool) -> str:
    if value is None:
        return "–"
    threshold = suppression_threshold()
    if suppressed and 1 <= round(value) < threshold:
        return f"<{threshold}"
    return f"{round(value):,}"


def evaluation_view(run: EvaluationRun, *, suppressed: bool) -> EvaluationView:
    """Charts and tables for a finished run. Commissioners see rates and ratios, and counts only
    where they are not small (a before/after total of 1–4 is "<5")."""
    result = run.result or {}
    verdicts = [(name, result[key]) for key, name in
                (("did_verdict", "Difference-in-differences"), ("sc_verdict", "Synthetic control")) if key in result]
    blocks: list[ChartBlock] = []
    did = result.get("did")
    if did:
        did = {**did,
               "treated_before": _count_label(did.get("treated_counts", {}).get("before"), suppressed),
               "treated_after": _count_label(did.get("treated_counts", {}).get("after"), suppressed),
               "comparison_before": _count_label(did.get("comparison_counts", {}).get("before"), suppressed),
               "comparison_after": _count_label(did.get("comparison_counts", {}).get("after"), suppressed)}
        points = did.get("event_study", [])
        header = ["Months from the start", "Rate ratio", "95% interval from", "to"]
        rows = [[str(p["rel_time"]), _number(p["rate_ratio"]), _number(p["ci_low"]), _number(p["ci_high"])]
                for p in points]
        csv_rows = [[p["rel_time"], p["rate_ratio"], p["ci_low"], p["ci_high"]] for p in points]
        title = "Event study: the site against its comparison areas, month by month"
        description = ("Rate ratios by month relative to the start (month −1 is the reference, 1.0). Before the start "
                       "they should stay near 1; after it, a ratio below 1 means fewer than expected.")
        block = ChartBlock("event-study", title, description, header, rows, csv_rows)
        chart_rows = [{"period": str(p["rel_time"]), "area": "Rate ratio", "value": p["rate_ratio"]} for p in points]
        block.svg = _period_line_svg(chart_rows, title, "Rate ratio", description)
        blocks.append(block)
    synthetic = result.get("synthetic_control")
    if synthetic:
        months = sorted(synthetic.get("treated", {}))
        people = synthetic.get("site_population") or 0
        threshold = suppression_threshold()

        def hidden(month: str) -> bool:
            """For commissioners: the site's rate (and its gap) would give away a count of 1–4."""
            count = round(synthetic["treated"][month] * people / 1000) if people else 0
            return suppressed and 1 <= count < threshold

        small = f"<{threshold} crimes"
        header = ["Month", "Site: rate per 1,000", "Synthetic site: rate per 1,000", "Gap"]
        rows = [[m, small if hidden(m) else _number(synthetic["treated"][m]), _number(synthetic["synthetic"][m]),
                 "–" if hidden(m) else _number(synthetic["gaps"].get(m))] for m in months]
        csv_rows = [[m, small if hidden(m) else synthetic["treated"][m], synthetic["synthetic"][m],
                     None if hidden(m) else synthetic["gaps"].get(m)] for m in months]
        title = "Synthetic control: the site and its synthetic twin (rate per 1,000 residents)"
        description = ("The site's monthly rate and the weighted mix of comparison areas that matched it best "
                       f"before {result.get('treatment_start')}.")
        block = ChartBlock("synthetic-control", title, description, header, rows, csv_rows,
                           notes=[f"Placebo p-value {synthetic.get('placebo_p')}: the share of comparison areas "
                                  "(and the site) whose after/before fit ratio is at least the site's."])
        chart_rows = [{"period": m, "area": a, "value": synthetic[k][m]} for m in months
                      for a, k in (("Site", "treated"), ("Synthetic site", "synthetic"))
                      if not (k == "treated" and hidden(m))]
        block.svg = _period_line_svg(chart_rows, title, "Per 1,000 residents", description)
        blocks.append(block)
    return EvaluationView(verdicts=verdicts, mde=result.get("mde"), did=did, synthetic=synthetic, blocks=blocks,
                          changes=result.get("contemporaneous_changes", []))


# The whole page, cached --------------------------------------------------------------------------
@dataclass
class IndicatorsPage:
    crime: CrimeSection
    deprivation: ChartBlock | None
    indicators: list[ChartBlock]
    lsoas: list[LsoaRow]

    @property
    def blocks(self) -> dict[str, ChartBlock]:
        every = [*self.crime.blocks, *([self.deprivation] if self.deprivation else []), *self.indicators]
        return {b.key: b for b in every}


def indicators_page(site: Site, *, crime_type: str = ALL_CRIME, suppressed: bool) -> IndicatorsPage:
    """Everything the indicators page and its CSVs show, computed once per distinct input: the
    cache key holds the site's LSOAs, comparison areas, markers, names, the crime type, the view
    (suppressed or exact) and the store's version, so any change to them computes it afresh."""
    key_parts = [
        site.pk, site.name, site.local_authority, site_lad_code(site) if not site.local_authority_code else
        site.local_authority_code, list(site.lsoa_codes), site.wards, accepted_comparison_lsoas(site),
        [(m.day.isoformat(), m.label) for m in site_markers(site)], crime_type, suppressed,
        suppression_threshold(), store_version(), CHART_CACHE_VERSION,
    ]
    key = "outcomes:page:" + hashlib.sha256(json.dumps(key_parts, default=str).encode()).hexdigest()
    page = cache.get(key)
    if page is None:
        page = IndicatorsPage(
            crime=crime_section(site, crime_type=crime_type, suppressed=suppressed),
            deprivation=deprivation_block(site),
            indicators=indicator_blocks(site, suppressed=suppressed),
            lsoas=site_lsoa_rows(site),
        )
        cache.set(key, page, 24 * 3600)
    return page
