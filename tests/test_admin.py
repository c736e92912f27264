"""The editing page /admin/: Sveltia CMS with a config.yml written from config.yaml, driven as an editor would."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from cms import CMS_PACKAGE, field
from conftest import BASE_CONFIG, REPO, Site, article
from generator.admin import SVELTIA_INTEGRITY, SVELTIA_SCRIPT, SVELTIA_VERSION
from generator.content import KNOWN_KEYS as FRONT_MATTER_KEYS
from generator.content import PAGE_KEYS

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
WITH_ADMIN = BASE_CONFIG.replace("admin: false\n", "")
needs_cms = pytest.mark.skipif(not (CMS_PACKAGE / "package.json").is_file(),
                               reason="the CMS's npm package is installed by make test where npm exists")
OTHER_LANGUAGES = """\
title: {fr: Résumé, fa: چکیده, en: Digest}
base_url: https://newsroom.github.io/
languages:
  - {code: en, name: English, direction: ltr}
  - {code: fa, name: فارسی, direction: rtl, locale: fa_IR}
  - {code: fr, name: Français, direction: ltr, locale: fr_FR}
default_language: fa
timezone: Asia/Tehran
"""


def sample_site(tmp_path: Path, base_url: str | None = None) -> Site:
    """A copy of the repository's sample site, as an editor's clone of it."""
    root = tmp_path / "site"
    for name in ("content", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    return Site(root)


def cms_config(site: Site) -> dict:
    return yaml.safe_load((site.output / "admin/config.yml").read_text(encoding="utf-8"))


def schema_errors(config: dict) -> list[str]:
    import jsonschema

    schema = json.loads((CMS_PACKAGE / "schema/sveltia-cms.json").read_text(encoding="utf-8"))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in jsonschema.Draft7Validator(schema).iter_errors(config)]


@needs_cms
def test_the_pinned_script_is_the_npm_release_its_integrity_hash_names():
    package = json.loads((CMS_PACKAGE / "package.json").read_text())
    assert package["name"] == "@sveltia/cms" and package["version"] == SVELTIA_VERSION
    digest = base64.b64encode(hashlib.sha384((CMS_PACKAGE / "dist/sveltia-cms.js").read_bytes()).digest()).decode()
    assert SVELTIA_INTEGRITY == "sha384-" + digest
    assert f"@{SVELTIA_VERSION}/" in SVELTIA_SCRIPT, "a pinned version, never latest"
    assert "sveltia/cms@" + SVELTIA_VERSION in (REPO / "Makefile").read_text(), "the tests drive the same release"


@needs_cms
# The sample site's case builds the whole sample (4 s): make test-slow, and CI.
@pytest.mark.parametrize("config", [pytest.param("sample", marks=pytest.mark.slow), "other languages"])
def test_config_yml_passes_the_cms_schema_and_follows_config_yaml(tmp_path, config):
    if config == "sample":
        site = sample_site(tmp_path)
        languages, repo, zone = ["ar", "en"], "example/mujaz", "Asia/Riyadh"
    else:
        site = Site(tmp_path / "site").write({"content/2024/01/a.fa.md": article("خبر")}, config=OTHER_LANGUAGES)
        languages, repo, zone = ["fa", "en", "fr"], "newsroom/newsroom.github.io", "Asia/Tehran"
    result = site.build(now=NOW, cache_dir=tmp_path / "cache")
    assert not [w for w in result.warnings if "admin" in w.message]
    cms = cms_config(site)
    assert schema_errors(cms) == []
    assert cms["backend"] == {"name": "github", "repo": repo, "branch": "main"}
    assert cms["i18n"] == {"structure": "multiple_files", "locales": languages, "default_locale": languages[0]}
    articles, pages = cms["collections"]
    assert (articles["folder"], articles["path"], articles["extension"]) == ("content", "{{year}}/{{month}}/{{slug}}", "md")
    # The pages of content/pages/ (About us…), with the keys a page reads, and none of a story's.
    assert (pages["name"], pages["folder"], pages["path"], pages["i18n"]) == ("pages", "content/pages", "{{slug}}", True)
    page_fields = {f["name"]: f for f in pages["fields"]}
    assert set(page_fields) - {"body"} == set(PAGE_KEYS) - {"slug", "translation_key"}
    assert page_fields["order"]["widget"] == "number" and page_fields["order"]["value_type"] == "int"
    assert page_fields["title"]["required"] and page_fields["draft"]["default"] is False
    assert cms["media_folder"] == "static/images" and cms["public_folder"] == "/images"

    fields = {f["name"]: f for f in articles["fields"]}
    # Every front matter key an editor sets, except the two the file name stands for.
    assert set(fields) - {"body"} == set(FRONT_MATTER_KEYS) - {"slug", "translation_key"}
    assert {name: f["widget"] for name, f in fields.items()} == {
        "title": "string", "date": "datetime", "updated": "datetime", "correction": "text", "draft": "boolean",
        "pinned": "boolean", "pinned_until": "datetime", "summary": "text",
        "author": "list", "category": "string", "tags": "list", "source": "object", "image": "object",
        "related": "relation", "aliases": "list", "body": "markdown"}
    assert fields["title"]["required"] and fields["date"]["required"]
    # As draft: a default of true would be written into every story saved, and a story's pin is both languages'.
    assert fields["pinned"]["default"] is False and fields["pinned"]["i18n"] == "duplicate"
    assert fields["pinned_until"]["time_format"] is False and fields["pinned_until"]["i18n"] == "duplicate"
    assert fields["date"]["input_timezone"] == zone and fields["date"]["i18n"] == "duplicate"
    assert {f["name"]: f["i18n"] for f in fields["image"]["fields"]} == {"src": True, "alt": True, "caption": True,
                                                                        "credit": True}
    assert {f["name"]: f["required"] for f in fields["image"]["fields"]} == {
        "src": True, "alt": True, "caption": False, "credit": False}, "a photo needs its description"
    assert [f["name"] for f in fields["source"]["fields"]] == ["name", "url"]
    assert fields["tags"]["i18n"] is True and fields["category"]["i18n"] is True, "each language its own words"
    assert fields["aliases"]["i18n"] is True, "each language's page has its own old address"
    related = fields["related"]
    assert (related["collection"], related["value_field"], related["multiple"]) == ("articles", "{{slug}}", True)
    assert fields["draft"]["default"] is False
    if languages[0] == "ar":  # the hint names the way to link another story, which the build resolves
        assert fields["body"]["hint"].endswith("[قمة الرياض](riyadh-summit.ar.md)")
    slug = articles["slug"]
    assert slug["editable"] == ["create"] and re.fullmatch(slug["pattern"][0], "qimmat-alriyad")
    assert not re.fullmatch(slug["pattern"][0], "قمة") and cms["slug"]["encoding"] == "ascii"

    page = site.page("admin/")
    assert page.get("lang") == languages[0] and page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    (script,) = page.xpath("//script[@src]")
    assert (script.get("src"), script.get("integrity"), script.get("crossorigin")) == \
        (SVELTIA_SCRIPT, SVELTIA_INTEGRITY, "anonymous")
    assert page.xpath("//link[@rel='cms-config-url']/@href") == [urlsplit(cms["site_url"]).path + "admin/config.yml"]
    sitemaps = [site.output / "sitemap.xml", *(site.output / "sitemaps").glob("*.xml")]
    assert all("admin/" not in p.read_text() for p in sitemaps), "the editing page is not for readers"


@pytest.mark.slow  # 6 s: a test of the test's own schema check; CI runs it
@needs_cms
def test_the_schema_check_would_catch_a_wrong_setting(tmp_path):
    site = sample_site(tmp_path)
    site.build(now=NOW, cache_dir=tmp_path / "cache")
    cms = cms_config(site)
    cms["collections"][0]["fields"][0]["widget_options"] = True
    cms["i18n"]["structure"] = "one_file_per_language"
    assert len(schema_errors(cms)) >= 2


def test_admin_false_leaves_the_editing_page_out(site):
    site.write({"content/a.ar.md": article("خبر")}, config=WITH_ADMIN + "admin: false\n").build()
    assert not (site.output / "admin").exists()


def test_an_address_that_names_no_repository_is_a_warning_until_admin_repo_says(site, monkeypatch):
    monkeypatch.delenv("MUJAZ_REPOSITORY", raising=False)
    site.write({"content/a.ar.md": article("خبر")}, config=WITH_ADMIN)  # https://example.org/digest/
    result = site.build()
    assert [w.message for w in result.warnings if w.message.startswith("admin:")] == [
        "admin: https://example.org/digest/ is not a github.io address, so the editing page /admin/ cannot tell "
        "which repository to save to, and is left out"]
    assert not (site.output / "admin").exists()

    site.write({"content/a.ar.md": article("خبر")}, config=WITH_ADMIN + "admin: {repo: newsroom/digest, branch: live}\n")
    assert not [w for w in site.build().warnings if w.message.startswith("admin:")]
    assert cms_config(site)["backend"] == {"name": "github", "repo": "newsroom/digest", "branch": "live"}

    monkeypatch.setenv("MUJAZ_REPOSITORY", "fork-owner/digest")  # as the Pages workflow sets it in a fork
    site.build()
    assert cms_config(site)["backend"]["repo"] == "fork-owner/digest"


def test_a_wrong_admin_setting_is_a_config_error(site):
    site.write({"content/a.ar.md": article("خبر")}, config=WITH_ADMIN + "admin: {repo: not a repo, editor: x}\n")
    result = site.cli()
    assert result.returncode != 0 and not (site.output).exists()
    assert "config.yaml:7: admin.editor: unknown setting; known settings are repo, branch" in result.stderr
    assert "config.yaml:7: admin.repo: must be a GitHub repository as owner/name" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_pages_workflow_tells_the_build_which_repository_it_is():
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if s.get("name") == "Build the site"]
    assert step["env"]["MUJAZ_REPOSITORY"] == "${{ github.repository }}"
    (check,) = [s for s in workflow["jobs"]["build"]["steps"] if s.get("name") == "Check the articles"]
    assert check["continue-on-error"] is True, "editors read it; it never blocks"


def test_the_pages_workflow_checks_with_the_build_s_address_and_repository_so_check_reads_its_cache(site):
    """The workflow's steps, run as it writes them (GitHub's ${{ }} filled in, then the shell's own expansion):
    a check with another config than the last build's would render every page again, 50 s after every
    publish at 10,000 articles per language."""
    jobs = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8"))["jobs"]
    publish = {s.get("name"): s for s in jobs["build"]["steps"]}
    (pull_request,) = [s for s in jobs["check"]["steps"] if s.get("name") == "Check the articles (warnings fail)"]
    address = "https://newsroom.github.io/digest"

    def run(step: dict, command: str, pages_step_failed: bool = False):
        make, _, args = step["run"].partition(" ARGS=")
        assert make == f"make {command}"
        env = {name: value.replace("${{ github.repository }}", "newsroom/digest")
                           .replace("${{ steps.pages.outputs.base_url }}", "" if pages_step_failed else address)
               for name, value in step.get("env", {}).items()}
        args = args.replace("${{ steps.pages.outputs.base_url }}", address)
        shell = subprocess.run(["bash", "-c", f"printf %s {args}"], env={**env, "PATH": os.environ["PATH"]},
                               capture_output=True, text=True, check=True)
        return site.cli(*shlex.split(shell.stdout), env=env, command=command)

    def rendered(result) -> tuple[int, int]:
        assert result.returncode == 0, result.stderr
        return tuple(int(n) for n in re.search(r"^Rendered (\d+) of (\d+) pages", result.stdout, re.M).groups())

    site.write({f"content/2023/09/story-{day}.ar.md": article(f"خبر {day}", f"2023-09-{day:02d}", summary="ملخص.")
                for day in range(1, 7)}, config=WITH_ADMIN)
    assert run(publish["Build the site"], "build").returncode == 0
    done, pages = rendered(run(publish["Check the articles"], "check"))
    assert done == 0 and pages > 30
    assert rendered(run(pull_request, "check")) == (0, pages), "a pull request's check, with the cache restored"
    assert rendered(run(pull_request, "check", pages_step_failed=True)) == (pages, pages), \
        "without the address (a token that may not read the Pages settings) it renders every page, and passes"


# ---- In Chromium: the editing page itself, offline, on a local copy of the sample site ----

PINNED = "kim-putin-vostochny-summit"
PINNED_TITLE = "قمة بين بوتين وكيم جونغ أون في قاعدة فوستوشني الفضائية"


@pytest.fixture
def admin(tmp_path, request):
    """(site, page) with /admin/ open in Arabic, signed in to a local copy of the sample site; with a parameter
    (`indirect`), each (file, old, new) of it edited first."""
    pytest.importorskip("playwright")
    from browser import chromium
    from cms import open_admin, site_files
    from pages_server import serve

    site = sample_site(tmp_path)
    for rel, old, new in getattr(request, "param", ()):
        text = (site.root / rel).read_text(encoding="utf-8")
        assert old in text, (rel, old)
        (site.root / rel).write_text(text.replace(old, new), encoding="utf-8")
    server = serve(site.output, "/mujaz/")
    url = f"http://127.0.0.1:{server.server_address[1]}/mujaz/"
    site.build(now=NOW, base_url=url, cache_dir=tmp_path / "cache")
    try:
        with chromium() as browser:
            context = browser.new_context(locale="ar", viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(20_000)
            page = open_admin(context, url + "admin/", site_files(site.root))
            problems = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "warning" and "config" in m.text.lower()
                    else None)
            page.get_by_role("button", name="العمل مع مستودع محلي").click()
            page.get_by_text(PINNED_TITLE).first.wait_for()
            yield site, page
            assert problems == [], "the CMS warns of nothing in config.yml"
    finally:
        server.shutdown()
        server.server_close()


def _preview(page, lang: str):
    """The preview pane's frame once it shows `lang`."""
    page.wait_for_function("lang => [...document.querySelectorAll('iframe')]"
                           ".some(f => f.contentDocument?.documentElement?.lang === lang)", arg=lang)
    return next(f for f in page.frames if not f.is_detached() and f.url.startswith("blob:")
                and f.evaluate("document.documentElement.lang") == lang)


