"""What changed, as people read it: one list of sections shown by the page, the e-mail digest and the board pack.

`sections(changes)` turns `analytics.domain.changes.Changes` into titled tables, each row with the link of its
goal or profile (`analytics.core.links`). The tables have the data's own column names, each declared once in
`analytics.figures.labels` with the kind of its cells: the page shows them through `ui.labels`, and
`sections_html` (HTML with inline styles: e-mail clients drop <style> blocks) and `sections_text` (plain text)
write them under the same labels, each cell formatted by its kind (`in_words`). `change_figures` draws the two
charts.

Every text from data is escaped (`html.escape`) before it is written into HTML; nothing here writes a script.
Pure: no streamlit, no store.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analytics.core.links import Link, goal_link, profile_link
from analytics.domain import changes as changes_module
from analytics.domain.changes import AGREEMENT_CHANGE_LABELS, Changes
from analytics.domain.goals import STATUS_LABELS
from analytics.figures.calendar_charts import event_dates_text, event_place_text
from analytics.figures.labels import column_label, label_text, labelled
from analytics.figures.theme import SERIES_COLORS, empty_figure, plain_texts, themed

DATE = "%Y-%m-%d"
MISSING = "–"  # what a table cell of the e-mail or the pack shows for a value that is not known
TABLE_STYLE = "border-collapse:collapse;margin:4px 0 16px;font-size:13px"
CELL_STYLE = "border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top"
HEAD_STYLE = CELL_STYLE + ";background:#f3f3f3"
DIRECTION_LABELS = {"worse": "worse", "better": "better", "started": "started"}


@dataclass(frozen=True)
class Section:
    """One part of what changed: a title, a sentence, a table and each row's link.

    The table has the data's own column names, each declared in `analytics.figures.labels` (the page shows it
    with `ui.labels.show_table`); `in_words` gives it under those labels with every cell as text, for the
    e-mail and the board pack.
    """

    key: str
    title: str
    summary: str
    table: pd.DataFrame  # columns named as in analytics.figures.labels; numbers and dates kept as they are
    links: tuple[Link | None, ...]  # one per row of `table`: the page its first column opens
    empty_text: str


def cell_text(value: object, kind: str, is_signed: bool = False) -> str:
    """A cell as text by the kind of its column (analytics.figures.labels): "" when it is missing.

    >>> cell_text(1234.0, "count"), cell_text(-12, "count", is_signed=True), cell_text(0.0412, "percent", True)
    ('1,234', '-12', '+4.1%')
    >>> cell_text(0, "count", is_signed=True), cell_text(-0.0004, "percent", True)  # no sign on what reads as zero
    ('0', '0.0%')
    >>> cell_text(pd.Timestamp("2026-10-31"), "date"), cell_text(None, "date"), cell_text(" a  b ", "text")
    ('2026-10-31', '', 'a b')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if kind == "count":
        shown = round(value)
        return f"{shown:{'+' if is_signed and shown else ''},}"
    if kind == "percent":
        shown = round(value * 100, 1) or 0.0  # never "-0.0%"
        return f"{shown / 100:{'+' if is_signed and shown else ''}.1%}"
    if kind == "date":
        return f"{pd.Timestamp(value):{DATE}}"
    return " ".join(str(value).split())


def in_words(table: pd.DataFrame) -> pd.DataFrame:
    """`table` under its labels, every cell as text formatted by the kind of its column. Pure."""
    cells = {
        name: [cell_text(value, column_label(name).kind, column_label(name).signed) for value in table[name].tolist()]
        for name in table.columns
    }
    return labelled(pd.DataFrame(cells, index=table.index, columns=list(table.columns)))


def _signed(value: float | None, percent: bool = False) -> str:
    """A change with its sign: "+12", "-3.5%"; "–" when it is not known."""
    return cell_text(value, "percent" if percent else "count", is_signed=True) or MISSING


def _words(values: pd.Series) -> pd.Series:
    """Codes in words: "due_for_renewal" -> "due for renewal"."""
    return values.astype("object").map(lambda value: value.replace("_", " ") if isinstance(value, str) else value)


def goals_section(changes: Changes) -> Section:
    frame = changes.goals
    checkins = changes.checkins
    told = checkins.groupby("goal_id")["narrative"].agg(lambda texts: " / ".join(str(t) for t in texts if pd.notna(t)))
    table = pd.DataFrame(
        {
            "title": frame["title"],
            "affiliate_name": frame["affiliate_name"],
            "status_change": frame["direction"].map(DIRECTION_LABELS),
            "reason_now": frame["reason_now"],
            "reason_before": frame["reason_before"],
            "checkins_in_window": frame["goal_id"].map(told).astype("object").fillna("none"),
        }
    )
    worse = int((frame["direction"] == "worse").sum())
    return Section(
        key="goals",
        title="Goals whose status changed",
        summary=f"{len(frame)} goals changed status, {worse} for the worse; worst first, with the reason on each "
        f"date, ending in its status ({_rules_text(changes)}).",
        table=table,
        links=tuple(
            goal_link(goal_id, affiliate, title)
            for goal_id, affiliate, title in zip(frame["goal_id"], frame["affiliate_name"], frame["title"], strict=True)
        ),
        empty_text="No goal changed status.",
    )


