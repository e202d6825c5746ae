"""Headless Chromium (Debian package `chromium`) driven over the DevTools protocol on a pipe
(`--remote-debugging-pipe`: JSON messages separated by NUL on file descriptors 3 and 4), with no
extra Python package and no network port.

Chromium is started with `os.posix_spawn`, whose file actions put the protocol's pipes on
descriptors 3 and 4 of the child: no Python code runs between fork and exec (a `preexec_fn`
would run the fork handlers of the libraries loaded, and matplotlib's closes its cached font
files, which may be exactly descriptors 3 or 4). Chromium runs in its own process group, which
is killed whole if it does not close in time, and its temporary profile folder is removed
whatever happens.

Two uses: `print_pdf` prints a report's HTML to its PDF (A4, backgrounds, a footer with the
report's name and the page number), and `inspect_page` loads a page and tells what a reader's
browser would see (console errors, exceptions, requests that failed or left the machine, the
charts drawn and their size), which the tests check.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class ChromiumError(RuntimeError):
    """Chromium is missing, or did not load or print a page."""


def find_chromium(configured: str | None = None) -> str:
    """`configured` (the settings' NEWMEDIA_CHROMIUM) when given, else the first Chromium or
    Chrome on PATH."""
    if configured:
        return configured
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumError(
        "Chromium is not installed, so the PDF cannot be printed: install the Debian package "
        "chromium (`make system-deps`, or `apt-get install chromium`), or set NEWMEDIA_CHROMIUM "
        "to a Chromium or Chrome binary"
    )


#: the protocol's descriptors in Chromium: it reads commands on 3 and writes replies on 4
PIPE_FDS = (3, 4)


class ChromiumProcess:
    """A Chromium spawned in its own process group with the protocol's pipes on descriptors 3
    and 4; `wait` and `kill` as on subprocess.Popen (kill ends the whole group)."""

    def __init__(self, argv: list[str], to_browser_r: int, from_browser_w: int, stderr: int):
        # above every descriptor the file actions write to, so that no dup2 clobbers a source
        sources = [fcntl_dup(fd) for fd in (to_browser_r, from_browser_w)]
        try:
            keep = {0, 1, 2, *sources}
            actions: list[tuple[Any, ...]] = [
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_DUP2, stderr, 2),
                (os.POSIX_SPAWN_DUP2, sources[0], PIPE_FDS[0]),
                (os.POSIX_SPAWN_DUP2, sources[1], PIPE_FDS[1]),
            ]
            # descriptors a C library opened without close-on-exec stay out of Chromium
            actions += [(os.POSIX_SPAWN_CLOSE, fd) for fd in _inheritable_fds() if fd not in keep]
            try:
                self.pid = os.posix_spawnp(
                    argv[0],
                    argv,
                    os.environ,
                    file_actions=actions,
                    setpgroup=0,
                    setsigmask=(),
                    setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),  # Python ignores them
                )
            except OSError as exc:
                raise ChromiumError(f"Chromium could not be started ({argv[0]}): {exc}") from exc
        finally:
            for fd in sources:
                os.close(fd)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid == 0:
                    return None
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.005
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(["chromium"], timeout or 0)
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
        return self.returncode  # type: ignore[return-value]

    def kill(self) -> None:
        """SIGKILL Chromium's process group (its renderers and helpers with it)."""
        for kill in (lambda: os.killpg(self.pid, signal.SIGKILL), lambda: os.kill(self.pid, 9)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill()
                return


def fcntl_dup(fd: int, lowest: int = 10) -> int:
    """A close-on-exec duplicate of `fd` numbered `lowest` or above."""
    import fcntl

    return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, lowest)


def _inheritable_fds() -> list[int]:
    """This process's descriptors above 2 that an exec would pass on."""
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return []
    found = []
    for name in names:
        fd = int(name)
        if fd <= 2:
            continue
        with contextlib.suppress(OSError):  # the listing's own descriptor is closed by now
            if os.get_inheritable(fd):
                found.append(fd)
    return found


class Browser:
    """One headless Chromium process and one page, as a context manager."""

    def __init__(
        self,
        timeout: float = 60.0,
        extra_flags: tuple[str, ...] = (),
        chromium: str | None = None,
    ) -> None:
        self.timeout = timeout
        self.extra_flags = extra_flags
        self.chromium = chromium
        self._next_id = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []
        self.process: ChromiumProcess | None = None
        self._profile: str | None = None
        self._to_browser: int | None = None
        self._from_browser: int | None = None
        self._stderr: Any = None

    def __enter__(self) -> Browser:
        binary = find_chromium(self.chromium)
        try:
            self._profile = tempfile.mkdtemp(prefix="newmedia-chromium-")
            self._stderr = tempfile.TemporaryFile()
            to_browser_r, self._to_browser = os.pipe()
            try:
                self._from_browser, from_browser_w = os.pipe()
                try:
                    self.process = ChromiumProcess(
                        [
                            binary,
                            *FLAGS,
                            *self.extra_flags,
                            f"--user-data-dir={self._profile}",
                            "about:blank",
                        ],
                        to_browser_r,
                        from_browser_w,
                        self._stderr.fileno(),
                    )
                finally:
                    os.close(from_browser_w)
            finally:
                os.close(to_browser_r)
            target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self.session = self.call(
                "Target.attachToTarget", {"targetId": target, "flatten": True}
            )["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.call(f"{domain}.enable", session=self.session)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        try:
            if self.process is not None:
                if self.process.poll() is None:
                    with contextlib.suppress(Exception):
                        self.call("Browser.close", timeout=min(self.timeout, 5))
                try:
                    self.process.wait(timeout=min(2 * self.timeout, 10))
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
                finally:
                    self.process.kill()  # helpers Chromium left in its group, if any
        finally:
            for fd in (self._to_browser, self._from_browser):
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._to_browser = self._from_browser = None
            if self._stderr is not None:
                self._stderr.close()
            if self._profile is not None:
                shutil.rmtree(self._profile, ignore_errors=True)
                self._profile = None

    def _stderr_tail(self) -> str:
        with contextlib.suppress(Exception):
            self._stderr.seek(0)
            lines = self._stderr.read().decode("utf-8", "replace").splitlines()
            return "\n".join(line for line in lines if "dbus" not in line)[-1500:]
        return ""

    def _receive(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChromiumError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise ChromiumError(f"Chromium exited: {self._stderr_tail()}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        except BrokenPipeError as exc:
            raise ChromiumError(f"Chromium exited: {self._stderr_tail()}") from exc
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise ChromiumError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, event: str, timeout: float | None = None) -> dict[str, Any]:
        deadline = time.monotonic() + (timeout or self.timeout)
        for seen in self.events:
            if seen.get("method") == event:
                return seen
        while True:
            reply = self._receive(deadline)
            if "method" in reply:
                self.events.append(reply)
                if reply["method"] == event:
                    return reply

    def open(self, path: Path) -> None:
        """Load a local file and wait for its load event and its fonts."""
        self.events.clear()
        self.call("Page.navigate", {"url": path.resolve().as_uri()}, session=self.session)
        self.wait_for("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in result:
            raise ChromiumError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")


FOOTER = (
    '<div style="width:100%;font-size:8px;color:#7b8794;padding:0 12mm;'
    "font-family:'Noto Sans CJK SC',sans-serif;display:flex;justify-content:space-between\">"
    '<span>{title}</span><span>第 <span class="pageNumber"></span> 页 / 共 '
    '<span class="totalPages"></span> 页</span></div>'
)


def print_pdf(html: Path, pdf: Path, footer_title: str = "", chromium: str | None = None) -> None:
    """Print `html` to `pdf` on A4 with a footer naming the report and the page, with the
    browser `chromium` (default: found on PATH)."""
    safe = footer_title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    with Browser(chromium=chromium) as browser:
        browser.open(html)
        result = browser.call(
            "Page.printToPDF",
            {
                "paperWidth": 8.27,
                "paperHeight": 11.69,
                "marginTop": 0.5,
                "marginBottom": 0.6,
                "marginLeft": 0.45,
                "marginRight": 0.45,
                "printBackground": True,
                "displayHeaderFooter": True,
                "headerTemplate": "<div></div>",
                "footerTemplate": FOOTER.format(title=safe),
                "preferCSSPageSize": False,
            },
            session=browser.session,
            timeout=120,
        )
    pdf.write_bytes(base64.b64decode(result["data"]))


@dataclass
class PageReport:
    """What a browser saw when it loaded a page."""

    title: str
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""
    fonts: list[str] = field(default_factory=list)  # the fonts that drew the title


PAGE_PROBE = """(() => ({
  title: document.title,
  text: document.body.innerText,
  charts: Array.from(document.querySelectorAll('svg.chart')).map(svg => {
    const box = svg.getBoundingClientRect();
    return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height,
            shapes: svg.querySelectorAll('path, use, rect, line, polyline').length,
            drawn: svg.getBBox().width > 0 && svg.getBBox().height > 0};
  }),
}))()"""


def _title_fonts(browser: Browser) -> list[str]:
    """The platform fonts Chromium used for the page's h1 (CSS.getPlatformFontsForNode)."""
    session = browser.session
    browser.call("DOM.enable", session=session)
    browser.call("CSS.enable", session=session)
    root = browser.call("DOM.getDocument", session=session)["root"]["nodeId"]
    node = browser.call("DOM.querySelector", {"nodeId": root, "selector": "h1"}, session=session)
    if not node.get("nodeId"):
        return []
    used = browser.call("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]}, session=session)
    return [f.get("familyName", "") for f in used.get("fonts", [])]


def inspect_page(html: Path, chromium: str | None = None) -> PageReport:
    """Load `html` in headless Chromium (`chromium`, default: found on PATH) and report errors,
    requests and the charts drawn."""
    with Browser(chromium=chromium) as browser:
        browser.open(html)
        probe = browser.evaluate(PAGE_PROBE)
        fonts = _title_fonts(browser)
        events = list(browser.events)
    report = PageReport(
        title=probe["title"], charts=probe["charts"], text=probe["text"], fonts=fonts
    )
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            report.exceptions.append(json.dumps(params.get("exceptionDetails"))[:500])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            report.console_errors.append(json.dumps(params.get("args"))[:500])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            report.console_errors.append(params["entry"].get("text", ""))
        elif method == "Network.loadingFailed":
            report.failed_requests.append(params.get("errorText", ""))
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "about:")):
                report.remote_requests.append(url)
    return report
