"""A headless Chromium driven over the DevTools protocol (standard library only).

Used by the browser tests and ``scripts/bench_maps.py`` to open a map as a person would,
record console errors and requests, evaluate expressions, take screenshots and time the
first render. Debian's ``chromium`` (``ECOGIS_CHROMIUM`` to use another).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("ECOGIS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


# ----------------------------------------------------------------------------- websocket
class WebSocket:
    """The few parts of RFC 6455 a DevTools session needs (client side, text frames)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        assert m, url
        host, port, path = m.group(1), int(m.group(2)), m.group(3)
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("websocket handshake failed")
            head += chunk
        assert b" 101 " in head.split(b"\r\n", 1)[0], head

    def send(self, text: str) -> None:
        """Send ``text`` as one masked text frame.

        Parameters
        ----------
        text : str
            The message (a DevTools JSON command).
        """
        data = text.encode()
        header = bytearray([0x81])
        n = len(data)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        self.sock.sendall(bytes(header) + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exact(self, n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("websocket closed")
            buf += chunk
        return bytes(buf)

    def recv(self) -> str:
        """Receive the next text message, its fragments joined; pings are skipped.

        Returns
        -------
        str
            The message text (UTF-8 decoded).

        Raises
        ------
        ConnectionError
            When the browser closes the socket.
        """
        message = bytearray()
        while True:
            b1, b2 = self._exact(2)
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(n)
            opcode = b1 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            if opcode == 0x9:  # ping → pong
                continue
            message += payload
            if b1 & 0x80:
                return message.decode()

    def close(self) -> None:
        """Close the socket (an error on closing is ignored)."""
        with contextlib.suppress(OSError):
            self.sock.close()


# ----------------------------------------------------------------------------- browser
class Page:
    """One DevTools page session: navigate, evaluate, screenshot; records errors and requests."""

    def __init__(self, ws_url: str) -> None:
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.events: list[dict[str, Any]] = []
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            self.call(method)

    def _handle(self, msg: dict[str, Any]) -> None:
        method = msg.get("method")
        params = msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = params["exceptionDetails"]
            self.errors.append(
                f"exception: {d.get('exception', {}).get('description') or d.get('text')}"
            )
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = " ".join(
                str(a.get("value", a.get("description", ""))) for a in params.get("args", [])
            )
            self.errors.append(f"console.{params['type']}: {args}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.errors.append(
                f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}"
            )
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            self.errors.append(f"request failed: {params.get('errorText')}")
        self.events.append(msg)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a DevTools command and wait for its answer.

        Events that arrive meanwhile are recorded (errors, requests, events).

        Parameters
        ----------
        method : str
            The DevTools method (``Page.navigate`` …).
        **params : Any
            Its parameters.

        Returns
        -------
        dict of str to Any
            The command's ``result``.

        Raises
        ------
        RuntimeError
            When the browser answers with an error.
        """
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == ident:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return dict(msg.get("result", {}))
            self._handle(msg)

    def wait_event(self, name: str, timeout: float = 30.0) -> None:
        """Wait until the event ``name`` arrives (or has arrived since the last navigation).

        Parameters
        ----------
        name : str
            The DevTools event (``Page.loadEventFired`` …).
        timeout : float
            How long to wait, in seconds; default 30.

        Raises
        ------
        TimeoutError
            When the event does not come in time.
        """
        seen = len(self.events)
        if any(e.get("method") == name for e in self.events):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            self._handle(msg)
            if msg.get("method") == name:
                return
        raise TimeoutError(f"no {name} after {timeout} s ({len(self.events) - seen} events)")

    def evaluate(self, expression: str) -> Any:
        """Return the value of a JavaScript expression in the page (promises awaited).

        Parameters
        ----------
        expression : str
            JavaScript source.

        Returns
        -------
        Any
            The value, as JSON gives it back (``None`` for ``undefined``).

        Raises
        ------
        RuntimeError
            When the expression throws.
        """
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def goto(self, url: str, *, ready: str = "true", timeout: float = 30.0) -> None:
        """Open ``url`` and wait until it has loaded and ``ready`` is true.

        Parameters
        ----------
        url : str
            The page (``file://…`` for a written map).
        ready : str
            A JavaScript expression that is true once the page has drawn; default ``true``.
        timeout : float
            How long to wait for the load and for ``ready``, in seconds (each); default 30.

        Raises
        ------
        TimeoutError
            When the page does not load or never becomes ready (the recorded errors are named).
        """
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired", timeout)
        deadline = time.monotonic() + timeout
        while not self.evaluate(f"Boolean({ready})"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"page never became ready ({ready}); errors: {self.errors}")
            time.sleep(0.2)
        time.sleep(0.5)  # let the last tiles of canvas and clusters settle before a screenshot

    def screenshot(self, path: Path, *, full: bool = False) -> Path:
        """Save a PNG screenshot of the page to ``path``.

        Parameters
        ----------
        path : Path
            The ``.png`` file to write.
        full : bool
            Capture the whole page, 1200 px wide, up to 12,000 px tall, instead of the window
            (1280 × 900 px); default ``False``.

        Returns
        -------
        Path
            ``path``.
        """
        params: dict[str, Any] = {"format": "png"}
        if full:
            h = int(self.evaluate("document.documentElement.scrollHeight"))
            params["clip"] = {"x": 0, "y": 0, "width": 1200, "height": min(h, 12000), "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", **params)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """Close the page's DevTools connection."""
        self.ws.close()


class Chromium:
    """A headless Chromium with remote debugging on a free loopback port."""

    def __init__(self, profile: Path) -> None:
        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--allow-file-access-from-files",
                f"--user-data-dir={profile}",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.port = self._port()

    def _port(self) -> int:
        assert self.proc.stderr is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            m = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if m:
                # Keep draining stderr so chromium never blocks on a full pipe.
                threading.Thread(target=self.proc.stderr.read, daemon=True).start()
                return int(m.group(1))
            if not line and self.proc.poll() is not None:
                break
        raise RuntimeError("chromium did not start its DevTools server")

    def new_page(self) -> Page:
        """Open a new tab (``about:blank``) and a DevTools session on it.

        Returns
        -------
        Page
            The session, with page, runtime, log and network events enabled.
        """
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT"
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            target = json.loads(resp.read())
        return Page(target["webSocketDebuggerUrl"])

    def close(self) -> None:
        """Stop the browser (killed when it does not exit within 10 s)."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
