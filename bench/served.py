"""Measures against a running `streamlit run app.py`: time until drawn in Chromium, and peak memory.

- `time_in_browser`: a fresh server on one data folder; every page opened once on it (the first
  visit, caches cold) and then `repeat` more times, each in a new browser context, timed from
  navigation until the first chart is drawn and the script has ended. The server's memory is
  sampled too (what `--quick` reports as its memory figure).
- `peak_memory`: a fresh server on the largest dataset; every page opened once while a thread reads
  the resident memory of the server and its children from /proc every 0.1 s.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.pages import PageSpec
from bench.server import CHROMIUM, CHROMIUM_ARGS, MemorySampler, open_page, start_server


def _browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def time_in_browser(
    data_dir: Path, pages: list[PageSpec], has_chart: dict[str, bool], repeat: int, log: Path
) -> tuple[list[dict], dict]:
    from playwright.sync_api import sync_playwright

    server = start_server(data_dir, log)
    results = []
    try:
        with MemorySampler(server.process.pid) as sampler, sync_playwright() as playwright:
            browser = _browser(playwright)
            for page in pages:
                url = server.url + page.browser_path
                chart = has_chart.get(page.url_path, True)
                first, errors = open_page(browser, url, chart, timeout_ms=120_000)
                again = [open_page(browser, url, chart, timeout_ms=120_000)[0] for _ in range(repeat if first else 0)]
                results.append(
                    {
                        "page": page.url_path,
                        "first": first,
                        "runs": again,
                        "median": statistics.median(again) if again else first,
                        "has_chart": chart,
                        "errors": errors,
                    }
                )
            browser.close()
    finally:
        server.stop()
    memory = {
        "peak_tree_mb": sampler.peak_tree_kb / 1024,
        "high_water_mb": sampler.high_water_kb / 1024,
        "processes": len(sampler.peak_by_pid_kb),
        "visits": [{"page": row["page"], "seconds": row["first"], "errors": row["errors"]} for row in results],
    }
    return results, memory


def peak_memory(data_dir: Path, pages: list[PageSpec], has_chart: dict[str, bool], log: Path) -> dict:
    from playwright.sync_api import sync_playwright

    server = start_server(data_dir, log)
    visits = []
    try:
        with MemorySampler(server.process.pid) as sampler, sync_playwright() as playwright:
            browser = _browser(playwright)
            for page in pages:
                seconds, errors = open_page(
                    browser, server.url + page.browser_path, has_chart.get(page.url_path, True), timeout_ms=600_000
                )
                visits.append({"page": page.url_path, "seconds": seconds, "errors": errors})
            browser.close()
    finally:
        server.stop()
    return {
        "peak_tree_mb": sampler.peak_tree_kb / 1024,
        "high_water_mb": sampler.high_water_kb / 1024,
        "processes": len(sampler.peak_by_pid_kb),
        "visits": visits,
    }
