"""The one module of figures/ that starts a browser: charts as PNG images, and HTML printed to PDF.

Both use the machine's Chromium (Debian's `chromium`), offline:

- `static_images()` keeps one kaleido server (one headless Chromium) for a whole run, so the first chart costs
  a browser start (~5 s) and each further one ~0.3 s; the digest's inline images come from it.
- `pdf_from_html()` opens a document in headless Chromium through Playwright and prints it (`page.pdf`), A4 or
  Letter, with page numbers in the footer. Chromium rather than WeasyPrint: the PDF is then exactly the HTML
  pack printed by the browser a reader would print it from (one document, one set of print styles, proven by
  the PDF test), the plotly charts stay vectors drawn by plotly.js itself, and no second layout engine (nor
  pango) is needed, since kaleido needs Chromium anyway. Every request that is not the document itself is
  refused, so printing never reaches the network.

This is I/O (a browser process), kept apart from the pure figure modules; nothing else in figures/ imports it.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import plotly.graph_objects as go

from analytics.core.errors import AnalyticsError

# Paper sizes the pack prints on, with the CSS width of the printable area (the page less 2 x 12 mm margins):
# the page is laid out at that width, so that plotly sizes its charts to the paper and nothing is clipped.
PAPER_WIDTHS: dict[str, int] = {"A4": 703, "Letter": 725}
MARGINS = {"top": "16mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555;">'
    'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
# True once every plotly chart of the page is drawn (plotly.js sets _fullLayout and writes its SVG).
CHARTS_DRAWN = (
    "() => [...document.querySelectorAll('.js-plotly-plot')].every(d => d._fullLayout && d.querySelector('.main-svg'))"
)

Renderer = Callable[[go.Figure, int, int], bytes]


def chromium_path() -> str:
    """The Chromium to run, or an AnalyticsError saying how to install it."""
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not path:
        raise AnalyticsError("charts and PDFs need Chromium (on Debian: apt-get install chromium)")
    return path


@contextmanager
def static_images() -> Iterator[Renderer]:
    """A function `png(figure, width, height) -> bytes` backed by one Chromium for the whole `with` block."""
    import kaleido

    chromium_path()
    kaleido.start_sync_server(silence_warnings=True)
    try:
        yield _png
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def _png(figure: go.Figure, width: int = 720, height: int = 360) -> bytes:
    with warnings.catch_warnings():
        # plotly warns that its kaleido options are ignored with a running server; width and height are not.
        warnings.simplefilter("ignore", UserWarning)
        return figure.to_image(format="png", width=width, height=height, scale=2)


def pdf_from_html(document: bytes, paper: str = "A4") -> bytes:
    """`document` (a self-contained HTML page) printed to PDF by headless Chromium on `paper` (A4 or Letter)."""
    if paper not in PAPER_WIDTHS:
        raise AnalyticsError(f"paper must be one of {', '.join(PAPER_WIDTHS)}, not {paper!r}")
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pack.html"
        source.write_bytes(document)
        uri = source.as_uri()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": PAPER_WIDTHS[paper], "height": 900})
                page.route("**/*", lambda route: route.continue_() if route.request.url == uri else route.abort())
                page.goto(uri)
                page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
                # plotly's full-page styles make the body one screen high, which can print an empty last page.
                page.add_style_tag(content="html, body { height: auto !important; }")
                page.emulate_media(media="print")
                return page.pdf(
                    format=paper,
                    print_background=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=FOOTER,
                    margin=MARGINS,
                )
            finally:
                browser.close()
