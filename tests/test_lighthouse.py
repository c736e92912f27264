"""Lighthouse (phone emulation) on the sample site's home and article pages, pictures and all: every score ≥ 95."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_lighthouse_keeps_every_score_at_least_95_on_home_and_article_pages():
    if not (REPO / ".venv/node-audit/node_modules/.bin/lighthouse").exists():
        pytest.fail("Lighthouse is missing: make test-slow installs it with npm (see the Makefile)")
    result = subprocess.run([sys.executable, str(REPO / "tools/audit.py")], capture_output=True, text=True, timeout=900)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "article ar" in result.stdout and "article en" in result.stdout
