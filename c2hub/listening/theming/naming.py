"""Name each theme with the words that set its comments apart, and pick its typical comments.

Names come from class-based TF-IDF (c-TF-IDF): the comments of a theme are read as one
document, and a word or two-word phrase scores by how often the theme uses it against how
often all the comments do. English stop words and filler words are left out. Every word of a
name occurs in the theme's own comments, in the form the residents wrote it (lower case).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)

_FILLER_WORDS = """
    im ive id dont doesnt didnt cant wont isnt arent wasnt aint theres thats whats youre theyre
    just really like get got getting gets go going goes gone gonna wanna gotta lol tbh pls please
    need needs want wants think thought know say said says tell told make makes made thing things
    lot lots bit way ok okay yeah yes nah oh also even still ever always never every one two
    us u ur people anyone someone everyone nobody somebody area round around near day days time
    times year years week weeks night look looks see seen come comes came good bad better worse
    use used place places sure actually literally basically especially mean means
"""
FILLER = frozenset(_FILLER_WORDS.split())
STOP = frozenset(ENGLISH_STOP_WORDS) | FILLER


def words(text: str) -> list[str]:
    """The comment's words, lower case, apostrophes dropped (so "don't" is "dont")."""
    return [w.replace("'", "").replace("’", "") for w in _TOKEN.findall(text.lower())]


def _terms(text: str) -> list[str]:
    """Content words and two-word phrases of content words."""
    content = [w for w in words(text) if len(w) > 2 and w not in STOP]
    return content + [f"{a} {b}" for a, b in zip(content, content[1:], strict=False) if a != b]


def _same_stem(a: str, b: str) -> bool:
    """Crude stemming for names: "bin"/"bins", "old"/"older", "dealers"/"dealing" count as one word."""
    return a.startswith(b) or b.startswith(a) or (len(a) > 4 and len(b) > 4 and a[:4] == b[:4])


def theme_names(texts: Sequence[str], labels: np.ndarray, weights: np.ndarray, *, max_words: int = 3) -> dict[int, str]:
    """A short name (2–4 words where the comments allow) for each label."""
    per_theme: dict[int, Counter[str]] = {}
    for text, label, weight in zip(texts, labels.tolist(), weights.tolist(), strict=True):
        counter = per_theme.setdefault(label, Counter())
        for term in set(_terms(text)):
            counter[term] += weight
    overall: Counter[str] = Counter()
    for counter in per_theme.values():
        overall.update(counter)
    mean_size = max(1.0, float(np.mean([sum(c.values()) for c in per_theme.values()])) if per_theme else 1.0)
    names: dict[int, str] = {}
    for label, counter in per_theme.items():
        total = sum(counter.values()) or 1
        scored = sorted(
            counter.items(),
            key=lambda item: (
                -(item[1] / total) * np.log(1 + mean_size / overall[item[0]]) * (1.15 if " " in item[0] else 1.0),
                item[0],
            ),
        )
        terms: list[str] = []
        used: list[str] = []
        # First terms that at least two comments use; then, if the name is still one word, any.
        for minimum in (2, 1):
            for term, count in scored:
                if count < minimum and len(counter) > 3 or term in terms:
                    continue
                parts = term.split()
                if any(_same_stem(p, u) for p in parts for u in used) or len(used) + len(parts) > max_words + 1:
                    continue
                terms.append(term)
                used.extend(parts)
                if len(used) >= max_words:
                    break
            if len(used) >= 2:
                break
        if not terms:  # only stop words: fall back to the commonest words the theme uses
            common = Counter(w for t, lab in zip(texts, labels.tolist(), strict=True) if lab == label for w in words(t))
            terms = [w for w, _ in sorted(common.items(), key=lambda i: (-i[1], i[0]))[:max_words]]
        name = ", ".join(terms)
        names[label] = name[:1].upper() + name[1:]
    return names


def representatives(
    texts: Sequence[str], vectors: np.ndarray, members: Sequence[int], weights: np.ndarray, *, limit: int = 3
) -> list[int]:
    """Up to ``limit`` members nearest the theme's weighted centroid, best first, no repeated text."""
    rows = vectors[list(members)]
    centroid = (rows * weights[list(members), None]).sum(axis=0)
    norm = np.linalg.norm(centroid)
    scores = rows @ (centroid / norm) if norm > 0 else np.zeros(len(members))
    order = sorted(range(len(members)), key=lambda i: (-round(float(scores[i]), 6), members[i]))
    chosen: list[int] = []
    seen: set[str] = set()
    for i in order:
        key = " ".join(words(texts[members[i]])) or texts[members[i]].strip()
        if key in seen:
            continue
        seen.add(key)
        chosen.append(members[i])
        if len(chosen) == limit:
            break
    return chosen
