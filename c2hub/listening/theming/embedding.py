"""Turn comments into vectors: sentence embeddings from a model shipped in a PyPI package, or TF-IDF.

The embedding model is WordLlama's ``l2_supercat`` at 256 dimensions, which the ``wordllama``
wheel ships inside the package (``wordllama/weights/l2_supercat_256.safetensors`` and
``wordllama/tokenizers/l2_supercat_tokenizer_config.json``). We read those two files directly
with ``safetensors`` and ``tokenizers`` instead of calling ``WordLlama.load()``, because that
function looks in ``~/.cache/wordllama`` and then downloads from the Hugging Face hub when it
does not find the tokenizer in the place it expects; and because importing ``wordllama``
reconfigures the root logger. So nothing is downloaded and nothing is written at run time, and
the ``wordllama`` module itself is never imported.

A comment's vector is the weighted mean of its tokens' vectors (smooth inverse frequency
weights, computed over the comments being themed, so that words every comment uses count for
little), with the comments' common direction removed, normalised to unit length.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "wordllama"
MODEL_NAME = "WordLlama l2_supercat, 256 dimensions"
_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_TENSOR = "embedding.weight"

# Letters (any script) or digits: a comment with none of these has nothing to group by.
_WORDISH = re.compile(r"[^\W_]", re.UNICODE)


def has_words(text: str) -> bool:
    """True when the text has at least one letter or digit."""
    return bool(_WORDISH.search(text))


@dataclass(frozen=True)
class StaticModel:
    """A token-embedding table and its tokenizer."""

    table: np.ndarray  # (vocabulary, dimensions), float32
    tokenizer: object  # tokenizers.Tokenizer

    def token_ids(self, texts: Sequence[str]) -> list[np.ndarray]:
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)  # type: ignore[attr-defined]
        vocabulary = self.table.shape[0]
        return [np.clip(np.asarray(e.ids, dtype=np.int64), 0, vocabulary - 1) for e in encodings]


def _package_dir(name: str) -> Path | None:
    """Where an installed package lives, without importing it (None when it is not installed)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError, AttributeError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@functools.lru_cache(maxsize=1)
def load_model() -> StaticModel | None:
    """The shipped embedding model, or None when its package (or a file of it) is missing."""
    package = _package_dir(MODEL_PACKAGE)
    if package is None:
        return None
    weights, tokenizer_file = package / _WEIGHTS, package / _TOKENIZER
    if not (weights.is_file() and tokenizer_file.is_file()):
        return None
    try:
        from safetensors import safe_open
        from tokenizers import Tokenizer
    except ImportError:
        return None
    with safe_open(str(weights), framework="np", device="cpu") as handle:
        table = np.ascontiguousarray(handle.get_tensor(_TENSOR), dtype=np.float32)
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return StaticModel(table=table, tokenizer=tokenizer)


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def embed_with_model(model: StaticModel, texts: Sequence[str], *, sif: float = 1e-3) -> np.ndarray:
    """Unit vectors for the texts (a zero row for a text with no tokens)."""
    ids = model.token_ids([t.lower() for t in texts])
    dims = model.table.shape[1]
    vectors = np.zeros((len(texts), dims), dtype=np.float32)
    if not ids:
        return vectors
    # Smooth inverse frequency over these comments: a / (a + p(token)).
    lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
    flat = np.concatenate(ids) if lengths.sum() else np.zeros(0, dtype=np.int64)
    if flat.size == 0:
        return vectors
    unique, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    probability = counts / flat.size
    token_weight = (sif / (sif + probability)).astype(np.float32)
    weighted = model.table[unique] * token_weight[:, None]
    rows = np.repeat(np.arange(len(ids)), lengths)
    np.add.at(vectors, rows, weighted[inverse])
    totals = np.zeros(len(ids), dtype=np.float32)
    np.add.at(totals, rows, token_weight[inverse])
    present = totals > 0
    vectors[present] /= totals[present, None]
    # Remove the direction every comment shares (the first principal component).
    if present.sum() > 2:
        centred = vectors[present]
        _, _, vt = np.linalg.svd(centred - centred.mean(axis=0), full_matrices=False)
        common = vt[0]
        vectors[present] -= np.outer(vectors[present] @ common, common)
    return _normalise_rows(vectors)


def embed_with_tfidf(texts: Sequence[str], *, seed: int = 0) -> np.ndarray:
    """Unit vectors from TF-IDF (reduced with LSA when there are many comments): the fallback."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        lowercase=True, stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b"
    )
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # no words at all beyond stop words
        return np.zeros((len(texts), 1), dtype=np.float32)
    if matrix.shape[1] > 100 and matrix.shape[0] > 100:
        reduced = TruncatedSVD(n_components=100, random_state=seed).fit_transform(matrix)
        return _normalise_rows(reduced.astype(np.float32))
    return _normalise_rows(matrix.toarray().astype(np.float32))
