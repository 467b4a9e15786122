"""The machine a run was made on, and the results as Markdown tables with the issue's goals beside them."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("streamlit", "duckdb", "pandas", "pyarrow", "plotly", "deltalake", "openpyxl", "playwright")

# The goals of issue 7, on a 2-core machine.
WARM_GOAL_SECONDS = 0.1
COLD_GOAL_SECONDS = 1.0
RATIO_GOAL = 5.0
MEMORY_GOAL_MB = 600
UPLOAD_GOAL_SECONDS = 2.0
UPLOAD_GOAL_MB = 1000
UPLOAD_GOAL_ROWS = 1_000_000
BROWSER_GOAL_SECONDS = 2.5
# "10 million rows": the goals that name a size apply from this many membership rows.
LARGE_ROWS = 9_000_000


def _first_line_with(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.lower().startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def load_average() -> str:
    try:
        return " / ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def machine() -> dict[str, str]:
    memory_kb = _first_line_with("/proc/meminfo", "memtotal").split()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    versions = []
    for library in LIBRARIES:
        try:
            versions.append(f"{library} {metadata.version(library)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{library} (not installed)")
    return {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cores": str(os.cpu_count()),
        "memory": f"{int(memory_kb) / 1024 / 1024:.1f} GB" if memory_kb.isdigit() else "unknown",
        "cpu": _first_line_with("/proc/cpuinfo", "model name"),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "libraries": ", ".join(versions),
        "commit": commit or "unknown",
    }


def seconds(value: float | None) -> str:
    if value is None:
        return "never"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def verdict(is_met: bool) -> str:
    return "met" if is_met else "**missed**"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def pages_table(results: dict) -> str:
    rows = []
    for dataset in results["datasets"]:
        for page in dataset["pages"]:
            errors = f" ⚠ {len(page['errors'])} error(s)" if page["errors"] else ""
            rows.append(
                [
                    page["page"] + errors,
                    dataset["label"],
                    f"{dataset['membership_rows']:,}",
                    seconds(page["cold_median"]),
                    seconds(page["warm_median"]),
                    f"{seconds(page['cold_cpu_median'])} / {seconds(page['warm_cpu_median'])}",
                    verdict(page["warm_median"] < WARM_GOAL_SECONDS),
                    verdict(page["cold_median"] < COLD_GOAL_SECONDS),
                ]
            )
    header = [
        "page", "data", "membership rows", "cold", "warm", "CPU cold / warm", "goal: warm < 100 ms", "goal: cold < 1 s"
    ]  # fmt: skip
    return table(header, rows)


def obvious_table(results: dict) -> str:
    rows = []
    for dataset in results["datasets"]:
        ours = {page["page"]: page for page in dataset["pages"]}
        for baseline in dataset["obvious"]:
            page = ours.get(baseline["page"])
            if page is None:
                continue
            ratio = baseline["median"] / page["cold_median"]
            is_large = dataset["membership_rows"] >= LARGE_ROWS
            rows.append(
                [
                    baseline["page"],
                    dataset["label"],
                    seconds(baseline["median"]),
                    seconds(page["cold_median"]),
                    f"{ratio:.1f}×",
                    f"{baseline['median'] / page['warm_median']:.1f}×",
                    verdict(ratio >= RATIO_GOAL) if is_large else "– (goal at 10 M rows)",
                ]
            )
    header = ["page", "data", "pandas way", "ours, cold", "ratio vs cold", "ratio vs warm", "goal: ≥ 5× at 10 M"]
    return table(header, rows)


def upload_table(results: dict) -> str:
    rows = []
    for upload in results["uploads"]:
        if "median" not in upload:
            rows.append(
                [upload["format"], f"{upload['rows']:,}", "–", "–", "–", "–", "–", upload["outcome"], "**missed**"]
            )
            continue
        if upload["format"] == "xlsx":
            goal = "– (no goal for Excel)"
        elif upload["rows"] < UPLOAD_GOAL_ROWS:
            goal = "– (goal at 1 M rows)"
        else:
            goal = verdict(upload["median"] < UPLOAD_GOAL_SECONDS and upload["peak_mb"] < UPLOAD_GOAL_MB)
        rows.append(
            [
                upload["format"],
                f"{upload['rows']:,}",
                seconds(upload["first_open_median"]),
                seconds(upload["check_median"]),
                seconds(upload["commit_median"]),
                seconds(upload["median"]),
                f"{upload['peak_mb']:.0f} MB",
                upload["outcome"],
                goal,
            ]
        )
    header = [
        "file",
        "rows",
        "first open of the folder (not timed in total)",
        "read + check",
        "commit",
        "total",
        "peak memory",
        "outcome",
        "goal: < 2 s and < 1 GB for 1 M (CSV, Parquet)",
    ]
    return table(header, rows)


def memory_table(results: dict) -> str:
    memory = results["memory"]
    if "peak_tree_mb" not in memory:
        return memory.get("note", "not measured")
    is_large = memory["membership_rows"] >= LARGE_ROWS
    goal = verdict(memory["peak_tree_mb"] < MEMORY_GOAL_MB) if is_large else "– (goal at 10 M rows)"
    rows = [
        [
            memory["label"],
            f"{memory['membership_rows']:,}",
            f"{memory['peak_tree_mb']:.0f} MB",
            f"{memory['high_water_mb']:.0f} MB",
            str(memory["processes"]),
            goal,
        ]
    ]
    header = [
        "data",
        "membership rows",
        "peak RSS (sampled)",
        "sum of VmHWM",
        "processes",
        f"goal: < {MEMORY_GOAL_MB} MB",
    ]
    visits = ", ".join(f"{visit['page']} {seconds(visit['seconds'])}" for visit in memory["visits"])
    return table(header, rows) + f"\n\nFirst visits on that server, each page cold, in Chromium: {visits}."


def browser_table(results: dict) -> str:
    browser = results["browser"]
    if "pages" not in browser:
        return browser.get("note", "not measured")
    rows = []
    for page in browser["pages"]:
        errors = f" ⚠ {len(page['errors'])} error(s)" if page["errors"] else ""
        rows.append(
            [
                page["page"] + errors,
                "chart drawn" if page["has_chart"] else "title shown (no chart)",
                seconds(page["first"]),
                seconds(page["median"]) if page["runs"] else "–",
                verdict(page["median"] is not None and page["median"] < BROWSER_GOAL_SECONDS),
            ]
        )
    header = ["page", "waits for", "first visit (fresh server)", "later visits (median)", "goal: < 2.5 s"]
    return table(header, rows)


def markdown(results: dict) -> str:
    info = results["machine"]
    sections = [
        "# Benchmark results",
        "",
        "Written by `python -m bench`; see bench/README.md for what is measured and how. Times are medians of "
        f"{results['repeat']} run(s). Never edit by hand: re-run the command below.",
        "",
        f"- Command: `{results['command']}`",
        f"- Date: {info['date']}; commit {info['commit']}; run took {results['elapsed_minutes']:.1f} min",
        f"- Machine: {info['cores']} cores, {info['memory']} memory, {info['cpu']}, {info['system']}",
        f"- Load average (1/5/15 min) at start: {results['load_start']}; at end: {results['load_end']}",
        f"- Python {info['python']}; {info['libraries']}",
    ]
    if "pages" in results["measures"]:
        sections += [
            "",
            "## Page script time (AppTest)",
            "",
            "Cold: Streamlit's caches cleared before the run (the store is opened and checked, every query runs). "
            "Warm: the same page run again. Goals are judged on wall-clock time; CPU time (all threads of the "
            "process) shows what the page costs when other work shares the cores.",
            "",
            pages_table(results),
            "",
            "## Against the obvious way (pandas reads the files and groups in memory)",
            "",
            "The same page's queries done with `pd.read_csv` / `pd.read_parquet` and pandas group-bys "
            "(bench/obvious.py), timed in the same run; ratio = pandas time / our page's whole script time.",
            "",
            obvious_table(results),
        ]
    if "upload" in results["measures"]:
        sections += [
            "",
            "## Upload: read, check and commit membership rows",
            "",
            "What `python -m analytics ingest FILE` runs, from the file's bytes to the committed batch "
            "(read + check includes opening the store). The first open of a fresh folder, which writes "
            "Parquet copies of the folder's own CSV tables once, is timed apart and not in the total. "
            "Peak memory: the process's resident peak during the upload, interpreter and libraries included.",
            "",
            upload_table(results),
        ]
    if "memory" in results["measures"]:
        sections += ["", "## Memory of a running app serving every page", "", memory_table(results)]
    if "browser" in results["measures"]:
        sections += [
            "",
            "## Time until drawn in headless Chromium (bundled data)",
            "",
            "From navigation until the first chart's `.main-svg` is present and the status widget is gone; "
            "each visit in a new browser context.",
            "",
            browser_table(results),
        ]
    return "\n".join(sections) + "\n"


def command_line() -> str:
    return " ".join(["python -m bench", *sys.argv[1:]])
