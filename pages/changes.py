"""What changed between two dates: goals, agreements, membership, activities, events, silence and uploads.

The window runs after `since` (bound to the URL as `since=`, default: the previous month end) up to and including
the sidebar's as-of date (`as_of=`), with the goal status thresholds in force (the sidebar's, carried by the
link). The same sections make the monthly digest (`python -m analytics digest`) and the board pack's last part;
"Preview this month's digest" shows that e-mail for this window and scope. Selecting a row opens its goal or
its affiliate's profile in the same tab.
"""

import datetime as dt

import streamlit as st

from analytics.core.errors import AnalyticsError
from analytics.domain import changes
from analytics.figures import changes_report
from ui.changes import preview_digest, report, what_changed
from ui.components import SAMPLE_NOTICE, card_row, chart
from ui.filters import EARLIEST_AS_OF, describe_scope
from ui.labels import download_table, show_table
from ui.page import page_frame
from ui.text import literal

# Long names get a medium column, so that the change and its reason are in view without scrolling sideways.
WIDE_COLUMNS = ("title", "affiliate_name", "event_name", "activity_title")

frame = page_frame("What changed")
as_of: dt.date = frame.as_of
since = st.date_input(
    "Since",
    value=changes.previous_month_end(as_of),
    min_value=EARLIEST_AS_OF,
    max_value=as_of - dt.timedelta(days=1),
    key="since",
    bind="query-params",
    format="YYYY-MM-DD",
    help="What changed after this date, up to and including the as-of date in the sidebar.",
)
rules = frame.rules
st.caption(
    f"What changed {changes_report.window_text_of(since, as_of)}. Goal status thresholds: at risk below "
    f"{rules.at_risk_below:.0%}, off track below {rules.off_track_below:.0%} of the expected progress."
)
if not since < as_of:
    raise AnalyticsError(f"Since ({since:%Y-%m-%d}) must be before the as-of date ({as_of:%Y-%m-%d}).")
found = what_changed(frame.params, since, rules)
# The digest states its window itself; its scope line is the filters in words, without the date.
scope_text = describe_scope(frame.scope).rsplit(", as of ", 1)[0]

cards = changes_report.headline(found)
for row in (cards[:5], cards[5:]):
    for column, (card, value) in zip(card_row(5), row, strict=True):
        column.metric(card, value, border=True)

if st.button("Preview this month's digest", icon="✉️", key="changes_preview_digest"):
    with st.spinner("Drawing the e-mail's charts…"):
        preview, warning = preview_digest(found, scope_text, SAMPLE_NOTICE.replace("**", ""))
    with st.container(border=True):
        st.caption(f"Subject: {literal(preview.subject)}")
        if warning:
            st.warning(warning)
        st.html(preview.html_with_embedded_images())
    st.download_button(
        "Download the e-mail's HTML",
        data=preview.html_with_embedded_images().encode("utf-8"),
        file_name=f"digest_{since:%Y-%m-%d}_{as_of:%Y-%m-%d}.html",
        mime="text/html",
        key="changes_digest_download",
        on_click="ignore",
    )
if found.is_empty:
    st.info("Nothing changed in this window: no goal status, agreement, member count, activity, event or upload.")

sections, figures = report(frame.params, since, rules)
left, right = st.columns(2, gap="large")
with left:
    chart(figures[0].figure, key="changes_goals_chart")
with right:
    chart(figures[1].figure, key="changes_membership_chart")

for section in sections:
    st.header(section.title)
    if section.table.empty:
        st.caption(section.empty_text)
        continue
    linked = any(link is not None for link in section.links)
    st.caption(section.summary + (" Select a row to open it." if linked else ""))
    show_table(
        section.table,
        key=f"changes_{section.key}",
        options={name: {"width": "medium"} for name in WIDE_COLUMNS if name in section.table.columns},
        links=section.links if linked else None,
    )
    download_table(
        section.table, f"changes_{section.key}_{since:%Y-%m-%d}_{as_of:%Y-%m-%d}", key=f"changes_{section.key}_download"
    )
