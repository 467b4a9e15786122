"""One measure in a fresh process: `python -m bench.worker pages|obvious|upload ...`.

The result is printed as one JSON line starting with RESULT_PREFIX (Streamlit's own warnings go
to stderr and are ignored). bench.__main__ starts one worker per dataset and measure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESULT_PREFIX = "BENCH-RESULT "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("measure", choices=("pages", "obvious", "upload"))
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--pages", default="", help="comma-separated url paths")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--upload-file", type=Path)
    args = parser.parse_args(argv)
    wanted = [page for page in args.pages.split(",") if page]
    if args.measure == "pages":
        from bench.pages import discover_pages, time_pages

        pages = [page for page in discover_pages() if not wanted or page.url_path in wanted]
        result = time_pages(args.data_dir, pages, args.repeat)
    elif args.measure == "obvious":
        from bench.obvious import time_obvious_ways

        result = time_obvious_ways(args.data_dir, wanted, args.repeat)
    else:
        from bench.upload import time_upload

        result = time_upload(args.upload_file, args.data_dir, args.repeat)
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
