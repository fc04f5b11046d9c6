"""Importing the real files: counts, idempotence, force-month replacement and the quirks."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from c2hub.areas import importers, queries, store
from tests.areas.conftest import CRIME, FIXTURES, snapshot


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_row_is_counted_including_asb_and_unlocated(area_store):
    rows = [r for f in sorted(CRIME.glob("*.csv")) for r in _rows(f)]
    con = store.query_connection()
    total = con.execute(f"SELECT sum(count) FROM {store.source('crime')}").fetchone()[0]
    assert total == len(rows) == 450
    asb = [r for r in rows if r["Crime type"] == "Anti-social behaviour"]
    assert asb and all(r["Crime ID"] == "" for r in asb)
    stored_asb = con.execute(
        f"SELECT sum(count) FROM {store.source('crime')} WHERE crime_type = 'Anti-social behaviour'"
    ).fetchone()[0]
    assert stored_asb == len(asb)
    unlocated = queries.unlocated_counts()
    assert unlocated.set_index("force")["count"].to_dict() == {
        "Devon & Cornwall Police": 30,
        "Essex Police": 30,
        "Kent Police": 30,
    }
    assert queries.unlocated_counts("Kent Police")["month"].tolist() == ["2024-01"]


def test_rows_outside_the_force_area_are_kept_under_their_lsoa(area_store):
    kent = _rows(CRIME / "2024-01-kent-street.csv")
    ashford = [r for r in kent if r["LSOA name"].startswith("Ashford 001B")]
    counts = queries.crime_counts(["E01023987"])
    assert counts["count"].sum() == len(ashford) > 0


def test_a_repeated_crime_id_is_two_crimes(area_store, tmp_path):
    source = CRIME / "2024-01-essex-street.csv"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    with_id = next(line for line in lines[1:] if not line.startswith(",") and ",E01" in line)
    doubled = tmp_path / "2024-01-essex-street.csv"
    doubled.write_text("".join(lines) + with_id, encoding="utf-8")
    code = next(csv.reader([with_id]))[7]
    before = queries.crime_counts([code])["count"].sum()
    importers.import_police([doubled])
    assert queries.crime_counts([code])["count"].sum() == before + 1


def test_reimporting_changes_nothing(area_store):
    before = queries.crime_counts(queries.lsoas_in_lad("E06000052"))
    stored = store.query_connection().execute(f"SELECT * FROM {store.source('crime')} ORDER BY ALL").fetchall()
    result = importers.import_police(sorted(CRIME.glob("*.csv")))
    assert result.rows_read == 450
    pd.testing.assert_frame_equal(before, queries.crime_counts(queries.lsoas_in_lad("E06000052")))
    assert store.query_connection().execute(f"SELECT * FROM {store.source('crime')} ORDER BY ALL").fetchall() == stored
    assert store.manifest()[-1]["dataset"] == "crime"
    assert store.manifest()[-1]["rows_read"] == 450


def test_a_force_month_replaces_the_stored_one(area_store, tmp_path):
    source = CRIME / "2024-01-kent-street.csv"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    smaller = tmp_path / "2024-01-kent-street.csv"
    smaller.write_text("".join(lines[:11]), encoding="utf-8")
    importers.import_police([smaller])
    con = store.query_connection()
    per_force = dict(con.execute(f"SELECT force, sum(count) FROM {store.source('crime')} GROUP BY force").fetchall())
    assert per_force == {"Kent Police": 10, "Essex Police": 150, "Devon & Cornwall Police": 150}


def test_the_monthly_archive_zip_and_folders(empty_store, lookup_store, tmp_path):
    archive = tmp_path / "latest.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(CRIME.glob("*.csv")):
            zipped.write(path, f"2024-01/{path.name}")
        zipped.writestr("2024-01/2024-01-kent-outcomes.csv", "Crime ID,Month,Outcome type\n")
    result = importers.import_police([archive])
    assert result.rows_read == 450
    assert all(name.startswith("latest.zip!2024-01/") and "outcomes" not in name for name in result.files)
    again = importers.import_police([CRIME])
    assert again.rows_read == 450
    assert queries.crime_months() == ["2024-01"]


def test_gzipped_files_import(empty_store, lookup_store, tmp_path):
    import gzip

    target = tmp_path / "2024-01-essex-street.csv.gz"
    target.write_bytes(gzip.compress((CRIME / "2024-01-essex-street.csv").read_bytes()))
    assert importers.import_police([target]).rows_read == 150


def test_a_byte_order_mark_is_fine(empty_store, lookup_store, tmp_path):
    target = tmp_path / "2024-01-essex-street.csv"
    target.write_bytes(b"\xef\xbb\xbf" + (CRIME / "2024-01-essex-street.csv").read_bytes())
    assert importers.import_police([target]).rows_read == 150


def test_imd_2019_byte_order_mark_and_thousands_separators(area_store):
    path = FIXTURES / "imd" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert '"3,964"' in path.read_text(encoding="utf-8-sig")  # E01018867, split into two 2021 LSOAs
    dep = queries.deprivation(["E01034866", "E01034867"])
    imd2019 = dep[(dep.edition == 2019) & (dep.domain == "imd")]
    assert imd2019["rank"].tolist() == [3964, 3964]
    assert imd2019["decile"].tolist() == [2, 2]
    assert imd2019["percentile"].tolist() == [round(100 * 3964 / 32844, 1)] * 2


def test_deprivation_editions_and_domains(area_store):
    dep = queries.deprivation(["E01018865"])
    assert set(dep.edition) == {2015, 2019, 2025}
    assert set(dep[dep.edition == 2025].domain) == set(importers.IMD_DOMAINS)
    row = dep[(dep.edition == 2025) & (dep.domain == "imd")].iloc[0]
    real = next(r for r in _rows(FIXTURES / "imd" / "imd2025_england_lsoa21.csv") if r["lsoa21_code"] == "E01018865")
    assert (row["rank"], row["decile"], row["score"]) == (
        int(real["IMD_rank"]),
        int(real["IMD_decile"]),
        float(real["IMD_score"]),
    )
    assert not row["approximate"]
    assert dep[(dep.edition == 2015) & (dep.domain == "imd")]["score"].notna().all()


def test_a_merged_lsoa_gets_population_weighted_deprivation(area_store):
    # E01018775 and E01018776 (2011) merged into E01034858 (2021).
    dep = queries.deprivation(["E01034858"])
    imd = dep[(dep.edition == 2015) & (dep.domain == "imd")].iloc[0]
    parents = {
        r["lsoa11_code"]: r
        for r in _rows(FIXTURES / "imd" / "imd2015_england_lsoa11.csv")
        if r["lsoa11_code"] in {"E01018775", "E01018776"}
    }
    people = {
        r["lsoa11_code"]: int(r["total_population"])
        for r in _rows(FIXTURES / "population" / "population_lsoa11_2017_2019_2020_ageband.csv")
        if r["lsoa11_code"] in parents and r["year"] == "2020"
    }
    expected = sum(float(parents[c]["IMD_score"]) * people[c] for c in parents) / sum(people.values())
    assert abs(imd["score"] - expected) < 1e-9
    assert imd["approximate"]


def test_roskear_population_is_apportioned_not_joined(area_store):
    """The issue's check: a naive join on codes finds only the unchanged LSOA (2,077 people)."""
    lsoas = queries.lsoas_in_wards(["E05013278"])
    assert lsoas == ["E01018865", "E01034866", "E01034867"]
    assert queries.population_total(lsoas, 2020) == 4912
    naive = queries.population(["E01018865"], year=2020)["count"].sum()
    assert naive == 2077
    split = queries.population(["E01034866", "E01034867"], year=2020).groupby("lsoa")["count"].sum()
    # E01018867 (2,835 people in 2020) shared by Census 2021 households: 673 and 573.
    assert abs(split["E01034866"] - 2835 * 673 / 1246) < 1e-6
    assert abs(split["E01034867"] - 2835 * 573 / 1246) < 1e-6


