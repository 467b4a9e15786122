"""Settings: every field documented where it is declared, with the default the README gives."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from analytics.core import settings as settings_module
from analytics.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIELD_LINE = re.compile(r"^    (\w+): [^=]+=")


def field_comments() -> dict[str, list[str]]:
    """Per field of Settings, the comment lines written just above it in settings.py."""
    comments: dict[str, list[str]] = {}
    block: list[str] = []
    for line in Path(settings_module.__file__).read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            block.append(stripped.lstrip("# "))
            continue
        match = FIELD_LINE.match(line)
        if match:
            comments[match.group(1)] = block
        block = []
    return comments


def readme_settings() -> dict[str, str]:
    """The README's configuration table: variable -> default as written."""
    rows = re.findall(r"^\| `(AFFILIATE_\w+)` \| ([^|]+) \|", (ROOT / "README.md").read_text(encoding="utf-8"), re.M)
    return {name: default.strip() for name, default in rows}


def test_every_field_has_a_comment_saying_what_it_is():
    comments = field_comments()
    for field in dataclasses.fields(Settings):
        assert comments.get(field.name), f"Settings.{field.name} has no comment above it"


def test_the_readme_gives_each_number_setting_its_default_and_the_variable_sets_it():
    """tests/test_docs.py checks that every variable is in the README; here its default is the field's."""
    documented = readme_settings()
    read = set(re.findall(r"AFFILIATE_[A-Z_]+", Path(settings_module.__file__).read_text(encoding="utf-8")))
    checked = 0
    for field in dataclasses.fields(Settings):
        named = [name for name in read if any(line.startswith(f"{name}:") for line in field_comments()[field.name])]
        if named and isinstance(field.default, int) and not isinstance(field.default, bool):
            assert documented[named[0]] == str(field.default), named[0]
            assert getattr(Settings.from_environment({named[0]: "7"}), field.name) == 7, named[0]
            checked += 1
    assert checked >= 4  # the two windows and the two upload limits
