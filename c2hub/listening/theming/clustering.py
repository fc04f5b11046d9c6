"""Group unit vectors into themes.

Spectral clustering over a nearest-neighbour graph: each comment is linked to the comments
most similar to it, the graph's leading eigenvectors give every comment a few coordinates in
which themes separate well, and k-means (weighted by how many people said it) cuts those into
themes. When the number of themes is not given, it is chosen between 2 and 12 by the
silhouette of the themes in the original embedding space (cosine): the fewest themes whose
silhouette is within 2% of the best (silhouette varies little between neighbouring numbers, and
a person would rather merge than split), and one theme is kept when no split scores above a
small floor. Very few comments are grouped by a similarity threshold
instead. Everything is seeded, so the same comments give the same themes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import sklearn
from scipy import sparse
from scipy.sparse.linalg import eigsh
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from c2hub.listening.theming.embedding import cores as _cores

SEED = 0
MAX_AUTO_THEMES = 12
# With only a few different comments: two comments belong together when their vectors are at
# least this similar (cosine).
PAIR_SIMILARITY = 0.5
FEW = 8
# Below this best silhouette, the comments are treated as one theme.
MIN_SILHOUETTE = 0.01
# The fewest themes whose silhouette is at least this share of the best one.
SILHOUETTE_TOLERANCE = 0.98
SILHOUETTE_SAMPLE = 2000
# Rows of the similarity matrix computed at once by the neighbour search (x n float32 values).
BLOCK = 1024


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


def _neighbour_graph(vectors: np.ndarray, neighbours: int) -> sparse.csr_matrix:
    """Each row linked to its ``neighbours`` most similar other rows (cosine of unit vectors).

    Similarities are computed a block of rows at a time in float32, so memory stays at
    BLOCK x n values per core; each row's neighbours depend only on its own similarities, so
    the graph does not depend on the block size or on how the blocks are shared between cores.
    """
    n = vectors.shape[0]
    unit = np.ascontiguousarray(vectors, dtype=np.float32)
    columns = np.empty((n, neighbours), dtype=np.int64)

    def block(start: int) -> None:
        stop = min(n, start + BLOCK)
        similarity = unit[start:stop] @ unit.T
        similarity[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not its own neighbour
        columns[start:stop] = np.argpartition(similarity, n - neighbours, axis=1)[:, n - neighbours :]

    # One block per core at a time, each product on one BLAS thread (numpy releases the GIL in both).
    _map(block, range(0, n, BLOCK))
    rows = np.repeat(np.arange(n), neighbours)
    data = np.ones(n * neighbours, dtype=np.float64)
    return sparse.csr_matrix((data, (rows, columns.ravel())), shape=(n, n))


def _map[T](function: Callable[[int], T], items: Iterable[int]) -> list[T]:
    """``function`` over ``items`` on a thread per core (in order), BLAS and OpenMP on one thread each."""
    items = list(items)
    workers = min(_cores(), len(items))
    if workers <= 1:
        return [function(item) for item in items]
    with threadpool_limits(limits=1), ThreadPoolExecutor(max_workers=workers, thread_name_prefix="c2hub-theme") as pool:
        return list(pool.map(function, items))


def _spectral_coordinates(vectors: np.ndarray, dims: int) -> np.ndarray:
    """The leading ``dims`` eigenvectors of the normalised nearest-neighbour graph."""
    n = vectors.shape[0]
    neighbours = int(min(n - 1, max(5, round(1.2 * math.sqrt(n)))))
    graph = _neighbour_graph(vectors, neighbours)
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
    # Silhouette on at most SILHOUETTE_SAMPLE comments, with their distances computed once.
    sample = np.sort(np.random.default_rng(SEED).permutation(count)[:SILHOUETTE_SAMPLE])
    distances = np.clip(1.0 - unique[sample] @ unique[sample].T, 0.0, 2.0).astype(np.float64)
    np.fill_diagonal(distances, 0.0)

    def score(k: int) -> tuple[float, np.ndarray] | None:
        labels = _cut(coords, k, unique_weights)
        if len(set(labels[sample].tolist())) < 2:
            return None
        return float(silhouette_score(distances, labels[sample], metric="precomputed")), labels

    # Each number of themes is cut and scored on its own, so they are shared between the cores.
    scored = [result for result in _map(score, range(2, top + 1)) if result is not None]
    best_score = max((score for score, _ in scored), default=0.0)
    if best_score <= MIN_SILHOUETTE:
        return np.zeros(n, dtype=np.int64)
    chosen = next(labels for score, labels in scored if score >= SILHOUETTE_TOLERANCE * best_score)
    return chosen[inverse]
