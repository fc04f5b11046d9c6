"""List endpoints run a fixed number of queries however many rows there are."""

from __future__ import annotations

import pytest

from c2hub.people.models import GroupMembership, MembershipRole, PersonKind
from c2hub.programmes import services
from c2hub.programmes.models import EvidenceKind
from tests.factories import GroupFactory, OrganisationFactory, PersonFactory


def add_rows(site, actor, n: int) -> None:
    """n more people (some workers of a new organisation), groups with members, evidence."""
    org = OrganisationFactory(programme=site.programme)
    org.sites.add(site)
    criteria = list(site.pathway_model.steps.get(number=1).criteria.all())
    for i in range(n):
        person = PersonFactory(
            programme=site.programme, sites=[site], organisation=org if i % 2 else None,
            kind=PersonKind.WORKER if i % 2 else PersonKind.RESIDENT,
        )
        group = GroupFactory(site=site)
        GroupMembership.objects.create(group=group, person=person, role=MembershipRole.CHAIR)
        GroupMembership.objects.create(group=group, organisation=org)
        site.facilitators.add(person)
        item = services.evidence_add(
            actor=actor, site=site, criterion=criteria[i % len(criteria)], kind=EvidenceKind.NOTE,
            summary=f"Evidence {i}",
        )
        services.evidence_verify(actor=actor, evidence=item)


@pytest.mark.parametrize(
    "path",
    ["", "/{slug}", "/{slug}/people", "/{slug}/organisations", "/{slug}/groups",
     "/{slug}/pathway", "/{slug}/timeline"],
)
@pytest.mark.parametrize("role", ["facilitator", "researcher"])
def test_list_endpoints_query_count_is_constant(
    site, facilitator, request, role, path, api_as, django_assert_max_num_queries
):
    api = api_as(request.getfixturevalue(role))
    url = "/api/v1/sites" + path.format(slug=site.slug)
    add_rows(site, facilitator, 1)
    with django_assert_max_num_queries(25) as few:
        assert api.get(url).status_code == 200
    add_rows(site, facilitator, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get(url).status_code == 200
