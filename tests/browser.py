"""Headless Chromium (Debian's package) driven over the DevTools protocol, for the player page."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import tempfile
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
    "--allow-file-access-from-files",
]


class Browser:
    """`async with Browser() as page: await page.open(url); await page.eval("1 + 1")`."""

    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="chromium-")
        self.proc: subprocess.Popen[str] | None = None
        self.session: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._id = 0

    async def __aenter__(self) -> Browser:
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-port=0", "about:blank"],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stderr is not None
        port = None
        for _ in range(200):
            line = await asyncio.to_thread(self.proc.stderr.readline)
            match = re.search(r"DevTools listening on ws://127.0.0.1:(\d+)/", line)
            if match:
                port = match.group(1)
                break
        assert port, "chromium did not start its DevTools endpoint"
        self.session = aiohttp.ClientSession()
        async with self.session.get(f"http://127.0.0.1:{port}/json/list") as response:
            pages = [t for t in await response.json() if t["type"] == "page"]
        self.ws = await self.session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.session is not None:
            await self.session.close()
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        assert self.ws is not None
        self._id += 1
        my_id = self._id
        await self.ws.send_str(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads((await self.ws.receive(timeout=30)).data)
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return dict(message["result"])

    async def open(self, url: str) -> None:
        await self.send("Page.enable")
        await self.send("Page.navigate", url=url)
        for _ in range(100):
            if await self.eval("document.readyState") == "complete":
                return
            await asyncio.sleep(0.1)

    async def eval(self, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    async def key(self, key: str, code: str, key_code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.send(
                "Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=key_code
            )
