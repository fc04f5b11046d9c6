"""Running an import of any kind: the one entry point the CLI and the upload page's task share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from c2hub.accounts.audit import acting_as
from c2hub.areas import importers
from c2hub.areas.files import ImportRefused, Problem
from c2hub.areas.importers import ImportResult, IndicatorMetaInput, Progress
from c2hub.areas.models import ImportRun

#: The kinds of file, in the order they should be imported (lookups first: codes are checked against them).
KINDS: dict[str, str] = {
    "lookup": "Geography lookup (LSOA 2011→2021, LSOA→ward→local authority, local authority→police force, "
    "rural–urban class, households per LSOA)",
    "police": "police.uk street-level crime (CSV, CSV.gz or the monthly archive zip)",
    "imd": "English indices of deprivation (one edition)",
    "population": "Population per LSOA by age band and year",
    "boundaries": "LSOA boundaries (GeoJSON)",
    "indicator": "Generic indicator (area_code, period, indicator, value[, numerator, denominator])",
}


@dataclass(frozen=True)
class ImportOptions:
    """What some kinds need besides the file: the IMD edition, the population year, indicator metadata."""

    edition: int | None = None
    year: int | None = None
    meta: dict[str, IndicatorMetaInput] | None = None
    default_meta: IndicatorMetaInput | None = None


def run_import(kind: str, paths: list[Path], options: ImportOptions, progress: Progress) -> list[ImportResult]:
    """Import ``paths`` as ``kind``. Raises ImportRefused (nothing changed) with the problems."""
    if kind not in KINDS:
        raise ImportRefused([Problem(kind, f"Unknown kind of file; choose one of {', '.join(KINDS)}.")])
    if not paths:
        raise ImportRefused([Problem(kind, "No file was given.")])
    missing = [path for path in paths if not Path(path).exists()]
    if missing:
        raise ImportRefused([Problem(str(path), "There is no such file or folder.") for path in missing])
    if kind == "police":
        return [importers.import_police(paths, progress=progress)]
    if kind == "imd" and options.edition is None:
        raise ImportRefused([Problem(paths[0].name, "Say which edition of the indices this is (like 2019).")])
    results = []
    for index, path in enumerate(paths):

        def step(fraction: float, message: str, index: int = index) -> None:
            progress((index + fraction) / len(paths), message)

        if kind == "imd":
            assert options.edition is not None
            results.append(importers.import_imd(path, edition=options.edition, progress=step))
        elif kind == "population":
            results.append(importers.import_population(path, year=options.year, progress=step))
        elif kind == "lookup":
            results.append(importers.import_lookup(path, progress=step))
        elif kind == "boundaries":
            results.append(importers.import_boundaries(path, progress=step))
        else:
            results.append(
                importers.import_indicator(path, meta=options.meta, default_meta=options.default_meta, progress=step)
            )
    return results


def import_upload_start(*, actor: Any, kind: str, upload: UploadedFile, options: dict[str, Any]) -> ImportRun:
    """Save an uploaded file and queue its import as a background task (`c2hub worker` runs it).

    Only programme admins may import (rule ``areas.import_data``); the store is shared by every
    programme on this installation.
    """
    from c2hub.areas.tasks import import_uploaded_files

    if not actor.has_perm("areas.import_data"):
        raise PermissionDenied("Only programme admins can import public data.")
    if kind not in KINDS:
        raise ValidationError({"kind": "Choose what the file is"})
    with acting_as(actor), transaction.atomic():
        run = ImportRun.objects.create(kind=kind, options=options, file_names=[upload.name], created_by=actor)
        folder = Path(settings.MEDIA_ROOT) / "area-imports" / str(run.pk)
        folder.mkdir(parents=True, exist_ok=True)
        safe_name = Path(upload.name).name.replace("/", "_") or "upload"
        target = folder / safe_name
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        run.files = [str(target.relative_to(Path(settings.MEDIA_ROOT)))]
        run.save(update_fields=["files"])
        import_uploaded_files.enqueue(run.pk)
    run.refresh_from_db()
    return run
