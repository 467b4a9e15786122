"""The layering rule, checked from the imports: folders by kind, arrows pointing one way.

Each folder's ruff.toml lists what it may not import (flake8-tidy-imports banned-api) and `ruff check .`
enforces it. These tests make sure that stays true: every folder has its rules, ruff really refuses a
banned import in each, the imports of every module keep to its folder's rules (function-level imports
included), and the folders' imports form no circle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANALYTICS_PACKAGES = sorted(
    path.parent.name for path in (ROOT / "analytics").glob("*/__init__.py") if path.parent.name != "__pycache__"
)
# Folders with rules of their own: analytics/<package>/, ui/ and pages/.
RULED_FOLDERS = [*(f"analytics/{name}" for name in ANALYTICS_PACKAGES), "ui", "pages"]


def folder_of(path: Path) -> str:
    """The folder a source file belongs to, as layers are named: analytics/<package>, ui, pages or app."""
    parts = path.relative_to(ROOT).parts
    if parts[0] == "analytics":
        return f"analytics/{parts[1]}" if len(parts) > 2 else "analytics"
    return parts[0] if len(parts) > 1 else path.stem


def folder_of_module(module: str) -> str | None:
    """The folder an imported module of this project lives in (None for a third-party module)."""
    parts = module.split(".")
    if parts[0] == "analytics":
        return f"analytics/{parts[1]}" if len(parts) > 1 and parts[1] in ANALYTICS_PACKAGES else "analytics"
    if parts[0] in ("ui", "pages"):
        return parts[0]
    return None


def imported_modules(path: Path) -> list[tuple[str, int]]:
    """Every module a file imports, anywhere in it (also inside functions), with the line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
            found.extend((f"{node.module}.{alias.name}", node.lineno) for alias in node.names)
    return found


def source_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in ("analytics", "ui", "pages"):
        files.extend(path for path in (ROOT / folder).rglob("*.py") if "__pycache__" not in path.parts)
    return files


def banned(folder: str) -> dict[str, str]:
    """A folder's banned-api table from its ruff.toml: module -> message."""
    config = tomllib.loads((ROOT / folder / "ruff.toml").read_text(encoding="utf-8"))
    table = config["lint"]["flake8-tidy-imports"]["banned-api"]
    return {name: entry["msg"] for name, entry in table.items()}


def exempt_files(folder: str) -> set[str]:
    """Files of a folder that its ruff.toml lets import banned modules (per-file-ignores of TID251), by name."""
    config = tomllib.loads((ROOT / folder / "ruff.toml").read_text(encoding="utf-8"))
    ignores = config.get("lint", {}).get("per-file-ignores", {})
    return {name for name, rules in ignores.items() if "TID251" in rules}


def is_banned(module: str, names: dict[str, str]) -> str | None:
    return next((name for name in names if module == name or module.startswith(name + ".")), None)


@pytest.mark.parametrize("folder", RULED_FOLDERS)
def test_every_folder_states_its_rules(folder):
    rules = banned(folder)
    assert rules, f"{folder}/ruff.toml bans nothing"
    if folder.startswith("analytics/"):
        # A child ruff.toml replaces its parent's banned-api table, so each one bans streamlit itself.
        assert "streamlit" in rules


@pytest.mark.parametrize("folder", [f for f in RULED_FOLDERS if f != "analytics/cli"])
def test_ruff_refuses_a_banned_import_in_every_folder(folder):
    first_banned = next(name for name in banned(folder) if name.startswith(("analytics.", "duckdb", "streamlit")))
    scratch = f"{folder}/_layer_check.py"
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "TID251", "--stdin-filename", scratch, "-"],
        input=f"import {first_banned}\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "TID251" in done.stdout


def test_every_import_keeps_to_its_folders_rules():
    breaches = []
    for path in source_files():
        folder = folder_of(path)
        if folder not in RULED_FOLDERS:
            continue
        if path.relative_to(ROOT / folder).as_posix() in exempt_files(folder):
            continue
        rules = banned(folder)
        for module, line in imported_modules(path):
            if name := is_banned(module, rules):
                breaches.append(f"{path.relative_to(ROOT)}:{line} imports {module} ({rules[name]})")
    assert breaches == []


def folder_graph() -> dict[str, set[str]]:
    """folder -> the folders of this project it imports from."""
    graph: dict[str, set[str]] = {}
    for path in source_files():
        folder = folder_of(path)
        targets = graph.setdefault(folder, set())
        for module, _ in imported_modules(path):
            target = folder_of_module(module)
            if target is not None and target != folder:
                targets.add(target)
    return graph


def test_the_folders_import_one_way():
    try:
        order = list(TopologicalSorter(folder_graph()).static_order())
    except CycleError as error:
        pytest.fail(f"folders import each other in a circle: {error.args[1]}")
    assert order.index("analytics/core") < order.index("analytics/domain") < order.index("ui") < order.index("pages")


def test_nothing_below_the_pages_imports_streamlit_pages_or_ui():
    graph = folder_graph()
    for folder, targets in graph.items():
        if folder.startswith("analytics"):
            assert not targets & {"ui", "pages"}, folder
    assert "pages" not in graph.get("ui", set())


def documented_imports() -> dict[str, set[str]]:
    """docs/architecture.md's table of what each folder imports from."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("<!-- IMPORTS TABLE", 1)[1].split("<!-- END IMPORTS TABLE -->", 1)[0]
    documented = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("folder", "---"):
            continue
        targets = set() if cells[1] == "nothing of the project" else {name.strip() for name in cells[1].split(",")}
        documented[cells[0]] = targets
    return documented


def test_the_architecture_page_draws_the_imports_the_code_has():
    actual = {folder: targets for folder, targets in folder_graph().items() if folder != "analytics"}
    assert documented_imports() == actual


@pytest.mark.parametrize("folder", RULED_FOLDERS)
def test_no_file_is_exempt_from_its_folders_rules(folder):
    # A per-file ignore of TID251 lets one file break its folder's arrows unseen; the Upload page had one until
    # it read the ledger through ui.data.
    assert exempt_files(folder) == set()