def test_population_bands_and_years(area_store):
    frame = queries.population(["E01018865"], year=2019)
    assert frame.set_index("age_band")["count"].to_dict() == {"0-15": 367, "16-64": 1250, "65+": 383}
    assert queries.population_years() == [2017, 2019, 2020]
    assert queries.population_total(["E01018865"]) == 2077  # latest year


def test_area_lookups(area_store):
    info = queries.area("E01018865")
    assert info is not None
    assert (info.name, info.ward_code, info.ward_name, info.lad_code, info.force) == (
        "Cornwall 052A",
        "E05013278",
        "Camborne Roskear & Tuckingmill",
        "E06000052",
        "Devon & Cornwall",
    )
    assert info.rural_urban.startswith("Urban")
    assert queries.area("E01999999") is None
    assert queries.area("not a code") is None
    assert len(queries.lsoas_in_lad("E06000052")) == 336
    frame = queries.all_lsoas()
    assert list(frame.columns) == ["lsoa", "name", "ward_code", "lad_code", "rural_urban", "imd_decile", "population"]
    roskear = frame.set_index("lsoa").loc["E01018865"]
    assert roskear["population"] == 2077 and 1 <= roskear["imd_decile"] <= 10


def test_adjacency_from_boundaries(area_store):
    ward = ["E01018865", "E01034866", "E01034867"]
    neighbours = queries.adjacent_lsoas(ward)
    assert neighbours and not neighbours & set(ward)
    for code in neighbours:
        assert queries.adjacent_lsoas([code]) & set(ward)  # touching is symmetric
    # Southend-on-Sea is nowhere near Camborne.
    assert not any(queries.area(c).lad_code == "E06000033" for c in neighbours)
    assert queries.boundaries(ward).keys() == set(ward)


