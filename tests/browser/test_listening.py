"""The listening event in a browser: a resident comments from a 360px phone, a facilitator types
comments by keyboard alone, themes are renamed, merged and moved, and axe finds no WCAG 2.2 AA
violation on the public capture page and the report at 1280px and 360px."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from c2hub.listening import services
from c2hub.listening.models import Comment, Theme
from tests.browser.support import DESKTOP, MOBILE, sign_in_as
from tests.browser.test_accessibility import describe, run_axe


@pytest.fixture
def listening(site):
    listening = services.listening_event_create(
        actor=None, site=site, title="Southchurch listening event", held_on=dt.date(2013, 11, 20)
    )
    return services.capture_set_open(actor=None, listening=listening, open=True)


@pytest.fixture
def themed(listening):
    texts = {
        "Young people": ["Nothing for teenagers to do", "Youth club closed", "Kids bored in the holidays"],
        "Crime": ["Burglaries on our road", "Drug dealing by the shops", "Buses stop too early"],
        "Rubbish": ["Dog mess on the paths", "Fly-tipping in the alley <script>alert(1)</script>"],
    }
    themes = {}
    for name, comments in texts.items():
        theme = services.theme_create(actor=None, listening=listening, name=name)
        ids = [
            services.comment_add(
                actor=None,
                listening=listening,
                text=t,
                participant="resident",
                age_band="26-64",
                postcode_district="SS2",
            )[0].pk
            for t in comments
        ]
        services.comments_move(actor=None, listening=listening, comment_ids=ids, theme=theme)
        themes[name] = theme
    services.vote_add(actor=None, theme=themes["Crime"], participant="resident", dots=3)
    services.vote_add(actor=None, theme=themes["Young people"], participant="resident", dots=3)
    return themes


def test_resident_comments_from_a_phone(page, listening):
    page.set_viewport_size(MOBILE)
    page.goto(f"/listen/{listening.public_token}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Have your say")
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    page.get_by_label("Your comment").fill("Street lights on Hamstel Road have been out for months")
    page.get_by_label("First half of your postcode (optional)").fill("SS2 6AB")  # a full postcode: refused
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("alert")).to_contain_text("first half of a postcode")
    expect(page.get_by_label("Your comment")).to_have_value("Street lights on Hamstel Road have been out for months")
    page.get_by_label("First half of your postcode (optional)").fill("SS2")
    page.get_by_label("Your age (optional)").select_option("65+")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("status")).to_contain_text("Your comment has been sent")
    expect(page.get_by_label("Your comment")).to_have_value("")
    comment = Comment.objects.get(listening_event=listening)
    assert (comment.postcode_district, comment.age_band, comment.source) == ("SS2", "65+", "public")


def test_facilitator_types_comments_by_keyboard(page, site, listening, facilitator):
    sign_in_as(page, facilitator)
    page.set_viewport_size({"width": 1024, "height": 768})  # a tablet
    page.goto(f"/sites/{site.slug}/listening/{listening.pk}/")
    box = page.get_by_label("Comments, one per line")
    expect(box).to_be_focused()  # ready to type straight away
    page.keyboard.type("Too many potholes")
    page.keyboard.press("Enter")
    page.keyboard.type("12x Nothing for the kids to do")
    # Tab to the batch defaults and back to the button, all by keyboard.
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # "Said by": provider
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save comments")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("recent-comments")).to_contain_text("12 people said this")
    expect(page.get_by_label("Comments, one per line")).to_be_focused()
    expect(page.get_by_label("Provider")).to_be_checked()  # the batch default is kept
    assert list(Comment.objects.order_by("id").values_list("text", "count", "participant")) == [
        ("Too many potholes", 1, "provider"),
        ("Nothing for the kids to do", 12, "provider"),
    ]


def test_theme_editing_rename_merge_move(page, site, listening, themed, facilitator):
    sign_in_as(page, facilitator)
    page.goto(f"/sites/{site.slug}/listening/{listening.pk}/themes/")
    rename = page.get_by_label("Rename “Rubbish”")
    rename.fill("Litter and dog mess")
    rename.press("Enter")
    expect(page.get_by_role("heading", name="Litter and dog mess", level=2)).to_be_visible()
    # Move "Buses stop too early" out of Crime into Young people (no JavaScript needed).
    crime = page.locator(f"#theme-{themed['Crime'].pk}")
    crime.locator("summary").click()
    crime.get_by_label("Buses stop too early").check()
    crime.get_by_label("Move the chosen comments to").select_option(label="Young people")
    crime.get_by_role("button", name="Move").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 comment moved")
    assert Comment.objects.get(text="Buses stop too early").theme == themed["Young people"]
    # Merge Crime into Young people.
    page.get_by_role("checkbox", name="Crime", exact=True).check()
    page.get_by_label("Merge them into").select_option(label="Young people")
    page.get_by_role("button", name="Merge").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Merged into “Young people”")
    assert sorted(Theme.objects.values_list("name", flat=True)) == ["Litter and dog mess", "Young people"]
    # A resident's <script> is shown as the characters they typed, not run.
    expect(page.locator(".c2-quotes").get_by_text("<script>alert(1)</script>")).to_have_count(1)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "360"])
def test_capture_page_has_no_wcag_violations(axe_page, listening, viewport):
    axe_page.set_viewport_size(viewport)
    axe_page.goto(f"/listen/{listening.public_token}/")
    assert not (violations := run_axe(axe_page)), describe(violations)
    # and with errors on the page
    axe_page.get_by_role("button", name="Send comment").click()
    expect(axe_page.get_by_role("alert")).to_be_visible()
    assert not (violations := run_axe(axe_page)), describe(violations)
    assert axe_page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "360"])
def test_report_and_themes_pages_have_no_wcag_violations(axe_page, site, listening, themed, facilitator, viewport):
    sign_in_as(axe_page, facilitator)
    axe_page.set_viewport_size(viewport)
    for path in ("report/", "themes/", "priorities/", ""):
        axe_page.goto(f"/sites/{site.slug}/listening/{listening.pk}/{path}")
        assert not (violations := run_axe(axe_page)), f"{path}:\n" + describe(violations)