def _wait_for_files(page, *names: str) -> None:
    """Until the CMS has saved a readable file of each name, anywhere in the local repository."""
    page.wait_for_function("""async names => {
        const found = new Set();
        const walk = async folder => {
          for await (const [name, handle] of folder.entries()) {
            if (handle.kind === 'directory') await walk(handle);
            else if (names.includes(name)) { await (await handle.getFile()).text(); found.add(name); }
          }
        };
        try { await walk(await navigator.storage.getDirectory()); } catch { return false; }  // mid-write
        return found.size === names.length; }""", arg=list(names))


def _wait_for_text(page, rel: str, text: str) -> None:
    """Until the CMS has saved the file `rel` of the local repository with `text` in it."""
    page.wait_for_function("""async ([rel, text]) => {
        const parts = rel.split('/'), name = parts.pop();
        let folder = await navigator.storage.getDirectory();
        try {  // while the CMS writes the file, reading it fails: try again
          for (const part of parts) folder = await folder.getDirectoryHandle(part);
          return (await (await (await folder.getFileHandle(name)).getFile()).text()).includes(text);
        } catch { return false; } }""", arg=[rel, text])


def _write_back(site: Site, files: dict[str, bytes]) -> list[str]:
    """Write what the CMS saved into the site folder, as a commit would; the paths that changed."""
    changed = []
    for rel, data in files.items():
        path = site.root / rel
        if rel.startswith((".git/", "config.yaml")) or (path.is_file() and path.read_bytes() == data):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed.append(rel)
    return sorted(changed)


