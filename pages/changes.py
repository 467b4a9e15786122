"""What changed between two dates: goals, agreements, membership, activities, events, silence and uploads.

The window runs after `since` (bound to the URL as `since=`, default: the previous month end) up to and including
the sidebar's as-of date (`as_of=`), with the goal status thresholds the link carries (as the Goals page sets
them). The same sections make the monthly digest (`python -m analytics digest`) and the board pack's last part;
"Preview this month's digest" shows that e-mail for this window and scope. Selecting a row opens its goal or
its affiliate's profile in the same tab.
"""

import datetime as dt

import streamlit as st

from analytics.core.errors import AnalyticsError
from analytics.domain import changes
from analytics.figures import changes_report
from ui.changes import preview_digest, rules_in_force, what_changed
from ui.components import SAMPLE_NOTICE, chart, sample_data_notice, show_error
from ui.data import scope_params
from ui.filters import EARLIEST_AS_OF, current_scope, describe_scope
from ui.shell import ensure_app_shell

# Long names get a medium column, so that the change and its reason are in view without scrolling sideways.
COLUMNS = {name: st.column_config.TextColumn(width="medium") for name in ("Goal", "Affiliate", "Event", "Activity")}

ensure_app_shell()
st.title("What changed")
scope = current_scope()
as_of: dt.date = scope["as_of"]
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
rules = rules_in_force()
scope_text = describe_scope(scope).rsplit(", as of ", 1)[0]
st.caption(
    f"{scope_text}: what changed {changes_report.window_text_of(since, as_of)}. Goal status thresholds: at risk "
    f"below {rules.at_risk_below:.0%}, off track below {rules.off_track_below:.0%} of the expected progress."
)
sample_data_notice()

try:
    if not since < as_of:
        raise AnalyticsError(f"Since ({since:%Y-%m-%d}) must be before the as-of date ({as_of:%Y-%m-%d}).")
    found = what_changed(scope_params(scope), since, rules)
except AnalyticsError as error:
    show_error(error)
    st.stop()

cards = changes_report.headline(found)
for row in (cards[:5], cards[5:]):
    for column, (label, value) in zip(st.columns(5), row, strict=True):
        column.metric(label, value, border=True)

if st.button("Preview this month's digest", icon="✉️", key="changes_preview_digest"):
    with st.spinner("Drawing the e-mail's charts…"):
        preview, warning = preview_digest(found, scope_text, SAMPLE_NOTICE.replace("**", ""))
    with st.container(border=True):
        st.caption(f"Subject: {preview.subject}")
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

figures = changes_report.change_figures(found)
left, right = st.columns(2, gap="large")
with left:
    chart(figures[0].figure, key="changes_goals_chart")
with right:
    chart(figures[1].figure, key="changes_membership_chart")

for section in changes_report.sections(found):
    st.subheader(section.title)
    if section.table.empty:
        st.caption(section.empty_text)
        continue
    linked = any(link is not None for link in section.links)
    st.caption(section.summary + (" Select a row to open it." if linked else ""))
    event = st.dataframe(
        section.table,
        hide_index=True,
        column_config=COLUMNS,
        key=f"changes_{section.key}",
        on_select="rerun" if linked else "ignore",
        selection_mode="single-row",
    )
    rows = event.selection.rows if linked else []
    if rows and (link := section.links[rows[0]]) is not None:
        st.switch_page(link.page, query_params=dict(link.params))