def _rules_text(changes: Changes) -> str:
    return (
        f"at risk below {changes.rules.at_risk_below:.0%} and off track below "
        f"{changes.rules.off_track_below:.0%} of the expected progress"
    )


def agreements_section(changes: Changes) -> Section:
    frame = changes.agreements
    table = pd.DataFrame(
        {
            "affiliate_name": frame["affiliate_name"],
            "agreement_change": frame["change"].map(AGREEMENT_CHANGE_LABELS),
            "signed_on": pd.to_datetime(frame["signed_on"]),
            "renewal_due_on": pd.to_datetime(frame["renewal_due_on"]),
            "agreement_id": frame["agreement_id"],
        }
    )
    counts = changes.counts()
    summary = ", ".join(
        f"{counts[f'agreements_{change}']} {label}" for change, label in AGREEMENT_CHANGE_LABELS.items()
    )
    return Section(
        key="agreements",
        title="Agreements",
        summary=f"{summary}.",
        table=table,
        links=tuple(profile_link(affiliate_id) for affiliate_id in frame["affiliate_id"]),
        empty_text="No agreement was signed, lapsed or entered its renewal window.",
    )


def membership_section(changes: Changes) -> Section:
    regions = changes.membership_by_region
    total = changes.membership_total
    before_on, now_on = changes.members_before_on, changes.members_now_on
    table = pd.DataFrame(
        {
            "icma_region": regions["icma_region"],
            "members_before": regions["members_before"],
            "members": regions["members"],
            "change": regions["change"],
            "change_pct": regions["change_pct"],
            "count_affiliates_both": regions["count_affiliates_both"],
            "count_affiliates_one_date": regions["count_affiliates_one_date"],
        }
    )
    if before_on is None:
        summary = "No membership was counted at either month end."
    elif before_on == now_on:
        summary = (
            f"Both dates count the same month end ({now_on:{DATE}}): membership is counted at month ends, "
            "so it shows no change in this window."
        )
    else:
        summary = (
            f"Affiliate members {_signed(total.change)} ({_signed(total.change_pct, percent=True)}) from "
            f"{before_on:{DATE}} to {now_on:{DATE}}, like for like: over the affiliates counted at both month ends "
            f"({label_text('members_before')}: at {before_on:{DATE}}; {label_text('members')}: at {now_on:{DATE}})."
        )
    return Section(
        key="membership",
        title="Membership by region",
        summary=summary,
        table=table,
        links=tuple(None for _ in range(len(table))),
        empty_text="No membership was counted at either month end.",
    )


def membership_affiliates_section(changes: Changes, limit: int = 10) -> Section:
    """The affiliates whose members changed most, in both directions, and those counted at one date only."""
    frame = changes.membership_by_affiliate
    both = frame[frame["counted"] == "both"]
    moved = both[both["change"] != 0]
    biggest = pd.concat([moved.nsmallest(limit, "change_pct"), moved.nlargest(limit, "change_pct")])
    biggest = biggest[~biggest.index.duplicated()].sort_values("change_pct")
    shown = pd.concat([biggest, frame[frame["counted"] != "both"]])
    counted = {"both": "", "before only": "not counted now", "now only": "not counted before"}
    table = pd.DataFrame(
        {
            "affiliate_name": shown["affiliate_name"].fillna(shown["affiliate_id"]),
            "icma_region": shown["icma_region"],
            "members_before": shown["members_before"],
            "members": shown["members"],
            "change": shown["change"],
            "change_pct": shown["change_pct"],
            "counted": shown["counted"].map(counted),
        }
    )
    return Section(
        key="membership_affiliates",
        title="Membership by affiliate",
        summary=f"The {limit} largest falls and rises by share, and every affiliate counted at one date only.",
        table=table.reset_index(drop=True),
        links=tuple(profile_link(affiliate_id) for affiliate_id in shown["affiliate_id"]),
        empty_text="No affiliate's members changed.",
    )


def activities_section(changes: Changes) -> Section:
    frame = changes.activities
    table = pd.DataFrame(
        {
            "affiliate_name": frame["affiliate_name"],
            "occurred_on": pd.to_datetime(frame["occurred_on"]),
            "activity_title": frame["title"],
            "activity_type": _words(frame["activity_type"]),
            "status": _words(frame["status"]),
            "liaison_name": frame["liaison_name"].fillna(""),
        }
    )
    return Section(
        key="activities",
        title="Activities",
        summary=f"{len(frame)} activities dated in the window (any status).",
        table=table,
        links=tuple(profile_link(affiliate_id) for affiliate_id in frame["affiliate_id"]),
        empty_text="No activity is dated in the window.",
    )


