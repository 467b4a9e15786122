"""The goals page's figures and the briefing pack for a leadership meeting, as of one date.

`goals_view` computes everything once (each goal's status with its affiliate, liaison and latest
narrative; the portfolio over the last 24 month ends); the Goals page shows it, and
`briefing_html` / `briefing_workbook` turn the same view into files:

- a single self-contained HTML page, plotly.js included inline, so it opens with no internet; with print
  styles (a cover, each part on its own page, tables that break between rows), it is also the board pack that
  `analytics.figures.rendering.pdf_from_html` prints to PDF: a cover with the scope and dates, the headline
  figures, the status matrix, the at-risk list with reasons, the trend with its legend and, given the changes
  since an earlier date, what changed (`analytics.figures.changes_report`);
- an Excel workbook with the sheets "Status by area", "At-risk list" and "Trends".

Pure: no streamlit; the page passes in what the queries returned.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analytics.domain.changes import Changes
from analytics.domain.goals import (
    STATUS_LABELS,
    STATUSES,
    GoalStatusRules,
    at_risk_list,
    goal_status,
    latest_checkins,
    portfolio_over_time,
    prepare_goals,
    share_on_track,
    status_matrix,
)
from analytics.figures import changes_report
from analytics.figures.charts import status_by_group
from analytics.figures.exports import to_excel_bytes
from analytics.figures.goal_charts import portfolio_chart
from analytics.figures.labels import label_text, labelled

PORTFOLIO_MONTHS = 24
WORKBOOK_SHEETS: tuple[str, ...] = ("Status by area", "At-risk list", "Trends")
# The at-risk list's columns when the pack is printed, with their widths. The others (area of emphasis,
# expected and reported progress) are left out: the page is too narrow for every column, and the reason
# ("expected 40% by ..., reported 20% on ...") already says them.
PRINT_AT_RISK_WIDTHS: dict[str, str] = {
    "Affiliate": "17%",
    "Goal": "21%",
    "Status": "8%",
    "Stale": "6%",
    "Why": "26%",
    "Latest narrative": "14%",
    "Liaison": "8%",
}


@dataclass(frozen=True)
class GoalsView:
    """Every goal's status on `as_of`, with context, and the portfolio over the months before it."""

    as_of: dt.date
    rules: GoalStatusRules
    statuses: pd.DataFrame  # one row per goal: the goal, its affiliate and liaison, goal_status, latest narrative
    portfolio: pd.DataFrame  # portfolio_over_time by area_of_emphasis at the last PORTFOLIO_MONTHS month ends


def month_ends_until(as_of: dt.date, count: int = PORTFOLIO_MONTHS) -> list[pd.Timestamp]:
    """The last `count` month ends on or before `as_of`, oldest first."""
    last = pd.Timestamp(as_of) + pd.offsets.MonthEnd(0)
    if last > pd.Timestamp(as_of):
        last -= pd.offsets.MonthEnd(1)
    return list(pd.date_range(end=last, periods=count, freq="ME"))


def goals_view(
    goal_rows: pd.DataFrame,
    checkins: pd.DataFrame,
    as_of: dt.date,
    rules: GoalStatusRules = GoalStatusRules(),  # noqa: B008 - frozen, so one shared default is safe
) -> GoalsView:
    """The view of `goal_rows` (goals_in_scope) on `as_of`, from the check-ins reported by then."""
    known = checkins[pd.to_datetime(checkins["reported_on"]) <= pd.Timestamp(as_of)]
    prepared = prepare_goals(goal_rows, known)  # once for the status and the portfolio
    status = goal_status(goal_rows, known, as_of, rules, prepared=prepared)
    statuses = with_narrative_and_label(goal_rows.merge(status, on="goal_id", how="left", validate="one_to_one"), known)
    portfolio = portfolio_over_time(
        goal_rows, known, month_ends_until(as_of), rules, by="area_of_emphasis", prepared=prepared
    )
    return GoalsView(as_of=as_of, rules=rules, statuses=statuses, portfolio=portfolio)


def with_narrative_and_label(statuses: pd.DataFrame, checkins: pd.DataFrame) -> pd.DataFrame:
    """Goal statuses (goal_id, status) with what the goal tables show besides: the latest narrative among `checkins`
    (those reported by the as-of date; latest_checkins) and the status in words (status_label). Row order is kept."""
    narratives = latest_checkins(checkins)[["goal_id", "narrative"]].rename(columns={"narrative": "latest_narrative"})
    return statuses.merge(narratives, on="goal_id", how="left", validate="one_to_one").assign(
        status_label=lambda frame: frame["status"].astype(str).map(STATUS_LABELS)
    )


