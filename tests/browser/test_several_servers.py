"""Several app servers, one store: two Streamlit servers and the command line write to one data folder.

A commit from either server's Upload page or from `python -m analytics ingest` shows on both servers' next page
run; commits from all three at the same moment each land or are refused in words; and a reader that opens the
store again and again meanwhile never sees part of a batch. The same holds with the store on object storage
(AFFILIATE_STORE_URL on the S3 emulator of tests/object_store.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.store import ledger
from analytics.store.reader import Store
from bench.server import Server, start_server
from tests.browser.conftest import BrowserPage, _require_browser
from tests.conftest import write_tiny_data

ROOT = Path(__file__).resolve().parents[2]
# One membership file per writer, each of two rows (one new snapshot, one replaced), with members of its own.
FILES = {
    "server_a": "Cal-ICMA,2025-12-31,1101,601\nSolace,2026-01-31,501,41\n",
    "server_b": "Cal-ICMA,2026-01-31,1102,602\nNFBPA,2026-01-31,302,92\n",
    "cli": "Solace,2025-12-31,503,43\nNFBPA,2025-12-31,303,93\n",
    "server_a_again": "Cal-ICMA,2026-02-28,1104,604\nSolace,2026-02-28,504,44\n",
    "server_b_again": "NFBPA,2026-02-28,305,95\nCal-ICMA,2026-03-31,1105,605\n",
    "cli_again": "Solace,2026-03-31,506,46\nNFBPA,2026-03-31,306,96\n",
}
REFUSED = "another upload was being committed at the same moment"


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Iterator[tuple[Path, Server, Server, Path]]:
    """One data folder, two servers on it, and the folder of the files to upload."""
    _require_browser()
    folder = tmp_path_factory.mktemp("several")
    data_dir = write_tiny_data(folder / "data")
    files = folder / "files"
    files.mkdir()
    for name, rows in FILES.items():
        (files / f"{name}.csv").write_text("affiliate,date,members,icma members\n" + rows)
    first, second = start_server(data_dir), start_server(data_dir)
    yield data_dir, first, second, files
    first.stop()
    second.stop()


def open_page(browser, server: Server) -> BrowserPage:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = BrowserPage(context.new_page(), server.url)
    page.page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    return page


def ledger_on_page(page: BrowserPage) -> str:
    """The Upload page's list of batches, as the server shows it on a fresh page run."""
    page.open("/upload", wait_for_chart=False)
    page.page.get_by_text("Uploaded batches").wait_for(timeout=30_000)
    if page.page.get_by_text("No file has been uploaded yet").count():
        return ""
    # The grid draws on a canvas; its accessibility table holds the cells' text.
    table = page.page.locator("[data-testid=stDataFrame] table").last
    table.locator("[role=gridcell]").first.wait_for(state="attached", timeout=30_000)
    return table.text_content() or ""


def choose_file(page: BrowserPage, path: Path) -> None:
    page.open("/upload", wait_for_chart=False)
    page.page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    page.page.get_by_text("passed every check").wait_for(timeout=60_000)
    page.wait_until_idle()


def outcome_on_page(page: BrowserPage) -> str:
    """What the page said after Commit: the committed batch, or why it was refused."""
    page.page.get_by_text("committed batch").or_(page.page.get_by_text(REFUSED)).first.wait_for(timeout=120_000)
    return "refused" if page.page.get_by_text(REFUSED).count() else "committed"