# The photo's name as the CMS saves it: "صورة الشاشة 2025-12-20 في 10.15.32.jpg" by the config's slug rule.
PHOTO = "swrt-alshasht-2025-12-20-fy-10-15-32.webp"  # a phone's JPEG, saved again by the CMS


@pytest.mark.slow  # 35 s of CMS in Chromium; CI runs it
@needs_cms
def test_an_editor_writes_an_arabic_article_and_its_translation_and_publishes_it(admin, tmp_path):
    from cms import read_repository

    site, page = admin
    before = read_repository(page)
    assert page.evaluate("document.documentElement.dir") == "rtl", "the interface is Arabic, right to left"
    groups = {p.name.split(".")[0] for p in (site.root / "content").rglob("*.md") if "pages" not in p.parts}
    assert page.get_by_role("checkbox", name=re.compile("^Select ")).count() == len(groups) == 14, \
        "every sample article listed once, its translation with it, and no page of content/pages/"
    page.get_by_role("button", name="إنشاء عنصر جديد").click()
    # Beside the form, the preview: the site's own stylesheet, right to left for Arabic.
    preview = _preview(page, "ar")
    assert preview.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Waited for: the frame's language is set before its stylesheet has loaded (this failed once in CI).
    preview.wait_for_function("[...document.styleSheets].some(s => /[/]assets[/]style[.][0-9a-f]{10}[.]css$/"
                              ".test(s.href || ''))", timeout=10_000)
    page.get_by_role("radio", name="الإنجليزية").nth(1).click()  # the second pane: the English side by side
    draft = field(page, "ar", "draft").get_by_role("switch")
    assert draft.get_attribute("aria-checked") == "true", "a new article starts as a draft"

    title = field(page, "ar", "title").locator("input")
    title.fill("قمة الرياض تبحث المناخ")
    assert title.evaluate("e => getComputedStyle(e).direction") == "rtl"
    english_title = field(page, "en", "title").locator("input")
    english_title.fill("Riyadh summit discusses climate")
    assert english_title.evaluate("e => getComputedStyle(e).direction") == "ltr"
    field(page, "ar", "date").locator("input").fill("2025-12-20T10:30")  # Riyadh time, as the hint says
    field(page, "ar", "summary").locator("textarea").fill("ملخص قصير للخبر في سطر واحد.")
    field(page, "en", "summary").locator("textarea").fill("A short summary of the story in one line.")
    field(page, "ar", "tags").locator("input").first.fill("مناخ")
    field(page, "en", "tags").locator("input").first.fill("climate")

    from PIL import Image
    import io
    photo, exif = io.BytesIO(), Image.Exif()
    exif[0x8825] = {1: "N", 2: (24.0, 42.0, 0.0), 3: "E", 4: (46.0, 43.0, 0.0)}  # where the phone stood
    Image.new("RGB", (4000, 3000), (30, 90, 160)).save(photo, "JPEG", exif=exif.tobytes())  # as a phone takes it
    field(page, "ar", "image").get_by_role("checkbox").first.click()
    field(page, "ar", "image.src").get_by_role("button", name="تصفح").click()
    # Named as a phone names a screenshot in Arabic: the CMS renames it (slugify_filename) as a slug is made.
    page.locator("[role=dialog] input[type=file]").set_input_files(
        files=[{"name": "صورة الشاشة 2025-12-20 في 10.15.32.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}])
    page.get_by_role("dialog").get_by_role("button", name="إدراج").click()
    field(page, "ar", "image.alt").locator("input").fill("قاعة المؤتمر في الرياض")
    field(page, "en", "image").get_by_role("checkbox").first.click()  # the English side starts from the same photo
    english_photo = field(page, "en", "image.src")
    english_photo.locator("button").first.wait_for()
    if english_photo.get_by_role("button", name="تصفح").count():  # not copied over: the editor picks it again
        english_photo.get_by_role("button", name="تصفح").click()
        page.get_by_role("dialog").get_by_text(PHOTO).first.click()
        page.get_by_role("dialog").get_by_role("button", name="إدراج").click()
    field(page, "en", "image.alt").locator("input").fill("The conference hall in Riyadh")

    field(page, "ar", "draft").get_by_role("switch").click()  # ready: publish it
    field(page, "ar", "related").get_by_role("combobox").click()
    page.get_by_role("option", name=PINNED_TITLE).click()
    field(page, "ar", "body").locator("[contenteditable=true]").click()
    page.keyboard.type("اجتمع القادة في الرياض لبحث قضايا المناخ والطاقة.")
    field(page, "en", "body").locator("[contenteditable=true]").click()
    page.keyboard.type("Leaders met in Riyadh to discuss climate and energy.")

    page.get_by_role("radio", name="معاينة").first.click()  # and the English side's, left to right
    assert _preview(page, "en").evaluate("getComputedStyle(document.body).direction") == "ltr"

    page.get_by_role("button", name="حفظ").click()
    _wait_for_files(page, PHOTO, "qmt-alryad-tbhth-almnakh.ar.md", "qmt-alryad-tbhth-almnakh.en.md")
    after = read_repository(page)
    changed = _write_back(site, after)
    new = [rel for rel in changed if rel.startswith("content/")]
    assert len(new) == 2 and sorted(Path(rel).name.split(".")[1] for rel in new) == ["ar", "en"], changed
    assert changed == sorted(new + [f"static/images/{PHOTO}"]), "nothing else was touched"
    with Image.open(io.BytesIO(after[f"static/images/{PHOTO}"])) as saved:
        assert saved.format == "WEBP" and saved.size == (2400, 1800), "no wider than the widest copy the build makes"
        assert not saved.getexif(), "nor the place the phone wrote into it: the repository may be public"
    assert len(after[f"static/images/{PHOTO}"]) < len(photo.getvalue()) / 5
    assert Path(new[0]).name.split(".")[0] == "qmt-alryad-tbhth-almnakh", "an ASCII slug from the Arabic title"
    assert set(before) <= set(after)

    check = site.cli(command="check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert " 0 errors, 0 warnings" in check.stdout, check.stdout + check.stderr

    site.build(now=NOW, cache_dir=tmp_path / "cache")
    arabic = site.page("2025/12/20/qmt-alryad-tbhth-almnakh/")
    english = site.page("en/2025/12/20/qmt-alryad-tbhth-almnakh/")
    assert arabic.findtext(".//h1").strip() == "قمة الرياض تبحث المناخ"
    assert english.findtext(".//h1").strip() == "Riyadh summit discusses climate"
    assert arabic.xpath("//article//img/@alt")[:1] == ["قاعة المؤتمر في الرياض"]
    stem = f"/mujaz/images/{PHOTO.rsplit('.', 1)[0]}"
    assert arabic.xpath("//article//img/@srcset")[:1] == [f"{stem}-w480.jpg 480w, {stem}-w800.jpg 800w, "
                                                          f"{stem}-w1200.jpg 1200w"], \
        "the page offers it at a phone's widths"
    assert english.xpath("//article//img/@alt")[:1] == ["The conference hall in Riyadh"]
    for page_html, prefix in ((arabic, "/"), (english, "/en/")):
        first = page_html.xpath("//aside[contains(@class, 'related')]//a/@href")[0]
        assert first.endswith(f"{prefix}2023/09/13/{PINNED}/"), "the pin leads the related block"


def _front_matter(data: bytes) -> tuple[dict, str]:
    _, meta, body = data.decode("utf-8").split("---\n", 2)
    return yaml.safe_load(meta), body.strip()


@pytest.mark.slow  # 20 s of CMS in Chromium; CI runs it
@needs_cms
def test_editing_an_article_in_the_cms_changes_that_article_alone(admin, tmp_path):
    from cms import read_repository

    site, page = admin
    before = read_repository(page)
    page.get_by_text("زلزال الحوز يهز المغرب").first.click()
    title = field(page, "ar", "title").locator("input")
    title.fill("زلزال الحوز يهز المغرب ويخلف آلاف الضحايا والمصابين")
    page.get_by_role("button", name="حفظ").click()
    rel = "content/2023/09/morocco-earthquake.ar.md"
    _wait_for_text(page, "content/2023/09/morocco-earthquake.ar.md", "والمصابين")
    after = read_repository(page)
    changed = sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))
    translation = rel.replace(".ar.md", ".en.md")
    # The CMS writes every language file of the entry it saves; the translation changes in form only.
    assert changed in ([rel], [rel, translation]), changed
    for path, edited in ((rel, {"title": "زلزال الحوز يهز المغرب ويخلف آلاف الضحايا والمصابين"}), (translation, {})):
        (old, old_body), (new, new_body) = _front_matter(before[path]), _front_matter(after[path])
        assert new_body == old_body, path
        assert new == {**old, **edited, "draft": False, "pinned": False}, "every value kept; the switches written out"
    assert _write_back(site, after) == changed
    check = site.cli(command="check")
    assert check.returncode == 0 and " 0 errors, 0 warnings" in check.stdout, check.stdout + check.stderr


@pytest.mark.slow  # CMS in Chromium; CI runs it
@needs_cms
def test_an_editor_edits_the_about_page_in_the_list_of_the_site_s_pages(admin, tmp_path):
    from cms import read_repository

    site, page = admin
    before = read_repository(page)
    page.goto(page.url.split("#")[0] + "#/collections/pages")
    page.get_by_text("عن الموجز").first.click()
    assert field(page, "ar", "order").locator("input").input_value() == "1"
    field(page, "ar", "summary").locator("textarea").fill("نشرة تختصر أهم أخبار اليوم، يحررها فريق صغير.")
    page.get_by_role("button", name="حفظ").click()
    rel = "content/pages/about.ar.md"
    _wait_for_text(page, "content/pages/about.ar.md", "فريق صغير")
    after = read_repository(page)
    changed = sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))
    assert changed in ([rel], [rel, rel.replace(".ar.md", ".en.md")]), changed
    (old, old_body), (new, new_body) = _front_matter(before[rel]), _front_matter(after[rel])
    assert new_body == old_body and "date" not in new, "a page stays a page: no date written into it"
    assert new == {**old, "summary": "نشرة تختصر أهم أخبار اليوم، يحررها فريق صغير.", "draft": False}
    _write_back(site, after)
    check = site.cli(command="check")
    assert check.returncode == 0 and " 0 errors, 0 warnings" in check.stdout, check.stdout + check.stderr
    site.build(now=NOW, cache_dir=tmp_path / "cache")
    assert site.page("about/").xpath('//p[@class="lede"]/text()') == ["نشرة تختصر أهم أخبار اليوم، يحررها فريق صغير."]


