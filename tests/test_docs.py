"""The documentation names what the code has: every setting the app reads is in the README's table."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Environment variables only tests set (they slow a commit down to kill it midway); not settings for users.
TEST_HOOKS = ("AFFILIATE_TEST_",)


def environment_variables_read() -> set[str]:
    """Every AFFILIATE_* name written as a string in the app's code (analytics/, ui/, pages/, app.py)."""
    names = set()
    folders = ("analytics", "ui", "pages")
    files = [ROOT / "app.py", *(path for folder in folders for path in (ROOT / folder).rglob("*.py"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if text.startswith("AFFILIATE_") and text.isupper() and " " not in text:
                    names.add(text)
    return {name for name in names if not name.startswith(TEST_HOOKS)}


def test_the_settings_are_found():
    assert {"AFFILIATE_DATA_DIR", "AFFILIATE_RENEWAL_WINDOW_MONTHS"} <= environment_variables_read()


def test_every_setting_is_in_the_readme_configuration_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`") for line in readme.splitlines() if line.startswith("| `AFFILIATE_")}
    assert environment_variables_read() - rows == set()
