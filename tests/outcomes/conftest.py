"""An area-statistics store built from the demo's slices of the real files (c2hub/demo/data/areas,
see its SOURCE.md: police.uk street-level crime January–April 2024 for Cornwall, Southend-on-Sea
and Thanet, deprivation 2015/2019/2025, population, lookups and boundaries; Open Government
Licence v3.0), imported once per session through h-areas' importers, and a site in Camborne."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import override_settings

from c2hub.demo.areas import BUNDLE, import_folder
from tests.factories import make_site

#: Camborne Roskear & Tuckingmill and Camborne Trelowarren (2024 wards).
CAMBORNE_WARDS = [
    {"code": "E05013278", "name": "Camborne Roskear & Tuckingmill"},
    {"code": "E05013279", "name": "Camborne Trelowarren"},
]


@pytest.fixture(scope="session")
def _built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("outcomes-store")
    with override_settings(DATA_DIR=data):
        import_folder(BUNDLE)
    return data / "areas"


@pytest.fixture
def area_store(settings, tmp_path: Path, _built_store: Path) -> Path:
    """A private copy of the store (and a private chart cache) for one test."""
    shutil.copytree(_built_store, tmp_path / "areas")
    settings.DATA_DIR = tmp_path
    from django.core.cache import cache

    cache.clear()
    return tmp_path / "areas"


@pytest.fixture
def camborne(programme, area_store):
    from c2hub.areas import queries

    return make_site(
        programme=programme, name="Camborne", slug="camborne", local_authority="Cornwall",
        local_authority_code="E06000052", wards=CAMBORNE_WARDS,
        lsoa_codes=tuple(queries.lsoas_in_wards([w["code"] for w in CAMBORNE_WARDS])),
    )


@pytest.fixture
def empty_outcomes_store(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path / "areas"
