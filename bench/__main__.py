"""`python -m bench [--quick] [--scales 1,100,900] [--repeat N] [--only pages,upload,memory,browser]`.

Runs every measure one after the other (never two at once: they would share the cores), each timed
part in a fresh subprocess, prints the results as Markdown tables and writes them to bench/RESULTS.md
(or --out). Scale 1 is the bundled data in data/; larger scales are generated once with
`python -m analytics sample --scale N` into bench/datasets/ (ignored by git).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import report
from bench.pages import discover_pages
from bench.server import browser_available
from bench.upload import is_available as upload_available
from bench.upload import membership_rows, prepare_upload
from bench.worker import RESULT_PREFIX

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data"
MEASURES = ("pages", "upload", "memory", "browser")
FULL_UPLOADS = [("csv", 1_000_000), ("parquet", 1_000_000), ("xlsx", 100_000)]
QUICK_UPLOADS = [("csv", 10_000), ("parquet", 10_000), ("xlsx", 2_000)]
COMPLETE_MARKER = ".bench-complete"


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="bundled data only, 1 run, small uploads, memory from the browser's server"
    )
    parser.add_argument("--scales", help="dataset scales, comma-separated (default 1,100,900; 1 is the bundled data)")
    parser.add_argument("--repeat", type=int, help="runs per figure, of which the median is reported (default 3)")
    parser.add_argument("--only", default=",".join(MEASURES), help=f"measures to run (default {','.join(MEASURES)})")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="where to write the results")
    parser.add_argument("--datasets", type=Path, default=ROOT / "bench" / "datasets", help="where datasets are made")
    args = parser.parse_args(argv)
    args.measures = [measure for measure in args.only.split(",") if measure]
    unknown = set(args.measures) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measure(s) {', '.join(sorted(unknown))}; choose from {', '.join(MEASURES)}")
    scales = args.scales or ("1" if args.quick else "1,100,900")
    try:
        args.scale_list = sorted({int(scale) for scale in scales.split(",")})
    except ValueError:
        parser.error(f"--scales takes whole numbers, e.g. 1,100,900, not {scales!r}")
    if min(args.scale_list) < 1:
        parser.error("scales start at 1")
    args.repeat = args.repeat or (1 if args.quick else 3)
    return args


# -- datasets -------------------------------------------------------------------------------------


def _generator_version() -> str:
    return hashlib.sha256((ROOT / "analytics" / "sample" / "generator.py").read_bytes()).hexdigest()[:16]


def dataset(scale: int, datasets_dir: Path) -> Path:
    """The data folder of one scale: the bundled data at 1, else generated once into datasets_dir."""
    if scale == 1:
        return BUNDLED
    folder = datasets_dir / f"scale-{scale}"
    marker = folder / COMPLETE_MARKER
    if marker.is_file() and marker.read_text() == _generator_version():
        return folder
    say(f"generating the scale {scale} dataset into {folder} (python -m analytics sample)")
    subprocess.run(
        [sys.executable, "-m", "analytics", "sample", "--scale", str(scale), "--out", str(folder)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    marker.write_text(_generator_version())
    return folder


def label(scale: int) -> str:
    return "bundled" if scale == 1 else f"scale {scale}"


# -- workers --------------------------------------------------------------------------------------


def run_worker(*arguments: str, log: Path) -> object:
    """Run `python -m bench.worker ARGUMENTS` and return the JSON result it prints."""
    command = [sys.executable, "-m", "bench.worker", *arguments]
    with log.open("ab") as errors:
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, check=False, timeout=7200)
    for line in done.stdout.decode(errors="replace").splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(f"bench.worker {' '.join(arguments)} failed (exit {done.returncode}); see {log}")


def measure_pages(args, scratch: Path) -> list[dict]:
    pages = ",".join(page.url_path for page in args.pages)
    datasets = []
    for scale in args.scale_list:
        folder = dataset(scale, args.datasets)
        rows = membership_rows(folder)
        say(f"pages on {label(scale)} ({rows:,} membership rows): AppTest cold and warm, {args.repeat} run(s) each")
        ours = run_worker(
            "pages", "--data-dir", str(folder), "--pages", pages, "--repeat", str(args.repeat),
            log=scratch / "worker.log",
        )  # fmt: skip
        say(f"pages on {label(scale)}: the obvious way (pandas)")
        obvious = run_worker(
            "obvious", "--data-dir", str(folder), "--pages", pages, "--repeat", str(args.repeat),
            log=scratch / "worker.log",
        )  # fmt: skip
        datasets.append(
            {"scale": scale, "label": label(scale), "membership_rows": rows, "pages": ours, "obvious": obvious}
        )
    return datasets


def measure_uploads(args, scratch: Path) -> list[dict]:
    is_available, reason = upload_available()
    sizes = QUICK_UPLOADS if args.quick else FULL_UPLOADS
    if not is_available:
        say(f"upload: not available ({reason})")
        return [{"format": kind, "rows": rows, "outcome": f"not available: {reason}"} for kind, rows in sizes]
    bundled_rows = membership_rows(BUNDLED)
    results = []
    for kind, rows in sizes:
        # Enough membership rows dated up to today (the last sample month may lie ahead): 2% spare.
        needed = 1 if rows <= bundled_rows * 0.9 else math.ceil(rows * 1.02 / bundled_rows)
        scale = min((scale for scale in args.scale_list if scale >= needed), default=needed)
        source = dataset(scale, args.datasets)
        say(f"upload: {rows:,} membership rows from {kind} (taken from {label(scale)}), {args.repeat} run(s)")
        upload_file, target = prepare_upload(source, rows, kind, args.datasets / "uploads")
        result = run_worker(
            "upload", "--data-dir", str(target), "--upload-file", str(upload_file), "--repeat", str(args.repeat),
            log=scratch / "worker.log",
        )  # fmt: skip
        results.append({"format": kind, **result, "rows": result.get("rows") or rows})
    return results


def chart_flags(args, datasets: list[dict], scratch: Path) -> dict[str, bool]:
    """Which pages draw a plotly chart on the bundled data (from AppTest), for the browser to wait on."""
    bundled = next((d for d in datasets if d["scale"] == 1), None)
    pages = bundled["pages"] if bundled else []
    if {page.url_path for page in args.pages} - {page["page"] for page in pages}:
        pages = run_worker("pages", "--data-dir", str(BUNDLED), "--repeat", "1", log=scratch / "worker.log")
    flags = {page["page"]: page["charts"] > 0 for page in pages}
    return {page.url_path: flags.get(page.url_path, False) for page in args.pages}


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    args.pages = discover_pages()  # once, so every measure sees the same pages
    started = time.monotonic()
    results: dict = {
        "command": report.command_line() if argv is None else " ".join(["python -m bench", *argv]),
        "machine": report.machine(),
        "load_start": report.load_average(),
        "repeat": args.repeat,
        "measures": args.measures,
        "datasets": [],
        "uploads": [],
        "memory": {},
        "browser": {},
    }
    args.datasets.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-", dir=args.datasets))
    say(f"worker logs, server logs and results.json in {scratch}")
    if "pages" in args.measures:
        results["datasets"] = measure_pages(args, scratch)
        save(results, args, scratch, started)
    if "upload" in args.measures:
        results["uploads"] = measure_uploads(args, scratch)
        save(results, args, scratch, started)
    pages = args.pages
    is_available, reason = browser_available()
    if {"memory", "browser"} & set(args.measures):
        flags = chart_flags(args, results["datasets"], scratch) if is_available else {}
    if "browser" in args.measures:
        if not is_available:
            results["browser"] = {"note": f"not available: {reason}"}
        else:
            visits = 0 if args.quick else args.repeat
            say(f"browser: every page on the bundled data, a first visit and {visits} more")
            pages_drawn, memory = _served().time_in_browser(
                BUNDLED, pages, flags, visits, scratch / "server-browser.log"
            )
            results["browser"] = {"pages": pages_drawn}
            save(results, args, scratch, started)
            if args.quick and "memory" in args.measures:
                results["memory"] = {"label": label(1), "membership_rows": membership_rows(BUNDLED), **memory}
    if "memory" in args.measures and not results["memory"]:
        if not is_available:
            results["memory"] = {"note": f"not available: {reason}"}
        else:
            scale = max(args.scale_list)
            folder = dataset(scale, args.datasets)
            say(f"memory: a server on {label(scale)} serving every page")
            results["memory"] = {
                "label": label(scale),
                "membership_rows": membership_rows(folder),
                **_served().peak_memory(folder, pages, flags, scratch / "server-memory.log"),
            }
    text = save(results, args, scratch, started)
    print(text)
    say(f"wrote {args.out}")
    return 0


def save(results: dict, args: argparse.Namespace, scratch: Path, started: float) -> str:
    """Write what has been measured so far (a measure that crashes later loses nothing); the Markdown."""
    results["load_end"] = report.load_average()
    results["elapsed_minutes"] = (time.monotonic() - started) / 60
    text = report.markdown(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    (scratch / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return text


def _served():
    from bench import served

    return served


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