def status_counts(statuses: pd.DataFrame) -> dict[str, int]:
    """Goals per status (every status, zeros included) and stale goals, under "stale"."""
    counts = statuses["status"].astype(str).value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES} | {"stale": int(statuses["is_stale"].sum())}


def status_by_area(statuses: pd.DataFrame) -> pd.DataFrame:
    """One row per area of emphasis: goals per status, stale goals, and the share on track."""
    long = status_matrix(statuses.assign(all_goals="all"), rows="area_of_emphasis", columns="all_goals")
    wide = long.pivot_table(
        index="area_of_emphasis", columns="status", values="count_goals", aggfunc="sum", observed=False
    )
    wide = wide.reindex(columns=list(STATUSES), fill_value=0).astype(int)
    stale = statuses.groupby("area_of_emphasis")["is_stale"].sum().astype(int)
    table = wide.rename(columns=STATUS_LABELS)
    table.columns = [f"Goals {label}" for label in table.columns]
    table["Stale goals"] = stale.reindex(table.index, fill_value=0)
    table["Goals"] = wide.sum(axis=1)
    shares = statuses.groupby("area_of_emphasis", observed=True)[["status"]].apply(share_on_track)
    table["Share on track"] = shares.reindex(table.index).astype("float64").round(3)
    return table.rename_axis("Area of emphasis").reset_index()


def matrix_table(statuses: pd.DataFrame, columns: str) -> pd.DataFrame:
    """Areas of emphasis x `columns` values; each cell the counts by status in words.

    >>> statuses = pd.DataFrame(
    ...     {
    ...         "area_of_emphasis": ["Ethics", "Ethics", "Ethics"],
    ...         "affiliate_type": ["state", "state", "state"],
    ...         "status": ["on_track", "on_track", "at_risk"],
    ...     }
    ... )
    >>> matrix_table(statuses, "affiliate_type").to_dict("records")
    [{'Area of emphasis': 'Ethics', 'state': '2 on track · 1 at risk'}]
    """
    return matrix_table_of_counts(status_matrix(statuses, rows="area_of_emphasis", columns=columns), columns)


def matrix_table_of_counts(matrix: pd.DataFrame, columns: str) -> pd.DataFrame:
    """`matrix_table` of a status matrix (goals.status_matrix or goals.status_matrix_of_counts, rows by area of
    emphasis): every area and `columns` value of it, each cell the counts by status in words."""
    shown = matrix[matrix["count_goals"] > 0].assign(
        text=lambda frame: frame["count_goals"].astype(str) + " " + frame["status"].astype(str).map(STATUS_LABELS)
    )
    cells = shown.groupby(["area_of_emphasis", columns], observed=True)["text"].agg(" · ".join)
    table = cells.unstack(columns).reindex(
        index=sorted(matrix["area_of_emphasis"].unique()), columns=sorted(matrix[columns].unique())
    )
    return table.fillna("–").rename_axis(index=label_text("area_of_emphasis"), columns=None).reset_index()


def goal_table(statuses: pd.DataFrame) -> pd.DataFrame:
    """The goals as people read them: affiliate, status (second, so that a phone shows it without scrolling
    sideways), stale, goal and why, narrative, liaison, area, progress."""
    table = pd.DataFrame(
        {
            "affiliate_name": statuses["affiliate_name"],
            "status_label": statuses["status_label"],
            "is_stale": statuses["is_stale"].map({True: "stale", False: ""}),
            "title": statuses["title"],
            "reason": statuses["reason"],
            "latest_narrative": statuses["latest_narrative"].fillna(""),
            "liaison_name": statuses["liaison_name"].fillna(""),
            "area_of_emphasis": statuses["area_of_emphasis"],
            "expected_pct": statuses["expected_pct"],
            "actual_pct": statuses["actual_pct"].where(statuses["latest_reported_on"].notna()),
            "goal_id": statuses["goal_id"],
        }
    )
    return labelled(table).reset_index(drop=True)


def at_risk_table(statuses: pd.DataFrame) -> pd.DataFrame:
    """Goals overdue, off track or at risk, worst first, with their latest narrative and liaison."""
    return goal_table(at_risk_list(statuses))


def trends_table(portfolio: pd.DataFrame) -> pd.DataFrame:
    """The portfolio over time in words: one row per month end and area."""
    columns = [
        "month_end",
        "area_of_emphasis",
        "count_goals_started",
        "count_achieved",
        "count_on_track",
        "count_at_risk",
        "count_off_track",
        "count_overdue",
        "count_stale",
        "share_on_track",
    ]
    table = portfolio[columns].assign(share_on_track=portfolio["share_on_track"].round(3))
    return labelled(table.sort_values(["month_end", "area_of_emphasis"])).reset_index(drop=True)


