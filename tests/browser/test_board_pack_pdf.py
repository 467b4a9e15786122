"""The board pack printed to PDF by headless Chromium: pages, text, and no blank page, on A4 and Letter."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from analytics.cli.main import main
from tests.browser.conftest import ARTIFACTS, _require_browser

PAPER_POINTS = {"A4": "595.92 x 842.88 pts (A4)", "Letter": "612 x 792 pts (letter)"}


def poppler(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_pdf_pack_has_its_parts_page_numbers_and_no_blank_page(bundled_data_dir, monkeypatch, tmp_path, paper):
    _require_browser()
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(bundled_data_dir))
    monkeypatch.chdir(tmp_path)
    out = tmp_path / f"pack_{paper}.pdf"
    args = ["briefing", "--as-of", "2026-11-30", "--since", "2026-10-31", "--format", "pdf", "--paper", paper]
    assert main([*args, "--region", "Southeast", "--out", str(out)]) == 0

    info = poppler("pdfinfo", str(out))
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert PAPER_POINTS[paper] in info
    assert 6 <= pages <= 20

    text = poppler("pdftotext", "-layout", str(out), "-")
    for heading in (
        "Goal progress briefing",
        "All affiliates in Southeast",  # the scope, on the cover
        "Headline figures",
        "Status matrix",
        "At-risk list",
        "Trends: share of goals on track",
        "What changed after 2026-10-31 up to and including 2026-11-30",
        "Goals whose status changed",
        f"Page 1 of {pages}",
        f"Page {pages} of {pages}",
    ):
        assert heading in text, heading
    assert "on track" in text and "at risk" in text  # the charts' legends, as vector text

    prefix = tmp_path / "page"
    poppler("pdftoppm", "-r", "40", "-png", str(out), str(prefix))
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for image in images:
        pixels = np.asarray(Image.open(image).convert("L"))
        band = int(pixels.shape[0] * 0.085)  # the footer's page number alone would make a blank page look used
        body = pixels[band:-band]
        assert int((body < 245).sum()) > 200, f"{image.name} of the {paper} pack is blank"
    Path(ARTIFACTS / f"board_pack_{paper}.pdf").write_bytes(out.read_bytes())
