"""Bad files: a clear message naming the file (and line and column), and an unchanged store."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c2hub.areas import importers
from c2hub.areas.files import ImportRefused
from tests.areas.conftest import CRIME, FIXTURES, snapshot

HEADER = (CRIME / "2024-01-essex-street.csv").read_text(encoding="utf-8").splitlines()[0]
ROW = (CRIME / "2024-01-essex-street.csv").read_text(encoding="utf-8").splitlines()[5]


def _refused(area_store: Path, call) -> str:
    before = snapshot(area_store)
    with pytest.raises(ImportRefused) as caught:
        call()
    assert snapshot(area_store) == before, "a refused import changed the store"
    return caught.value.message


def test_wrong_columns_are_named_with_the_file(area_store, tmp_path):
    path = tmp_path / "2024-01-essex-street.csv"
    path.write_text("Crime ID,Month,Reported by,Falls within\n,2024-01,Essex Police,Essex Police\n", encoding="utf-8")
    message = _refused(area_store, lambda: importers.import_police([path]))
    assert "2024-01-essex-street.csv" in message
    assert "“LSOA code”" in message and "“Crime type”" in message


def test_a_malformed_row_gives_file_and_line(area_store, tmp_path):
    path = tmp_path / "bad.csv"
    lines = [HEADER, ROW, ROW, ",".join(ROW.split(",")[:5]), ROW]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _refused(area_store, lambda: importers.import_police([path]))
    assert "bad.csv, line 4" in message and "too few fields" in message


def test_an_unknown_lsoa_code_is_reported_not_dropped(area_store, tmp_path):
    path = tmp_path / "bad.csv"
    fields = ROW.split(",")
    fields[7] = "E01999999"
    path.write_text("\n".join([HEADER, ROW, ",".join(fields)]) + "\n", encoding="utf-8")
    message = _refused(area_store, lambda: importers.import_police([path]))
    assert "bad.csv, line 3, column “LSOA code”" in message and "E01999999" in message


def test_a_bad_month_is_reported(area_store, tmp_path):
    path = tmp_path / "bad.csv"
    fields = ROW.split(",")
    fields[1] = "Jan 2024"
    path.write_text("\n".join([HEADER, ",".join(fields)]) + "\n", encoding="utf-8")
    message = _refused(area_store, lambda: importers.import_police([path]))
    assert "line 2, column “Month”" in message


def test_the_same_force_month_twice_is_refused(area_store, tmp_path):
    (tmp_path / "a").mkdir()
    copy = tmp_path / "a" / "copy.csv"
    copy.write_bytes((CRIME / "2024-01-essex-street.csv").read_bytes())
    message = _refused(area_store, lambda: importers.import_police([CRIME / "2024-01-essex-street.csv", copy]))
    assert "Essex Police 2024-01 is in more than one file" in message


def test_not_a_csv(area_store, tmp_path):
    path = tmp_path / "map.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    message = _refused(area_store, lambda: importers.import_police([path]))
    assert "map.png" in message and "not a police.uk CSV file" in message
    message = _refused(area_store, lambda: importers.import_imd(path, edition=2019))
    assert "not a CSV file" in message


def test_a_truncated_zip(area_store, tmp_path):
    archive = tmp_path / "2024-01.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(CRIME / "2024-01-kent-street.csv", "2024-01/2024-01-kent-street.csv")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    message = _refused(area_store, lambda: importers.import_police([archive]))
    assert "2024-01.zip" in message and "damaged or incomplete" in message


def test_latin1_police_file_is_read_and_said(area_store, tmp_path):
    path = tmp_path / "2024-01-essex-street.csv"
    text = (CRIME / "2024-01-essex-street.csv").read_text(encoding="utf-8").replace("Essex Police", "Essex Policé")
    path.write_bytes(text.encode("cp1252"))
    result = importers.import_police([path])
    assert result.rows_read == 150 and "Latin-1" in result.summary()
    assert result.replaced == ["Essex Policé 2024-01"]


def test_imd_bad_number_gives_line_and_column(area_store, tmp_path):
    source = FIXTURES / "imd" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace(",8", ",eight") if lines[3].endswith(",8") else lines[3][:-1] + "eleven"
    path = tmp_path / "File_1.csv"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    message = _refused(area_store, lambda: importers.import_imd(path, edition=2019))
    assert "File_1.csv, line 4, column “Index of Multiple Deprivation (IMD) Decile”" in message


def test_imd_without_lsoa_column(area_store, tmp_path):
    path = tmp_path / "imd.csv"
    path.write_text("area,IMD_rank\nE01018865,3\n", encoding="utf-8")
    message = _refused(area_store, lambda: importers.import_imd(path, edition=2019))
    assert "imd.csv" in message and "LSOA code (2011)" in message


def test_population_totals_must_add_up(area_store, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text(
        "lsoa11_code,lsoa11_name,year,total_population,aged_0_15,aged_16_64,aged_65_plus\n"
        "E01018865,Cornwall 052A,2021,2000,1,2,3\n",
        encoding="utf-8",
    )
    message = _refused(area_store, lambda: importers.import_population(path))
    assert "pop.csv, line 2, column “total_population”" in message


def test_unknown_lookup_shape(area_store, tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text("postcode,lsoa\nTR14 8AA,E01018865\n", encoding="utf-8")
    message = _refused(area_store, lambda: importers.import_lookup(path))
    assert "lookup.csv" in message and "not a lookup C2 Hub knows" in message


def test_indicator_problems(area_store, tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text("area_code,period,indicator,value\nE01018867,2024,x,1\nE06000052,2024,x,many\n", encoding="utf-8")
    message = _refused(
        area_store,
        lambda: importers.import_indicator(path, default_meta=importers.IndicatorMetaInput(source="s", licence="l")),
    )
    assert "line 2, column “area_code”: “E01018867” is a 2011 LSOA code" in message
    assert "line 3, column “value”" in message
    path.write_text("area_code,period,indicator,value\nE06000052,2024,x,1\n", encoding="utf-8")
    message = _refused(area_store, lambda: importers.import_indicator(path))
    assert "has no source and licence" in message
    path.write_text("area,period,indicator,value\n", encoding="utf-8")
    assert "“area_code”" in _refused(area_store, lambda: importers.import_indicator(path))


def test_lsoa_imports_need_the_lookups_first(empty_store):
    with pytest.raises(ImportRefused, match="Import the LSOA lookups first"):
        importers.import_police([CRIME / "2024-01-essex-street.csv"])


def test_bad_geojson(area_store, tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    assert "not a GeoJSON file" in _refused(area_store, lambda: importers.import_boundaries(path))
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"properties": {"lsoa21_code": "E01018865"}, '
        '"geometry": {"type": "Point", "coordinates": [0, 0]}}]}',
        encoding="utf-8",
    )
    assert "geometry is not usable" in _refused(area_store, lambda: importers.import_boundaries(path))


# Hypothesis: whatever the bytes, a parser answers with a result or a clear refusal, never a crash,
# and a refusal leaves the store as it was.

_texty = st.one_of(
    st.binary(max_size=400),
    st.lists(
        st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12), max_size=8),
        max_size=6,
    ).map(lambda rows: "\n".join(",".join(r) for r in rows).encode()),
)


def _mutated_police() -> st.SearchStrategy[bytes]:
    lines = [HEADER, ROW, ROW]
    return st.tuples(st.integers(0, 2), st.integers(0, 11), st.text(max_size=15)).map(
        lambda t: "\n".join(
            line if i != t[0] else ",".join(f if j != t[1] else t[2] for j, f in enumerate(line.split(",")))
            for i, line in enumerate(lines)
        ).encode("utf-8")
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(_texty, _mutated_police()))
def test_police_parser_never_crashes(area_store, tmp_path, data):
    path = tmp_path / "2024-01-x-street.csv"
    path.write_bytes(data)
    before = snapshot(area_store)
    try:
        importers.import_police([path])
    except ImportRefused as refused:
        assert refused.problems and snapshot(area_store) == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_texty, kind=st.sampled_from(["imd", "population", "lookup", "indicator", "boundaries"]))
def test_other_parsers_never_crash(area_store, tmp_path, data, kind):
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    before = snapshot(area_store)
    call = {
        "imd": lambda: importers.import_imd(path, edition=2019),
        "population": lambda: importers.import_population(path, year=2020),
        "lookup": lambda: importers.import_lookup(path),
        "indicator": lambda: importers.import_indicator(
            path, default_meta=importers.IndicatorMetaInput(source="s", licence="l")
        ),
        "boundaries": lambda: importers.import_boundaries(path),
    }[kind]
    try:
        call()
    except ImportRefused as refused:
        assert refused.problems and snapshot(area_store) == before
