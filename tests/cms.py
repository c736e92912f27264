"""Drive the site's /admin/ (Sveltia CMS) offline in Chromium, on a copy of a site folder.

The CMS's files come from npm (`make test` installs them in .venv/node): every request to the pinned
CDN address is answered from there, and every other request off 127.0.0.1 is refused, so nothing is
fetched from the network. "Work with Local Repository" uses the File System Access API's folder
picker, which a headless browser cannot answer; the picker is replaced by the origin-private file
system, filled with the site's files, and read back after a save (see ../shared/notes/cms-testing.md).
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from generator.admin import SVELTIA_SCRIPT

REPO = Path(__file__).resolve().parent.parent
NODE = REPO / ".venv" / "node" / "node_modules"
CMS_PACKAGE = NODE / "@sveltia" / "cms"
CMS_PREFIX = SVELTIA_SCRIPT.removesuffix("dist/sveltia-cms.js")
FONT_PREFIX = "https://cdn.jsdelivr.net/fontsource/fonts/"  # the CMS's interface and icon fonts

PICKER = "window.showDirectoryPicker = async () => navigator.storage.getDirectory();"

_FILL = """async (files) => {
  const root = await navigator.storage.getDirectory();
  for (const [path, data] of Object.entries(files)) {
    const parts = path.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, {create: true});
    const writer = await (await folder.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writer.write(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
    await writer.close();
  }
}"""

_READ = """async () => {
  const files = {};
  const walk = async (folder, prefix) => {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === 'directory') await walk(handle, prefix + name + '/');
      else {
        const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
        let text = '';
        for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
        files[prefix + name] = btoa(text);
      }
    }
  };
  await walk(await navigator.storage.getDirectory(), '');
  return files;
}"""


def site_files(root: Path) -> dict[str, bytes]:
    """What the CMS sees of a site repository: content/, static/, config.yaml and a .git folder."""
    files = {p.relative_to(root).as_posix(): p.read_bytes()
             for folder in ("content", "static") if (root / folder).is_dir()
             for p in sorted((root / folder).rglob("*")) if p.is_file()}
    files["config.yaml"] = (root / "config.yaml").read_bytes()
    files[".git/HEAD"] = b"ref: refs/heads/main\n"  # the CMS checks that the folder is a repository
    return files


def _answer(route) -> None:
    url = route.request.url.split("?")[0]
    local = None
    if url.startswith(CMS_PREFIX):
        local = CMS_PACKAGE / url[len(CMS_PREFIX):]
    elif url.startswith(FONT_PREFIX):  # <name>:vf@<version>/<subset>-wght-normal.woff2
        family, _, file = url[len(FONT_PREFIX):].partition("/")
        name = family.split(":")[0]
        local = NODE / "@fontsource-variable" / name / "files" / f"{name}-{file}"
    if local is not None and local.is_file():
        kind = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=local.read_bytes(),
                      headers={"Content-Type": kind, "Access-Control-Allow-Origin": "*"})
    else:
        route.abort()


def open_admin(context, admin_url: str, files: dict[str, bytes]):
    """A page of `context` on /admin/, signed in to the local repository `files`; the entry list is shown."""
    context.add_init_script(PICKER)
    page = context.new_page()
    page.route(lambda url: not url.startswith("http://127.0.0.1"), _answer)
    page.goto(admin_url)
    page.evaluate(_FILL, {path: base64.b64encode(data).decode() for path, data in files.items()})
    return page


def field(page, lang: str, key: str):
    """The form's section for front matter `key` on the `lang` side, scrolled to: the CMS draws a
    field's inputs only once it is on screen."""
    from playwright.sync_api import Error

    section = page.locator(f'[data-locale="{lang}"] section[data-key-path="{key}"]')
    # The CMS may draw the form again between the locator's finding the section and scrolling to it (a new
    # article's form, once admin.html sets its draft switch): the locator then finds the new one.
    for attempt in range(3):
        try:
            section.scroll_into_view_if_needed()
            return section
        except Error as error:
            if "not attached" not in str(error) or attempt == 2:
                raise
    return section


def read_repository(page) -> dict[str, bytes]:
    """Every file of the local repository as the CMS left it."""
    return {path: base64.b64decode(data) for path, data in page.evaluate(_READ).items()}
