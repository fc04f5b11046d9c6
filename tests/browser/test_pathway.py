"""Working through the pathway in a browser: evidence for each criterion, then completing the step."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from c2hub.programmes import services
from c2hub.programmes.models import Evidence, StepProgress
from tests.browser.support import sign_in_as


def step_criteria(site, number: int) -> list:
    return list(site.pathway_model.steps.get(number=number).criteria.order_by("order", "id"))


def add_note_through_the_form(page, site, criterion, summary: str) -> None:
    page.locator(f"#criterion-{criterion.pk}").get_by_role(
        "link", name=re.compile(r"^Add evidence")
    ).click()
    expect(page).to_have_url(
        re.compile(rf"/sites/{site.slug}/pathway/criteria/{criterion.pk}/evidence/$")
    )
    page.locator("input[name=kind][value=note]").check()
    page.locator("input[name=summary]").fill(summary)
    page.locator("textarea[name=note]").fill(f"Written up at the steering group: {summary}.")
    page.get_by_role("button", name="Add evidence").click()
    expect(page).to_have_url(re.compile(rf"/sites/{site.slug}/pathway/(#step-1)?$"))
    expect(page.locator(f"#criterion-{criterion.pk}")).to_contain_text(summary)
    expect(page.locator(f"#criterion-{criterion.pk} .govuk-tag")).to_have_text("Evidenced")


def test_facilitator_evidences_every_criterion_and_completes_step_1(page, site, facilitator):
    sign_in_as(page, facilitator)
    criteria = step_criteria(site, 1)
    assert len(criteria) >= 2
    page.goto(f"/sites/{site.slug}/pathway/")
    step1 = page.locator("#step-1")
    expect(step1.locator(".govuk-tag").first).to_have_text("Not started")

    for n, criterion in enumerate(criteria, start=1):
        add_note_through_the_form(page, site, criterion, f"Evidence {n} for step one")
        expect(page.get_by_role("alert")).to_contain_text(
            "Evidence added to step 1"
        )
    expect(step1).to_contain_text(f"{len(criteria)} of {len(criteria)} criteria evidenced")
    assert Evidence.objects.filter(site=site, criterion__step__number=1).count() == len(criteria)

    step1.get_by_role("link", name="Complete step 1").click()
    expect(page).to_have_url(re.compile(rf"/sites/{site.slug}/pathway/steps/1/complete/$"))
    expect(page.locator("[data-testid=unevidenced]")).to_have_count(0)
    page.get_by_role("button", name="Complete step 1").click()

    expect(page).to_have_url(re.compile(rf"/sites/{site.slug}/pathway/(#step-1)?$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Step 1 completed."
    )
    expect(step1.locator(".govuk-tag").first).to_have_text("Complete")
    expect(step1.get_by_role("link", name="Complete step 1")).to_have_count(0)
    progress = StepProgress.objects.get(site=site, step__number=1)
    assert progress.is_complete and not progress.overridden
    assert progress.completed_by == facilitator

    page.goto(f"/sites/{site.slug}/")
    timeline = page.locator("[data-testid=timeline]")
    expect(timeline.locator("li").first).to_contain_text("Step completed: step 1")
    expect(timeline.locator("li").first).to_contain_text(str(facilitator))
    expect(timeline).to_contain_text("Evidence 1 for step one")
    assert page.c2_console_errors == [], page.c2_console_errors


def test_partnership_member_can_add_evidence_but_sees_no_complete_step_button(page, site, member):
    sign_in_as(page, member)
    page.goto(f"/sites/{site.slug}/pathway/")
    expect(page.get_by_role("heading", level=2, name=re.compile(r"^Step 1:"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Add evidence")).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Complete step \d"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^(Complete|Reopen) step"))).to_have_count(0)

    response = page.goto(f"/sites/{site.slug}/pathway/steps/1/complete/")
    assert response is not None and response.status == 403
    assert not StepProgress.objects.get(site=site, step__number=1).is_complete


def test_completing_with_a_missing_criterion_lists_what_is_unevidenced(page, site, facilitator):
    first, *missing = step_criteria(site, 1)
    services.evidence_add(
        actor=facilitator, site=site, criterion=first, kind="note", summary="Neighbourhood agreed"
    )
    sign_in_as(page, facilitator)
    page.goto(f"/sites/{site.slug}/pathway/")
    page.locator("#step-1").get_by_role("link", name="Complete step 1").click()

    unevidenced = page.locator("[data-testid=unevidenced] li")
    expect(unevidenced).to_have_text([c.text for c in missing])
    expect(page.locator("[data-testid=unevidenced]")).not_to_contain_text(first.text)
    # A facilitator cannot override: there is no button to complete the step anyway.
    expect(page.get_by_role("button", name=re.compile("Complete"))).to_have_count(0)

    unevidenced.first.get_by_role("link").click()
    expect(page).to_have_url(
        re.compile(rf"/sites/{site.slug}/pathway/criteria/{missing[0].pk}/evidence/$")
    )
    assert not StepProgress.objects.get(site=site, step__number=1).is_complete


def test_admin_override_needs_a_reason(page, site, programme_admin):
    sign_in_as(page, programme_admin)
    page.goto(f"/sites/{site.slug}/pathway/steps/1/complete/")
    expect(page.locator("[data-testid=unevidenced] li")).to_have_count(len(step_criteria(site, 1)))

    page.get_by_role("button", name="Complete by override").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Every criterion needs evidence")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert not StepProgress.objects.get(site=site, step__number=1).is_complete

    page.locator("textarea[name=override_reason]").fill("The board agreed it at its June meeting.")
    page.get_by_role("button", name="Complete by override").click()
    expect(page.locator("#step-1 .govuk-tag").first).to_have_text("Complete (override)")
    expect(page.locator("#step-1")).to_contain_text("The board agreed it at its June meeting.")
    progress = StepProgress.objects.get(site=site, step__number=1)
    assert progress.is_complete and progress.overridden
