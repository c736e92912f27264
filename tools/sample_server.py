"""Build the sample site into a temporary folder and serve it as GitHub Pages would, under /mujaz/."""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from generator.build import BuildOptions, build  # noqa: E402
from pages_server import serve  # noqa: E402

PREFIX = "/mujaz/"


@contextmanager
def sample_site():
    """Yields the base URL of the built sample site."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        server = serve(out, PREFIX)
        url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
        build(BuildOptions(config_path=REPO / "config.yaml", output=out, base_url=url, cache=False,
                           now=datetime(2026, 1, 1, tzinfo=timezone.utc)))
        try:
            yield url
        finally:
            server.shutdown()
            server.server_close()
