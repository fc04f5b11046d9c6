"""Group unit vectors into themes: k-means on the sphere, the number of themes by silhouette."""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

SEED = 0
MAX_AUTO_THEMES = 12
# With only two or three different comments there is no silhouette to compare: two comments
# belong together when their vectors are at least this similar.
PAIR_SIMILARITY = 0.6
# Below this best silhouette, the comments are treated as one theme.
MIN_SILHOUETTE = 0.02
SILHOUETTE_SAMPLE = 2000


def _distinct_rows(vectors: np.ndarray) -> int:
    return int(np.unique(np.round(vectors, 5), axis=0).shape[0])


def _kmeans(vectors: np.ndarray, k: int, weights: np.ndarray) -> np.ndarray:
    model = KMeans(n_clusters=k, n_init=4, random_state=SEED, max_iter=200)
    return model.fit_predict(vectors, sample_weight=weights)


def _small_groups(vectors: np.ndarray) -> np.ndarray:
    """Link comments whose similarity reaches PAIR_SIMILARITY (for two or three distinct comments)."""
    n = vectors.shape[0]
    labels = np.arange(n)
    similarity = vectors @ vectors.T
    for i in range(n):
        for j in range(i + 1, n):
            if similarity[i, j] >= PAIR_SIMILARITY - 1e-6:
                old, new = labels[j], labels[i]
                labels[labels == old] = new
    _, labels = np.unique(labels, return_inverse=True)
    return labels


def cluster(vectors: np.ndarray, weights: np.ndarray, n_themes: int | None) -> np.ndarray:
    """A theme label (0..k-1) for each row."""
    n = vectors.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    distinct = _distinct_rows(vectors)
    if n_themes is not None:
        k = max(1, min(n_themes, distinct))
        if k == 1:
            return np.zeros(n, dtype=np.int64)
        return _kmeans(vectors, k, weights)
    if distinct <= 3:
        return _small_groups(vectors)
    best_labels, best_score = np.zeros(n, dtype=np.int64), MIN_SILHOUETTE
    sample = min(n, SILHOUETTE_SAMPLE)
    for k in range(2, min(MAX_AUTO_THEMES, distinct - 1) + 1):
        labels = _kmeans(vectors, k, weights)
        if len(set(labels.tolist())) < 2:
            continue
        score = silhouette_score(vectors, labels, metric="cosine", sample_size=sample, random_state=SEED)
        if score > best_score:
            best_labels, best_score = labels, float(score)
    return best_labels
