"""Who may do what: roles, the identity of a person, and where their roles come from.

Four roles, each allowed everything the one before it is:

    viewer   every page; changes nothing (leadership, the International Committee)
    liaison  also records check-ins, activities and comments by form, for the goals and affiliates they own,
             and undoes what they recorded (analytics.uploads.ownership checks the ownership at each commit)
    analyst  also uploads files, records for every goal and affiliate, undoes any batch, sees the upload ledger
    admin    also sees who holds which role

A person's roles come from the server alone: the role file (`email,role`, one row per role held,
AFFILIATE_ROLES_FILE) and the groups claim of the identity provider's signed ID token, mapped to
roles by AFFILIATE_GROUP_ROLES. Never from a URL, a widget or anything else the browser sends.
A signed-in person found in neither gets AFFILIATE_UNLISTED_ROLE: no role at all by default.

Two identities need no sign-in: the local user of an app run without sign-in configured, and the
operator of the command line (the OS login name). Both hold every role: whoever has either already
has the store's files in hand.
"""

from __future__ import annotations

import csv
import getpass
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pandas as pd

from analytics.core.errors import PermissionDenied, RoleFileError
from analytics.core.settings import Settings


class Role(StrEnum):
    VIEWER = "viewer"
    LIAISON = "liaison"
    ANALYST = "analyst"
    ADMIN = "admin"


# What each action is, in the words of a refusal ("you may not ...").
ACTIONS: dict[str, str] = {
    "view": "view the dashboard",
    "record": "record check-ins, activities or comments",
    "upload": "upload data",
    "undo": "undo an uploaded batch",
    "see_ledger": "see the upload ledger",
    "manage_roles": "see or change who holds which role",
}

PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.VIEWER: frozenset({"view"}),
    Role.LIAISON: frozenset({"view", "record"}),  # for what they own only: analytics.uploads.ownership
    Role.ANALYST: frozenset({"view", "record", "upload", "undo", "see_ledger"}),
    Role.ADMIN: frozenset({"view", "record", "upload", "undo", "see_ledger", "manage_roles"}),
}

ROLE_FILE_COLUMNS = ["email", "role"]
# Setting value for "a signed-in person nobody listed gets no role".
NO_ROLE = "none"


@dataclass(frozen=True)
class Identity:
    """A person using the app (or the command line), with the roles the server resolved for them."""

    email: str
    name: str
    roles: frozenset[Role] = frozenset()
    is_local: bool = False  # the local user or the command-line operator: nobody signed in
    groups: tuple[str, ...] = ()

    def may(self, action: str) -> bool:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
        return any(action in PERMISSIONS[role] for role in self.roles)

    @property
    def label(self) -> str:
        """Who this is, for the ledger and for messages: the e-mail when there is one."""
        return self.email or self.name or "unknown"

    @property
    def role_names(self) -> list[str]:
        return [role.value for role in Role if role in self.roles]


def local_identity(name: str = "Local user") -> Identity:
    """The single user of an app run without sign-in configured: every role (a banner says so)."""
    return Identity(email="", name=name, roles=frozenset(Role), is_local=True)


def operator_identity(name: str | None = None) -> Identity:
    """The person running the command line on the server (`--by` or the OS login name): every role."""
    return Identity(email="", name=name or getpass.getuser(), roles=frozenset(Role), is_local=True)


def acting_identity(actor: Identity | str | None) -> Identity:
    """The identity an upload or undo runs as: a given Identity, or else the command-line operator by that name."""
    return actor if isinstance(actor, Identity) else operator_identity(actor)


def require(identity: Identity, action: str) -> None:
    """PermissionDenied, with a polite message naming who may, unless the identity may do the action."""
    if identity.may(action):
        return
    needed = next(role for role in Role if action in PERMISSIONS[role])
    held = ", ".join(identity.role_names) or "no role"
    raise PermissionDenied(
        identity.label,
        action,
        f"Sorry, {identity.label} may not {ACTIONS[action]}: that needs the {needed.value} role, and you hold "
        f"{held}. Nothing was changed. If you need it, ask an administrator of ICMA Affiliate Insights.",
    )


