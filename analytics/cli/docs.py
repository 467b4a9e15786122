"""`python -m analytics docs`: write the table reference of data/README.md from the schema.

The reference is generated so that the documentation can never drift from `analytics.core.schema`;
a test fails when data/README.md is out of date.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.cli.exit_codes import EXIT_OK, reporting_errors
from analytics.core.schema import TABLES, Table
from analytics.core.settings import PROJECT_ROOT

MARKER = "<!-- TABLE REFERENCE -->"
README = PROJECT_ROOT / "data" / "README.md"


def table_reference() -> str:
    """Markdown describing every table: grain, key, references and each column's meaning."""
    parts = [
        MARKER,
        "",
        "## Table reference",
        "",
        "Generated from `analytics/core/schema.py` by `python -m analytics docs`.",
        "",
    ]
    for table in TABLES:
        parts.extend(_table_section(table))
    return "\n".join(parts).rstrip() + "\n"


def _table_section(table: Table) -> list[str]:
    lines = [
        f"### `{table.name}`",
        "",
        f"{table.description}",
        "",
        f"- Grain: {table.grain}.",
        f"- Key: {', '.join(f'`{column}`' for column in table.key)}.",
        f"- Stored as `{table.name}.csv` or `{table.name}.parquet`.",
    ]
    if table.is_sample:
        lines.append("- In the bundled data: **generated sample data**, not real figures.")
    if table.is_uploadable:
        command = f"python -m analytics ingest FILE --kind {table.name}"
        lines.append(f"- Analysts may upload rows of it: the Upload page, or `{command}`.")
    for column, (parent, parent_column) in table.references.items():
        lines.append(f"- `{column}` refers to `{parent}.{parent_column}`.")
    lines += ["", "| column | type | required | meaning |", "|---|---|---|---|"]
    for column in table.columns:
        meaning = column.description
        if column.allowed:
            meaning += " Allowed: " + ", ".join(f"`{value}`" for value in column.allowed) + "."
        if column.minimum is not None:
            meaning += f" At least {column.minimum:g}."
        required = "no" if column.nullable else "yes"
        lines.append(f"| `{column.name}` | {column.type} | {required} | {meaning.replace('|', '/')} |")
    lines.append("")
    return lines


def readme_with_reference(readme_text: str) -> str:
    """The README text with everything from the marker on replaced by the generated reference."""
    head = readme_text.split(MARKER, 1)[0].rstrip()
    return f"{head}\n\n{table_reference()}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--readme", type=Path, default=README, help="the README to update (default: data/README.md)")


@reporting_errors("docs")
def run(args: argparse.Namespace) -> int:
    text = args.readme.read_text(encoding="utf-8") if args.readme.exists() else "# Data\n"
    args.readme.write_text(readme_with_reference(text), encoding="utf-8")
    print(f"wrote the table reference to {args.readme}")
    return EXIT_OK