COP28 = "content/2023/12/cop28-fossil-fuels-agreement.ar.md"
COP28_TITLE = "كوب 28 يختتم باتفاق يدعو إلى التحول بعيداً عن الوقود الأحفوري"


@pytest.mark.slow  # CMS in Chromium; CI runs it
@needs_cms
def test_an_editor_unpins_the_main_story_and_the_home_page_lists_it_in_its_place(admin, tmp_path):
    from cms import read_repository

    site, page = admin
    assert site.page("").xpath('//ol[contains(@class, "pinned")]//h2//text()') == [COP28_TITLE]
    before = read_repository(page)
    page.get_by_text(COP28_TITLE).first.click()
    switch = field(page, "ar", "pinned").get_by_role("switch")
    assert switch.get_attribute("aria-checked") == "true", "the sample's main story is pinned"
    switch.click()
    page.get_by_role("button", name="حفظ").click()
    _wait_for_text(page, "content/2023/12/cop28-fossil-fuels-agreement.ar.md", "pinned: false")
    after = read_repository(page)
    translation = COP28.replace(".ar.md", ".en.md")
    for rel in (COP28, translation):  # one switch for the story in both languages
        (old, _), (new, _) = _front_matter(before[rel]), _front_matter(after[rel])
        assert old["pinned"] is True and new == {**old, "pinned": False, "draft": False}, rel
    _write_back(site, after)
    site.build(now=NOW, cache_dir=tmp_path / "cache")
    assert site.page("").xpath('//ol[contains(@class, "pinned")]') == []
    assert COP28_TITLE in site.page("").xpath('//ol[@class="article-list"]//h2//text()')


