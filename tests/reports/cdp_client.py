"""A tiny, bounded Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

Why a pipe: no port to pick or race for, no websocket library (the protocol on the pipe is
NUL-terminated JSON on fds 3 and 4), and the browser dies with its pipe. Every wait has a
deadline, so a hung browser fails the test instead of hanging CI.

    with Browser() as b:
        page = b.open(Path("index.html").as_uri())
        page.evaluate("document.title")
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

INSTALL_HINT = (
    "headless Chromium is required for the report's browser test and was not found. Install it with "
    "`scripts/bootstrap.sh --test` or `apt-get update && apt-get install -y chromium` "
    "(or set EVALAWARE_CHROMIUM to a Chrome/Chromium binary)."
)


def find_chromium() -> str | None:
    explicit = os.environ.get("EVALAWARE_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


class CDPError(RuntimeError):
    pass


class Browser:
    """Headless Chromium driven over a DevTools pipe; collects console and log events."""

    def __init__(self, binary: str | None = None, timeout: float = 60.0) -> None:
        self.binary = binary or find_chromium()
        if not self.binary:
            raise CDPError(INSTALL_HINT)
        self.deadline = time.monotonic() + timeout
        self.events: list[dict[str, Any]] = []
        self._id = 0
        self._buf = b""

    def __enter__(self) -> Browser:
        self._profile = tempfile.TemporaryDirectory(prefix="evalaware-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:  # runs in the child before exec: the pipe must be fds 3 and 4
            # Move both ends above 4 first, in case either already sits on 3 or 4.
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        args = [
            self.binary,
            "--headless=new",
            "--remote-debugging-pipe",
            "--no-sandbox",  # CI containers run as root, where the sandbox cannot start
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1280,900",
            f"--user-data-dir={self._profile.name}",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),  # kept open in the child after ``wire`` put the pipe there
            preexec_fn=wire,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):  # the browser may already be gone
            self._send("Browser.close", {}, wait=False)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()

    # ------------------------------------------------------------------ protocol

    def _remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise CDPError("timed out talking to Chromium")
        return left

    def _read_message(self) -> dict[str, Any]:
        while b"\0" not in self._buf:
            ready, _, _ = select.select([self._from_child], [], [], self._remaining())
            if not ready:
                raise CDPError("timed out waiting for Chromium")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise CDPError(f"Chromium closed the DevTools pipe (exit code {self.proc.poll()})")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def _send(
        self, method: str, params: dict[str, Any], session: str | None = None, wait: bool = True
    ) -> Any:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        if not wait:
            return None
        while True:
            reply = self._read_message()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str | None = None) -> dict[str, Any]:
        for i, e in enumerate(self.events):
            if e.get("method") == method and (session is None or e.get("sessionId") == session):
                return self.events.pop(i)
        while True:
            e = self._read_message()
            if e.get("method") == method and (session is None or e.get("sessionId") == session):
                return e
            self.events.append(e)

    def open(self, url: str) -> Page:
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Log"):
            page.send(f"{domain}.enable")
        page.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired", session)
        return page


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.browser._send(method, params or {}, self.session)

    def evaluate(self, expression: str) -> Any:
        # DevTools evaluation is not page script: the page's CSP does not apply to it.
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise CDPError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """A real mouse click (press + release) at viewport coordinates."""
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}
            )

    def screenshot(self) -> bytes:
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])

    def problems(self) -> list[str]:
        """Console errors/warnings, uncaught exceptions and browser log errors (e.g. CSP violations)."""
        out = []
        for e in self.browser.events:
            if e.get("sessionId") != self.session:
                continue
            p = e.get("params", {})
            if e.get("method") == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
                out.append(f"console.{p.get('type')}: {text}")
            elif e.get("method") == "Runtime.exceptionThrown":
                out.append(f"exception: {p.get('exceptionDetails', {}).get('text')}")
            elif e.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") in (
                "error",
                "warning",
            ):
                out.append(f"log.{p['entry']['level']}: {p['entry'].get('text')}")
        return out


# ---------------------------------------------------------------------- PNG, stdlib only


def png_pixel_stats(png: bytes) -> tuple[int, int, float]:
    """(width, height, variance of grey level) of an 8-bit RGB/RGBA PNG, decoded with zlib."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, b""
    width = height = depth = ctype = 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", data[:10])
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    if depth != 8 or ctype not in (2, 6):
        raise ValueError(f"unsupported PNG (bit depth {depth}, colour type {ctype})")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    total = total_sq = 0
    count = 0
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        prev = line
        if y % 4 == 0:  # every 4th row is plenty for a "not blank" check and keeps it fast
            for x in range(0, stride, bpp * 4):
                grey = (line[x] + line[x + 1] + line[x + 2]) // 3
                total += grey
                total_sq += grey * grey
                count += 1
    mean = total / count
    return width, height, total_sq / count - mean * mean
