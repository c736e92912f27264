"""ARCHITECTURE.md's list of which module imports which matches the code, so a newcomer can trust it."""

from __future__ import annotations

import ast
import re

from conftest import REPO


def _imports(path) -> set[str]:
    """The package's modules a module imports, leaving out imports under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and getattr(block.test, "id", None) == "TYPE_CHECKING" for node in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and id(node) not in skipped:
            found |= {node.module} if node.module else {alias.name for alias in node.names}
    modules = {p.stem for p in path.parent.glob("*.py")}
    return {name if name in modules else "__init__" for name in found}  # `from . import __version__`


def test_the_documented_arrows_are_the_imports():
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = text.split("The arrows themselves", 1)[1].split("```", 2)[1]
    documented = {name: set() if rest.strip() == "(none)" else set(rest.split())
                  for name, rest in re.findall(r"^(\w+):\s+(.*)$", block, re.M)}
    actual = {path.stem: _imports(path) for path in sorted((REPO / "generator").glob("*.py"))
              if not path.stem.startswith("__")}
    assert documented == actual