def test_unknown_and_2011_codes(area_store):
    assert queries.unknown_lsoas(["E01018865", "E01999999", "E01018867", "rubbish"]) == [
        "E01018867",
        "E01999999",
        "rubbish",
    ]
    assert queries.to_lsoa21(["E01018867", "E01018865"]) == ["E01018865", "E01034866", "E01034867"]


def test_crime_queries(area_store):
    lsoas = queries.lsoas_in_lad("E06000052")
    counts = queries.crime_counts(lsoas)
    assert list(counts.columns) == ["lsoa", "month", "crime_type", "count"]
    totals = queries.crime_totals(lsoas)
    assert list(totals.columns) == ["month", "crime_type", "count"]
    assert totals["count"].sum() == counts["count"].sum() > 0
    asb = queries.crime_totals(lsoas, crime_type="Anti-social behaviour")
    assert set(asb.crime_type) == {"Anti-social behaviour"}
    assert queries.crime_totals(lsoas, start="2024-02").empty
    assert not queries.crime_totals(lsoas, end="2024-01").empty
    assert "Anti-social behaviour" in queries.crime_types()


def test_an_empty_store_answers_with_empty_frames(empty_store):
    assert queries.crime_counts(["E01018865"]).empty
    assert list(queries.deprivation(["E01018865"]).columns)[:4] == ["lsoa", "edition", "domain", "score"]
    assert queries.population_total(["E01018865"]) == 0
    assert queries.area("E01018865") is None
    assert queries.crime_types() == [] and queries.indicators() == []
    assert queries.adjacent_lsoas(["E01018865"]) == set()


