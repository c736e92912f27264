#!/usr/bin/env python3
"""Screenshots of the sample site for the README (`make screenshots`): home and article, Arabic and
English, phone and desktop, taken with Playwright and Debian's Chromium, into docs/screenshots/;
the article's share card in each language, as the build drew it; and the editing page /admin/ in
Arabic, for the editors' guide docs/ar/ (offline, on the sample site's files: tests/cms.py)."""

from __future__ import annotations

import sys
import urllib.request

from sample_server import REPO, sample_site

sys.path.insert(0, str(REPO / "tests"))
from browser import chromium  # noqa: E402
from cms import field, open_admin, site_files  # noqa: E402

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
        admin_screenshots(browser, url + "admin/")
    return 0


def admin_screenshots(browser, admin_url: str) -> None:
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 860}, device_scale_factor=1)
    page = open_admin(context, admin_url, site_files(REPO))

    def shot(name: str, target=None) -> None:
        if target is not None:
            target.scroll_into_view_if_needed()
        path = OUT / f"admin-{name}.png"
        page.screenshot(path=str(path))
        print(path.relative_to(REPO))

    page.get_by_role("button", name="العمل مع مستودع محلي").wait_for()
    shot("signin")
    page.get_by_role("button", name="العمل مع مستودع محلي").click()
    page.get_by_text("قمة بين بوتين وكيم جونغ أون").first.wait_for()
    shot("articles")
    page.get_by_role("button", name="إنشاء عنصر جديد").click()
    page.get_by_role("radio", name="الإنجليزية").nth(1).click()
    field(page, "ar", "title").locator("input").fill("قمة الرياض تبحث المناخ")
    field(page, "en", "title").locator("input").fill("Riyadh summit discusses climate")
    field(page, "ar", "summary").locator("textarea").fill("قادة المنطقة يتفقون على خطة مشتركة للطاقة النظيفة.")
    field(page, "en", "summary").locator("textarea").fill("Leaders of the region agree on a joint clean energy plan.")
    shot("new")
    field(page, "ar", "image").get_by_role("checkbox").first.click()
    field(page, "ar", "image.src")
    field(page, "ar", "image.alt").locator("input").fill("قاعة المؤتمر في الرياض")
    field(page, "ar", "related").get_by_role("combobox").click()
    page.get_by_role("option").first.wait_for()
    shot("photo-related")
    page.keyboard.press("Escape")
    context.close()


if __name__ == "__main__":
    sys.exit(main())