def _saved_with_another_summary(page) -> dict:
    """Give the open COP28 story another summary, save it, and return its front matter as the CMS wrote it: what a
    story keeps when it is saved for a reason of its own."""
    from cms import read_repository

    field(page, "ar", "summary").locator("textarea").fill("اتفاق يذكر الوقود الأحفوري صراحة للمرة الأولى.")
    page.get_by_role("button", name="حفظ").click()
    _wait_for_text(page, COP28, "صراحة للمرة الأولى")
    return _front_matter(read_repository(page)[COP28])[0]


@pytest.mark.slow  # CMS in Chromium; CI runs it
@needs_cms
@pytest.mark.parametrize("admin", [[(COP28, "pinned: true", "pinned: true\npinned_until: 2099-12-31")]], indirect=True)
def test_a_pin_s_last_day_is_kept_when_the_story_is_edited_in_the_cms(admin, tmp_path):
    """A pin's last day, written in the file, is the day the editing page shows, and the day it saves when the story
    is saved for another reason (not a moment at its start, which would end the pin a day early)."""
    site, page = admin
    page.get_by_text(COP28_TITLE).first.click()
    assert field(page, "ar", "pinned_until").locator("input").input_value() == "2099-12-31"
    new = _saved_with_another_summary(page)
    assert new["pinned"] is True and str(new["pinned_until"]) == "2099-12-31", new


