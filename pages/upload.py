"""Upload: an analyst loads a file of membership, events, goals, goal check-ins or activities, sees what is
wrong or what would change, commits, undoes."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics.auth.roles import Identity
from analytics.core.errors import AnalyticsError
from analytics.uploads import pipeline as uploads
from analytics.uploads.kinds import KINDS_BY_NAME, likely_kind
from ui.auth import identity_now, require_page
from ui.components import download_buttons, show_error
from ui.data import counting_batches, load_table, refused_rows, settings, store, upload_batches
from ui.shell import ensure_app_shell
from ui.text import literal, undo_effect, warnings_list, with_names_and_dates

ensure_app_shell()
identity = require_page("upload")  # a viewer who opens /upload gets a polite refusal here, and nothing below runs


heading = st.empty()
kind = st.radio(
    "What the file holds",
    list(KINDS_BY_NAME),
    format_func=lambda name: KINDS_BY_NAME[name].label,
    horizontal=True,
    key="upload_kind",
    bind="query-params",
)
chosen_kind = KINDS_BY_NAME[kind]  # the registry's declaration of the kind: analytics/uploads/kinds.py
heading.title(chosen_kind.title)
st.caption(
    "CSV (comma, semicolon or tab separated), Excel (.xlsx) or Parquet, as exported by ICMA's systems or an "
    "affiliate. Every row is checked before anything counts; a commit shows on every page at once, and any "
    "batch can be undone below."
)

NOT_USED = "(not used)"
# Valid rows shown before committing; the download of the report and the commit cover them all.
ROWS_SHOWN = 1000
# What the hand-matching choices show of each column: its label as a header, and whether it is required.
COLUMN_LABELS = chosen_kind.choice_labels
DATE_ORDERS = {"day_first": "Day first (31/01/2026, European)", "month_first": "Month first (01/31/2026, US)"}


def readable(column: str) -> str:
    """A column name as a table header: `members_before` -> `Members before`."""
    return column.replace("_", " ").capitalize()


def acting_as(identity: Identity) -> Identity:
    """Who the ledger names: the signed-in identity (its e-mail); in local mode, the name typed below if any."""
    typed = st.session_state.get("upload_by")
    return replace(identity, name=typed) if identity.is_local and typed else identity


def forget_answers_unless_for(owner: tuple) -> None:
    """Clear the answers given about another file or kind: its sheet, day/month order, columns matched by hand and
    the choice to commit only the valid rows, so that each file is asked about afresh.

    Widget values are assigned their defaults rather than deleted: a deleted key leaves the old value in the
    browser, which sends it back with the next interaction."""
    if st.session_state.get("upload_answers_for") == owner:
        return
    st.session_state["upload_answers_for"] = owner
    st.session_state.pop("upload_mapping", None)
    defaults = {
        "upload_sheet": None,
        "upload_date_order": None,
        "upload_only_valid": False,
        "upload_accept_warnings": False,
    }
    for key, value in defaults.items():
        if key in st.session_state:
            st.session_state[key] = value
    # The hand-matching boxes are set, once this file is read, to what its columns feed (see below).
    st.session_state["upload_map_unset"] = True


def choose_kind(name: str) -> None:
    """Button callback: read the file as another kind."""
    st.session_state["upload_kind"] = name


def commit_batch(checked, data: bytes, current, only_valid: bool, accept_warnings: bool, identity: Identity) -> None:
    """Button callback: commit as who clicks with their roles now (uploads.commit checks them), and leave the
    outcome for the next run."""
    try:
        actor = acting_as(identity_now(identity))
        result = uploads.commit(
            checked,
            data,
            current,
            committed_by=actor,
            only_valid=only_valid,
            accept_warnings=accept_warnings,
            settings=config,
        )
    except AnalyticsError as error:
        st.session_state["upload_error"] = error
    else:
        st.session_state["upload_message"] = result.message


def undo_batch(data_dir, identity: Identity) -> None:
    """Button callback: undo the chosen batch as who clicks with their roles now (uploads.undo checks them)."""
    batch_id = st.session_state.get("upload_undo_batch")
    try:
        uploads.undo(data_dir, batch_id, acting_as(identity_now(identity)))
    except AnalyticsError as error:
        st.session_state["upload_error"] = error
    else:
        st.session_state["upload_message"] = f"Batch {batch_id} undone; what it replaced counts again."
        st.session_state["upload_undo_confirm"] = False  # the next undo is confirmed afresh


config = settings()
if message := st.session_state.pop("upload_message", None):
    st.success(message, icon="✅")
if error := st.session_state.pop("upload_error", None):
    show_error(error)

try:
    current = store()
except AnalyticsError as error:
    show_error(error)
    st.stop()

uploaded = st.file_uploader(
    f"{chosen_kind.label} file",
    type=["csv", "tsv", "txt", "xlsx", "parquet"],
    max_upload_size=config.max_upload_megabytes,
    key="upload_file",
    help=f"Up to {config.max_upload_megabytes} MB and {config.max_upload_rows:,} rows. {chosen_kind.columns_help}",
)

with st.expander(f"Columns {chosen_kind.a_file} may have, and a blank template"):
    st.dataframe(
        chosen_kind.column_guide(),
        hide_index=True,
        width="stretch",
    )
    download_buttons(chosen_kind.template(), f"{kind}_template", key="upload_template")

forget_answers_unless_for((kind, None if uploaded is None else uploaded.file_id))

if uploaded is None:
    st.info("Choose a file to see its checks and what it would change. Nothing is stored until you commit.")
else:
    data = uploaded.getvalue()
    sheet = st.session_state.get("upload_sheet")
    date_order = st.session_state.get("upload_date_order")
    # The columns matched by hand; None until a choice is made, so that a mapping remembered for this header
    # applies (pipeline.check_file), and a choice of "(not used)" sets it aside.
    mapping = (
        {header: target for header, target in st.session_state["upload_mapping"].items() if target in COLUMN_LABELS}
        if "upload_mapping" in st.session_state
        else None
    )
    try:
        checked = uploads.check_file(
            data, uploaded.name, kind, current, config, mapping=mapping, date_order=date_order, sheet=sheet
        )
        preview = uploads.preview(checked, current, config)
    except AnalyticsError as error:
        st.error(f"**{literal(uploaded.name)}** was not loaded: {literal(str(error))}. Nothing was stored.", icon="🚫")
        st.stop()

    st.header("How the file was read")
    st.caption(" · ".join(literal(note) for note in checked.notes))  # notes quote the file's headers and sheets
    if other_kind := likely_kind(checked):
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.warning(
            f"This looks like {other_kind.a_file}, not {chosen_kind.label.lower()}; choose that kind under "
            "“What the file holds” above.",
            icon="💡",
        )
        right.button(
            f"Read it as {other_kind.label.lower()}",
            key="upload_switch_kind",
            on_click=choose_kind,
            args=(other_kind.name,),
        )
    options = st.columns(3)
    if len(checked.source.sheet_names) > 1:
        options[0].selectbox(
            "Sheet",
            checked.source.sheet_names,
            index=None,  # none chosen: the reader picks one, and the notes above name it
            placeholder="The one named above",
            key="upload_sheet",
        )
    if checked.question is not None or date_order:
        options[1].radio(
            "Day/month order of the dates",
            list(DATE_ORDERS),
            format_func=DATE_ORDERS.__getitem__,
            index=None,
            key="upload_date_order",
            help="Asked because no date in the file has a day above 12; it is never guessed.",
        )
    # The headers no synonym names: those matched by hand (now or by a mapping remembered for this header) stay
    # listed, showing their column, so a choice can be changed; those still unused are said in words.
    unmatched = chosen_kind.match(checked.source.header).unmatched
    if unmatched:
        header = checked.source.header
        # What each listed header feeds now: by hand, by a remembered mapping, or found by its cells.
        feeding = {header[position]: column for column, position in checked.match.sources.items()}
        unused = [name for name in checked.match.unmatched if name not in checked.match.by_hand]
        with st.expander(
            f"Match columns by hand ({len(unmatched)} not recognised by name)",
            expanded=bool(checked.match.missing),
        ):
            if unused:
                st.caption(
                    "Not used now: " + ", ".join(f"“{literal(name)}”" for name in unused) + ". Choose a column "
                    "for any that should be read; a file column left “(not used)” is not stored."
                )
            choices = [NOT_USED, *COLUMN_LABELS]
            # A new file's boxes start at what its columns feed: matched by a remembered mapping, found by their
            # cells, or not used (set as widget state, since a box keeps its browser value across files).
            if st.session_state.pop("upload_map_unset", False):
                for position, header_text in enumerate(unmatched):
                    st.session_state[f"upload_map_{position}"] = feeding.get(header_text, NOT_USED)
            feeds = {
                header_text: st.selectbox(
                    f"File column “{literal(header_text)}” is",
                    choices,
                    format_func=lambda name: COLUMN_LABELS.get(name, name),
                    key=f"upload_map_{position}",
                )
                for position, header_text in enumerate(unmatched)
            }
            shown = {header_text: feeding.get(header_text, NOT_USED) for header_text in unmatched}
            # A choice was made (the boxes differ from what they showed): from now on they are the hand matching.
            if feeds != st.session_state.get("upload_mapping", shown):
                st.session_state["upload_mapping"] = feeds
                st.rerun()

    if checked.question is not None:
        st.warning(f"A question before anything can be committed: {literal(checked.question)}.", icon="❓")

    # Until every required column is matched and the question answered, no row can be valid: counts would mislead.
    if checked.match.missing:
        where = "by hand above, or in the file" if checked.match.unmatched else "add them to the file"
        waiting_for = f"the required columns are matched ({where})"
    elif checked.question is not None:
        waiting_for = "the question above is answered"
    else:
        waiting_for = None

    st.header("Checks")
    if checked.rows_in_file == 0:
        st.error("The file has no data rows.", icon="🚫")
    elif waiting_for:
        rows = "row is" if checked.rows_in_file == 1 else f"{checked.rows_in_file:,} rows are"
        st.info(f"The file's {rows} checked once {waiting_for}.", icon="⏳")
    elif checked.report.empty:
        rows_text = "The file's row" if checked.rows_in_file == 1 else f"All {checked.rows_in_file:,} rows"
        st.success(f"{rows_text} passed every check.", icon="✅")
    if not checked.report.empty:
        if checked.rows_in_file:
            bad_rows = checked.report["row"].dropna().nunique()
            st.error(
                f"{len(checked.report):,} problem(s) in {bad_rows:,} of {checked.rows_in_file:,} rows"
                + (" and in the file as a whole" if checked.report["row"].isna().any() else "")
                + ". Each names the row as you see it in your spreadsheet.",
                icon="🚫",
            )
        # The problem second, beside its row: on a phone it is the column in view, with where and what after it.
        report = checked.report.rename(
            columns={"row": "Row", "column": "Column", "value": "Value", "problem": "Problem"}
        )[["Row", "Problem", "Column", "Value"]]
        st.dataframe(
            report,
            hide_index=True,
            width="stretch",
            placeholder="",
            column_config={
                "Row": st.column_config.NumberColumn(width="small", format="%d"),
                "Problem": st.column_config.TextColumn(width="large"),
            },
        )
        download_buttons(report, "upload_report", key="upload_report")

    st.header("What committing will change")
    if preview.already_loaded_as:
        st.info(f"This exact file is already loaded (batch {preview.already_loaded_as}); committing changes nothing.")
    elif checked.rows_in_file == 0:
        st.caption("Nothing: the file has no data rows.")
    elif waiting_for:
        st.caption(f"Shown once {waiting_for}.")
    else:
        cards = st.columns(5)
        cards[0].metric("Rows in the file", f"{preview.rows_in_file:,}", border=True)
        cards[1].metric("Valid rows", f"{preview.rows_valid:,}", border=True)
        cards[2].metric("Rejected rows", f"{preview.rows_rejected:,}", border=True)
        noun = chosen_kind.noun
        cards[3].metric(f"New {noun}", f"{preview.rows_added:,}", border=True)
        cards[4].metric(
            f"{noun.capitalize()} replaced",
            f"{preview.rows_replaced:,}",
            help=f"Same {chosen_kind.same_key} as one already stored. Replaced, not destroyed: undo brings it back.",
            border=True,
        )
        if preview.warnings:
            st.warning(
                f"{len(preview.warnings):,} warning(s): these values pass every check but are far from what is "
                "stored. Check them in the file; commit only if they are right.",
                icon="⚠️",
            )
            st.markdown(warnings_list(preview.warnings))
        if not preview.totals.empty:
            st.caption("Affiliate members in the months the file touches, every affiliate counted once a month.")
            totals = preview.totals.rename(
                columns={
                    "month_end_on": "Month end",
                    "members_before": "Members before",
                    "members_after": "Members after",
                    "change": "Change",
                    "icma_members_before": "Also ICMA before",
                    "icma_members_after": "Also ICMA after",
                }
            )
            counts = {
                name: st.column_config.NumberColumn(format="localized")
                for name in totals.columns
                if name != "Month end"
            }
            st.dataframe(totals, hide_index=True, column_config={"Month end": st.column_config.DateColumn(), **counts})
        if not preview.replaced.empty:
            with st.expander(f"The {len(preview.replaced):,} {noun} this file replaces"):
                replaced = with_names_and_dates(preview.replaced, load_table("affiliates"))
                st.dataframe(replaced.rename(columns=readable), hide_index=True)
        if not checked.rows.empty:
            shown = with_names_and_dates(checked.rows.head(ROWS_SHOWN), load_table("affiliates"))
            more = f" (the first {ROWS_SHOWN:,})" if len(checked.rows) > ROWS_SHOWN else ""
            with st.expander(f"The {len(checked.rows):,} valid rows as they will be stored{more}"):
                st.caption("Ids, agreements, liaisons, directions and statuses the file left out are filled in here.")
                st.dataframe(shown.rename(columns=readable), hide_index=True)

    may_commit = checked.can_commit_all
    only_valid = False
    if not checked.report.empty and checked.can_commit_valid:
        only_valid = st.checkbox(
            f"Commit only the {preview.rows_valid:,} valid rows (the {preview.rows_rejected:,} rejected rows are kept "
            "with the batch)",
            key="upload_only_valid",
        )
        may_commit = only_valid
    accept_warnings = False
    if preview.warnings and not waiting_for:
        accept_warnings = st.checkbox(
            f"I have checked the {len(preview.warnings):,} warning(s) above: the values are right "
            "(the ledger records that you acknowledged them)",
            key="upload_accept_warnings",
        )
        may_commit = may_commit and accept_warnings
    if identity.is_local:
        st.text_input("Your name, for the ledger", key="upload_by", placeholder="e.g. Jordan Lee")
    else:
        st.caption(f"The ledger will record this batch as committed by {identity.label}.")
    st.button(
        "Commit",
        type="primary",
        key="upload_commit",
        disabled=not may_commit or bool(preview.already_loaded_as),
        on_click=commit_batch,
        args=(checked, data, current, only_valid, accept_warnings, identity),
    )

st.divider()
st.header("Uploaded batches")
ledger = upload_batches()
if ledger.empty:
    st.info("No file has been uploaded yet. The bundled data is in use as it is.")
else:
    shown = ledger.assign(committed_at=pd.to_datetime(ledger["committed_at"]).dt.strftime("%Y-%m-%d %H:%M UTC"))[
        [
            "batch_id",
            "kind",
            "status",
            "committed_at",
            "committed_by",
            "file_name",
            "rows_in_file",
            "rows_loaded",
            "rows_rejected",
            "rows_replaced",
        ]
    ].rename(
        columns={
            "batch_id": "Batch",
            "kind": "Kind",
            "status": "Status",
            "committed_at": "Committed",
            "committed_by": "By",
            "file_name": "File",
            "rows_in_file": "Rows in file",
            "rows_loaded": "Loaded",
            "rows_rejected": "Rejected",
            "rows_replaced": "Replaced",
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    download_buttons(shown, "upload_batches", key="upload_batches")
    with_rejected = ledger[ledger["rows_rejected"] > 0]
    if not with_rejected.empty:
        with st.expander("Rows a batch refused (kept with the batch when only the valid rows were committed)"):
            refused_labels = {
                row.batch_id: f"{row.batch_id} · {row.file_name} · {row.rows_rejected:,} refused"
                for row in with_rejected.itertuples(index=False)
            }
            refused_batch = st.selectbox(
                "Batch", list(refused_labels), format_func=refused_labels.__getitem__, key="upload_refused_batch"
            )
            refused = refused_rows(refused_batch).rename(columns={"row": "Row", "problem": "Problem"})
            st.dataframe(refused, hide_index=True, width="stretch")
            download_buttons(refused, f"rejected_{refused_batch}", key="upload_refused")
    active = counting_batches()
    if not active.empty:
        labels = {
            row.batch_id: f"{row.batch_id} · {row.file_name} · {row.rows_loaded:,} rows"
            for row in active.itertuples(index=False)
        }
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen_batch = left.selectbox(
            "Batch to undo", list(labels), format_func=labels.__getitem__, key="upload_undo_batch"
        )
        batch = active.set_index("batch_id").loc[chosen_batch]
        st.caption(literal(undo_effect(batch)))
        is_confirmed = st.checkbox("Yes, undo this batch", key="upload_undo_confirm")
        right.button(
            "Undo batch",
            key="upload_undo",
            help="Its rows stop counting everywhere and what they replaced comes back. The ledger keeps the record.",
            on_click=undo_batch,
            args=(config.data_dir, identity),
            disabled=not is_confirmed,
        )