def events_section(changes: Changes) -> Section:
    """The events taking place in the window, their dates and place in words as on the calendar."""
    frame = changes.events
    table = pd.DataFrame(
        {
            "event_name": frame["name"],
            "organizer": frame["organizer"],
            "dates": event_dates_text(frame),
            "place": event_place_text(frame),
            "is_cancelled": frame["is_cancelled"].map({True: "cancelled", False: ""}),
        }
    )
    return Section(
        key="events",
        title="Events",
        summary=f"{len(frame)} events took place in the window.",
        table=table,
        links=tuple(profile_link(a) if isinstance(a, str) and a else None for a in frame["affiliate_id"]),
        empty_text="No event took place in the window.",
    )


def silent_section(changes: Changes) -> Section:
    frame = changes.silent
    table = pd.DataFrame(
        {
            "affiliate_name": frame["affiliate_name"],
            "icma_region": frame["icma_region"],
            "last_activity_on": pd.to_datetime(frame["last_activity_on"]),
        }
    )
    return Section(
        key="silent",
        title="No contact in the window",
        summary=f"{len(frame)} relationships had no counted activity (done, or a confirmed conference visit) "
        "in the window, longest silent first (those with no last activity had none on record).",
        table=table,
        links=tuple(profile_link(affiliate_id) for affiliate_id in frame["affiliate_id"]),
        empty_text="Every relationship had contact in the window.",
    )


def uploads_section(changes: Changes) -> Section:
    frame = changes.uploads
    at = pd.to_datetime(frame["at"], utc=True)
    table = pd.DataFrame(
        {
            "committed_at": at.dt.strftime("%Y-%m-%d %H:%M"),
            "ledger_entry": frame["what"].map(changes_module.UPLOAD_KINDS),
            "upload_kind": _words(frame["kind"]),
            "file_name": frame["file_name"].fillna(""),
            "rows_loaded": frame["rows_loaded"],
            "rows_replaced": frame["rows_replaced"],
            "committed_by": frame["by"].fillna(""),
            "batch_id": frame["batch_id"],
        }
    )
    return Section(
        key="uploads",
        title="Uploads and corrections",
        summary=f"{len(frame)} uploads, corrections (an upload that replaced rows) and undos in the window, "
        "from the upload ledger (every region).",
        table=table,
        links=tuple(None for _ in range(len(frame))),
        empty_text="Nothing was uploaded, corrected or undone.",
    )


def sections(changes: Changes) -> list[Section]:
    """Every section, in the order they are read: goals, agreements, membership, activities, events, silence,
    uploads."""
    return [
        goals_section(changes),
        agreements_section(changes),
        membership_section(changes),
        membership_affiliates_section(changes),
        activities_section(changes),
        events_section(changes),
        silent_section(changes),
        uploads_section(changes),
    ]


def window_text_of(since: dt.date, as_of: dt.date) -> str:
    """The window in words.

    >>> window_text_of(dt.date(2026, 10, 31), dt.date(2026, 11, 30))
    'after 2026-10-31 up to and including 2026-11-30'
    """
    return f"after {since:{DATE}} up to and including {as_of:{DATE}}"


def window_text(changes: Changes) -> str:
    return window_text_of(changes.since, changes.as_of)


def headline(changes: Changes) -> list[tuple[str, str]]:
    """The numbers at the top of the e-mail and the page: label, value."""
    counts = changes.counts()
    total = changes.membership_total
    return [
        ("Goals changed", str(counts["goals_changed"])),
        ("Goals worse", str(counts["goals_worse"])),
        ("Lapsed", str(counts["agreements_lapsed"])),
        ("Due for renewal", str(counts["agreements_due_for_renewal"])),
        ("New or renewed", str(counts["agreements_new"] + counts["agreements_renewed"])),
        ("Members, like for like", _signed(total.change_pct, percent=True)),
        ("Activities", str(counts["activities"])),
        ("Events", str(counts["events"])),
        ("No contact", str(counts["silent"])),
        ("Uploads", str(counts["uploads"])),
    ]


# --- HTML and text ---------------------------------------------------------------------------------


