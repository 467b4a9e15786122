"""ICMA Affiliate Insights: page config, sign-in, navigation and the filters every page shares.

Run with `streamlit run app.py`. Each page lives in pages/ and reads like a description of its
screen; everything that is not UI lives in analytics/.
"""

import streamlit as st

from ui.auth import signed_in_identity, visible_to
from ui.filters import shared_filters

st.set_page_config(
    page_title="ICMA Affiliate Insights",
    page_icon="🤝",
    layout="wide",
    initial_sidebar_state="expanded",
)
# Signed in (or local mode), or the sign-in screen / a refusal and the run ends here.
identity = signed_in_identity()

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", url_path="overview", default=True),
    st.Page("pages/goals.py", title="Goals", icon="🎯", url_path="goals"),
    st.Page("pages/calendar.py", title="Event calendar", icon="📅", url_path="calendar"),
    st.Page("pages/coverage.py", title="Coverage", icon="🗺️", url_path="coverage"),
    st.Page("pages/affiliate.py", title="Affiliate profile", icon="🏛️", url_path="affiliate"),
    st.Page("pages/membership.py", title="Membership", icon="👥", url_path="membership"),
    st.Page(
        "pages/upload.py", title="Upload data", icon="📤", url_path="upload", visibility=visible_to(identity, "upload")
    ),
    st.Page(
        "pages/roles.py", title="Roles", icon="🔑", url_path="roles", visibility=visible_to(identity, "manage_roles")
    ),
]

page = st.navigation(PAGES)
shared_filters()
page.run()
