"""A stand-in for the edge-tts service on 127.0.0.1 that speaks its websocket protocol.

Per connection it follows a script of behaviours, so that tests can make it fail the way the real
service fails: "ok", "403" and "429" at the handshake, "drop" mid-stream, "silence" (turn.end with
no audio), "slow" (no answer for longer than the client's receive timeout), "reset" (connection
closed before any answer). The audio it sends is real MP3 (a tone as long as the text would be
spoken), in the service's format: audio-24khz-48kbitrate-mono-mp3.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import threading
import uuid
from collections import deque
from collections.abc import Iterable
from functools import cache

from aiohttp import WSMsgType, web

from audiobook.ffmpeg import run_ffmpeg

TOKEN = "6A5AA1D4EAFF4E9FB37E23D68491D6F4"
SECONDS_PER_CHAR = 0.2
TICKS = 10_000_000
PATH = "/consumer/speech/synthesize/readaloud"


@cache
def tone_mp3(duration: float) -> bytes:
    return run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=220:duration={duration:.2f}",
            "-ar",
            "24000",
            "-ac",
            "1",
            "-b:a",
            "48k",
            "-f",
            "mp3",
            "pipe:1",
        ]
    )


def _text_message(request_id: str, path: str, body: str) -> str:
    return (
        f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
        f"Path:{path}\r\n\r\n{body}"
    )


def _audio_message(request_id: str, data: bytes) -> bytes:
    if data:
        header = f"X-RequestId:{request_id}\r\nContent-Type:audio/mpeg\r\nX-StreamId:1\r\nPath:audio\r\n"
    else:
        header = f"X-RequestId:{request_id}\r\nPath:audio\r\n"
    encoded = header.encode()
    return len(encoded).to_bytes(2, "big") + encoded + data


def spoken_text(ssml: str) -> str:
    match = re.search(r"<prosody[^>]*>(.*)</prosody>", ssml, re.S)
    return html.unescape(match.group(1)) if match else ""


class EdgeStandIn:
    """Run with `with EdgeStandIn() as server:`; `server.endpoint` is what the engine is pointed at."""

    def __init__(self, script: Iterable[str] = (), latency_s: float = 0.0, slow_s: float = 5.0) -> None:
        self.script: deque[str] = deque(script)
        self.latency_s = latency_s
        self.slow_s = slow_s
        self.requests: list[dict[str, str]] = []
        self.connections = 0
        self.active = 0
        self.max_active = 0
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"ws://127.0.0.1:{self.port}{PATH}"

    def __enter__(self) -> EdgeStandIn:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get(f"{PATH}/edge/v1", self._synthesize)
        app.router.add_get(f"{PATH}/voices/list", self._voices)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def _next_behaviour(self) -> str:
        return self.script.popleft() if self.script else "ok"

    async def _voices(self, request: web.Request) -> web.Response:
        if request.query.get("trustedclienttoken") != TOKEN:
            raise web.HTTPForbidden()
        voices = [
            {
                "Name": f"Microsoft Server Speech Text to Speech Voice ({n})",
                "ShortName": n,
                "Gender": g,
                "Locale": loc,
                "FriendlyName": n,
                "VoiceTag": {"ContentCategories": ["News"], "VoicePersonalities": ["Warm"]},
            }
            for n, g, loc in [
                ("zh-CN-XiaoxiaoNeural", "Female", "zh-CN"),
                ("zh-CN-liaoning-XiaobeiNeural", "Female", "zh-CN-liaoning"),
                ("zh-CN-YunyangNeural", "Male", "zh-CN"),
                ("en-US-EmmaMultilingualNeural", "Female", "en-US"),
            ]
        ]
        return web.json_response(voices)

    async def _synthesize(self, request: web.Request) -> web.StreamResponse:
        self.connections += 1
        behaviour = self._next_behaviour()
        if request.query.get("TrustedClientToken") != TOKEN or "Sec-MS-GEC" not in request.query:
            raise web.HTTPForbidden()
        if behaviour == "403":
            raise web.HTTPForbidden()
        if behaviour == "429":
            raise web.HTTPTooManyRequests()
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            return await self._converse(ws, behaviour)
        finally:
            self.active -= 1

    async def _converse(self, ws: web.WebSocketResponse, behaviour: str) -> web.WebSocketResponse:
        config_seen = False
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            headers, _, body = message.data.partition("\r\n\r\n")
            if "Path:speech.config" in headers:
                config_seen = json.loads(body)["context"]["synthesis"]["audio"]["outputFormat"]
                continue
            if "Path:ssml" not in headers or not config_seen:
                await ws.close(code=1008)
                break
            request_id = re.search(r"X-RequestId:(\w+)", headers)
            await self._answer(ws, request_id.group(1) if request_id else uuid.uuid4().hex, body, behaviour)
            break
        return ws

    async def _answer(self, ws: web.WebSocketResponse, request_id: str, ssml: str, behaviour: str) -> None:
        text = spoken_text(ssml)
        self.requests.append({"text": text, "ssml": ssml, "behaviour": behaviour})
        if behaviour == "reset":
            await ws.close(code=1011)
            return
        await asyncio.sleep(self.slow_s if behaviour == "slow" else self.latency_s)
        await ws.send_str(_text_message(request_id, "turn.start", '{"context":{"serviceTag":"standin"}}'))
        duration = max(0.3, SECONDS_PER_CHAR * len(text))
        if behaviour != "silence":
            boundary = {
                "Metadata": [
                    {
                        "Type": "SentenceBoundary",
                        "Data": {
                            "Offset": int(0.05 * TICKS),
                            "Duration": int((duration - 0.1) * TICKS),
                            "text": {"Text": text, "Length": len(text), "BoundaryType": "SentenceBoundary"},
                        },
                    }
                ]
            }
            await ws.send_str(
                _text_message(request_id, "audio.metadata", json.dumps(boundary, ensure_ascii=False))
            )
            audio = tone_mp3(round(duration, 2))
            chunks = [audio[i : i + 1024] for i in range(0, len(audio), 1024)]
            if behaviour == "drop":
                chunks = chunks[: max(1, len(chunks) // 4)]
            for chunk in chunks:
                await ws.send_bytes(_audio_message(request_id, chunk))
            if behaviour == "drop":
                await ws.close(code=1006)
                return
            await ws.send_bytes(_audio_message(request_id, b""))
        await ws.send_str(_text_message(request_id, "turn.end", "{}"))
        await ws.close()
