"""edge-tts, online: Microsoft's neural voices through the real edge_tts.Communicate client.

Retries with exponential backoff on 403 and 429 at the handshake, dropped connections, timeouts
and NoAudioReceived. The endpoint can be pointed elsewhere (AUDIOBOOK_EDGE_ENDPOINT), which is how
the tests run the real client against a stand-in server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import random
from dataclasses import dataclass

import aiohttp
import edge_tts
import edge_tts.communicate
import edge_tts.voices
from edge_tts import exceptions as edge_errors

from audiobook.engines.base import EngineLimits, Take, Timing
from audiobook.errors import SynthesisError
from audiobook.ffmpeg import decode_audio
from audiobook.voices import Voice

SAMPLE_RATE = 24000
TICKS_PER_SECOND = 10_000_000
ENDPOINT_ENV = "AUDIOBOOK_EDGE_ENDPOINT"
_BASE_PITCH_HZ = 200.0  # edge takes pitch in Hz: semitones are converted around a typical voice


@dataclass(frozen=True)
class EdgeSettings:
    endpoint: str | None = None  # e.g. ws://127.0.0.1:8765/... ; None: the real service
    retries: int = 4
    backoff_s: float = 1.0
    connect_timeout_s: int = 10
    receive_timeout_s: int = 30  # the whole answer to one segment, first byte to turn.end
    concurrency: int = 4


class _Truncated(Exception):
    """The stream ended before the audio its own metadata announced: a dropped connection."""


_RETRYABLE = (
    TimeoutError,
    aiohttp.ClientError,
    edge_errors.NoAudioReceived,
    edge_errors.WebSocketError,
    edge_errors.UnexpectedResponse,
    _Truncated,
)


def _rate(ratio: float) -> str:
    return f"{round((ratio - 1) * 100):+d}%"


def _pitch(semitones: float) -> str:
    return f"{round(_BASE_PITCH_HZ * (2 ** (semitones / 12) - 1)):+d}Hz"


def point_client_at(endpoint: str | None) -> None:
    """Send the edge_tts client's requests to `endpoint` (the stand-in) instead of the service."""
    if endpoint:
        base = endpoint.split("?")[0].rstrip("/")
        token = edge_tts.constants.TRUSTED_CLIENT_TOKEN
        edge_tts.communicate.WSS_URL = f"{base}/edge/v1?TrustedClientToken={token}"
        http = base.replace("ws://", "http://").replace("wss://", "https://")
        edge_tts.voices.VOICE_LIST = f"{http}/voices/list?trustedclienttoken={token}"
    else:
        edge_tts.communicate.WSS_URL = edge_tts.constants.WSS_URL
        edge_tts.voices.VOICE_LIST = edge_tts.constants.VOICE_LIST


class EdgeEngine:
    name = "edge"
    limits = EngineLimits(
        max_chars=300, needs_normalization=False, takes_pinyin=False, online=True, max_concurrency=4
    )

    def __init__(self, threads: int = 1, settings: EdgeSettings | None = None) -> None:
        del threads
        self.settings = settings or EdgeSettings(endpoint=os.environ.get(ENDPOINT_ENV) or None)
        point_client_at(self.settings.endpoint)
        self.requests_sent = 0

    @property
    def version(self) -> str:
        return f"edge-tts-{edge_tts.__version__}"

    def synthesize(self, text: str, voice: Voice, pinyin: tuple[str | None, ...] | None = None) -> Take:
        return asyncio.run(self.synthesize_async(text, voice))

    async def synthesize_async(self, text: str, voice: Voice) -> Take:
        """One segment, retried with backoff; after the last try a one-line error naming it."""
        last_error = ""
        for attempt in range(self.settings.retries + 1):
            try:
                # edge_tts's own read timeout does not cover websocket frames: bound the whole request.
                return await asyncio.wait_for(self._request(text, voice), self.settings.receive_timeout_s)
            except aiohttp.ClientResponseError as error:
                last_error = f"HTTP {error.status}"
                if error.status not in (403, 429) and error.status < 500:
                    break
            except _RETRYABLE as error:
                last_error = type(error).__name__ + (f": {error}" if str(error) else "")
            if attempt < self.settings.retries:
                delay = self.settings.backoff_s * 2**attempt
                await asyncio.sleep(delay * (0.5 + random.random() / 2))
        raise SynthesisError(
            f"edge-tts failed on segment {text[:24]!r} with voice {voice.name} after "
            f"{self.settings.retries + 1} tries ({last_error}); check the network or use --voice baker"
        )

    async def _request(self, text: str, voice: Voice) -> Take:
        point_client_at(self.settings.endpoint)
        self.requests_sent += 1
        communicate = edge_tts.Communicate(
            text,
            voice.name,
            rate=_rate(voice.prosody.rate),
            volume=_rate(voice.prosody.volume),
            pitch=_pitch(voice.prosody.pitch),
            boundary="SentenceBoundary",
            connect_timeout=self.settings.connect_timeout_s,
            receive_timeout=self.settings.receive_timeout_s,
        )
        audio = bytearray()
        timings: list[Timing] = []
        async for chunk in communicate.stream():
            if chunk["type"] == "audio":
                audio += chunk["data"]
            elif chunk["type"] == "SentenceBoundary":
                start = chunk["offset"] / TICKS_PER_SECOND
                timings.append(Timing(chunk["text"], start, start + chunk["duration"] / TICKS_PER_SECOND))
        # Decoding runs in a thread: in the event loop it would serialize the concurrent requests.
        samples = await asyncio.to_thread(decode_audio, bytes(audio), SAMPLE_RATE)
        duration = len(samples) / SAMPLE_RATE
        if timings and timings[-1].end > duration + 0.25:
            raise _Truncated(f"audio stops at {duration:.2f}s, metadata announces {timings[-1].end:.2f}s")
        return Take(samples, SAMPLE_RATE, tuple(timings))

    def close(self) -> None:
        pass


async def fetch_voice_list(endpoint: str | None = None) -> list[dict[str, object]]:
    point_client_at(endpoint)
    return [dict(voice) for voice in await edge_tts.list_voices()]
