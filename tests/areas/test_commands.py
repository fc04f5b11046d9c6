"""`c2hub import …` and `c2hub indicators …` on the real-file fixtures."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from c2hub.areas import queries, store
from tests.areas.conftest import CRIME, FIXTURES, ROSKEAR_LSOAS
from tests.factories import make_site


def test_import_commands_in_order(empty_store, capsys):
    lookups = FIXTURES / "lookups"
    call_command("areas_import", "lookup", *sorted(lookups.glob("*.csv")))
    call_command("areas_import", "police", str(CRIME))
    call_command("areas_import", "imd", str(FIXTURES / "imd" / "imd2025_england_lsoa21.csv"), "--edition", "2025")
    call_command(
        "areas_import", "population", str(FIXTURES / "population" / "population_lsoa11_2017_2019_2020_ageband.csv")
    )
    call_command(
        "areas_import", "boundaries", str(FIXTURES / "boundaries" / "lsoa21_bsc_cornwall_southend_thanet.geojson")
    )
    out = capsys.readouterr().out
    assert "Imported 450 rows from 3 file(s) into crime" in out
    assert "Recognised as LSOA 2011 → LSOA 2021" in out
    assert queries.population_total(ROSKEAR_LSOAS, 2020) == 4912
    call_command("areas_import", "list")
    assert "crime" in capsys.readouterr().out


def test_import_command_refuses_with_the_problems(area_store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Month,Crime type\n2024-01,Drugs\n", encoding="utf-8")
    before = (area_store / "crime.parquet").read_bytes()
    with pytest.raises(CommandError, match=r"Nothing was imported\. bad\.csv: .*“Reported by”, “LSOA code”"):
        call_command("areas_import", "police", str(bad))
    assert (area_store / "crime.parquet").read_bytes() == before


def test_indicator_import_with_meta_file(area_store, tmp_path):
    data = tmp_path / "claimants.csv"
    data.write_text(
        "area_code,period,indicator,value,numerator,denominator\nE01018865,2024-01,claimant_rate,4.1,53,1293\n",
        encoding="utf-8",
    )
    meta = tmp_path / "meta.json"
    meta.write_text(
        json.dumps(
            {
                "claimant_rate": {
                    "source": "DWP Stat-Xplore",
                    "licence": "OGL v3",
                    "unit": "%",
                    "higher_is_better": False,
                }
            }
        ),
        encoding="utf-8",
    )
    call_command("areas_import", "indicator", str(data), "--meta", str(meta))
    (info,) = queries.indicators()
    assert (info.source, info.unit, info.higher_is_better) == ("DWP Stat-Xplore", "%", False)
    call_command(
        "areas_import", "indicator", str(data), "--source", "DWP", "--licence", "OGL v3", "--higher-is-better", "no"
    )
    assert queries.indicators()[0].source == "DWP"


def test_indicators_json_for_lsoas(area_store, capsys):
    code = "E01023987"  # Ashford 001B: outside the Kent file's own area, still counted
    call_command("areas_indicators", "--lsoa", f"{code}", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert rows and set(rows[0]) == {"lsoa", "month", "crime_type", "count"}
    assert all(r["lsoa"] == code and r["month"] == "2024-01" and isinstance(r["count"], int) for r in rows)
    expected = queries.crime_counts([code])
    assert sum(r["count"] for r in rows) == expected["count"].sum()


def test_indicators_for_a_site(area_store, db, capsys):
    site = make_site(slug="roskear", lsoa_codes=tuple(ROSKEAR_LSOAS))
    call_command("areas_indicators", "--site", site.slug, "--json")
    rows = json.loads(capsys.readouterr().out)
    assert {r["lsoa"] for r in rows} <= set(ROSKEAR_LSOAS)
    call_command("areas_indicators", "--site", site.slug)
    out = capsys.readouterr().out
    assert "Crime and anti-social behaviour in 3 LSOA(s)" in out and "Population (latest year held): 4,912" in out
    with pytest.raises(CommandError, match="no site"):
        call_command("areas_indicators", "--site", "nowhere")


def test_indicators_reports_unknown_codes(area_store):
    with pytest.raises(CommandError, match="Unknown LSOA code.*E01999999"):
        call_command("areas_indicators", "--lsoa", "E01018865,E01999999", "--json")
    with pytest.raises(CommandError, match="not a month"):
        call_command("areas_indicators", "--lsoa", "E01018865", "--start", "January", "--json")
    assert store.has("crime")


@pytest.mark.parametrize("kind", ["police", "imd", "population", "lookup", "boundaries", "indicator"])
def test_a_missing_file_is_named(area_store, kind):
    extra = ["--edition", "2019"] if kind == "imd" else []
    with pytest.raises(CommandError, match="no-such-file.csv: There is no such file or folder"):
        call_command("areas_import", kind, "no-such-file.csv", *extra)