def test_generic_indicator_with_metadata(area_store, tmp_path):
    path = tmp_path / "ks2.csv"
    path.write_text(
        "area_code,period,indicator,value,numerator,denominator\n"
        "E06000052,2022/23,ks2_rwm_expected_girls,62.5,1250,2000\n"
        "E06000052,2023/24,ks2_rwm_expected_girls,64,1280,2000\n"
        "E01018865,2024,feel_safe,71,,\n",
        encoding="utf-8",
    )
    meta = importers.IndicatorMetaInput(source="DfE", licence="OGL v3", unit="%", higher_is_better=True)
    result = importers.import_indicator(path, default_meta=meta)
    assert result.replaced == ["feel_safe", "ks2_rwm_expected_girls"]
    series = queries.indicator_series("ks2_rwm_expected_girls", ["E06000052"])
    assert series["period"].tolist() == ["2022/23", "2023/24"]
    assert series["numerator"].tolist() == [1250, 1280]
    assert [m.indicator for m in queries.indicators()] == ["feel_safe", "ks2_rwm_expected_girls"]
    assert queries.indicators()[0].higher_is_better is True
    importers.import_indicator(path, default_meta=meta)
    assert len(queries.indicator_series("ks2_rwm_expected_girls", ["E06000052"])) == 2


def test_imports_are_recorded_in_the_manifest(area_store):
    datasets = [e["dataset"] for e in store.manifest()]
    for name in ("lsoa21_geo", "lsoa11_lsoa21", "imd", "population", "boundaries", "crime"):
        assert name in datasets
    entry = next(e for e in store.manifest() if e["dataset"] == "crime")
    assert entry["rows_read"] == 450 and entry["imported_at"] and len(entry["files"]) == 3
    assert snapshot(area_store)  # the helper sees the files


def test_latin1_indicator_file_is_read(area_store, tmp_path):
    path = tmp_path / "cafe.csv"
    path.write_bytes("area_code,period,indicator,value\nE06000052,2024,Café visits,3\n".encode("cp1252"))
    meta = importers.IndicatorMetaInput(source="Survey", licence="CC BY 4.0")
    result = importers.import_indicator(path, default_meta=meta)
    assert "Latin-1" in result.summary()
    assert queries.indicator_series("Café visits", ["E06000052"])["value"].tolist() == [3.0]


def test_2011_coded_crime_is_shared_out_to_2021_lsoas(area_store, tmp_path):
    """Older police.uk files use 2011 codes: E01018867 was split into E01034866 and E01034867."""
    source = CRIME / "2024-01-devon-and-cornwall-street.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    rows = []
    for line in lines[1:5]:
        fields = next(csv.reader([line]))
        fields[1], fields[7] = "2019-05", "E01018867"
        rows.append(",".join(f'"{f}"' for f in fields))
    path = tmp_path / "2019-05-devon-and-cornwall-street.csv"
    path.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    result = importers.import_police([path])
    assert "LSOA codes: 2011." in result.summary()
    counts = queries.crime_counts(["E01034866", "E01034867"], start="2019-05", end="2019-05")
    shares = counts.groupby("lsoa")["count"].sum()
    assert abs(shares["E01034866"] - 4 * 673 / 1246) < 1e-9 and abs(shares["E01034867"] - 4 * 573 / 1246) < 1e-9
    assert queries.crime_totals(["E01034866", "E01034867"], start="2019-05")["count"].sum() == 4
    assert queries.crime_months() == ["2019-05", "2024-01"]


def test_single_year_of_age_file_needs_a_year_and_sums_into_bands(area_store):
    path = FIXTURES / "population" / "population20_lsoa11_syoa_roskear.csv"
    with pytest.raises(importers.ImportRefused, match="“year” \\(or give --year\\)"):
        importers.import_population(path)
    result = importers.import_population(path, year=2020)
    assert result.rows_read == 2 and result.replaced == ["2011 LSOAs, 2020"]
    frame = queries.population(["E01018865"], year=2020).set_index("age_band")["count"]
    real = next(r for r in _rows(path) if r["lsoa11_code"] == "E01018865")
    assert frame["0-15"] == sum(int(real[str(age)]) for age in range(16))
    assert frame.sum() == int(real["total_population"]) == 2077
    # The year replaced holds only these two 2011 LSOAs now; other years are untouched.
    assert queries.population_total(["E01018865", "E01034866", "E01034867"], 2020) == 4912
    assert queries.population_total(["E01018865"], 2019) == 2000
