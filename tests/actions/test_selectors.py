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
    assert len(parking.actions) == 2 and parking.actions[0].lead_resident == "Doreen Pike"
    assert parking.actions[0].lead_officer == "Priya Shah"
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
