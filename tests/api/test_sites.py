"""GET /api/v1/sites and /api/v1/sites/{slug}: my sites only, with the details the pages show."""

from __future__ import annotations

from decimal import Decimal

from c2hub.accounts.models import Role
from c2hub.people.models import OrganisationKind, PersonKind
from c2hub.programmes import services
from c2hub.programmes.models import EvidenceKind
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    make_site,
    user_with_role,
)


def test_my_sites_lists_only_the_sites_i_belong_to_with_their_current_step(
    site, other_site, member, api_as
):
    response = api_as(member).get("/api/v1/sites")
    assert response.status_code == 200
    [row] = response.json()
    assert row["slug"] == site.slug
    assert row["programme"] == {"slug": "c2", "name": "C2 Connecting Communities"}
    assert row["current_step"]["number"] == 1
    assert row["steps_total"] == 7 and row["steps_complete"] == 0
    assert row["criteria_waiting"] == 4


def test_a_programme_admin_sees_every_site_of_the_programme(
    site, other_site, programme_admin, api_as
):
    response = api_as(programme_admin).get("/api/v1/sites", {"q": "beac"})
    assert [s["slug"] for s in response.json()] == [other_site.slug]
    everything = api_as(programme_admin).get("/api/v1/sites")
    assert [s["slug"] for s in everything.json()] == ["beacon", "southchurch"]


def test_site_details(site, member, api_as):
    council = OrganisationFactory(
        programme=site.programme, name="Southend Council", kind=OrganisationKind.COUNCIL
    )
    icb = OrganisationFactory(programme=site.programme, name="Southend ICB", kind=OrganisationKind.ICB)
    services.site_update(
        actor=None, site=site, lead_agency=council, commissioner=icb,
        wards=[{"code": "E05002223", "name": "Southchurch"}],
    )
    services.funding_line_create(
        actor=None, site=site, description="Steps 1-3", funder=icb, amount=Decimal("45000"),
        steps_covered=[1, 2, 3],
    )
    worker = PersonFactory(
        programme=site.programme, kind=PersonKind.WORKER, name="Fay Cilitator", sites=[site]
    )
    site.facilitators.add(worker)

    response = api_as(member).get(f"/api/v1/sites/{site.slug}")

    assert response.status_code == 200
    body = response.json()
    assert body["wards"] == [{"code": "E05002223", "name": "Southchurch"}]
    assert body["lsoa_codes"] == ["E01015883", "E01015884"]
    assert body["local_authority"] == "Southend-on-Sea"
    assert body["lead_agency"] == {"id": council.pk, "name": "Southend Council", "kind": "council"}
    assert body["commissioner"]["name"] == "Southend ICB"
    [line] = body["funding_lines"]
    assert line["funder_name"] == "Southend ICB" and line["steps_covered"] == [1, 2, 3]
    assert Decimal(line["amount"]) == Decimal("45000")
    assert body["start_date"] == "2013-06-01" and body["planned_length_months"] == 24
    assert body["pathway_model"] == {
        "key": "c2-seven-steps", "version": "1.0", "title": site.pathway_model.title,
    }
    assert body["current_step"]["number"] == 1
    assert [f["name"] for f in body["facilitators"]] == ["Fay Cilitator"]


def test_a_researcher_sees_facilitators_by_pseudonym(site, researcher, api_as):
    worker = PersonFactory(programme=site.programme, name="Fay Cilitator", sites=[site])
    site.facilitators.add(worker)
    [facilitator] = api_as(researcher).get(f"/api/v1/sites/{site.slug}").json()["facilitators"]
    assert facilitator["name"] == worker.pseudonym and facilitator["pseudonymised"]
    assert "email" not in facilitator


def test_another_sites_slug_is_404_for_every_endpoint(site, other_site, member, api_as):
    api = api_as(member)
    for suffix in ("", "/people", "/organisations", "/groups", "/pathway", "/timeline"):
        response = api.get(f"/api/v1/sites/{other_site.slug}{suffix}")
        assert response.status_code == 404, suffix
        assert response.json() == {"detail": "No such site"}
    assert api.get("/api/v1/sites/no-such-site").status_code == 404


def test_a_site_of_another_programme_is_invisible_to_its_admin(site, programme_admin, api_as):
    elsewhere = make_site(programme=ProgrammeFactory(name="Other", slug="other"), name="Elsewhere")
    assert api_as(programme_admin).get(f"/api/v1/sites/{elsewhere.slug}").status_code == 404


def test_timeline_newest_first(site, member, api_as):
    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    services.evidence_add(
        actor=member, site=site, criterion=criterion, kind=EvidenceKind.NOTE, summary="Walkabout"
    )
    response = api_as(member).get(f"/api/v1/sites/{site.slug}/timeline")
    assert response.status_code == 200
    events = response.json()
    assert [e["kind"] for e in events] == ["evidence_added", "site_started"]
    assert events[0]["evidence_summary"] == "Walkabout"
    assert events[0]["criterion"]["key"] == criterion.key
    assert events[0]["step_number"] == 1
    assert events[0]["actor"]["id"] == member.pk
    assert len(api_as(member).get(f"/api/v1/sites/{site.slug}/timeline", {"limit": 1}).json()) == 1


def test_site_list_query_count_does_not_grow_with_sites(
    programme, django_assert_max_num_queries, api_as
):
    admin = user_with_role(Role.PROGRAMME_ADMIN, programme=programme)
    api = api_as(admin)
    make_site(programme=programme, name="One")
    with django_assert_max_num_queries(20) as few:
        api.get("/api/v1/sites")
    for n in range(5):
        make_site(programme=programme, name=f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/sites").json()) == 6
