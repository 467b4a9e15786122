"""Roles: for administrators, who holds which role, where roles come from, and what each role may do."""

import pandas as pd
import streamlit as st

from analytics.auth.roles import ACTIONS, PERMISSIONS, Role, group_roles, role_holders
from ui.auth import require_page
from ui.labels import download_table, show_table
from ui.page import page_frame
from ui.shell import ensure_app_shell

# The role is checked before anything is drawn, so the frame comes after it (and ensure_app_shell before both).
ensure_app_shell()
identity = require_page("manage_roles")
frame = page_frame("Who holds which role", shows_data=False)
config = frame.settings
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

holders = role_holders(config)
groups = group_roles(config.group_roles)

st.header("People in the role file")
if holders.empty:
    st.info(
        "The role file lists nobody yet. Add people to it: a CSV with the columns email,role (one row per role "
        "held), kept on the server (setting AFFILIATE_ROLES_FILE).",
        icon="📄",
    )
else:
    show_table(holders, width="stretch")
    download_table(holders, "roles", key="roles_holders")
st.caption(
    f"The role file is read on every page load, so a change takes effect at once: {config.roles_path.name} "
    "(setting AFFILIATE_ROLES_FILE). Editing it needs access to the server."
)

st.header("Groups from the identity provider")
if groups:
    show_table(pd.DataFrame({"group": list(groups), "role": [role.value for role in groups.values()]}))
else:
    st.caption("No group is mapped to a role (setting AFFILIATE_GROUP_ROLES).")
unlisted = "no access" if config.unlisted_role == "none" else config.unlisted_role
st.caption(f"Someone who signs in but is in neither gets: **{unlisted}** (setting AFFILIATE_UNLISTED_ROLE).")

st.header("What each role may do")
roles = [role.value.capitalize() for role in Role]
policy = pd.DataFrame(
    {
        "action": [ACTIONS[action].capitalize() for action in ACTIONS],
        **{
            name: ["yes" if action in PERMISSIONS[role] else "no" for action in ACTIONS]
            for name, role in zip(roles, Role, strict=True)
        },
    }
)
# One column per role, named after it: the headers are the roles themselves.
show_table(policy, data_columns=roles)
