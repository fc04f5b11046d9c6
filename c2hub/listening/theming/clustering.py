"""Group unit vectors into themes.

Spectral clustering over a nearest-neighbour graph: each comment is linked to the comments
most similar to it, the graph's leading eigenvectors give every comment a few coordinates in
which themes separate well, and k-means (weighted by how many people said it) cuts those into
themes. When the number of themes is not given, it is chosen between 2 and 12 by the
silhouette of the themes in the original embedding space (cosine), and one theme is kept when
no split scores above a small floor. Very few comments are grouped by a similarity threshold
instead. Everything is seeded, so the same comments give the same themes.
"""

from __future__ import annotations

import math

import numpy as np
import sklearn
from scipy import sparse
from scipy.sparse.linalg import eigsh
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

SEED = 0
MAX_AUTO_THEMES = 12
# With only a few different comments: two comments belong together when their vectors are at
# least this similar (cosine).
PAIR_SIMILARITY = 0.5
FEW = 8
# Below this best silhouette, the comments are treated as one theme.
MIN_SILHOUETTE = 0.01
SILHOUETTE_SAMPLE = 2000


def _distinct(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows and, for each row, the index of its distinct row."""
    rounded = np.round(vectors, 5)
    _, first, inverse = np.unique(rounded, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _threshold_groups(vectors: np.ndarray) -> np.ndarray:
    """Single-link groups of rows whose similarity reaches PAIR_SIMILARITY."""
    n = vectors.shape[0]
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    similarity = vectors @ vectors.T
    for i in range(n):
        for j in range(i + 1, n):
            if similarity[i, j] >= PAIR_SIMILARITY:
                parent[root(j)] = root(i)
    _, labels = np.unique([root(i) for i in range(n)], return_inverse=True)
    return labels.reshape(-1)


def _spectral_coordinates(vectors: np.ndarray, dims: int) -> np.ndarray:
    """The leading ``dims`` eigenvectors of the normalised nearest-neighbour graph."""
    n = vectors.shape[0]
    neighbours = int(min(n - 1, max(5, round(1.2 * math.sqrt(n)))))
    graph = NearestNeighbors(n_neighbors=neighbours, metric="cosine").fit(vectors).kneighbors_graph(mode="connectivity")
    graph = 0.5 * (graph + graph.T)
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = sparse.diags(1.0 / np.sqrt(np.maximum(degree, 1e-12)))
    affinity = scale @ graph @ scale
    if n <= 400:
        _, vecs = np.linalg.eigh(affinity.toarray())
        coords = vecs[:, ::-1][:, :dims]
    else:
        start = np.random.default_rng(SEED).random(n)
        _, vecs = eigsh(affinity, k=dims, which="LA", v0=start, tol=1e-6)
        coords = vecs[:, ::-1]
    # Fix each eigenvector's sign so the result does not depend on the solver's choice.
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), range(coords.shape[1])])
    coords = coords * np.where(signs == 0, 1, signs)
    return coords


def _cut(coords: np.ndarray, k: int, weights: np.ndarray) -> np.ndarray:
    rows = coords[:, :k]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    rows = rows / np.where(norms == 0, 1, norms)
    return KMeans(n_clusters=k, n_init=4, random_state=SEED).fit_predict(rows, sample_weight=weights)


def cluster(vectors: np.ndarray, weights: np.ndarray, n_themes: int | None) -> np.ndarray:
    """A theme label (0..k-1) for each row."""
    # k-means on a few coordinates is quick on one thread; OpenMP threads spinning at each
    # iteration's barrier made it many times slower on a busy two-core machine.
    # The neighbour search works through the distances in blocks of at most 64 MiB.
    with threadpool_limits(limits=1, user_api="openmp"), sklearn.config_context(working_memory=64):
        return _cluster(vectors, weights, n_themes)


def _cluster(vectors: np.ndarray, weights: np.ndarray, n_themes: int | None) -> np.ndarray:
    n = vectors.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    first, inverse = _distinct(vectors)
    unique = vectors[first]
    unique_weights = np.bincount(inverse, weights=weights)
    count = unique.shape[0]
    if n_themes is not None and min(n_themes, count) == 1:
        return np.zeros(n, dtype=np.int64)
    if n_themes is not None and n_themes >= count:
        return inverse.astype(np.int64)
    if count < FEW:
        if n_themes is None:
            return _threshold_groups(unique)[inverse]
        model = KMeans(n_clusters=n_themes, n_init=10, random_state=SEED)
        labels = model.fit_predict(unique, sample_weight=unique_weights)
        return labels[inverse]
    top = min(MAX_AUTO_THEMES if n_themes is None else n_themes, count - 1)
    coords = _spectral_coordinates(unique, max(top, 2))
    if n_themes is not None:
        return _cut(coords, n_themes, unique_weights)[inverse]
    best, best_score = np.zeros(count, dtype=np.int64), MIN_SILHOUETTE
    sample = min(count, SILHOUETTE_SAMPLE)
    for k in range(2, top + 1):
        labels = _cut(coords, k, unique_weights)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(unique, labels, metric="cosine", sample_size=sample, random_state=SEED))
        if score > best_score:
            best, best_score = labels, score
    return best[inverse]
