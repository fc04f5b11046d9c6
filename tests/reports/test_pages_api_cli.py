"""The pages' story (draft, edit a section, approve, download), the API's formats and errors, and
`c2hub report board`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from c2hub.accounts.models import ApiToken
from c2hub.reports.models import BoardReport
from tests.reports.support import docx_text

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_draft_edit_approve_and_download_in_the_pages(client, site, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("board_report_new", args=[site.slug]), {"as_of": "2013-12-01", "board_name": "HWB"})
    report = BoardReport.objects.get(site=site)
    assert response.status_code == 302 and response["Location"].endswith(f"/{report.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Purpose of report" in page and "Appendix 2" in page and "Version 1" in page

    edit_url = reverse("board_report_edit", args=[site.slug, report.pk])
    form = client.get(edit_url).content.decode()
    assert 'name="section_implications.legal"' in form
    data = {"section_implications.legal": "None.", "note": "Legal written"}
    assert client.post(edit_url, data).status_code == 302
    assert report.versions.count() == 2

    approve = client.post(reverse("board_report_approve", args=[site.slug, report.pk]), follow=True)
    assert "still say" in approve.content.decode()  # other sections still say what to write

    docx = client.get(reverse("board_report_download", args=[site.slug, report.pk, "docx"]) + "?version=2")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "6.3 Legal implications" in docx_text(docx.content) and "None." in docx_text(docx.content)
    pdf = client.get(reverse("board_report_download", args=[site.slug, report.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("board_report_download", args=[site.slug, report.pk, "exe"])).status_code == 404
    assert client.get(reverse("board_report_detail", args=[site.slug, report.pk]) + "?version=99").status_code == 404


def test_the_new_draft_form_shows_field_errors(client, site, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("board_report_new", args=[site.slug]), {"as_of": "2012-01-01", "board_name": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Enter the name of the board" in page
    response = client.post(reverse("board_report_new", args=[site.slug]), {"as_of": "2012-01-01", "board_name": "HWB"})
    assert "before Southchurch began" in response.content.decode()


def test_a_corrupt_template_upload_gives_a_clear_message(client, site, facilitator):
    client.force_login(facilitator)
    client.post(reverse("board_report_new", args=[site.slug]), {"as_of": "2013-12-01", "board_name": "HWB"})
    report = BoardReport.objects.get(site=site)
    upload = io.BytesIO(b"this is not a word file")
    upload.name = "council.docx"
    response = client.post(reverse("board_report_template", args=[site.slug, report.pk]), {"template": upload},
                           follow=True)
    assert "not a Word document" in response.content.decode()


def test_the_api_answers_json_docx_and_pdf(client, site, commissioner):
    auth = _auth(commissioner)
    url = f"/api/v1/sites/{site.slug}/reports/board"
    body = client.get(url + "?as_of=2013-12-01", **auth).json()
    assert body["site"] == site.slug and body["as_of"] == "2013-12-01" and body["has_data"] is False
    keys = [s["key"] for s in body["sections"]]
    assert keys[:5] == ["purpose", "recommendations", "background", "progress", "reasons"]
    assert [a["key"] for a in body["appendices"]] == ["model", "membership", "outcomes"]
    docx = client.get(url + "?as_of=2013-12-01&format=docx&board=Southend%20HWB", **auth)
    assert "Report to: Southend HWB" in docx_text(docx.content)
    assert client.get(url + "?as_of=2013-12-01&format=pdf", **auth).content.startswith(b"%PDF")
    early = client.get(url + "?as_of=2013-01-01", **auth)
    assert early.status_code == 422 and "before Southchurch began" in early.json()["detail"]
    future = client.get(url + f"?as_of={timezone.localdate() + dt.timedelta(days=3)}", **auth)
    assert future.status_code == 422 and "future" in future.json()["detail"]
    assert client.get(url + "?as_of=not-a-date", **auth).status_code in (400, 422)
    assert client.get(url + "?as_of=2013-12-01&format=xls", **auth).status_code in (400, 422)


def test_the_cli_writes_docx_and_pdf_and_explains_bad_input(site, tmp_path, capsys):
    out = tmp_path / "report.docx"
    call_command("report", "board", "--site", site.slug, "--as-of", "2013-12-01", "--format", "docx", "--out", str(out))
    assert "Purpose of report" in docx_text(out.read_bytes())
    assert "no records by that date" in capsys.readouterr().out
    pdf = tmp_path / "report.pdf"
    call_command("report", "board", "--site", site.slug, "--as-of", "2013-12-01", "--format", "pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    for args, message in (
        (["--site", "nowhere", "--as-of", "2013-12-01"], "no site with the slug"),
        (["--site", site.slug, "--as-of", "1/12/2013"], "must be a date like"),
        (["--site", site.slug, "--as-of", "2013-01-01"], "before Southchurch began"),
        (["--site", site.slug, "--as-of", "2999-01-01"], "future"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("report", "board", *args, "--out", str(out))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"nope")
    with pytest.raises(CommandError, match="not a Word document"):
        call_command("report", "board", "--site", site.slug, "--as-of", "2013-12-01", "--template", str(bad),
                     "--out", str(out))
