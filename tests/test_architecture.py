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


def test_the_values_a_site_holds_one_of_per_story_keep_no_dict_of_their_own():
    """A build holds a Document and an Article for every story (20,000 at 10,000 a language). An instance's
    __dict__ is shared between instances up to 30 fields in CPython 3.11: past that, each took 1.3 KB more, and
    the lead photo's caption and credit cost 50 MB at that size (bench/ab.py, edit, peak 432 → 483 MB)."""
    import dataclasses

    from generator.content import Document
    from generator.site import Article

    for kind in (Document, Article):
        value = kind(**{f.name: f.default if f.default is not dataclasses.MISSING else "" for f in dataclasses.fields(kind)})
        assert not hasattr(value, "__dict__"), f"{kind.__name__} keeps a dict per instance: make it slots=True"
