"""Command line: `python -m analytics COMMAND ...`. Every command honours AFFILIATE_DATA_DIR.

Each command lives in its own module of this package, which provides `add_arguments(parser)` and
`run(args) -> int` (the exit code); `analytics.cli.main` wires them together.
"""
