"""The listening event's API: create, comments (bad input answered with a reason), themes, votes, report."""

from __future__ import annotations

import json

import pytest

from c2hub.accounts.models import Role, RoleAssignment
from c2hub.listening.models import COMMENT_MAX_LENGTH
from tests.factories import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, facilitator):
    client.force_login(facilitator)

    def call(method: str, url: str, body: object = None):
        fn = getattr(client, method)
        if body is None:
            return fn("/api/v1" + url)
        return fn("/api/v1" + url, json.dumps(body), content_type="application/json")

    return call


def _create(api, slug="southchurch", **body):
    body = {"title": "Listening event", "held_on": "2013-11-20", **body}
    response = api("post", f"/sites/{slug}/listening-events", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_create_answers_id_and_feedback_due(api, site):
    made = _create(api)
    assert made["feedback_due"] == "2013-11-30"
    assert made["site"] == "southchurch" and made["comments"] == 0 and not made["capture_open"]
    assert api("get", f"/listening-events/{made['id']}").json()["id"] == made["id"]
    assert [e["id"] for e in api("get", "/sites/southchurch/listening-events").json()] == [made["id"]]


def test_create_on_the_newer_model(api, programme, facilitator):
    newer = make_site(programme=programme, name="Newer", slug="newer", version="2.0", lsoa_codes=("E01024653",))
    RoleAssignment.objects.create(user=facilitator, programme=programme, site=newer, role=Role.FACILITATOR)
    assert _create(api, slug="newer", held_on="2024-03-01")["feedback_due"] == "2024-03-08"


def test_bad_create_input(api, site):
    assert api("post", "/sites/southchurch/listening-events", {"title": "", "held_on": "2013-11-20"}).status_code == 422
    assert (
        api("post", "/sites/southchurch/listening-events", {"title": "x", "held_on": "not a date"}).status_code == 422
    )
    assert api("post", "/sites/southchurch/listening-events", [1, 2]).status_code == 400


def test_comments_with_reasons_for_bad_input(api, site):
    le = _create(api)["id"]
    url = f"/listening-events/{le}/comments"
    ok = api(
        "post",
        url,
        {
            "text": "Za mało autobusów",
            "participant": "resident",
            "language": "pl",
            "count": 4,
            "age_band": "65+",
            "postcode_district": "ss2",
        },
    )
    assert ok.status_code == 201
    assert ok.json()["language"] == "pl" and ok.json()["count"] == 4 and ok.json()["postcode_district"] == "SS2"
    empty = api("post", url, {"text": "   ", "participant": "resident"})
    assert empty.status_code == 422 and "Write the comment" in empty.json()["detail"]
    long = api("post", url, {"text": "a" * (COMMENT_MAX_LENGTH + 1), "participant": "resident"})
    assert long.status_code == 422 and "2,000 characters" in long.json()["detail"]
    who = api("post", url, {"text": "hi", "participant": "alien"})
    assert who.status_code == 422 and "participant" in who.json()["detail"]
    district = api("post", url, {"text": "hi", "participant": "resident", "postcode_district": "SS2 6AB"})
    assert district.status_code == 422 and "postcode" in district.json()["detail"]
    lang = api("post", url, {"text": "hi", "participant": "resident", "language": "english please"})
    assert lang.status_code == 422 and "language" in lang.json()["detail"]
    key = {"text": "Resent", "participant": "resident", "submission_key": "abcdefgh12345678"}
    assert api("post", url, key).status_code == 201
    again = api("post", url, key)
    assert again.status_code == 200
    listed = api("get", url).json()
    assert listed["count"] == 2


def test_themes_suggest_edit_and_votes(api, site):
    le = _create(api)["id"]
    ids = []
    for text in ("No youth club", "Kids bored", "Burglaries", "Drug dealing", "Potholes", "Broken pavements"):
        ids.append(
            api("post", f"/listening-events/{le}/comments", {"text": text, "participant": "resident"}).json()["id"]
        )
    suggested = api("post", f"/listening-events/{le}/themes/suggest", {"n_themes": 3})
    assert suggested.status_code == 200
    themes = suggested.json()["themes"]
    assert len(themes) == 3 and all({"id", "name", "comment_ids"} <= set(t) for t in themes)
    assert sorted(i for t in themes for i in t["comment_ids"]) == sorted(ids)
    a, b, c = (t["id"] for t in themes)
    assert api("patch", f"/listening-events/{le}/themes/{a}", {"name": "Youth"}).status_code == 200
    merged = api("post", f"/listening-events/{le}/themes/{a}/merge", {"theme_ids": [b]}).json()
    assert len(merged["themes"]) == 2
    moved = api("post", f"/listening-events/{le}/comments/move", {"comment_ids": [ids[0]], "theme_id": c})
    assert ids[0] in next(t for t in moved.json()["themes"] if t["id"] == c)["comment_ids"]
    split = api("post", f"/listening-events/{le}/themes/{c}/split", {"name": "Youth club", "comment_ids": [ids[0]]})
    assert any(t["name"] == "Youth club" for t in split.json()["themes"])
    assert api("patch", f"/listening-events/{le}/themes/{a}", {"name": " "}).status_code == 422
    assert (
        api("post", f"/listening-events/{le}/votes", {"theme_id": a, "participant": "resident", "dots": 5}).status_code
        == 201
    )
    assert (
        api("post", f"/listening-events/{le}/votes", {"theme_id": c, "participant": "resident", "dots": 5}).status_code
        == 201
    )
    too_many = api(
        "post", f"/listening-events/{le}/votes", {"theme_id": a, "participant": "provider", "dots": 9, "source": "live"}
    )
    assert too_many.status_code == 422
    totals = api("get", f"/listening-events/{le}/votes").json()
    assert [r["rank_label"] for r in totals["residents"]][:2] == ["joint 1st", "joint 1st"]
    assert (
        api(
            "post", f"/listening-events/{le}/votes", {"theme_id": 999999, "participant": "resident", "dots": 1}
        ).status_code
        == 404
    )


def test_report_formats(api, site):
    le = _create(api)["id"]
    api(
        "post",
        f"/listening-events/{le}/comments",
        {"text": "<script>alert(1)</script> lights", "participant": "resident"},
    )
    assert api("post", f"/listening-events/{le}/themes/suggest", {}).status_code == 200
    html = api("get", f"/listening-events/{le}/report?format=html")
    assert html.status_code == 200 and "&lt;script&gt;" in html.content.decode()
    assert api("get", f"/listening-events/{le}/report?format=pdf").content.startswith(b"%PDF")
    assert api("get", f"/listening-events/{le}/report?format=docx").content.startswith(b"PK")
    assert api("get", f"/listening-events/{le}/report?format=rtf").status_code == 422


def test_capture_open_by_patch(api, site, client):
    made = _create(api)
    opened = api("patch", f"/listening-events/{made['id']}", {"capture_open": True, "next_steps": "We meet in May."})
    assert opened.json()["capture_open"]
    client.logout()
    assert client.get(opened.json()["public_path"]).status_code == 200


def test_unknown_listening_event_is_404(api):
    assert api("get", "/listening-events/987654").status_code == 404


def test_csv_upload_all_or_nothing(api, site, client, commissioner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = _create(api)
    url = f"/api/v1/listening-events/{made['id']}/comments/csv"
    good = (
        "\ufeffText,Participant,Age_band,Count\n"
        "Nowhere for kids to go,resident,11-15,3\n"
        "Bins <b>never</b> emptied,provider,,\n"
    )
    response = client.post(url, {"file": SimpleUploadedFile("cards.csv", good.encode("utf-8"), "text/csv")})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["imported"] == 2
    assert [c["text"] for c in body["items"]] == ["Nowhere for kids to go", "Bins <b>never</b> emptied"]
    assert body["items"][0]["count"] == 3

    wrong = "comment,who\nhello,resident\n"
    response = client.post(url, {"file": SimpleUploadedFile("wrong.csv", wrong.encode(), "text/csv")})
    assert response.status_code in (400, 422)
    assert "text" in response.json()["detail"] and "participant" in response.json()["detail"]

    bad_row = "text,participant\nfine,resident\n,resident\n"
    response = client.post(url, {"file": SimpleUploadedFile("bad.csv", bad_row.encode(), "text/csv")})
    assert response.status_code in (400, 422) and "3" in response.json()["detail"]
    assert api("get", f"/listening-events/{made['id']}/comments").json()["count"] == 2  # nothing more stored

    client.force_login(commissioner)  # commissioners read, never write
    response = client.post(url, {"file": SimpleUploadedFile("cards.csv", good.encode("utf-8"), "text/csv")})
    assert response.status_code == 403
