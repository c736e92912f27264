"""Reading offline: a service worker (the theme's `sw.js`, at the site's root) keeps the pages a reader opened, and
each language's page to show offline in place of a page never opened (`offline.html`).

A reader on a phone loses the connection in a lift, on a train, in a power cut: a page read an hour ago should open
again. Every page is asked of the network first, so a reader online reads the news as published; the copy kept is
shown only when the network fails. A theme without `sw.js` (one copied before it existed) publishes neither, and
its pages register nothing; nor does the preview, whose pages live reload replaces.
"""

from __future__ import annotations

from .config import SiteConfig
from .pages import Page, switch_links
from .theme import Theme
from .urls import Urls

WORKER = "sw.js"
OFFLINE_PAGE = "offline.html"


def has_worker(theme: Theme) -> bool:
    """Whether the theme has a service worker to publish."""
    return any((templates / WORKER).is_file() for templates in theme.template_dirs)


def offline_pages(config: SiteConfig, urls: Urls, theme: Theme, versioned_assets: bool) -> list[Page]:
    """The service worker and each language's offline page; none for a theme without `sw.js`, or in the preview."""
    if not versioned_assets or not has_worker(theme):
        return []
    offline = {urls.href(urls.home(lang.code)): urls.href(urls.offline(lang.code)) for lang in config.languages}
    pages = [Page(WORKER, WORKER, config.default_language, "worker", {"scope": config.base_path, "offline": offline},
                  in_sitemap=False)]
    pages += [Page(urls.offline(lang.code), OFFLINE_PAGE, lang.code, "offline", {}, in_sitemap=False,
                   switch=switch_links(config, urls, lang.code, {})) for lang in config.languages]
    return pages
