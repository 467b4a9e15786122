"""Who may commit or undo what: the role, and for a liaison the goals and affiliates they own.

Analysts and admins (and the local user and the command-line operator, who hold every role) upload files and
record by form for every goal and affiliate. A liaison (analytics.auth.roles) records by form only, and only
rows of a kind the registry lets liaisons record (`UploadKind.recorded_by`), for what is theirs:

- "goal owner": the row's goal is one they own (the store's view goal_owners: the goal's owner, else its
  agreement's liaison);
- "affiliate liaison": the row's affiliate is one they work with (the view affiliate_liaisons);
- "goal owner or affiliate liaison": either of the two, for the row's goal.

A signed-in person is a liaison by the e-mail address of the liaisons table. Ownership is read from the store
at the moment of the commit (not from what the page showed), so a goal handed to someone else since the form
was opened is refused. A liaison may undo the batches they committed themselves.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.auth.roles import Identity, normalized_email, require
from analytics.core.errors import PermissionDenied
from analytics.store.reader import Store
from analytics.uploads.checked import Checked
from analytics.uploads.kinds import upload_kind

FORM = "form"  # the file type of a form's one-row source (analytics/uploads/forms.py)


def liaison_of(identity: Identity, liaisons: pd.DataFrame) -> pd.Series | None:
    """The liaisons row of the person signed in with this e-mail address; None when there is none."""
    if not identity.email or "email" not in liaisons.columns:
        return None
    emails = liaisons["email"].astype("string").str.strip().str.lower()
    found = liaisons[emails == normalized_email(identity.email)]
    return None if found.empty else found.iloc[0]


def owned(
    recorded_by: str, rows: pd.DataFrame, liaison_id: str, goal_owners: pd.DataFrame, affiliate_liaisons: pd.DataFrame
) -> pd.Series:
    """For each row of a kind recorded as `recorded_by` says, whether the liaison owns what it is about."""
    theirs = affiliate_liaisons.loc[affiliate_liaisons["liaison_id"] == liaison_id, "affiliate_id"]
    if recorded_by == "affiliate liaison":
        return rows["affiliate_id"].isin(theirs)
    owner_of = goal_owners.set_index("goal_id")["owner_id"]
    is_owner = rows["goal_id"].map(owner_of).eq(liaison_id).fillna(False).astype(bool)
    if recorded_by == "goal owner":
        return is_owner
    if recorded_by == "goal owner or affiliate liaison":
        affiliate_of = goal_owners.set_index("goal_id")["affiliate_id"]
        return is_owner | rows["goal_id"].map(affiliate_of).isin(theirs)
    raise ValueError(f"unknown rule {recorded_by!r}")


def require_may_commit(actor: Identity, checked: Checked, data_dir: Path) -> None:
    """PermissionDenied, before anything is written, unless `actor` may commit these checked rows."""
    if actor.may("upload"):
        return
    if checked.source.file_type != FORM:
        require(actor, "upload")
    require(actor, "record")
    kind = upload_kind(checked.kind)
    if kind.recorded_by is None:
        require(actor, "upload")
    store = Store(data_dir)  # what the store holds now, not what the form showed
    liaison = liaison_of(actor, store.table("liaisons"))
    if liaison is None:
        raise PermissionDenied(
            actor.label,
            "record",
            f"Sorry, {actor.label} is not the e-mail address of any liaison, so there is nothing you own to record "
            "for. Nothing was recorded. If you are a liaison, ask an administrator to add your address.",
        )
    rows = checked.rows
    mine = owned(
        kind.recorded_by, rows, liaison["liaison_id"], store.query("goal_owners"), store.query("affiliate_liaisons")
    )
    if not mine.all():
        column = "affiliate_id" if kind.recorded_by == "affiliate liaison" else "goal_id"
        others = ", ".join(sorted(rows.loc[~mine, column].astype(str).unique()))
        whose = "the affiliates you work with" if column == "affiliate_id" else "the goals you own"
        raise PermissionDenied(
            actor.label,
            "record",
            f"Sorry, {liaison['name']} may record {kind.noun} only for {whose}, and {others} is not one of them. "
            "Nothing was recorded. Its owner, or an analyst, may record it.",
        )


def require_may_undo(actor: Identity, batch: pd.Series) -> None:
    """PermissionDenied, before anything is written, unless `actor` may undo the batch: an analyst any batch, a
    liaison one of theirs (committed by them, of a kind liaisons record)."""
    if actor.may("undo"):
        return
    is_theirs = batch["committed_by"] == actor.label and upload_kind(batch["kind"]).recorded_by is not None
    if actor.may("record") and is_theirs:
        return
    require(actor, "undo")
