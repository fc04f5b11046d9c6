"""The upload page: programme admins import a file as a background task and watch its progress."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from c2hub.areas import queries
from c2hub.areas.models import ImportRun
from tests.areas.conftest import CRIME, FIXTURES

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _run_tasks_at_once(settings):
    settings.TASKS = IMMEDIATE


def _upload(client, **data):
    return client.post(reverse("areas_import"), data)


def test_the_page_lists_the_store(client, area_store, programme_admin):
    client.force_login(programme_admin)
    page = client.get(reverse("areas_import")).content.decode()
    assert "Import public data" in page and "lsoa21_geo" in page and 'enctype="multipart/form-data"' in page


def test_an_upload_imports_in_the_background_and_shows_the_result(client, area_store, programme_admin):
    client.force_login(programme_admin)
    upload = SimpleUploadedFile("2024-01-kent-street.csv", (CRIME / "2024-01-kent-street.csv").read_bytes())
    response = _upload(client, kind="police", file=upload)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("areas_import_status", args=[run.pk])
    assert run.status == ImportRun.Status.DONE and run.percent == 100 and run.created_by == programme_admin
    page = client.get(response["Location"]).content.decode()
    assert "Imported 150 rows from 1 file(s) into crime" in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    assert queries.unlocated_counts("Kent Police")["count"].tolist() == [30]


def test_a_bad_file_lists_its_problems_and_changes_nothing(client, area_store, programme_admin):
    client.force_login(programme_admin)
    before = (area_store / "imd.parquet").read_bytes()
    text = (FIXTURES / "imd" / "imd2025_england_lsoa21.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[2] = lines[2].replace(lines[2].split(",")[0], "E01999999", 1)
    upload = SimpleUploadedFile("imd2025.csv", "\n".join(lines).encode())
    response = _upload(client, kind="imd", edition="2025", file=upload)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "imd2025.csv, line 3, column “lsoa21_code”" in page and "Nothing was imported" in page
    assert (area_store / "imd.parquet").read_bytes() == before


def test_a_running_import_polls_its_progress(client, area_store, programme_admin):
    run = ImportRun.objects.create(
        kind="police",
        file_names=["big.zip"],
        created_by=programme_admin,
        status=ImportRun.Status.RUNNING,
        progress=0.42,
        stage="Counting crimes",
    )
    client.force_login(programme_admin)
    page = client.get(reverse("areas_import_status", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'value="42"' in page and "Counting crimes" in page
    partial = client.get(reverse("areas_import_status", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("{#") is False and 'id="import-progress"' in partial and "<html" not in partial


def test_form_errors_keep_what_was_typed(client, area_store, programme_admin):
    client.force_login(programme_admin)
    page = _upload(
        client,
        kind="indicator",
        source="DfE",
        file=SimpleUploadedFile("ks2.csv", b"area_code,period,indicator,value\n"),
    ).content.decode()
    assert "Enter the licence of the numbers" in page and 'value="DfE"' in page
    page = _upload(client, kind="imd", file=SimpleUploadedFile("imd.csv", b"x")).content.decode()
    assert "Enter the edition of the indices" in page
    page = _upload(client, kind="boundaries", file=SimpleUploadedFile("b.csv", b"x")).content.decode()
    assert "Choose a .geojson or .json file" in page
    page = _upload(client, kind="police").content.decode()
    assert "Choose a file to import" in page
    assert not ImportRun.objects.exists()
