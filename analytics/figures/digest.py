"""The monthly digest and the alerts as e-mail content: a subject, a plain-text part and an HTML part whose charts
are inline images (referred to by Content-ID), from the same sections as the "What changed" page.

The HTML has inline styles only (mail clients drop <style> blocks), no script, and loads nothing from anywhere:
its images are parts of the same message (`cid:`), or `data:` URIs in a preview. Every text from data is
escaped. Pure: the PNGs are rendered by the caller (`analytics.figures.rendering.static_images`).
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass

import pandas as pd

from analytics.domain.changes import Changes
from analytics.figures import changes_report

APP_NAME = "ICMA Affiliate Insights"
CID_DOMAIN = "affiliate-insights"
IMAGE_WIDTH, IMAGE_HEIGHT = 720, 360
BODY_STYLE = "font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#222;max-width:760px;font-size:14px"
CARD_STYLE = "border:1px solid #ddd;border-radius:6px;padding:6px 10px;margin:0 6px 6px 0;display:inline-block"
ROWS_PER_SECTION = 25


@dataclass(frozen=True)
class InlineImage:
    key: str
    png: bytes
    alt: str

    @property
    def cid(self) -> str:
        """The Content-ID, without angle brackets."""
        return f"{self.key}@{CID_DOMAIN}"


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    html: str  # images referred to as cid:<key>@affiliate-insights
    images: tuple[InlineImage, ...]

    def html_with_embedded_images(self) -> str:
        """The HTML with each image as a data: URI, to preview or save as one file."""
        page = self.html
        for image in self.images:
            uri = "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")
            page = page.replace(f'src="cid:{image.cid}"', f'src="{uri}"')
        return page


def _images_html(images: tuple[InlineImage, ...]) -> str:
    return "".join(
        f'<p><img src="cid:{html.escape(image.cid)}" alt="{html.escape(image.alt)}" width="{IMAGE_WIDTH}" '
        f'style="max-width:100%;height:auto"></p>'
        for image in images
    )


def _cards_html(cards: list[tuple[str, str]]) -> str:
    return (
        "<div>"
        + "".join(
            f'<div style="{CARD_STYLE}"><div style="color:#555;font-size:12px">{html.escape(label)}</div>'
            f'<div style="font-size:20px;font-weight:bold">{html.escape(value)}</div></div>'
            for label, value in cards
        )
        + "</div>"
    )


def digest(
    changes: Changes, scope_text: str, app_url: str = "", note: str = "", images: tuple[InlineImage, ...] = ()
) -> Digest:
    """The digest of `changes` for one scope. `images`: the rendered `changes_report.change_figures`."""
    window = changes_report.window_text(changes)
    subject = f"{APP_NAME}: what changed {changes.since:%Y-%m-%d} to {changes.as_of:%Y-%m-%d} ({scope_text})"
    parts = changes_report.sections(changes)
    cards = changes_report.headline(changes)
    link = f"{app_url}/changes?since={changes.since:%Y-%m-%d}&as_of={changes.as_of:%Y-%m-%d}" if app_url else ""
    lead = f"What changed {window}: {scope_text}."
    body = [
        f'<html><head><meta charset="utf-8"><title>{html.escape(subject)}</title></head>',
        f'<body style="{BODY_STYLE}">',
        f'<h1 style="font-size:20px">{html.escape(APP_NAME)}: what changed</h1>',
        f"<p>{html.escape(lead)}</p>",
        f'<p style="color:#555;font-size:12px">{html.escape(note)}</p>' if note else "",
        _cards_html(cards),
        _images_html(images),
        changes_report.sections_html(parts, app_url, heading="h2", limit=ROWS_PER_SECTION),
        f'<p><a href="{html.escape(link)}">Open this view in the app</a></p>' if link else "",
        "</body></html>",
    ]
    text = [
        f"{APP_NAME}: what changed",
        "",
        lead,
        *([note] if note else []),
        "",
        *(f"{label}: {value}" for label, value in cards),
        "",
        changes_report.sections_text(parts, app_url, limit=ROWS_PER_SECTION),
        *([f"Open this view in the app: {link}"] if link else []),
    ]
    return Digest(subject=subject, text="\n".join(text), html="\n".join(body), images=images)


def alerts_digest(alerts: pd.DataFrame, scope_text: str, since: str, as_of: str, app_url: str = "") -> Digest:
    """The e-mail of the alerts that fired (alerts.fired_alerts rows): one line each, linked to its page."""
    subject = f"{APP_NAME}: {len(alerts)} alert{'s' if len(alerts) != 1 else ''} ({scope_text})"
    lead = f"Alerts fired after {since} up to and including {as_of}: {scope_text}."
    items, lines = [], []
    for row in alerts.itertuples():
        url = f"{app_url}/{row.link_path}" if app_url else ""
        name = html.escape(str(row.subject_name))
        name_html = f'<a href="{html.escape(url)}">{name}</a>' if url else name
        items.append(f"<li><b>{html.escape(row.kind)}</b>: {name_html}: {html.escape(str(row.message))}</li>")
        lines.append(f"- {row.kind}: {row.subject_name}: {row.message}" + (f" <{url}>" if url else ""))
    body = (
        f'<html><head><meta charset="utf-8"><title>{html.escape(subject)}</title></head>'
        f'<body style="{BODY_STYLE}"><p>{html.escape(lead)}</p><ul>{"".join(items)}</ul></body></html>'
    )
    return Digest(subject=subject, text="\n".join([lead, "", *lines, ""]), html=body, images=())
