"""The sentence encoder's load-time graph rewrites and its batches shared between cores."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from c2hub.listening.theming import embedding

needs_model = pytest.mark.skipif(embedding.load_model() is None, reason="the embedding model is not installed")

TEXTS = [
    "The bins are overflowing every week",
    "Cars speed down Mill Lane",
    "Nothing for teenagers to do after school",
    "Damp in the bedroom and the landlord will not fix it",
    "dog mess everywhere",
    "We need a youth club",
] * 30


def _graph():
    import onnx

    package = embedding._package_dir(embedding.MODEL_PACKAGE)
    return embedding.integer_matmuls(onnx.load_model(str(package / "model.onnx")))


@needs_model
def test_every_gelu_is_fused_into_one_kernel() -> None:
    graph = _graph()
    erfs = sum(node.op_type == "Erf" for node in graph.graph.node)
    fused = embedding.fuse_gelu(graph)
    ops = [node.op_type for node in fused.graph.node]
    assert erfs == 6 and ops.count("Gelu") == erfs
    assert "Erf" not in ops and "Div" not in ops


@needs_model
def test_fused_gelu_gives_the_same_vectors() -> None:
    import onnxruntime

    model = embedding.load_model()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    plain = onnxruntime.InferenceSession(_graph().SerializeToString(), options, providers=["CPUExecutionProvider"])
    unfused = dataclasses.replace(model, session=plain, workers=1)
    cosines = (unfused.embed(TEXTS[:6]) * model.embed(TEXTS[:6])).sum(axis=1)
    assert cosines.min() > 0.99


@needs_model
def test_batches_on_several_cores_give_the_same_vectors_as_one() -> None:
    model = embedding.load_model()
    one = dataclasses.replace(model, workers=1).embed(TEXTS)
    several = dataclasses.replace(model, workers=3).embed(TEXTS)
    np.testing.assert_array_equal(one, several)
