"""`python -m analytics alerts --since DATE [--as-of DATE] [--to ADDRESS ...]`: the alerts that fired.

The rules are data (AFFILIATE_ALERT_RULES_FILE, default <data_dir>/store/alert_rules.toml; the defaults of
analytics.domain.alerts without one). Each occurrence is listed once: what was listed or sent is recorded
(analytics.reports.fired) and never told again; --dry-run lists without recording.
"""

from __future__ import annotations

import argparse
import datetime as dt

from analytics.cli.exit_codes import EXIT_OK, UsageError, reporting_errors
from analytics.cli.options import add_mail_arguments, add_scope_arguments, add_window_arguments, scope_of
from analytics.core.files import write_bytes_atomically
from analytics.core.settings import Settings
from analytics.domain.alerts import fired_alerts
from analytics.figures.digest import alerts_digest
from analytics.reports import mail
from analytics.reports.fired import fired_record
from analytics.reports.gather import gather, read_alert_rules
from analytics.store.reader import open_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_window_arguments(parser)
    add_scope_arguments(parser)
    add_mail_arguments(parser)
    parser.add_argument("--dry-run", action="store_true", help="list what fires without recording or sending it")


@reporting_errors("alerts failed")
def run(args: argparse.Namespace) -> int:
    settings = Settings.from_environment()
    as_of = args.as_of or dt.date.today()
    if not args.since < as_of:
        raise UsageError(f"--since ({args.since}) must be before --as-of ({as_of})")
    if args.to and not mail.is_configured(settings):
        raise mail.MailError("e-mail is not configured: set AFFILIATE_SMTP_HOST (README, Configuration)")
    rules = read_alert_rules(settings.alert_rules_path)
    scope = scope_of(args)
    store = open_store(settings.data_dir)
    gathered = gather(store, scope, args.since, as_of, settings)
    fired = fired_alerts(gathered.changes, gathered.results, rules)
    with fired_record(settings.data_dir, write=not args.dry_run) as record:
        new = record.new(fired)
        told_before = len(fired) - len(new)
        print(f"{len(new)} new alert(s) after {args.since} up to {as_of} ({scope.text}); {told_before} told before")
        for row in new.itertuples():
            print(f"- {row.kind}: {row.subject_name}: {row.message}")
        if new.empty:
            return EXIT_OK
        built = alerts_digest(new, scope.text, f"{args.since}", f"{as_of}", settings.app_url)
        message = mail.message(built, settings.sender, args.to)
        if args.out:
            write_bytes_atomically(args.out, bytes(message) if args.out.suffix == ".eml" else built.text.encode())
        if args.to and not args.dry_run:
            mail.send(message, settings)
            print(f"sent to {', '.join(args.to)}")
        record.add(new, sent_to=args.to if not args.dry_run else ())
    return EXIT_OK