@pytest.mark.slow  # CMS in Chromium; CI runs it
@needs_cms
@pytest.mark.parametrize("admin, writers", [
    ([(COP28, "pinned: true", "pinned: true\nauthor: [سارة الأحمد, خالد يوسف]")], ["سارة الأحمد", "خالد يوسف"]),
    ([(COP28, "pinned: true", "pinned: true\nauthor: سارة الأحمد")], ["سارة الأحمد"]),
], indirect=["admin"])
def test_a_story_s_writers_are_kept_when_it_is_edited_in_the_cms(admin, tmp_path, writers):
    """A story whose file names two writers as a list keeps both when it is saved for another reason: the editing
    page's byline was one line of text, and saved such a story with its first writer alone."""
    from cms import read_repository

    site, page = admin
    page.get_by_text(COP28_TITLE).first.click()
    new = _saved_with_another_summary(page)
    assert new["author"] in (writers, writers[0] if len(writers) == 1 else None), new
    _write_back(site, read_repository(page))
    site.build(now=NOW, base_url="https://example.org/mujaz/", cache_dir=tmp_path / "cache")
    byline = site.page("2023/12/13/cop28-fossil-fuels-agreement/").xpath('//span[@class="byline"]')[0]
    assert " ".join(byline.text_content().split()) == "بقلم " + " و".join(writers)


