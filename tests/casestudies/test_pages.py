"""The case-study pages and API end to end, and who may reach what (own site / another
programme's site × role)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from c2hub.accounts.models import ApiToken, Role
from c2hub.casestudies import services
from c2hub.casestudies.models import CaseStudy, Quote
from tests.casestudies.conftest import CONSENT, png_upload
from tests.factories import ProgrammeFactory, make_site, user_with_role

pytestmark = pytest.mark.django_db

GRANTS = {
    Role.PROGRAMME_ADMIN: {"view", "drafts", "work", "publish"},
    Role.FACILITATOR: {"view", "drafts", "work", "publish"},
    Role.PARTNERSHIP_MEMBER: {"view", "drafts", "work"},
    Role.COMMISSIONER: {"view"},
    Role.RESEARCHER: {"view"},
}


def _world(site):
    draft = services.case_study_create(actor=None, site=site, title="Draft story", narrative="Drafted.")
    published = services.case_study_create(actor=None, site=site, title="Published story", narrative="Told.")
    photo = services.photo_add(
        actor=None, case_study=published, image=png_upload(), alt_text="Dancers", consent_scope="team", **CONSENT
    )
    services.case_study_publish(actor=None, case_study=published, audience="team")
    return {"draft": draft.pk, "published": published.pk, "photo": photo.pk}


@pytest.fixture
def world(site):
    foreign = make_site(
        programme=ProgrammeFactory(name="Another", slug="another"),
        name="Elsewhere",
        slug="elsewhere",
        lsoa_codes=("E01024653",),
    )
    return {"site": site, "foreign": foreign, "ids": _world(site), "foreign_ids": _world(foreign)}


@pytest.mark.parametrize("role", list(GRANTS))
def test_pages_obey_the_matrix(client, world, role):
    client.force_login(user_with_role(role, world["site"], programme=world["site"].programme))
    grants = GRANTS[role]
    failures = []
    for own, site, ids in ((True, world["site"], world["ids"]), (False, world["foreign"], world["foreign_ids"])):
        slug = site.slug
        checks = [
            ("get", reverse("case_study_list", args=[slug]), "view"),
            ("get", reverse("case_study_detail", args=[slug, ids["published"]]), "view"),
            ("get", reverse("case_study_photo", args=[slug, ids["published"], ids["photo"]]), "view"),
            ("get", reverse("case_study_download", args=[slug, ids["published"]]) + "?format=docx", "view"),
            ("get", reverse("case_study_detail", args=[slug, ids["draft"]]), "drafts"),
            ("get", reverse("case_study_create", args=[slug]), "work"),
            ("get", reverse("case_study_edit", args=[slug, ids["published"]]), "work"),
            ("get", reverse("case_study_quote_add", args=[slug, ids["published"]]), "work"),
            ("get", reverse("case_study_publish", args=[slug, ids["published"]]), "publish"),
        ]
        for method, url, need in checks:
            got = getattr(client, method)(url).status_code
            if not own:
                want = 404
            elif need == "drafts":
                want = 200 if need in grants else 404  # a draft is invisible, not forbidden
            else:
                want = 200 if need in grants else 403
            if got != want:
                failures.append(f"{role} {url}: {got}, expected {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", list(GRANTS))
def test_writes_obey_the_matrix(client, world, role):
    client.force_login(user_with_role(role, world["site"], programme=world["site"].programme))
    site, ids = world["site"], world["ids"]
    response = client.post(
        reverse("case_study_quote_add", args=[site.slug, ids["published"]]),
        {
            "text": "Good",
            "attribution": "A resident",
            "consent_from": "the speaker",
            "consent_given_on": "2024-05-01",
            "consent_scope": "team",
        },
    )
    assert response.status_code == (302 if "work" in GRANTS[role] else 403)
    assert Quote.objects.filter(case_study_id=ids["published"]).exists() == ("work" in GRANTS[role])
    foreign = client.post(
        reverse("case_study_unpublish", args=[world["foreign"].slug, world["foreign_ids"]["published"]])
    )
    assert foreign.status_code == 404


def test_a_form_with_errors_says_what_is_wrong_beside_each_field(client, site, facilitator, case_study):
    client.force_login(facilitator)
    response = client.post(
        reverse("case_study_quote_add", args=[site.slug, case_study.pk]),
        {
            "text": "Dancing",
            "attribution": "Aged 9",
            "consent_from": "a parent",
            "consent_given_on": "2024-02-30",
            "consent_scope": "publication",
            "about_a_child": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Date consent was given must be a real date." in page
    response = client.post(
        reverse("case_study_quote_add", args=[site.slug, case_study.pk]),
        {
            "text": "Dancing",
            "attribution": "Aged 9",
            "consent_from": "a parent",
            "consent_given_on": "2024-02-01",
            "consent_scope": "publication",
            "about_a_child": "on",
        },
    )
    assert response.status_code == 400
    assert "need the consent of a parent or guardian" in response.content.decode()


def test_withdrawing_consent_takes_a_photo_off_the_page(client, site, facilitator):
    ids = _world(site)
    client.force_login(facilitator)
    photo_url = reverse("case_study_photo", args=[site.slug, ids["published"], ids["photo"]])
    assert client.get(photo_url).status_code == 200
    client.post(reverse("case_study_item_withdraw", args=[site.slug, ids["published"], "photos", ids["photo"]]))
    assert client.get(photo_url).status_code == 404
    page = client.get(reverse("case_study_detail", args=[site.slug, ids["published"]])).content.decode()
    assert "Withdrawn" in page


def test_downloads(client, site, facilitator, case_study):
    client.force_login(facilitator)
    url = reverse("case_study_download", args=[site.slug, case_study.pk])
    assert client.get(url + "?format=pdf")["Content-Type"] == "application/pdf"
    assert client.get(url + "?format=rtf").status_code == 400


def test_the_library_page(client, site, facilitator, case_study):
    client.force_login(facilitator)
    page = client.get(reverse("case_study_library") + "?q=TR14").content.decode()
    assert "The TR14ers" in page and "1 case study" in page


def test_api(client, world):
    user = user_with_role(Role.COMMISSIONER, world["site"], programme=world["site"].programme)
    token = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(token), hint=token[:8])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    slug = world["site"].slug
    listed = client.get(f"/api/v1/sites/{slug}/case-studies", **auth)
    assert [c["title"] for c in listed.json()] == ["Published story"]
    one = client.get(f"/api/v1/sites/{slug}/case-studies/{world['ids']['published']}", **auth).json()
    assert one["photos"][0]["alt_text"] == "Dancers" and one["left_out"] == 0
    draft = client.get(f"/api/v1/sites/{slug}/case-studies/{world['ids']['draft']}", **auth)
    assert draft.status_code == 404 and "detail" in json.loads(draft.content)
    assert client.get("/api/v1/sites/elsewhere/case-studies", **auth).status_code == 404
    assert CaseStudy.objects.count() == 4


def test_public_stories(client, site, case_study, quotes):
    from c2hub.newsletters import services as newsletter_services

    services.photo_add(
        actor=None, case_study=case_study, image=png_upload(), alt_text="Dancers", consent_scope="team", **CONSENT
    )
    team_photo = case_study.photos.get()
    public_url = reverse("public_case_study", args=[site.slug, case_study.pk])
    # The public page is off: nothing public exists.
    assert client.get(reverse("public_case_studies", args=[site.slug])).status_code == 404
    newsletter_services.public_page_set(actor=None, site=site, enabled=True)
    assert client.get(public_url).status_code == 404  # a draft
    services.case_study_publish(actor=None, case_study=case_study, audience="team")
    assert client.get(public_url).status_code == 404  # for the team only
    services.case_study_publish(actor=None, case_study=case_study, audience="public")
    listed = client.get(reverse("public_case_studies", args=[site.slug])).content.decode()
    assert "The TR14ers" in listed
    page = client.get(public_url).content.decode()
    assert "We have somewhere to go now." in page
    for left_out in ("The police listen to us.", "I love dancing.", "I changed my mind"):
        assert left_out not in page
    photo = reverse("public_case_study_photo", args=[site.slug, case_study.pk, team_photo.pk])
    assert client.get(photo).status_code == 404  # its consent covers the team only
    assert client.get(public_url + "?format=pdf")["Content-Type"] == "application/pdf"