def rules_text(rules: GoalStatusRules) -> str:
    return (
        f"at risk below {rules.at_risk_below:.0%} of the expected progress, "
        f"off track below {rules.off_track_below:.0%}; a goal is stale when its latest check-in is older "
        "than its reporting interval"
    )


# --- the briefing pack -----------------------------------------------------------------------------


def briefing_figures(view: GoalsView) -> list[go.Figure]:
    """The pack's charts: goals by status per area, and the share on track over time by area."""
    counts = status_matrix(view.statuses.assign(all_goals="all"), rows="area_of_emphasis", columns="all_goals")
    trend = portfolio_chart(view.portfolio)
    # The legend is the theme's, at the bottom of the figure's box with its room reserved (placed below the plot
    # area in plot coordinates, it was cut off at print width); at print width it wraps into up to one row per
    # area, so the figure grows by a row's height per area and the plot keeps its own.
    areas = view.portfolio["area_of_emphasis"].nunique() if not view.portfolio.empty else 0
    trend.update_layout(height=460 + 22 * areas)
    return [status_by_group(counts, "area_of_emphasis", "area of emphasis"), trend]


def briefing_workbook(view: GoalsView) -> bytes:
    """An .xlsx with the sheets of WORKBOOK_SHEETS, as of the view's date."""
    tables = [status_by_area(view.statuses), at_risk_table(view.statuses), trends_table(view.portfolio)]
    return to_excel_bytes(dict(zip(WORKBOOK_SHEETS, tables, strict=True)))


_STYLE = """
body { font-family: "Source Sans Pro", "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto;
       max-width: 1200px; color: #222; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } .meta { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8rem; margin: 1rem 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 1rem; min-width: 8rem; }
.card b { display: block; font-size: 1.6rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } .note { color: #555; font-size: 0.85rem; }
.cover h1 { font-size: 2.2rem; } .contents li { margin: 0.2rem 0; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; color: #000; }
  .cover { break-after: page; padding-top: 30%; }
  .part { break-before: page; }
  .part-first { break-before: auto; }
  h2, h3 { break-after: avoid; }
  table { font-size: 8pt; width: 100%; overflow-wrap: break-word; margin-bottom: 0.8rem; }
  th, td { padding: 0.15rem 0.3rem; }
  table.change-table { font-size: 8pt !important; }
  thead { display: table-header-group; }
  tr, .card, .chart { break-inside: avoid; }
  .cards { gap: 0.5rem; } .card { min-width: 7rem; padding: 0.4rem 0.7rem; }
  a { color: inherit; }
}
"""


def _table_html(frame: pd.DataFrame, percent_columns: tuple[str, ...] = (), css_class: str = "") -> str:
    shown = frame.copy()
    for column in shown.columns:
        if str(column).startswith(percent_columns):
            shown[column] = shown[column].map(lambda share: "–" if pd.isna(share) else f"{share:.0%}")
    return shown.to_html(index=False, escape=True, na_rep="–", border=0, classes=css_class or None)


def _print_columns(css_class: str, frame: pd.DataFrame, widths: dict[str, str]) -> str:
    """Print rules giving a table fixed column widths by name; a column not named is hidden (its content is in
    another column's words)."""
    rules = [f".{css_class} {{ table-layout: fixed; }}"]
    for position, column in enumerate(frame.columns, start=1):
        cells = f".{css_class} th:nth-child({position}), .{css_class} td:nth-child({position})"
        rules.append(f"{cells} {{ width: {widths[column]}; }}" if column in widths else f"{cells} {{ display: none; }}")
    return "@media print { " + " ".join(rules) + " }"


