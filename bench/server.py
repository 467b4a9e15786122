"""A fresh `streamlit run app.py` on a free loopback port, the memory of its process tree, and Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium's launch arguments for the benchmark and the browser tests: headless, offline, no first-run work.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_available() -> tuple[bool, str]:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False, "playwright is not installed (pip install -r requirements-dev.txt)"
    if not CHROMIUM:
        return False, "chromium is not installed (apt-get install chromium)"
    return True, ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    data_dir: Path
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(
    data_dir: Path, log: Path | None = None, extra_env: dict[str, str] | None = None, timeout: float = 120
) -> Server:
    """A fresh `streamlit run app.py` on a free loopback port, ready to serve; its output goes to `log`
    (a temporary file when none is given: a pipe nobody reads would stall a talkative server)."""
    port = _free_port()
    env = {**os.environ, "AFFILIATE_DATA_DIR": str(data_dir), **(extra_env or {})}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    if log is None:
        log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    handle = log.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")[-4000:]
            raise RuntimeError(f"streamlit exited early (log {log}):\n{output}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return Server(url, process, Path(data_dir), log)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s (log {log})")


# -- memory, read from /proc ----------------------------------------------------------------------


def _status_kilobytes(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants, from /proc/<pid>/task/*/children."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue.extend(int(child) for child in children.read_text().split())
            except OSError:
                continue
    return found


@dataclass
class MemorySampler:
    """Samples the resident memory of a process tree every `interval` seconds, in a thread."""

    pid: int
    interval: float = 0.1
    peak_tree_kb: int = 0
    peak_by_pid_kb: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in process_tree(self.pid):
                total += _status_kilobytes(pid, "VmRSS")
                self.peak_by_pid_kb[pid] = max(self.peak_by_pid_kb.get(pid, 0), _status_kilobytes(pid, "VmHWM"))
            self.peak_tree_kb = max(self.peak_tree_kb, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    @property
    def high_water_kb(self) -> int:
        """Sum over the tree of each process's own peak (VmHWM): an upper bound of the tree's peak."""
        return sum(self.peak_by_pid_kb.values())


# -- the browser ----------------------------------------------------------------------------------


def wait_until_drawn(page, has_chart: bool, timeout_ms: int) -> None:
    """Until the page's first chart is drawn (or, without charts, its title shows) and the script has ended."""
    page.wait_for_selector("[data-testid=stApp]", timeout=timeout_ms)
    if has_chart:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout_ms)
    else:
        page.wait_for_selector("[data-testid=stMain] h1", timeout=timeout_ms)
    page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=timeout_ms)


def open_page(browser, url: str, has_chart: bool, timeout_ms: int) -> tuple[float | None, list[str]]:
    """Seconds from navigation until drawn, in a new browser context (None if never); and error texts on the page."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        started = time.perf_counter()
        try:
            page.goto(url, wait_until="commit", timeout=timeout_ms)
            wait_until_drawn(page, has_chart, timeout_ms)
        except PlaywrightError as error:
            return None, [f"not drawn within {timeout_ms / 1000:.0f} s: {str(error).splitlines()[0]}"]
        seconds = time.perf_counter() - started
        errors = [
            element.inner_text()[:200]
            for element in page.query_selector_all("[data-testid=stException], [data-testid=stAlertContentError]")
        ]
        return seconds, errors
    finally:
        context.close()
