"""Background task: run an upload's import (`c2hub worker`), recording progress on the ImportRun."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from c2hub.areas.files import ImportRefused
from c2hub.areas.importers import IndicatorMetaInput
from c2hub.areas.models import ImportRun
from c2hub.areas.services import ImportOptions, run_import


def _options(run: ImportRun) -> ImportOptions:
    options = run.options or {}
    meta = None
    if options.get("source") and options.get("licence"):
        meta = IndicatorMetaInput(
            source=options["source"],
            licence=options["licence"],
            unit=options.get("unit", ""),
            higher_is_better=options.get("higher_is_better"),
            label=options.get("label", ""),
        )
    return ImportOptions(edition=options.get("edition"), year=options.get("year"), default_meta=meta)


@task()
def import_uploaded_files(run_id: int) -> str:
    """Import an ImportRun's files; its status, progress and summary (or problems) are saved as it goes."""
    run = ImportRun.objects.get(pk=run_id)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, stage="Starting")
    last = 0.0

    def progress(fraction: float, message: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= 0.5 or fraction >= 1:
            last = now
            ImportRun.objects.filter(pk=run.pk).update(progress=min(1.0, fraction), stage=message[:200])

    paths = [Path(settings.MEDIA_ROOT) / name for name in run.files]
    try:
        results = run_import(run.kind, paths, _options(run), progress)
    except ImportRefused as refused:
        problems = [str(p) for p in refused.problems]
        if refused.total > len(problems):
            problems.append(f"… and {refused.total - len(problems)} more problem(s).")
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED,
            problems=problems,
            summary="Nothing was imported.",
            finished_at=timezone.now(),
        )
        return "failed"
    except Exception:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED,
            summary="Nothing was imported: the import stopped unexpectedly. The store is unchanged; "
            "the error is in the worker's log.",
            finished_at=timezone.now(),
        )
        raise
    finally:
        folder = Path(settings.MEDIA_ROOT) / "area-imports" / str(run.pk)
        shutil.rmtree(folder, ignore_errors=True)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.DONE,
        progress=1.0,
        stage="Done",
        summary="\n".join(r.summary() for r in results),
        finished_at=timezone.now(),
    )
    return "done"
