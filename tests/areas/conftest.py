"""The area store built from the real-file slices in fixtures/ (see fixtures/SOURCE.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import override_settings

from c2hub.areas import importers
from c2hub.demo.areas import LOOKUPS, import_folder

FIXTURES = Path(__file__).parent / "fixtures"
CRIME = FIXTURES / "crime"
#: Camborne Roskear & Tuckingmill (2024 ward): E01018865 is unchanged since 2011; E01034866 and
#: E01034867 were split from the 2011 LSOA E01018867.
ROSKEAR_WARD = "E05013278"
ROSKEAR_LSOAS = ["E01018865", "E01034866", "E01034867"]


@pytest.fixture(scope="session")
def _built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("area-store")
    with override_settings(DATA_DIR=data):
        import_folder(FIXTURES)
    return data / "areas"


@pytest.fixture
def area_store(settings, tmp_path: Path, _built_store: Path) -> Path:
    """A private copy of the store with every fixture imported (tests may change it)."""
    shutil.copytree(_built_store, tmp_path / "areas")
    settings.DATA_DIR = tmp_path
    return tmp_path / "areas"


@pytest.fixture
def lookup_store(settings, tmp_path: Path) -> Path:
    """A store holding only the lookups."""
    settings.DATA_DIR = tmp_path
    for name in LOOKUPS:
        importers.import_lookup(FIXTURES / "lookups" / name)
    return tmp_path / "areas"


@pytest.fixture
def empty_store(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path / "areas"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the store, to check that a refused import changed nothing."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*")) if p.is_file() and p.name != ".lock"}
