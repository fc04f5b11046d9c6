"""A site's LSOAs and its comparison areas, on the real lookups, deprivation, population and boundaries."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from c2hub.accounts.models import Role
from c2hub.areas import queries
from c2hub.outcomes import services
from c2hub.outcomes.models import ComparisonArea
from tests.factories import make_site, user_with_role

pytestmark = pytest.mark.django_db


def test_2011_codes_become_the_2021_lsoas_they_became(camborne):
    change = services.site_lsoas_set(actor=None, site=camborne, codes=["e01018865", "E01018867"])
    assert change.lsoas == ["E01018865", "E01034866", "E01034867"]
    assert change.reconciled == {"E01018867": ["E01034866", "E01034867"]}
    camborne.refresh_from_db()
    assert camborne.lsoa_codes == change.lsoas


@pytest.mark.parametrize(("codes", "message"), [
    (["E01099999"], "Unknown LSOA codes"),
    (["E0101886"], "Not LSOA codes"),
    (["E05013278"], "Not LSOA codes"),  # a ward code
    ([], "at least one LSOA"),
])
def test_bad_codes_are_reported_not_dropped(camborne, codes, message):
    before = list(camborne.lsoa_codes)
    with pytest.raises(ValidationError, match=message):
        services.site_lsoas_set(actor=None, site=camborne, codes=codes)
    camborne.refresh_from_db()
    assert camborne.lsoa_codes == before


def test_codes_cannot_be_checked_without_lookups(site, empty_outcomes_store):
    with pytest.raises(ValidationError, match="lookups have not been imported"):
        services.site_lsoas_set(actor=None, site=site, codes=["E01018865"])


def test_only_the_site_team_changes_the_geography(camborne):
    for role in (Role.PARTNERSHIP_MEMBER, Role.COMMISSIONER, Role.RESEARCHER):
        with pytest.raises(PermissionDenied):
            services.site_lsoas_set(actor=user_with_role(role, camborne), site=camborne, codes=["E01018865"])


def test_suggestions_match_and_exclude_neighbours_and_other_sites(programme, camborne):
    adjacent = queries.adjacent_lsoas(camborne.lsoa_codes)
    assert adjacent
    first = services.comparison_suggest(actor=None, site=camborne)
    # Another C2 site takes the closest suggestion: suggesting again must leave it out.
    taken = first[0].lsoa
    make_site(programme=programme, name="Redruth", slug="redruth", lsoa_codes=(taken,))
    areas = services.comparison_suggest(actor=None, site=camborne)
    codes = {a.lsoa for a in areas}
    assert codes and taken not in codes
    assert not codes & set(camborne.lsoa_codes)
    assert not codes & adjacent
    facts = queries.all_lsoas().set_index("lsoa")
    site_classes = set(facts.loc[camborne.lsoa_codes, "rural_urban"])
    for area in areas:
        assert area.status == "suggested" and area.origin == "matched"
        assert area.rural_urban in site_classes
        assert "not adjacent" in area.reasons and "population" in area.reasons
        assert f"IMD decile {area.imd_decile}" in area.reasons
        assert area.population == facts.loc[area.lsoa, "population"]
    # Each site LSOA gets suggestions with its own decile where the pool has them.
    deciles = {int(facts.loc[c, "imd_decile"]) for c in camborne.lsoa_codes}
    assert {a.imd_decile for a in areas} <= deciles | {d + 1 for d in deciles} | {d - 1 for d in deciles}


def test_reasons_read_as_plain_words():
    text = services.match_reasons(
        {"lsoa": "E01000002", "imd_decile": 1, "rural_urban": "Urban: Nearer to a major town or city",
         "population": 1620},
        {"lsoa": "E01000001", "imd_decile": 1, "rural_urban": "Urban: Nearer to a major town or city",
         "population": 1580},
        adjacent=False, other_site=False,
    )
    assert text == ("same IMD decile 1, urban: nearer to a major town or city, population 1,620 vs 1,580; "
                    "not adjacent; compared with E01000001")


def test_removed_suggestions_stay_removed_and_accepted_stay(camborne):
    areas = services.comparison_suggest(actor=None, site=camborne)
    services.comparison_set_status(actor=None, site=camborne, lsoa=areas[0].lsoa, status="removed")
    services.comparison_set_status(actor=None, site=camborne, lsoa=areas[1].lsoa, status="accepted")
    again = {a.lsoa for a in services.comparison_suggest(actor=None, site=camborne)}
    assert areas[0].lsoa not in again and areas[1].lsoa not in again
    statuses = dict(ComparisonArea.objects.filter(site=camborne).values_list("lsoa", "status"))
    assert statuses[areas[0].lsoa] == "removed" and statuses[areas[1].lsoa] == "accepted"


def test_adding_by_hand_refuses_the_site_its_neighbours_and_other_sites(programme, camborne):
    neighbour = sorted(queries.adjacent_lsoas(camborne.lsoa_codes))[0]
    with pytest.raises(ValidationError, match="next to the site"):
        services.comparison_add(actor=None, site=camborne, lsoa=neighbour)
    with pytest.raises(ValidationError, match="one of the site's own"):
        services.comparison_add(actor=None, site=camborne, lsoa=camborne.lsoa_codes[0])
    make_site(programme=programme, name="Beacon", slug="beacon", lsoa_codes=("E01018806",))
    with pytest.raises(ValidationError, match="another C2 site"):
        services.comparison_add(actor=None, site=camborne, lsoa="E01018806")
    with pytest.raises(ValidationError, match="Unknown LSOA"):
        services.comparison_add(actor=None, site=camborne, lsoa="E01099999")
    area = services.comparison_add(actor=None, site=camborne, lsoa="E01015814")  # Southend
    assert area.status == "accepted" and area.origin == "added"
    assert area.reasons.startswith("Added by hand; ")


def test_setting_lsoas_drops_comparisons_now_inside_the_site(camborne):
    area = services.comparison_add(actor=None, site=camborne, lsoa="E01015814")
    services.site_lsoas_set(actor=None, site=camborne, codes=[*camborne.lsoa_codes, area.lsoa])
    assert not ComparisonArea.objects.filter(site=camborne, lsoa=area.lsoa).exists()
