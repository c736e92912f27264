"""The browser CMS at /admin/: Sveltia CMS, and its config.yml written from config.yaml so it never drifts.

Editors who do not use git write and publish from /admin/: the CMS edits `content/` in the GitHub
repository and commits, and the Pages workflow publishes the commit. Its i18n structure
`multiple_files` writes `<slug>.<lang>.md`, Mujaz's own layout, so an article and its translations
are one entry. Why Sveltia and not Decap: the README's "Editing in the browser".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from .config import SiteConfig
from .content import PAGES_FOLDER
from .errors import Diagnostic
from .metadata import KEPT_SIDE
from .pages import Page

# Pinned: the script's Subresource Integrity hash is of this version's dist/sveltia-cms.js as npm
# ships it (unpkg serves npm's files as they are). The tests check both against the npm package.
SVELTIA_VERSION = "0.221.1"
SVELTIA_SCRIPT = f"https://unpkg.com/@sveltia/cms@{SVELTIA_VERSION}/dist/sveltia-cms.js"
SVELTIA_INTEGRITY = "sha384-JQ+XsKx/UzwdTiNnFStza3XtqqQoVtyNPApkfvwlzZDfhe7giE9CnfQrpHqgv3k6"

MEDIA_FOLDER = "static/images"
PUBLIC_FOLDER = "/" + MEDIA_FOLDER.removeprefix("static/")  # static/ is copied to the site root: /images
# How the CMS saves a photo uploaded: at most as large as an import writes one (metadata.KEPT_SIDE).
PHOTO_UPLOAD = {"format": "webp", "quality": 85, "width": KEPT_SIDE, "height": KEPT_SIDE}
COLLECTION = "articles"
PAGES_COLLECTION = "pages"
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"  # what content.SLUG accepts, in the form a URL wants


def admin_pages(config: SiteConfig, strings: Mapping[str, str]) -> tuple[list[Page], list[Diagnostic]]:
    """/admin/ and /admin/config.yml, or none: `admin: false`, or no repository to commit to (a warning)."""
    if not config.admin.enabled:
        return [], []
    if not config.admin.repo:
        return [], [Diagnostic(config.source.name, f"admin: {config.base_url} is not a github.io address, so the "
                               "editing page /admin/ cannot tell which repository to save to, and is left out",
                               hint="set admin: {repo: owner/name}, or admin: false", severity="warning")]
    lang = config.default_language
    text = yaml.safe_dump(cms_config(config, strings), allow_unicode=True, sort_keys=False, width=1000)
    script = {"src": SVELTIA_SCRIPT, "integrity": SVELTIA_INTEGRITY,
              "config": config.base_path + "admin/config.yml", "new_article": f"#/collections/{COLLECTION}/new"}
    return [Page("admin/", "admin.html", lang, "admin", {"cms": script}, in_sitemap=False),
            Page("admin/config.yml", "admin-config.yml", lang, "admin-config", {"config_yaml": text},
                 in_sitemap=False)], []


def cms_config(config: SiteConfig, strings: Mapping[str, str]) -> dict[str, Any]:
    """Sveltia CMS's configuration (Decap-compatible keys): one collection, the articles, one field per front matter key."""
    label = lambda key: strings.get("cms_" + key, key)  # noqa: E731
    codes = [config.default_language] + [c for c in config.language_codes if c != config.default_language]
    return {
        "backend": {"name": "github", "repo": config.admin.repo, "branch": config.admin.branch},
        "site_url": config.base_url,
        "display_url": config.base_url,
        "media_folder": MEDIA_FOLDER,
        # Written into front matter from the site root, as an editor writes it by hand: the build adds the
        # base path (a project page's /repo/), and `check` finds the file in static/.
        "public_folder": PUBLIC_FOLDER,
        # Arabic titles transliterated (ث → th), since a file name and its URL need ASCII.
        "slug": {"encoding": "ascii", "clean_accents": True, "maxlength": 60},
        "output": {"omit_empty_optional_fields": True},
        # An uploaded photo is renamed by the slug rule above: a phone's "صورة الشاشة 2025-12-20 في 10.15.32.png"
        # kept its spaces and made an address of %-escapes. Past 20 MB a file is a video or a camera's raw file,
        # which no page shows, and it would stay in git's history. A photo (JPEG, WebP) is saved again in the
        # browser, as a WebP at most 2400 px wide or high (the widest copy the build makes): without the place
        # the phone wrote into it, which a public repository would show anyone, and at a tenth of a camera's bytes,
        # which git keeps forever. A PNG (a screenshot, a chart) stays as it is: a lossy copy blurs its letters.
        "media_libraries": {"default": {"config": {"slugify_filename": True, "max_file_size": 20_000_000,
                                                   "transformations": {kind: PHOTO_UPLOAD for kind in ("jpeg", "webp")}}}},
        "i18n": {"structure": "multiple_files", "locales": codes, "default_locale": codes[0]},
        "collections": [
            _collection(COLLECTION, label("articles"), label("article"), "content", "{{year}}/{{month}}/{{slug}}",
                        label("slug_hint"), label("slug_pattern"), ("date", "descending"), _fields(config, label)),
            # The pages of content/pages/ (About us, contact…): the foot of every page links them.
            _collection(PAGES_COLLECTION, label("site_pages"), label("site_page"), "content/" + PAGES_FOLDER,
                        "{{slug}}", label("page_slug_hint"), label("slug_pattern"), ("order", "ascending"),
                        _page_fields(config, label)),
        ],
    }