@pytest.mark.slow  # CMS in Chromium; CI runs it
@needs_cms
def test_a_file_too_large_for_a_page_is_refused_before_it_reaches_the_repository(admin):
    """Past 20 MB a file is a video or a camera's raw file: no page shows it, and git would keep it forever."""
    from cms import read_repository

    site, page = admin
    before = read_repository(page)
    from PIL import Image
    import io
    from playwright.sync_api import expect

    page.get_by_role("button", name="إنشاء عنصر جديد").click()
    # The form is drawn again once admin.html has set the new article's draft switch: clicks wait for that.
    expect(field(page, "ar", "draft").get_by_role("switch")).to_have_attribute("aria-checked", "true")
    field(page, "ar", "image").get_by_role("checkbox").first.click()
    field(page, "ar", "image.src").get_by_role("button", name="تصفح").click()
    photo = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 90, 160)).save(photo, "PNG")
    # A picture, then 21 MB that decoders skip: what the CMS weighs is the file's size. A PNG, which the CMS saves
    # as it is (a JPEG it saves again, as a WebP of a few KB here).
    page.locator("[role=dialog] input[type=file]").set_input_files(
        files=[{"name": "big.png", "mimeType": "image/png", "buffer": photo.getvalue() + bytes(21_000_000)}])
    page.get_by_role("dialog").get_by_role("button", name="إدراج").click()
    warning = page.get_by_text("لا يمكن رفع هذا الملف لأنه يتجاوز الحد الأقصى للحجم").first
    warning.wait_for()
    # "… البالغ ⁨⁨20⁩ م.ب⁩.": the size between the CMS's direction isolates (U+2068, U+2069).
    assert re.sub("[\u2068\u2069]", "", warning.inner_text()).startswith(
        "لا يمكن رفع هذا الملف لأنه يتجاوز الحد الأقصى للحجم البالغ 20 م.ب."), warning.inner_text()
    assert read_repository(page) == before
