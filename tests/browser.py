"""Headless Chromium driven over the DevTools protocol (CDP), for tests: open a page offline at a width,
measure what it renders, take a screenshot.

Chromium talks CDP over two pipes (`--remote-debugging-pipe`: it reads commands on fd 3 and writes
replies on fd 4, each a JSON message ended by a NUL byte), so no WebSocket library and no port is
needed. The network is closed three ways: no name resolves, the proxy goes nowhere, and the page's
network is emulated offline.

The measuring script runs in the browser through CDP (`Runtime.evaluate`), never in our pages:
they carry no script at all.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--proxy-server=http://127.0.0.1:9", "--remote-debugging-pipe"]

# What a page renders, measured in the browser: every piece of visible text with its rendered size (CSS
# font size times the scale of any SVG viewBox around it), every element that sticks out of the card it
# sits in (unless a scrolling box between them clips it), every text that runs out of the box holding it,
# the page's own horizontal overflow, and the tables with no body rows. <details> are opened first, so folded text is measured too.
MEASURE = r"""
(() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const texts = [], overflows = [], tables = [], textOverflows = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\s+/).join('.') : '');
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('title, style, script')) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (!rects.length) continue;
    let size = parseFloat(style.fontSize);
    if (el instanceof SVGElement && el.getScreenCTM) size *= Math.abs(el.getScreenCTM().d);
    texts.push({size: Math.round(size * 100) / 100, text: node.textContent.trim().slice(0, 40), where: describe(el)});
    // text running out of the box that holds it (a long URL under the next column)
    let block = el;
    while (block.parentElement && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const b = block.getBoundingClientRect();
    const scrolls = getComputedStyle(block).overflowX !== 'visible';
    const out = rects.filter(r => r.right > b.right + 1 || r.left < b.left - 1);
    if (out.length && !scrolls && !(el instanceof SVGElement))
      textOverflows.push({text: node.textContent.trim().slice(0, 60), box: describe(block),
                          right: Math.round(Math.max(...out.map(r => r.right))), box_right: Math.round(b.right)});
  }
  const cards = [...document.querySelectorAll('.card, .panel')];
  for (const card of cards) {
    const box = card.getBoundingClientRect();
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      let clipped = false;
      for (let a = el.parentElement; a && a !== card; a = a.parentElement) {
        const o = getComputedStyle(a);
        if (o.overflowX !== 'visible' || o.overflow !== 'visible') { clipped = true; break; }
      }
      if (!clipped && (r.right > box.right + 1 || r.left < box.left - 1))
        overflows.push({element: describe(el), card: describe(card), left: Math.round(r.left),
                        right: Math.round(r.right), card_left: Math.round(box.left), card_right: Math.round(box.right)});
    }
  }
  for (const t of document.querySelectorAll('table')) {
    const rows = [...t.querySelectorAll('tr')].filter(tr => tr.querySelector('td'));
    tables.push({id: t.id || describe(t), rows: rows.length});
  }
  const doc = document.documentElement;
  return {texts, overflows, text_overflows: textOverflows, tables, width: innerWidth, scroll_width: doc.scrollWidth,
          height: doc.scrollHeight, scripts: document.scripts.length};
})()
"""


def _as_fds_3_and_4(read_end: int, write_end: int) -> None:
    """In the child: the command pipe's read end as fd 3, the reply pipe's write end as fd 4 (moved out of the way
    first, should either already be 3 or 4)."""
    import fcntl

    high_read, high_write = fcntl.fcntl(read_end, fcntl.F_DUPFD, 10), fcntl.fcntl(write_end, fcntl.F_DUPFD, 10)
    os.dup2(high_read, 3)
    os.dup2(high_write, 4)


class Chromium:
    """One headless Chromium, driven over CDP pipes. Use as a context manager."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="cdp-profile-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Chromium reads fd 3 and writes fd 4; dup the pipe ends there in the child only
        self.process = subprocess.Popen(
            [shutil.which("chromium"), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=lambda: _as_fds_3_and_4(to_browser_r, from_browser_w))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    # --- the protocol ---------------------------------------------------------------------------
    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method: str, session: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read(deadline))

    # --- pages ----------------------------------------------------------------------------------
    def open(self, page: Path, width: int, height: int = 900) -> "Tab":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, target, session)
        tab.send("Page.enable")
        tab.send("Network.enable")
        tab.send("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": -1,
                                                      "uploadThroughput": -1})
        tab.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                        "mobile": width < 600})
        tab.send("Page.navigate", {"url": Path(page).resolve().as_uri()})
        self.wait_for("Page.loadEventFired", session)
        return tab

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001 - it is going away either way
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Tab:
    def __init__(self, browser: Chromium, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def measure(self) -> dict:
        """Text sizes, overflowing elements, table rows, widths (see MEASURE)."""
        return self.evaluate(MEASURE)

    def requests(self) -> list[str]:
        """Every URL the page asked for that is not itself or a data: URI."""
        asked = [e["params"]["request"]["url"] for e in self.browser.events
                 if e.get("method") == "Network.requestWillBeSent" and e.get("sessionId") == self.session]
        own = self.evaluate("location.href")
        return [u for u in asked if not u.startswith("data:") and u != own]

    def screenshot(self, path: Path) -> Path:
        """The whole page (beyond the viewport) as a PNG."""
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def close(self):
        self.browser.send("Target.closeTarget", {"targetId": self.target})