def _collection(name: str, plural: str, singular: str, folder: str, path: str, slug_hint: str, slug_pattern: str,
                sort: tuple[str, str], fields: list[dict[str, Any]]) -> dict[str, Any]:
    """A list of the editing page: the Markdown files of `folder` at `path`, each language a file of its own."""
    return {
        "name": name,
        "label": plural,
        "label_singular": singular,
        "folder": folder,
        # Without these, a photo uploaded while editing goes into a folder beside the article.
        "media_folder": "/" + MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "path": path,
        "extension": "md",
        "format": "yaml-frontmatter",
        "create": True,
        "i18n": True,
        "identifier_field": "title",
        "slug": {"template": "{{title}}", "editable": ["create"], "hint": slug_hint, "pattern": [SLUG_PATTERN, slug_pattern]},
        "summary": "{{title}}",
        "sortable_fields": {"fields": [sort[0], "title"], "default": {"field": sort[0], "direction": sort[1]}},
        "fields": fields,
    }


def _page_fields(config: SiteConfig, label) -> list[dict[str, Any]]:
    """The keys of a page of content/pages/ (content.PAGE_KEYS, but for those the file name stands for)."""
    def field(name: str, widget: str, i18n: bool | str = True, required: bool = False, **more: Any) -> dict:
        return {"name": name, "label": label(name), "widget": widget, "required": required, "i18n": i18n, **more}

    return [
        field("title", "string", required=True),
        field("summary", "text", hint=label("summary_hint")),
        field("order", "number", "duplicate", value_type="int", min=0, hint=label("order_hint")),
        field("updated", "datetime", "duplicate", input_timezone=config.timezone),
        field("draft", "boolean", "duplicate", default=False, hint=label("page_draft_hint")),
        field("body", "markdown", required=True),
    ]


def _fields(config: SiteConfig, label) -> list[dict[str, Any]]:
    """One per key of the README's front matter table; `slug` and `translation_key` are the file name here."""
    def field(name: str, widget: str, i18n: bool | str = True, required: bool = False, **more: Any) -> dict:
        return {"name": name, "label": label(name), "widget": widget, "required": required, "i18n": i18n, **more}

    # The editor types the site's own clock time, and it is written with the zone's offset, as
    # 2023-09-13T16:00:00+03:00. (No `format`: in 0.221.1 a format beside input_timezone and
    # default {{now}} hangs the page when a new article is opened.)
    when = {"input_timezone": config.timezone}
    return [
        field("title", "string", required=True),
        field("date", "datetime", "duplicate", required=True, default="{{now}}",
              hint=label("date_hint").format(zone=config.timezone), **when),
        field("updated", "datetime", "duplicate", **when),
        field("correction", "text", hint=label("correction_hint")),
        # Not default true: 0.221.1 writes a field's default into an article that lacks the key
        # when it is edited, so every published article saved from the CMS would become a draft.
        # A new article starts as a draft all the same: admin.html opens it with ?draft=true.
        field("draft", "boolean", "duplicate", default=False, hint=label("draft_hint")),
        field("pinned", "boolean", "duplicate", default=False, hint=label("pinned_hint")),
        # A day alone (no time picker): the pin holds to that day's end, as a file's `pinned_until: 2026-12-10` does.
        field("pinned_until", "datetime", "duplicate", time_format=False, format="YYYY-MM-DD",
              hint=label("pinned_until_hint")),
        field("summary", "text", hint=label("summary_hint")),
        # A list, as `tags`: a story of two writers is on each writer's page, and a string field saved such a file
        # with its first writer alone.
        field("author", "list", hint=label("author_hint")),
        field("category", "string"),
        field("tags", "list"),
        field("source", "object", fields=[
            field("name", "string", label=label("source_name")),
            field("url", "string", "duplicate", label=label("source_url"),
                  pattern=["^https?://", label("url_pattern")]),
        ]),
        field("image", "object", fields=[
            field("src", "image", required=True, label=label("image_src")),
            field("alt", "string", required=True, label=label("image_alt"), hint=label("image_alt_hint")),
            field("caption", "string", label=label("image_caption"), hint=label("image_caption_hint")),
            field("credit", "string", label=label("image_credit"), hint=label("image_credit_hint")),
        ]),
        # Pins belong to the article in all its languages (related.related_inputs), so the default
        # language's file holds them: no copy to keep in step.
        field("related", "relation", False, collection=COLLECTION, value_field="{{slug}}",
              search_fields=["title"], display_fields=["title"], multiple=True, hint=label("related_hint")),
        # An old address is the language's own (each version has its page), so each file keeps its own.
        field("aliases", "list", hint=label("aliases_hint")),
        field("body", "markdown", required=True, hint=label("body_hint")),
    ]
