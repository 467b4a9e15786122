"""What `checkin`, `activity` and `comment` share: a form's record checked, shown and committed from the shell.

The record goes through analytics/uploads/forms.py (the same checks, preview and commit as the app's forms), as
the operator at the server's shell (`--by` or the login name, with every role). Exit codes as `ingest`'s
(analytics/cli/exit_codes.py): 0 recorded, or nothing to do (the same record is already there); 1 refused with
the reason (a problem with a field, or a record of the same key stored with other values without `--replace`);
2 a usage error.
"""

from __future__ import annotations

import argparse

from analytics.core.settings import Settings
from analytics.store.reader import Store
from analytics.uploads.forms import FormCheck, FormEntry, check_form, commit_form, replaced_in_words


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--by",
        help="who records it, for the ledger and as its author (default: the login name); the command line acts as "
        "the operator at the server, with every role",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace a record of the same key stored with other values (a second check-in for the same date)",
    )
    parser.add_argument("--dry-run", action="store_true", help="check and say what would change; record nothing")
    add_accept_warnings(parser)


def add_accept_warnings(parser: argparse.ArgumentParser) -> None:
    """`--accept-warnings`, shared by `ingest` and the record commands (analytics/uploads/plausibility.py)."""
    parser.add_argument(
        "--accept-warnings",
        action="store_true",
        help="commit although the values are far from what is stored (the warnings are printed first); the ledger "
        "records that you acknowledged them",
    )


def record(entry: FormEntry, args: argparse.Namespace) -> FormCheck:
    """Check and (unless --dry-run) commit one form's record; UploadRejected (exit 1) when it is refused.

    A refused record is refused on a dry run too; an unchanged one says so and writes nothing either way.
    Returns the checked form (its `row` is the record as stored).
    """
    settings = Settings.from_environment()
    store = Store(settings.data_dir)
    form = check_form(entry, store, settings, committed_by=args.by)
    for warning in form.preview.warnings:
        print(f"warning: {warning}")
    if args.dry_run and form.may_commit:
        replacing = f"; it would replace the one recorded ({replaced_in_words(form)})" if form.replaces else ""
        print(f"dry run: {entry.file_name} passes every check{replacing}; nothing recorded")
        return form
    result = commit_form(
        form,
        store,
        committed_by=args.by,
        replace_stored=args.replace and not args.dry_run,
        accept_warnings=args.accept_warnings and not args.dry_run,
    )
    print(result.message)
    return form
