"""The upload page of the area-statistics store (programme admins) and its progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from c2hub.areas import selectors, services
from c2hub.areas.forms import ImportForm
from c2hub.areas.models import ImportRun
from c2hub.formerrors import show_service_errors


def _require_importer(request: HttpRequest) -> None:
    if not request.user.has_perm("areas.import_data"):
        raise PermissionDenied("Only programme admins can import public data.")


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a file to import; the import runs in the background."""
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {
            key: data[key]
            for key in ("edition", "year", "source", "licence", "unit", "higher_is_better")
            if data.get(key) not in (None, "")
        }
        try:
            run = services.import_upload_start(
                actor=request.user, kind=data["kind"], upload=data["file"], options=options
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            return redirect("areas_import_status", run_id=run.pk)
    return render(
        request,
        "areas/import.html",
        {
            "form": form,
            "runs": selectors.recent_imports(),
            "contents": selectors.store_contents(),
            "title": "Import public data",
        },
    )


@login_required
def import_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """An import's progress (the page polls its progress panel until it finishes)."""
    _require_importer(request)
    run = get_object_or_404(ImportRun, pk=run_id)
    template = "areas/_import_progress.html" if request.headers.get("HX-Request") else "areas/import_status.html"
    return render(request, template, {"run": run, "title": f"Import of {', '.join(run.file_names)}"})
