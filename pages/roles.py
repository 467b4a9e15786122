"""Roles: for administrators, who holds which role, where roles come from, and what each role may do."""

import pandas as pd
import streamlit as st

from analytics.auth.roles import ACTIONS, PERMISSIONS, Role, group_roles, role_holders
from analytics.core.errors import AnalyticsError
from ui.auth import require_page
from ui.components import download_buttons, show_error
from ui.data import settings
from ui.shell import ensure_app_shell

ensure_app_shell()
identity = require_page("manage_roles")
st.title("Who holds which role")
config = settings()
st.caption(
    "Roles come from the role file and from the groups your identity provider signs into each person's token; "
    "never from a link or anything typed in the browser. Each role may do everything the one before it may."
)
if identity.is_local:
    st.info(
        "Local mode: sign-in is not configured, so everyone who opens this app is the local user with every role. "
        "The roles below take effect once sign-in is configured (README, \u201cSign-in\u201d).",
        icon="🔓",
    )

try:
    holders = role_holders(config)
    groups = group_roles(config.group_roles)
except AnalyticsError as error:
    show_error(error)
    st.stop()

st.subheader("People in the role file")
if holders.empty:
    st.info(
        "The role file lists nobody yet. Add people to it: a CSV with the columns email,role (one row per role "
        "held), kept on the server (setting AFFILIATE_ROLES_FILE).",
        icon="📄",
    )
else:
    shown = holders.rename(columns={"email": "E-mail", "roles": "Roles"})
    st.dataframe(shown, hide_index=True, width="stretch")
    download_buttons(shown, "roles", key="roles_holders")
st.caption(
    f"The role file is read on every page load, so a change takes effect at once: {config.roles_path.name} "
    "(setting AFFILIATE_ROLES_FILE). Editing it needs access to the server."
)

st.subheader("Groups from the identity provider")
if groups:
    st.dataframe(
        pd.DataFrame({"Group": list(groups), "Role": [role.value for role in groups.values()]}),
        hide_index=True,
    )
else:
    st.caption("No group is mapped to a role (setting AFFILIATE_GROUP_ROLES).")
unlisted = "no access" if config.unlisted_role == "none" else config.unlisted_role
st.caption(f"Someone who signs in but is in neither gets: **{unlisted}** (setting AFFILIATE_UNLISTED_ROLE).")

st.subheader("What each role may do")
policy = pd.DataFrame(
    {
        "Action": [ACTIONS[action].capitalize() for action in ACTIONS],
        **{
            role.value.capitalize(): ["yes" if action in PERMISSIONS[role] else "no" for action in ACTIONS]
            for role in Role
        },
    }
)
st.dataframe(policy, hide_index=True)
