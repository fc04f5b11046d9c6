"""The wards and LSOAs of the demo sites, read from the ONS best-fit lookup rows in data/."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOOKUP_CSV = Path(__file__).parent / "data" / "target_lsoa21_wards.csv"


@dataclass(frozen=True)
class Area:
    """A site's area: its wards ({"code", "name"}), their LSOAs and the local authority."""

    wards: tuple[dict[str, str], ...]
    lsoa_codes: tuple[str, ...]
    local_authority: str
    local_authority_code: str


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with LOOKUP_CSV.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def area_for_wards(ward_codes: tuple[str, ...]) -> Area:
    """The area made of these wards (2024 codes), in the order given."""
    rows = [r for r in _rows() if r["ward24_code"] in ward_codes]
    found = {r["ward24_code"] for r in rows}
    missing = [code for code in ward_codes if code not in found]
    if missing:
        raise ValueError(f"No LSOAs for ward(s) {', '.join(missing)} in {LOOKUP_CSV.name}")
    authorities = {(r["ltla24_name"], r["ltla24_code"]) for r in rows}
    if len(authorities) != 1:
        raise ValueError(f"Wards {', '.join(ward_codes)} are in more than one local authority")
    (la_name, la_code), = authorities
    names = {r["ward24_code"]: r["ward24_name"] for r in rows}
    return Area(
        wards=tuple({"code": code, "name": names[code]} for code in ward_codes),
        lsoa_codes=tuple(sorted(r["lsoa21_code"] for r in rows)),
        local_authority=la_name,
        local_authority_code=la_code,
    )
