"""The demo's wards and LSOAs come from the ONS best-fit lookup."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from c2hub.demo.content import SITES
from c2hub.demo.geography import LOOKUP_CSV, area_for_wards

FULL_LOOKUP = Path("/work/shared/data/real/lookups/lookup_lsoa21_ward24_ltla24.csv")


def test_southchurch_is_six_lsoas_in_southend():
    area = area_for_wards(("E05002223",))
    assert area.lsoa_codes == tuple(f"E0101588{n}" for n in range(3, 9))
    assert (area.local_authority, area.local_authority_code) == ("Southend-on-Sea", "E06000033")


def test_an_unknown_ward_is_refused():
    with pytest.raises(ValueError, match="E05999999"):
        area_for_wards(("E05999999",))


@pytest.mark.skipif(not FULL_LOOKUP.exists(), reason="the full ONS lookup is not on this machine")
def test_every_demo_lsoa_matches_the_full_ons_lookup():
    with FULL_LOOKUP.open(newline="", encoding="utf-8") as handle:
        full = {row["lsoa21_code"]: row for row in csv.DictReader(handle)}
    with LOOKUP_CSV.open(newline="", encoding="utf-8") as handle:
        ours = list(csv.DictReader(handle))
    for row in ours:
        theirs = full[row["lsoa21_code"]]
        for column in ("lsoa21_name", "ward24_code", "ward24_name", "ltla24_code", "ltla24_name"):
            assert row[column] == theirs[column]
    for site in SITES:
        wanted = set(site.ward_codes)
        every_lsoa = {code for code, r in full.items() if r["ward24_code"] in wanted}
        assert set(area_for_wards(site.ward_codes).lsoa_codes) == every_lsoa