def table_html(section: Section, app_url: str = "", limit: int | None = None) -> str:
    """The section's table as HTML with inline styles; the first column links to the row's page when the app's
    address is known. Every cell is escaped."""
    table = in_words(section.table if limit is None else section.table.head(limit))
    head = "".join(f'<th style="{HEAD_STYLE}">{html.escape(str(column))}</th>' for column in table.columns)
    rows = []
    for position, row in enumerate(table.itertuples(index=False)):
        cells = [html.escape(value) if value else MISSING for value in row]
        link = section.links[position]
        url = link.url(app_url) if link is not None else ""
        if url:
            cells[0] = f'<a href="{html.escape(url)}">{cells[0]}</a>'
        rows.append("<tr>" + "".join(f'<td style="{CELL_STYLE}">{cell}</td>' for cell in cells) + "</tr>")
    more = ""
    if limit is not None and len(section.table) > limit:
        more = f'<p style="color:#555;font-size:12px">and {len(section.table) - limit} more.</p>'
    body = "".join(rows)
    table_open = f'<table class="change-table" style="{TABLE_STYLE}">'
    return f"{table_open}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def sections_html(parts: list[Section], app_url: str = "", heading: str = "h2", limit: int | None = None) -> str:
    """Every section: its title, its sentence, its table (or the sentence saying it is empty)."""
    out = []
    for section in parts:
        out.append(f'<{heading} class="change-section">{html.escape(section.title)}</{heading}>')
        if section.table.empty:
            out.append(f"<p>{html.escape(section.empty_text)}</p>")
            continue
        out.append(f"<p>{html.escape(section.summary)}</p>")
        out.append(table_html(section, app_url, limit))
    return "\n".join(out)


def sections_text(parts: list[Section], app_url: str = "", limit: int | None = None) -> str:
    """Every section as plain text: title, sentence, one line per row with its link when the address is known."""
    lines = []
    for section in parts:
        lines += [section.title.upper(), ""]
        if section.table.empty:
            lines += [section.empty_text, ""]
            continue
        lines += [section.summary, ""]
        table = in_words(section.table if limit is None else section.table.head(limit))
        for position, row in enumerate(table.itertuples(index=False)):
            values = list(row)
            line = f"- {values[0]}: " + "; ".join(
                f"{column} {value}" for column, value in zip(table.columns[1:], values[1:], strict=True) if value
            )
            link = section.links[position]
            url = link.url(app_url) if link is not None else ""
            lines.append(line + (f" <{url}>" if url else ""))
        if limit is not None and len(section.table) > limit:
            lines.append(f"  and {len(section.table) - limit} more.")
        lines.append("")
    return "\n".join(lines)


# --- figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeFigure:
    key: str  # names the image (its Content-ID in the e-mail)
    alt: str  # what the chart shows, for readers who cannot see it
    figure: go.Figure


def change_figures(changes: Changes) -> list[ChangeFigure]:
    """The digest's charts: the goals that changed by status now and direction, and members by region."""
    return [
        ChangeFigure(
            "goal_changes",
            "Bar chart: the goals whose status changed, by their status now, split into worse, better and started.",
            goal_changes_chart(changes.goals),
        ),
        ChangeFigure(
            "membership_by_region",
            "Bar chart: the like-for-like change in affiliate members between the two month ends, by region.",
            membership_change_chart(changes.membership_by_region),
        ),
    ]


def goal_changes_chart(goal_changes: pd.DataFrame) -> go.Figure:
    title = "Goals whose status changed, by status now"
    if goal_changes.empty:
        return empty_figure(title, "No goal changed status.")
    figure = go.Figure()
    present = set(goal_changes["status_now"].astype(str))
    statuses = [status for status in changes_module.WORST_FIRST if status in present]
    for direction, color, pattern in (
        ("worse", "#D55E00", "x"),
        ("better", "#009E73", ""),
        ("started", "#999999", "."),
    ):
        rows = goal_changes[goal_changes["direction"] == direction]
        if rows.empty:
            continue
        counts = rows["status_now"].astype(str).value_counts().reindex(statuses, fill_value=0)
        figure.add_trace(
            go.Bar(
                x=[STATUS_LABELS[status] for status in statuses],
                y=counts.to_numpy(),
                name=direction,
                marker={"color": color, "pattern": {"shape": pattern}},
                text=counts.where(counts > 0).to_numpy(),
                textposition="inside",
            )
        )
    figure.update_layout(barmode="stack", showlegend=True)
    figure.update_yaxes(title="goals")
    return themed(figure, title, height=360)


def membership_change_chart(by_region: pd.DataFrame) -> go.Figure:
    title = "Change in affiliate members by region, like for like"
    rows = by_region.dropna(subset=["change"])
    if rows.empty:
        return empty_figure(title, "No membership counted at both month ends.")
    figure = go.Figure(
        go.Bar(
            x=plain_texts(rows["icma_region"]),
            y=rows["change"],
            marker_color=[SERIES_COLORS[0] if change >= 0 else SERIES_COLORS[5] for change in rows["change"]],
            text=[_signed(change) for change in rows["change"]],
            textposition="outside",
            name="change in members",
        )
    )
    figure.update_yaxes(title="members", tickformat=",")
    return themed(figure, title, height=360)