def briefing_html(
    view: GoalsView, scope_text: str, note: str = "", changes: Changes | None = None, app_url: str = ""
) -> bytes:
    """One self-contained HTML page (UTF-8): a cover, the headline figures, status by area and the status
    matrix, the at-risk list, the trends with their charts and, with `changes`, what changed since its date.

    plotly.js is written into the page once, inline; nothing is fetched when the file is opened. Each part
    starts a new page when printed. `app_url` (Settings.app_url) links the changed items to their pages.
    """
    as_of_text = f"{view.as_of:%Y-%m-%d}"
    counts = status_counts(view.statuses)
    share = share_on_track(view.statuses)
    cards = [
        ("Goals", len(view.statuses)),
        ("On track or achieved", f"{share:.0%}" if share is not None else "–"),
        ("At risk", counts["at_risk"]),
        ("Off track", counts["off_track"]),
        ("Overdue", counts["overdue"]),
        ("Stale", counts["stale"]),
    ]
    figures = briefing_figures(view)
    charts = [
        '<div class="chart">'
        + figure.to_html(full_html=False, include_plotlyjs=index == 0, config={"displaylogo": False})
        + "</div>"
        for index, figure in enumerate(figures)
    ]
    at_risk = at_risk_table(view.statuses).drop(columns=["Goal id"])
    percent = ("Expected", "Reported", "Share on track")
    window = f"what changed {changes_report.window_text(changes)}" if changes is not None else ""
    contents = [
        "Headline figures",
        "Status by area of emphasis and the status matrix",
        "At-risk list",
        "Trends",
        *(["What changed"] if changes is not None else []),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Goal progress briefing, as of {as_of_text}</title>",
        f"<style>{_STYLE}{_print_columns('at-risk', at_risk, PRINT_AT_RISK_WIDTHS)}</style></head><body>",
        '<section class="cover">',
        "<h1>Goal progress briefing</h1>",
        f'<p class="meta">As of {as_of_text} · {html.escape(scope_text)} · only check-ins reported by then</p>',
        f'<p class="meta">{html.escape(window.capitalize())}</p>' if window else "",
        f'<p class="note">{html.escape(note)}</p>' if note else "",
        f'<p class="note">Status rules: {html.escape(rules_text(view.rules))}.</p>',
        '<ol class="contents">' + "".join(f"<li>{html.escape(item)}</li>" for item in contents) + "</ol>",
        "</section>",
        '<section class="part part-first"><h2>Headline figures</h2>',
        _cards_html(cards),
        f"<h3>{html.escape(window.capitalize())}</h3>" if changes is not None else "",
        _cards_html(changes_report.headline(changes)) if changes is not None else "",
        "</section>",
        '<section class="part"><h2>Status by area of emphasis</h2>',
        charts[0],
        _table_html(status_by_area(view.statuses), percent),
        "<h3>Status matrix: area of emphasis by affiliate type</h3>",
        _table_html(matrix_table(view.statuses, "affiliate_type")) if not view.statuses.empty else "<p>No goals.</p>",
        "</section>",
        f'<section class="part"><h2>At-risk list ({len(at_risk)} goals, worst first)</h2>',
        _table_html(at_risk, percent, "at-risk")
        if not at_risk.empty
        else "<p>No goal is at risk, off track or overdue.</p>",
        "</section>",
        f'<section class="part"><h2>Trends: share of goals on track, last {PORTFOLIO_MONTHS} month ends</h2>',
        charts[1],
        _table_html(_trend_summary(view.portfolio), percent),
        "</section>",
        _changes_html(changes, app_url) if changes is not None else "",
        "</body></html>",
    ]
    return "\n".join(parts).encode("utf-8")


def _cards_html(cards: list[tuple[str, object]]) -> str:
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card">{html.escape(str(label))}<b>{html.escape(str(value))}</b></div>'
            for label, value in cards
        )
        + "</div>"
    )


def _changes_html(changes: Changes, app_url: str) -> str:
    return (
        f'<section class="part"><h2>What changed {html.escape(changes_report.window_text(changes))}</h2>'
        + changes_report.sections_html(changes_report.sections(changes), app_url, heading="h3", limit=40)
        + "</section>"
    )


def _trend_summary(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Per area: share on track a year before the last month end, at it, and the change in points."""
    table = trends_table(portfolio)
    if table.empty:
        return pd.DataFrame(columns=["Area of emphasis", "A year earlier", "Latest", "Change (points)"])
    wide = table.pivot_table(index="Area of emphasis", columns="Month end", values="Share on track", dropna=False)
    latest, earlier = wide.columns.max(), wide.columns.max() - pd.DateOffset(months=12) + pd.offsets.MonthEnd(0)
    summary = pd.DataFrame(
        {
            "A year earlier": wide[earlier] if earlier in wide.columns else float("nan"),
            "Latest": wide[latest],
        }
    )
    summary["Change (points)"] = ((summary["Latest"] - summary["A year earlier"]) * 100).round(0)
    return (
        summary.rename(columns={"A year earlier": f"Share on track {earlier:%Y-%m}"})
        .rename(columns={"Latest": f"Share on track {latest:%Y-%m}"})
        .rename_axis("Area of emphasis")
        .reset_index()
    )
