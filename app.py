"""ICMA Affiliate Insights: page config, sign-in, navigation and the filters every page shares.

Run with `streamlit run app.py`. Each page lives in pages/ and reads like a description of its
screen; the pages are declared in ui/navigation.py, and everything that is not UI lives in analytics/.
"""

import streamlit as st

from ui.auth import signed_in_identity
from ui.filters import shared_filters
from ui.navigation import navigation_pages
from ui.page import run_page

st.set_page_config(
    page_title="ICMA Affiliate Insights",
    page_icon="🤝",
    layout="wide",
    # Open beside the page on a wide screen, collapsed on a phone (768 px or narrower), where it would
    # cover most of the page.
    initial_sidebar_state="auto",
)
# Signed in (or local mode), or the sign-in screen / a refusal and the run ends here.
identity = signed_in_identity()

page = st.navigation(navigation_pages(identity))
shared_filters()
# The chosen page, with the one error path: an AnalyticsError in it is shown in words (ui/page.py).
run_page(page)
