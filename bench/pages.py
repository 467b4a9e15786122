"""The app's pages, read from the navigation's declaration (ui.navigation.PAGES), and AppTest timings of their scripts.

A new page is benchmarked as soon as it is declared there. `time_pages` runs inside a worker subprocess
(bench.worker), one per dataset, because AppTest shares Streamlit's caches within a process.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"

# Query parameters a page needs to show its full content (the affiliate profile needs an id). The
# sample generator keeps every original id at every scale (copies get a `~k` suffix).
PAGE_QUERIES: dict[str, dict[str, str]] = {"affiliate": {"id": "state-ca"}}


@dataclass(frozen=True)
class PageSpec:
    """One page of the app's navigation (ui.navigation.PAGES), with what it needs to be opened in full."""

    script: str  # "pages/overview.py"
    url_path: str  # "overview"
    title: str
    is_default: bool

    @property
    def query(self) -> dict[str, str]:
        return PAGE_QUERIES.get(self.url_path, {})

    @property
    def browser_path(self) -> str:
        """The address a person opens for this page, with its query parameters."""
        query = "&".join(f"{key}={value}" for key, value in self.query.items())
        return f"/{self.url_path}" + (f"?{query}" if query else "")


def discover_pages() -> list[PageSpec]:
    """Every page of the app's navigation, in its order."""
    from ui.navigation import PAGES

    return [
        PageSpec(script=entry.script, url_path=entry.url_path, title=entry.title, is_default=entry.is_default)
        for entry in PAGES
    ]


_COMPONENTS: dict[str, object] = {}


def _shared_components(app) -> None:
    """Let a new AppTest use the components found by the first one, as a server finds them once when it starts.

    Streamlit 1.67's AppTest looks for custom components in every installed package's metadata when a new
    AppTest first runs: 0.3-0.8 s on this machine, more than most pages' scripts, paid once per server
    by `streamlit run`. Each timed run here is a new AppTest (a new session), so without this every figure
    would carry that start-up cost. Only where this Streamlit keeps the manager on the AppTest.
    """
    if not hasattr(app, "_bidi_component_manager"):
        return
    if "manager" in _COMPONENTS:
        app._bidi_component_manager = _COMPONENTS["manager"]
    else:
        _COMPONENTS["app"] = app  # its manager, once its first run has made it


def _remember_components() -> None:
    app = _COMPONENTS.pop("app", None)
    if app is not None and getattr(app, "_bidi_component_manager", None) is not None:
        _COMPONENTS["manager"] = app._bidi_component_manager


def _run_page(page: PageSpec, timeout: float) -> tuple[float, float, object]:
    """Seconds AppTest takes to run app.py opened at this page (wall clock and this process's CPU time).

    CPU time counts every thread of the process (DuckDB's too), so it can exceed the wall time; on a
    machine busy with other work it shows what the page itself costs.
    """
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APP), default_timeout=timeout)
    _shared_components(app)
    for key, value in page.query.items():
        app.query_params[key] = value
    if not page.is_default:
        app.switch_page(page.script)
    started, cpu_started = time.perf_counter(), time.process_time()
    app.run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    _remember_components()
    return seconds, cpu, app


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def time_pages(data_dir: Path, pages: list[PageSpec], repeat: int, timeout: float = 600) -> list[dict]:
    """Cold (caches cleared) and warm script times of every page on one data folder, in seconds.

    One unmeasured run first imports the app's modules, so that "cold" means what a running server
    sees for data it has not opened yet, not Python's start-up.
    """
    os.environ["AFFILIATE_DATA_DIR"] = str(data_dir)
    default = next((page for page in pages if page.is_default), pages[0])
    _clear_caches()
    _run_page(default, timeout)
    results = []
    for page in pages:
        cold, warm, cold_cpu, warm_cpu = [], [], [], []
        app = None
        for _ in range(repeat):
            _clear_caches()
            seconds, cpu, app = _run_page(page, timeout)
            cold.append(seconds)
            cold_cpu.append(cpu)
        for _ in range(repeat):
            seconds, cpu, app = _run_page(page, timeout)
            warm.append(seconds)
            warm_cpu.append(cpu)
        errors = [str(getattr(element, "message", element))[:200] for element in app.exception]
        errors += [element.value[:200] for element in app.error]
        results.append(
            {
                "page": page.url_path,
                "cold": cold,
                "warm": warm,
                "cold_median": statistics.median(cold),
                "warm_median": statistics.median(warm),
                "cold_cpu_median": statistics.median(cold_cpu),
                "warm_cpu_median": statistics.median(warm_cpu),
                "charts": len(app.get("plotly_chart")),
                "errors": errors,
            }
        )
    return results
