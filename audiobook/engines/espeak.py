"""eSpeak NG, offline: the libespeak-ng that espeakng-loader ships, driven through ctypes."""

from __future__ import annotations

import ctypes
import threading
from functools import cache
from typing import Any

import numpy as np

from audiobook.engines.base import EngineLimits, Take, Timing
from audiobook.errors import EngineUnavailableError, SynthesisError
from audiobook.voices import Voice

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_RATE, _VOLUME, _PITCH = 1, 2, 3
_DEFAULT_WPM = 175
_DEFAULT_PITCH = 50

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
# libespeak-ng keeps global state: one synthesis at a time per process.
_LOCK = threading.Lock()


class _Library:
    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError as error:
            raise EngineUnavailableError(
                "espeak-ng is not installed (espeakng-loader); run scripts/setup"
            ) from error
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data = espeakng_loader.get_data_path()
        self.lib.espeak_Initialize.restype = ctypes.c_int
        parent = str(__import__("pathlib").Path(data).parent).encode()
        self.sample_rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, parent, 0)
        if self.sample_rate <= 0:
            raise EngineUnavailableError(f"espeak-ng could not start with its data at {data}")
        self.chunks: list[np.ndarray] = []
        self._callback = _CALLBACK(self._collect)  # kept referenced: C holds the pointer
        self.lib.espeak_SetSynthCallback(self._callback)
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        self.lib.espeak_Info.restype = ctypes.c_char_p
        self.version = (self.lib.espeak_Info(None) or b"unknown").decode()

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if count > 0 and wav:
            self.chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0

    def speak(self, text: str, voice_name: str, wpm: int, pitch: int, volume: int) -> np.ndarray:
        with _LOCK:
            if self.lib.espeak_SetVoiceByName(voice_name.encode()) != 0:
                raise SynthesisError(f"espeak-ng has no voice {voice_name!r}")
            self.lib.espeak_SetParameter(_RATE, wpm, 0)
            self.lib.espeak_SetParameter(_PITCH, pitch, 0)
            self.lib.espeak_SetParameter(_VOLUME, volume, 0)
            self.chunks = []
            data = text.encode("utf-8") + b"\0"
            status = self.lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            self.lib.espeak_Synchronize()
            if status != 0:
                raise SynthesisError(f"espeak-ng failed on {text[:20]!r} (status {status})")
            pcm = np.concatenate(self.chunks) if self.chunks else np.zeros(0, np.int16)
            return (pcm.astype(np.float32) / 32768.0).astype(np.float32)


@cache
def _library() -> _Library:
    return _Library()


class EspeakEngine:
    name = "espeak"
    limits = EngineLimits(max_chars=200, needs_normalization=True, takes_pinyin=False)

    def __init__(self, threads: int = 1) -> None:
        del threads

    @property
    def version(self) -> str:
        return _library().version

    def synthesize(self, text: str, voice: Voice, pinyin: tuple[str | None, ...] | None = None) -> Take:
        del pinyin  # espeak reads characters with its own Mandarin dictionary
        library = _library()
        prosody = voice.prosody
        samples = library.speak(
            text,
            voice.name,
            wpm=round(_DEFAULT_WPM * prosody.rate),
            pitch=max(0, min(100, round(_DEFAULT_PITCH + 4 * prosody.pitch))),
            volume=max(0, min(200, round(100 * prosody.volume))),
        )
        return Take(samples, library.sample_rate, (Timing(text, 0.0, len(samples) / library.sample_rate),))

    def close(self) -> None:
        pass
