"""Small inputs, duplicates and blank comments for the theme suggester."""

from __future__ import annotations

import pytest

from c2hub.listening.theming import NO_WORDS_NAME, suggest_themes, theming_method


def _partition_ok(themes, count: int) -> None:
    members = sorted(i for t in themes for i in t.members)
    assert members == list(range(count))
    for theme in themes:
        assert set(theme.representatives) <= set(theme.members)
        assert 1 <= len(theme.representatives) <= 3


def test_no_texts_no_themes() -> None:
    assert suggest_themes([]) == []


def test_one_text_is_one_theme_named_from_it() -> None:
    [theme] = suggest_themes(["Dog mess on every pavement"])
    assert theme.members == [0] and theme.representatives == [0]
    assert set(theme.name.lower().replace(",", "").split()) <= {"dog", "mess", "on", "every", "pavement"}


@pytest.mark.parametrize("n_themes", [None, 1, 2, 5])
def test_two_texts(n_themes: int | None) -> None:
    themes = suggest_themes(["The bins are overflowing", "Cars speed down Mill Lane"], n_themes=n_themes)
    _partition_ok(themes, 2)


def test_duplicates_stay_together_and_are_not_repeated_as_quotes() -> None:
    texts = ["Not enough for kids to do"] * 5 + ["Speeding on the main road"] * 5
    themes = suggest_themes(texts, n_themes=2)
    _partition_ok(themes, 10)
    assert sorted(sorted(t.members) for t in themes) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert all(len(t.representatives) == 1 for t in themes)


def test_blank_comments_get_their_own_last_theme() -> None:
    texts = ["Bins never emptied", "", "...", "Rubbish all over the street", "?"]
    themes = suggest_themes(texts)
    _partition_ok(themes, 5)
    assert themes[-1].name == NO_WORDS_NAME
    assert themes[-1].members == [1, 2, 4]


def test_weights_order_themes_and_are_checked() -> None:
    texts = ["Speeding cars on Mill Lane", "Dog mess everywhere on the pavements"]
    themes = suggest_themes(texts, n_themes=2, weights=[1, 12])
    assert themes[0].members == [1]
    with pytest.raises(ValueError):
        suggest_themes(texts, weights=[1])
    with pytest.raises(ValueError):
        suggest_themes(texts, weights=[0, 1])
    with pytest.raises(ValueError):
        suggest_themes(texts, n_themes=0)


def test_non_english_text_is_themed() -> None:
    texts = ["Brak miejsc parkingowych", "Çocuklar için park yok", "لا يوجد أماكن للأطفال", "No parking anywhere"]
    _partition_ok(suggest_themes(texts), 4)
    _partition_ok(suggest_themes(texts, n_themes=2), 4)


def test_method_is_described() -> None:
    assert theming_method()
