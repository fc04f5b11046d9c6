"""Reads: "you said, we did" (team and public) and responsiveness per agency and quarter."""

from __future__ import annotations

import datetime as dt

from c2hub.actions import selectors
from c2hub.actions.models import Action, ActionStatus


def test_you_said_we_did_team_and_public(site, said, agency, officer, resident):
    done = Action.objects.create(
        site=site,
        theme=said.parking,
        title="Ask the council for bollards on Maple Road",
        lead_resident=resident,
        lead_organisation=agency,
        lead_officer=officer,
        status=ActionStatus.DONE,
        completed_on=dt.date(2014, 3, 1),
        what_changed="Bollards went in; Doreen Pike counted no vans on the pavement since.",
    )
    Action.objects.create(site=site, theme=said.parking, title="Private note", public=False)
    Action.objects.create(site=site, title="Fix the hub door", lead_organisation=agency)

    team = selectors.you_said_we_did(site, public=False)
    assert [t.theme for t in team] == [
        "Nothing for young people",
        "Parking on the estate",
        "Raised at partnership meetings and walkabouts",
    ]
    youth, parking, other = team
    assert (youth.votes, youth.comments, youth.voices) == (23, 1, 4)
    assert (parking.votes, parking.comments, parking.voices) == (12, 3, 9)
    assert parking.quote == "Ask Maureen, she sees the vans every night"
    # Open actions first, then what was done.
    assert [a.title for a in parking.actions] == ["Private note", done.title]
    assert parking.actions[1].lead_resident == "Doreen Pike" and parking.actions[1].lead_officer == "Priya Shah"
    assert youth.actions == [] and other.actions[0].title == "Fix the hub door"

    public = selectors.you_said_we_did(site, public=True)
    parking = public[1]
    assert parking.quote == "Vans parked on the pavement block the buggies"
    assert [a.action_id for a in parking.actions] == [done.pk]
    text = repr([p.as_dict() for p in public])
    for name in ("Doreen", "Pike", "Priya", "Shah", "Maureen"):
        assert name not in text
    assert "a resident counted no vans" in parking.actions[0].what_changed
    assert parking.actions[0].lead_organisation == "Southend Borough Council"


def test_responsiveness_per_agency_and_quarter_hand_checked(site, agency):
    from c2hub.people.models import OrganisationKind
    from tests.factories import OrganisationFactory

    police = OrganisationFactory(programme=site.programme, name="Police (Southend)", kind=OrganisationKind.POLICE)
    police.sites.add(site)
    d = dt.date
    rows = [
        # asked, first response, completed, due
        (d(2014, 1, 6), d(2014, 1, 16), d(2014, 2, 5), d(2014, 2, 1)),  # 10, 30 days: late
        (d(2014, 2, 10), d(2014, 2, 14), d(2014, 3, 1), d(2014, 3, 10)),  # 4, 19: on time
        (d(2014, 3, 3), d(2014, 3, 9), None, d(2014, 3, 20)),  # 6, open past its due date: late
        (d(2014, 4, 7), d(2014, 4, 10), d(2014, 4, 17), d(2014, 5, 1)),  # 3, 10: on time
        (d(2014, 5, 5), d(2014, 5, 10), None, None),  # 5; no due date: not judged
    ]
    for asked, first, done, due in rows:
        Action.objects.create(
            site=site,
            title="P",
            lead_organisation=police,
            asked_on=asked,
            first_response_on=first,
            completed_on=done,
            due_on=due,
        )
    Action.objects.create(
        site=site, title="C", lead_organisation=agency, asked_on=d(2014, 1, 13), first_response_on=d(2014, 2, 10)
    )
    Action.objects.create(site=site, title="Never asked", lead_organisation=agency)
    Action.objects.create(site=site, title="No agency")

    report = selectors.responsiveness(site, today=d(2014, 6, 30))
    police_row, council_row = report.agencies
    assert police_row.organisation == "Police (Southend)" and police_row.overall.actions == 5
    assert police_row.overall.median_first_response == 5 and police_row.overall.median_completion == 19
    assert police_row.overall.share_on_time == 0.5
    q1, q2 = police_row.quarters
    assert (q1.label, q1.figures.actions, q1.figures.median_first_response, q1.figures.median_completion) == (
        "2014 Q1",
        3,
        6,
        24.5,
    )
    assert (q1.figures.on_time, q1.figures.judged, q1.trend) == (1, 3, "")
    assert (q2.label, q2.figures.median_first_response, q2.figures.median_completion, q2.trend) == (
        "2014 Q2",
        4,
        10,
        "faster",
    )
    assert police_row.trend == "faster"
    assert council_row.overall.actions == 1 and council_row.overall.median_first_response == 28
    assert council_row.overall.median_completion is None and council_row.trend == ""
    headline, lines = selectors.responsiveness_summary(report)
    assert headline == "6 actions asked of agencies; median days to first response fell from 8 (2014 Q1) to 4 (2014 Q2)"
    assert lines[0].startswith("Police (Southend): 5 actions, median 5 days to first response, 19 days to completion")
    # Filtered by the day asked.
    assert selectors.responsiveness(site, since=d(2014, 4, 1)).overall.actions == 2
