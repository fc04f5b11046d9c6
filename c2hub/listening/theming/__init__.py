"""Suggest themes for a listening event's comments, by meaning.

``suggest_themes(texts)`` groups comments that say the same thing, even in different words,
names each group with words from its comments, and picks its most typical comments. It uses
sentence embeddings from a model that the ``wordllama`` package ships (offline, CPU, numpy
only); when that package is not installed it falls back to TF-IDF, which only groups comments
that share words. See docs/theming.md for the method, the model's licence and the measured
quality.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from c2hub.listening.theming.clustering import cluster
from c2hub.listening.theming.embedding import MODEL_NAME, embed_with_model, embed_with_tfidf, has_words, load_model
from c2hub.listening.theming.naming import representatives, theme_names

__all__ = ["SuggestedTheme", "suggest_themes", "theming_method"]

# The name of the theme that gathers comments with no letters or digits ("…", "?", "").
NO_WORDS_NAME = "Comments without words"


@dataclass(frozen=True)
class SuggestedTheme:
    name: str  # a short name made of words from its comments (2–4 words)
    members: list[int]  # indexes into the input texts; every text is in exactly one theme
    representatives: list[int]  # up to 3 indexes of the most typical comments, best first


def theming_method() -> str:
    """How themes are suggested on this installation, in words for people."""
    if load_model() is not None:
        return f"sentence embeddings ({MODEL_NAME})"
    return "TF-IDF (fallback: model not installed)"


def _weights(count: int, weights: Sequence[int] | None) -> np.ndarray:
    if weights is None:
        return np.ones(count, dtype=np.float64)
    if len(weights) != count:
        raise ValueError(f"weights has {len(weights)} values for {count} texts")
    values = np.asarray(list(weights), dtype=np.float64)
    if (values < 1).any():
        raise ValueError("every weight must be at least 1")
    return values


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors for the texts, with the model when it is installed, otherwise TF-IDF."""
    model = load_model()
    if model is not None:
        return embed_with_model(model, texts)
    return embed_with_tfidf(texts)


def suggest_themes(
    texts: Sequence[str], *, n_themes: int | None = None, weights: Sequence[int] | None = None
) -> list[SuggestedTheme]:
    """Group the texts into themes, largest (by weight) first.

    ``n_themes`` None chooses the number (by silhouette, up to 12); ``weights`` counts a text
    several times (a paper tally: "12 people said this"). Deterministic for the same input.
    """
    if n_themes is not None and n_themes < 1:
        raise ValueError("n_themes must be at least 1")
    texts = [str(t) for t in texts]
    all_weights = _weights(len(texts), weights)
    wordy = [i for i, t in enumerate(texts) if has_words(t)]
    blank = [i for i, t in enumerate(texts) if not has_words(t)]
    themes: list[tuple[float, SuggestedTheme]] = []
    if wordy:
        wordy_texts = [texts[i] for i in wordy]
        vectors = embed(wordy_texts)
        wordy_weights = all_weights[wordy]
        labels = cluster(vectors, wordy_weights, n_themes)
        names = theme_names(wordy_texts, labels, wordy_weights)
        for label in sorted(set(labels.tolist())):
            local = [i for i in range(len(wordy)) if labels[i] == label]
            reps = representatives(wordy_texts, vectors, local, wordy_weights)
            theme = SuggestedTheme(
                name=names[label], members=[wordy[i] for i in local], representatives=[wordy[i] for i in reps]
            )
            themes.append((float(wordy_weights[local].sum()), theme))
    if blank:
        theme = SuggestedTheme(name=NO_WORDS_NAME, members=blank, representatives=blank[:3])
        themes.append((-1.0, theme))  # always last, whatever its weight
    themes.sort(key=lambda item: (-item[0], -len(item[1].members), item[1].members[0]))
    return [theme for _, theme in themes]
