"""Bad input never gives a 500: every refusal is a 4xx with a JSON `detail` saying why."""

from __future__ import annotations

import pytest

from c2hub.programmes.models import Evidence


@pytest.fixture
def evidence_url(site):
    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    return f"/api/v1/sites/{site.slug}/pathway/criteria/{criterion.pk}/evidence"


def assert_refused(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    for word in words:
        assert word in body["detail"], body
    return body


def test_malformed_json_is_400(site, member, evidence_url, api_as):
    for raw in ('{"kind": "note", "summary": ', "not json", b"\xff\xfe"):
        assert_refused(
            api_as(member).post(evidence_url, raw=raw), 400, "The request body is not valid JSON."
        )


def test_json_that_is_not_an_object_is_400(site, member, evidence_url, api_as):
    for raw in ("[1, 2]", '"note"', "42", "null"):
        assert_refused(
            api_as(member).post(evidence_url, raw=raw), 400, "must be a JSON object"
        )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"summary": "No kind"}, "body.payload.kind"),
        ({"kind": "note"}, "body.payload.summary"),
        ({"kind": "file", "summary": "Files are uploaded elsewhere"}, "body.payload.kind"),
        ({"kind": "note", "summary": 12}, "body.payload.summary"),
        ({"kind": "note", "summary": ["a"]}, "body.payload.summary"),
        ({"kind": "note", "summary": "x", "occurred_on": "yesterday"}, "body.payload.occurred_on"),
        ({"kind": "note", "summary": "x" * 301}, "at most 300 characters"),
        ({"kind": "note", "summary": ""}, "body.payload.summary"),
        ({"kind": "note", "summary": "x", "note": "n" * 20001}, "body.payload.note"),
        ({"kind": "link", "summary": "x", "url": "https://e.org/" + "a" * 1000}, "body.payload.url"),
        ({"kind": "note", "summary": "nul \x00 byte"}, "NUL"),
        ({"kind": "record", "summary": "x", "record": {"type": "people.group"}}, "record.id"),
        ({"kind": "record", "summary": "x", "record": {"type": "people.group", "id": "one"}},
         "record.id"),
        ({"kind": "record", "summary": "x", "record": {"type": "people.group", "id": 2**70}},
         "record.id"),
        ({"kind": "record", "summary": "x", "record": "people.group:1"}, "body.payload.record"),
    ],
)
def test_wrong_types_missing_and_over_long_fields_are_422(
    site, member, evidence_url, api_as, body, where
):
    refused = assert_refused(api_as(member).post(evidence_url, body), 422, where)
    assert refused["errors"]
    assert not Evidence.objects.exists()


def test_over_long_reasons_are_422(site, programme_admin, api_as):
    api = api_as(programme_admin)
    complete = api.post(
        f"/api/v1/sites/{site.slug}/pathway/steps/1/complete", {"override_reason": "x" * 5001}
    )
    assert_refused(complete, 422, "override_reason")
    reopen = api.post(f"/api/v1/sites/{site.slug}/pathway/steps/1/reopen", {"reason": "x" * 5001})
    assert_refused(reopen, 422, "reason")
    assert_refused(api.post(f"/api/v1/sites/{site.slug}/pathway/steps/1/reopen", {"reason": 3}), 422)


@pytest.mark.parametrize(
    "path",
    [
        "/pathway/criteria/abc/evidence",
        "/pathway/criteria/0/evidence",
        "/pathway/criteria/99999999999999999999999/evidence",
        "/pathway/steps/0/complete",
        "/pathway/steps/99999/complete",
        "/pathway/steps/seven/reopen",
        "/pathway/evidence/-1/verify",
    ],
)
def test_malformed_ids_in_the_address_are_422(site, programme_admin, api_as, path):
    response = api_as(programme_admin).post(f"/api/v1/sites/{site.slug}{path}", {"reason": "x"})
    assert_refused(response, 422, "path.")


def test_unknown_ids_are_404(site, programme_admin, api_as):
    api = api_as(programme_admin)
    assert_refused(
        api.post(f"/api/v1/sites/{site.slug}/pathway/criteria/123456/evidence",
                 {"kind": "note", "summary": "x"}),
        404, "No such criterion",
    )
    assert_refused(
        api.post(f"/api/v1/sites/{site.slug}/pathway/evidence/123456/verify"), 404, "No such evidence"
    )
    assert_refused(api.get(f"/api/v1/sites/{site.slug}/pathway/evidence/123456/file"), 404)
    assert_refused(api.get("/api/v1/sites/no-such-site/pathway"), 404, "No such site")
    assert_refused(api.get("/api/v1/sites/not%20a%20slug"), 422, "path.slug")


def test_bad_query_parameters_are_422(site, member, api_as):
    api = api_as(member)
    url = f"/api/v1/sites/{site.slug}/people"
    assert_refused(api.get(url, {"q": "x" * 101}), 422, "query.q")
    assert_refused(api.get(url, {"offset": -1}), 422, "query.offset")
    assert_refused(api.get(url, {"organisation_id": "many"}), 422, "query.organisation_id")
    assert_refused(api.get(url, {"age_band": "old"}), 422, "query.age_band")
    assert_refused(api.get(f"/api/v1/sites/{site.slug}/timeline", {"limit": 10**6}), 422)
    assert_refused(api.get("/api/v1/sites", {"q": "a\x00b"}), 422, "NUL")