def ingest(data_dir: Path, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", "ingest", str(path)],
        cwd=ROOT,
        env={**os.environ, "AFFILIATE_DATA_DIR": str(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_commit_from_either_server_or_the_cli_shows_on_both_servers(browser, shared):
    data_dir, first, second, files = shared
    on_first, on_second = open_page(browser, first), open_page(browser, second)

    choose_file(on_first, files / "server_a.csv")
    on_first.page.get_by_role("button", name="Commit").click()
    assert outcome_on_page(on_first) == "committed"
    assert "server_a.csv" in ledger_on_page(on_second)  # the other server's next page run

    process = ingest(data_dir, files / "cli.csv")
    assert process.wait(timeout=120) == 0, process.communicate()
    for page in (on_first, on_second):
        shown = ledger_on_page(page)
        assert "server_a.csv" in shown and "cli.csv" in shown

    choose_file(on_second, files / "server_b.csv")
    on_second.page.get_by_role("button", name="Commit").click()
    assert outcome_on_page(on_second) == "committed"
    assert "server_b.csv" in ledger_on_page(on_first)
    on_second.screenshot("several-servers-ledger")
    assert on_first.page_errors == on_second.page_errors == []


def whole_batches_only(data_dir: Path, stop: threading.Event, seen: list[str]) -> None:
    """Open the store again and again; each time, every batch it shows must show all of its rows."""
    expected = {f"{name}.csv": rows.count("\n") for name, rows in FILES.items()}
    while not stop.is_set():
        rows = Store(data_dir).uploads.get("membership")
        if rows is None:
            continue
        shown = rows.group_by("batch_id").aggregate([("row_number", "count")]).to_pylist()
        names = ledger.batches(data_dir).set_index("batch_id")["file_name"]  # read after: it names every one shown
        for batch in shown:
            if batch["row_number_count"] != expected[names[batch["batch_id"]]]:
                seen.append(f"{names[batch['batch_id']]}: {batch['row_number_count']} rows")


def test_commits_from_both_servers_and_the_cli_at_once_land_or_are_refused_in_words(browser, shared):
    data_dir, first, second, files = shared
    before = set(ledger.batches(data_dir)["file_name"])
    on_first, on_second = open_page(browser, first), open_page(browser, second)
    choose_file(on_first, files / "server_a_again.csv")
    choose_file(on_second, files / "server_b_again.csv")

    stop, half_seen = threading.Event(), []
    reader = threading.Thread(target=whole_batches_only, args=(data_dir, stop, half_seen))
    reader.start()
    try:
        process = ingest(data_dir, files / "cli_again.csv")
        on_first.page.get_by_role("button", name="Commit").click()
        on_second.page.get_by_role("button", name="Commit").click()
        outcomes = {"server_a_again.csv": outcome_on_page(on_first), "server_b_again.csv": outcome_on_page(on_second)}
        code = process.wait(timeout=180)
        out, err = process.communicate()
        outcomes["cli_again.csv"] = "committed" if code == 0 else "refused"
        if code != 0:
            assert code == 1 and REFUSED in err, (code, out, err)
    finally:
        stop.set()
        reader.join(timeout=120)

    landed = set(ledger.batches(data_dir)["file_name"]) - before
    assert landed == {name for name, outcome in outcomes.items() if outcome == "committed"}
    assert half_seen == []
    for page in (on_first, on_second):
        shown = ledger_on_page(page)
        assert all(name in shown for name in landed), (landed, shown)
    assert on_first.page_errors == on_second.page_errors == []


def test_on_object_storage_a_commit_from_one_server_shows_on_the_other_and_in_the_cli(browser, s3_emulator, tmp_path):
    """The deployment docs/deploy.md describes: the servers share a store on object storage (the S3 emulator)."""
    data_dir = write_tiny_data(tmp_path / "data")
    environment = s3_emulator.settings_environment()
    upload = tmp_path / "server_a.csv"
    upload.write_text("affiliate,date,members,icma members\n" + FILES["server_a"])
    first, second = start_server(data_dir, extra_env=environment), start_server(data_dir, extra_env=environment)
    try:
        on_first, on_second = open_page(browser, first), open_page(browser, second)
        choose_file(on_first, upload)
        on_first.page.get_by_role("button", name="Commit").click()
        assert outcome_on_page(on_first) == "committed"
        assert "server_a.csv" in ledger_on_page(on_second)
        assert not (data_dir / "store" / "ledger").exists()  # the ledger is in the bucket
        listed = subprocess.run(
            [sys.executable, "-m", "analytics", "batches"],
            cwd=ROOT,
            env={**os.environ, "AFFILIATE_DATA_DIR": str(data_dir), **environment},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert listed.returncode == 0 and "server_a.csv" in listed.stdout
        on_second.screenshot("several-servers-object-storage")
        assert on_first.page_errors == on_second.page_errors == []
    finally:
        first.stop()
        second.stop()
