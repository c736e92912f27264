#!/usr/bin/env python3
"""Screenshots of the sample site for the README (`make screenshots`): home and article, Arabic and
English, phone and desktop, taken with Playwright and Debian's Chromium, into docs/screenshots/;
and the article's share card in each language, as the build drew it."""

from __future__ import annotations

import sys
import urllib.request

from sample_server import REPO, sample_site

sys.path.insert(0, str(REPO / "tests"))
from browser import chromium  # noqa: E402

OUT = REPO / "docs" / "screenshots"
PAGES = {"home": ("", "en/"), "article": ("2023/09/13/kim-putin-vostochny-summit/", "en/2023/09/13/kim-putin-vostochny-summit/")}
DEVICES = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with sample_site() as url, chromium() as browser:
        for device, viewport in DEVICES.items():
            page = browser.new_page(viewport=viewport, device_scale_factor=1)
            for name, routes in PAGES.items():
                for lang, route in zip(("ar", "en"), routes):
                    page.goto(url + route)
                    path = OUT / f"{name}-{lang}-{device}.png"
                    page.screenshot(path=str(path))
                    print(path.relative_to(REPO))
            page.close()
        for lang, route in zip(("ar", "en"), PAGES["article"]):
            path = OUT / f"card-{lang}.jpg"
            with urllib.request.urlopen(url + route + "card.jpg") as response:
                path.write_bytes(response.read())
            print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