# -- where roles come from ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleRules:
    """Everything the server consults to give a signed-in person their roles."""

    by_email: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    by_group: Mapping[str, Role] = field(default_factory=dict)
    groups_claim: str = "groups"
    unlisted: Role | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RoleRules:
        """The role file and the group settings (RoleFileError when either cannot be read)."""
        return cls(
            by_email=roles_by_email(read_role_file(settings.roles_path)),
            by_group=group_roles(settings.group_roles),
            groups_claim=settings.groups_claim,
            unlisted=_unlisted_role(settings.unlisted_role),
        )

    def roles_of(self, email: str, groups: Iterable[str] = ()) -> frozenset[Role]:
        found = set(self.by_email.get(normalized_email(email), frozenset())) if email else set()
        found |= {self.by_group[group] for group in groups if group in self.by_group}
        if not found and self.unlisted is not None:
            found.add(self.unlisted)
        return frozenset(found)


def identity_from_claims(claims: Mapping[str, object], rules: RoleRules) -> Identity:
    """The identity of a person from the claims of their identity provider's ID token (as st.user holds them).

    An e-mail the provider says is not verified is not used to look up roles.
    """
    email = str(claims.get("email") or "").strip()
    if claims.get("email_verified") is False:
        email = ""
    groups = _claim_list(claims.get(rules.groups_claim))
    name = str(claims.get("name") or claims.get("preferred_username") or email or claims.get("sub") or "")
    return Identity(
        email=normalized_email(email), name=name, roles=rules.roles_of(email, groups), is_local=False, groups=groups
    )


def _claim_list(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(item) for item in value)
    return (str(value),)


def normalized_email(email: str) -> str:
    return email.strip().lower()


def read_role_file(path: Path) -> pd.DataFrame:
    """The role file as rows of email, role (lower-cased, duplicates dropped); empty when there is no file."""
    if not Path(path).is_file():
        return pd.DataFrame(columns=ROLE_FILE_COLUMNS)
    return parse_role_file(Path(path).read_text(encoding="utf-8-sig"), Path(path).name)


def parse_role_file(text: str, file_name: str = "roles.csv") -> pd.DataFrame:
    """Rows of email, role from CSV text with those two columns (others are ignored; RoleFileError on a bad row)."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in ROLE_FILE_COLUMNS if column not in header]
    if missing:
        raise RoleFileError(f"{file_name} needs the columns email,role; missing: {', '.join(missing)}")
    reader.fieldnames = header
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        email = normalized_email(row.get("email") or "")
        role = (row.get("role") or "").strip().lower()
        if not email and not role:
            continue
        if "@" not in email:
            problems.append(f"line {line}: {email!r} is not an e-mail address")
        elif role not in {member.value for member in Role}:
            problems.append(f"line {line}: unknown role {role!r} (roles: {', '.join(member.value for member in Role)})")
        else:
            rows.append({"email": email, "role": role})
    if problems:
        raise RoleFileError(f"{file_name} cannot be used: " + "; ".join(problems))
    return pd.DataFrame(rows, columns=ROLE_FILE_COLUMNS).drop_duplicates(ignore_index=True)


def roles_by_email(grants: pd.DataFrame) -> dict[str, frozenset[Role]]:
    return {email: frozenset(Role(role) for role in rows["role"]) for email, rows in grants.groupby("email")}


def group_roles(pairs: Iterable[tuple[str, str]]) -> dict[str, Role]:
    """AFFILIATE_GROUP_ROLES as group -> role; a group given two roles keeps the larger."""
    mapping: dict[str, Role] = {}
    order = list(Role)
    for group, role_name in pairs:
        try:
            role = Role(role_name.lower())
        except ValueError:
            raise RoleFileError(
                f"AFFILIATE_GROUP_ROLES: {group}={role_name!r} is not a role "
                f"(roles: {', '.join(member.value for member in Role)})"
            ) from None
        if not group:
            raise RoleFileError(f"AFFILIATE_GROUP_ROLES: a pair without a group name (={role_name})")
        if group not in mapping or order.index(role) > order.index(mapping[group]):
            mapping[group] = role
    return mapping


def _unlisted_role(value: str) -> Role | None:
    if value == NO_ROLE:
        return None
    if value != Role.VIEWER:
        raise RoleFileError(f"AFFILIATE_UNLISTED_ROLE must be {NO_ROLE!r} or 'viewer', not {value!r}")
    return Role.VIEWER


def role_holders(settings: Settings) -> pd.DataFrame:
    """Who holds which role, for the admin page: one row per person, their roles in order."""
    grants = read_role_file(settings.roles_path)
    if grants.empty:
        return pd.DataFrame(columns=["email", "roles"])
    order = {role.value: position for position, role in enumerate(Role)}
    grants = grants.assign(position=grants["role"].map(order)).sort_values(["email", "position"])
    return grants.groupby("email", as_index=False).agg(roles=("role", ", ".join))
