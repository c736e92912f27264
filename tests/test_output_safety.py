"""The build only ever replaces a folder it made: never the user's files, never a site left without output/."""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, Site, article
from generator import writer
from generator.build import CACHE_DIR, LOCK_FILE
from generator.errors import BuildError

FILES = {"content/a.ar.md": article("خبر أول"), "content/a.en.md": article("First story")}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _refused(site: Site, *args: str) -> str:
    run = site.cli(*args)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    return run.stderr


def test_a_folder_of_the_users_files_outside_the_site_is_refused_and_untouched(site, tmp_path):
    mine = tmp_path / "my-documents"
    mine.mkdir()
    (mine / "letter.txt").write_text("keep me")
    (mine / "photos").mkdir()
    (mine / "photos" / "a.jpg").write_bytes(b"\xff\xd8 not really")
    site.write(FILES)
    before = _tree(mine)
    message = _refused(site, "--output", str(mine))
    assert f"{mine}: the output folder holds files that Mujaz did not write; nothing was touched" in message
    assert "choose an empty or new folder" in message
    assert _tree(mine) == before
    assert not list(tmp_path.glob(".my-documents-*")), "no staging folder beside it either"


def test_docs_inside_the_site_with_files_of_its_own_is_refused(site):
    site.write({**FILES, "docs/index.md": "# My notes\n"},
               config=BASE_CONFIG + "output: docs\n")
    message = _refused(site)
    assert "docs: the output folder holds files that Mujaz did not write" in message
    assert (site.root / "docs" / "index.md").read_text() == "# My notes\n"


@pytest.mark.parametrize("output", [".git", "config.yaml", "content", ".cache", ".."])
def test_the_sites_own_folders_and_files_are_never_the_output(site, output):
    site.write(FILES, config=BASE_CONFIG + f"output: {output}\n")
    (site.root / ".git").mkdir()
    (site.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = _tree(site.root)
    message = _refused(site)
    assert "would overwrite the site's own files" in message or "did not write" in message
    assert _tree(site.root) == before


def test_content_linked_from_elsewhere_is_protected_through_the_link(site, tmp_path):
    articles = tmp_path / "shared-articles"
    articles.mkdir()
    (articles / "a.ar.md").write_text(article("خبر أول"), encoding="utf-8")
    site.write({})
    (site.root / "content").symlink_to(articles)
    for output in (str(articles), str(tmp_path), "content"):
        site.write({}, config=BASE_CONFIG + f"output: {output}\n")
        message = _refused(site)
        assert "would overwrite the site's own files" in message, output
        assert (articles / "a.ar.md").read_text(encoding="utf-8") == article("خبر أول")


def test_an_output_that_is_a_file_is_refused(site, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    site.write(FILES)
    message = _refused(site, "--output", str(target))
    assert "the output folder is a file or a link, not a folder" in message
    assert target.read_text() == "mine"


def test_an_empty_folder_a_new_one_and_an_earlier_build_are_accepted(site, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    site.write(FILES)
    site.build(output=empty)
    assert (empty / writer.MARKER).is_file() and (empty / "index.html").is_file()
    site.write({"content/b.ar.md": article("خبر ثان")})
    site.build(output=empty)  # its own earlier build: replaced
    assert (empty / "2023/09/13/b/index.html").is_file()
    site.build(output=tmp_path / "new" / "site")
    assert (tmp_path / "new" / "site" / "index.html").is_file()


def test_an_output_from_before_the_marker_is_known_by_the_cache(site):
    site.write(FILES)
    site.build()
    (site.output / writer.MARKER).unlink()  # as an older Mujaz left it
    site.write({"content/b.ar.md": article("خبر ثان")})
    site.build()
    assert (site.output / writer.MARKER).is_file()
    with pytest.raises(BuildError, match="did not write"):
        (site.output / writer.MARKER).unlink()
        site.build(cache=False)  # without the cache nothing says the folder is ours


def test_a_second_build_while_one_is_running_says_so_and_touches_nothing(site):
    site.write(FILES)
    site.build()
    before = site.snapshot()
    fd = os.open(site.root / CACHE_DIR / LOCK_FILE, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running build holds
        site.write({"content/b.ar.md": article("خبر ثان")})
        message = _refused(site)
        assert "another build of this site is writing this folder" in message
        assert site.snapshot() == before
    finally:
        os.close(fd)
    site.build()
    assert (site.output / "2023/09/13/b/index.html").is_file()


def test_without_renameat2_the_swap_still_replaces_output(site, monkeypatch):
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    site.write(FILES)
    site.build()
    site.write({"content/b.ar.md": article("خبر ثان")})
    site.build(cache=False)  # without the cache, output/ is written whole and swapped
    assert (site.output / "2023/09/13/b/index.html").is_file()
    assert not writer.backup_dir(site.output).exists()
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".output")] == [], "the old output/ is removed"


def test_a_build_killed_inside_the_fallback_swap_leaves_output_to_be_restored(site, monkeypatch):
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    site.write(FILES)
    site.build()
    before = site.snapshot()
    real_rename = os.rename

    def dies_after_the_first(src, dst):
        if Path(dst) == site.output:
            raise KeyboardInterrupt  # the build stops between moving output/ away and putting the new one there
        real_rename(src, dst)

    monkeypatch.setattr(writer.os, "rename", dies_after_the_first)
    site.write({"content/b.ar.md": article("خبر ثان")})
    with pytest.raises(KeyboardInterrupt):
        site.build(cache=False)
    monkeypatch.setattr(writer.os, "rename", real_rename)
    assert not site.output.exists() and writer.backup_dir(site.output).is_dir()
    # The next build restores output/ first, even when it then fails on a mistake.
    site.write({"content/bad.ar.md": "---\ntitle: [\n---\n"})
    with pytest.raises(BuildError):
        site.build()
    assert site.snapshot() == before
    (site.root / "content/bad.ar.md").unlink()
    site.build()
    assert (site.output / "2023/09/13/b/index.html").is_file()


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_output_folders_and_files_get_the_umasks_modes(site, umask):
    site.write({**FILES, "static/images/a.png": b"png"})
    old = os.umask(umask)
    try:
        site.build()
        site.write({"content/b.ar.md": article("خبر ثان")})
        site.build()  # a recycled generation too
    finally:
        os.umask(old)
    folders = [site.output, *[p for p in site.output.rglob("*") if p.is_dir()]]
    files = [p for p in site.output.rglob("*") if p.is_file()]
    assert {stat.S_IMODE(p.stat().st_mode) for p in folders} == {0o777 & ~umask}
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o666 & ~umask}


def test_a_link_in_static_to_a_file_outside_the_site_is_refused(site, tmp_path):
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY")
    site.write({**FILES, "static/images/a.png": b"png", "static/.git/config": "[core]", "static/.env": "TOKEN=1",
                "static/docs/inside.txt": "ok"})
    site.build()
    assert (site.output / "images/a.png").read_bytes() == b"png"
    assert not (site.output / ".git").exists() and not (site.output / ".env").exists(), "dot-files and dot-folders stay"
    before = site.snapshot()
    (site.root / "static" / "leak.txt").symlink_to(secret)
    message = _refused(site)
    assert "static/leak.txt: is a link to a file outside the site; not published" in message
    assert site.snapshot() == before
    (site.root / "static" / "leak.txt").unlink()
    (site.root / "static" / "home").symlink_to(tmp_path, target_is_directory=True)  # a folder link too
    assert "static/home: is a link to a file outside the site" in _refused(site)
    (site.root / "static" / "home").unlink()
    (site.root / "static" / "same.txt").symlink_to(site.root / "static" / "docs" / "inside.txt")  # inside: fine
    (site.root / "static" / "loop").symlink_to(site.root / "static", target_is_directory=True)
    site.build()
    assert (site.output / "same.txt").read_text() == "ok"
    assert "PRIVATE" not in "".join(p.read_text(errors="replace") for p in site.output.rglob("*") if p.is_file())


@pytest.mark.parametrize("link", ["templates/robots.txt", "themes/mine/templates/home.html",
                                  "themes/mine/strings.yaml", "themes/mine/fonts/Amiri-Bold.ttf"])
def test_a_template_or_theme_file_that_links_outside_the_site_is_refused(site, tmp_path, link):
    """What templates read ends up in pages (and a font in share cards), so a link out is refused as in static/."""
    import shutil

    from conftest import REPO

    secret = tmp_path / "git-credentials"
    secret.write_text("ghp_SECRET12345")
    site.write(FILES)
    config = BASE_CONFIG
    if link.startswith("themes/mine/"):
        shutil.copytree(REPO / "themes" / "default", site.root / "themes" / "mine")
        config += "theme: mine\n"
    site.write({}, config=config)
    site.build()
    before = site.snapshot()
    (site.root / link).parent.mkdir(parents=True, exist_ok=True)
    (site.root / link).unlink(missing_ok=True)
    (site.root / link).symlink_to(secret)
    site.write({"content/b.ar.md": article("خبر ثان")}, config=config)
    for command in ("build", "check"):
        run = site.cli(command=command)
        assert run.returncode == 1 and "Traceback" not in run.stderr + run.stdout, run.stderr
        assert f"{link}: is a link to a file outside the site" in run.stderr + run.stdout
    assert site.snapshot() == before
    assert "SECRET12345" not in "".join(p.read_text(errors="replace") for p in site.output.rglob("*") if p.is_file())


class _Runs:
    """What a crafted cache file holds: unpickling it would call `function(*args)`."""

    def __init__(self, function, *args):
        self.function, self.args = function, args

    def __reduce__(self):
        return self.function, self.args


def test_a_crafted_cache_file_runs_no_code(site, tmp_path):
    import pickle

    from generator.cache import _MAGIC

    site.write(FILES)
    site.build()
    cache = site.root / CACHE_DIR
    victim = tmp_path / "victim.txt"
    victim.write_text("still here")
    ran = tmp_path / "ran"
    for name in sorted(path.name for path in cache.glob("*.pickle")):
        salt, state = pickle.loads((cache / name).read_bytes()[len(_MAGIC):])  # the real salt: anyone can compute it
        payloads = [_Runs(os.system, f"touch {ran}"), _Runs(Path(victim).unlink),
                    _Runs(getattr, Path(victim), "unlink")]
        crafted = {key: payloads for key in state}
        (cache / name).write_bytes(_MAGIC + pickle.dumps((salt, crafted)))
    site.write({"content/b.ar.md": article("خبر ثان")})
    result = site.build()
    assert not ran.exists() and victim.read_text() == "still here"
    fresh = Site(tmp_path / "fresh").write({**FILES, "content/b.ar.md": article("خبر ثان")})
    assert result.rendered == fresh.build(cache=False).rendered, "the cache was ignored: every page rendered"
    assert (site.output / "2023/09/13/b/index.html").is_file()
    again = site.build()
    assert again.rendered == 0, "the cache written after it is read back"


@pytest.mark.parametrize("opcode", [b"\x95", b"\x8e"], ids=["frame", "bytes"])
def test_a_cache_file_claiming_more_bytes_than_it_holds_allocates_nothing_and_is_ignored(site, tmp_path, opcode):
    """A pickle's frame or byte string gives its length first: 2 GB here, in a file of a hundred bytes."""
    import tracemalloc

    from generator.cache import _MAGIC, BuildCache, Salts

    site.write(FILES)
    site.build()
    cache = site.root / CACHE_DIR
    for path in cache.glob("*.pickle"):
        path.write_bytes(_MAGIC + b"\x80\x05" + opcode + (2**31).to_bytes(8, "little") + b"\x00" * 64)
    tracemalloc.start()
    try:
        loaded = BuildCache.load(cache, Salts("any salt", "any salt"))
        loaded.load_content()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert loaded.documents == {} and loaded.output is None
    if opcode == b"\x95":  # a frame is read through the cache's reader, which refuses it before reading
        # Far below the 2 GB claimed; not nothing at all: a path part interned meanwhile may grow Python's
        # table of interned strings (2 MB, seen once).
        assert peak < 2**26, peak
    site.write({"content/b.ar.md": article("خبر ثان")})
    run = site.cli(memory_mb=1024)
    assert run.returncode == 0, run.stderr
    fresh = Site(tmp_path / "fresh").write({**FILES, "content/b.ar.md": article("خبر ثان")})
    fresh.build(cache=False)
    assert site.snapshot() == fresh.snapshot()


def test_cache_files_replaced_by_folders_are_passed_over(site):
    site.write(FILES)
    site.build()
    cache = site.root / CACHE_DIR
    names = sorted(path.name for path in cache.glob("*.pickle"))
    for name in names:
        (cache / name).unlink()
        (cache / name).mkdir()
    site.write({"content/b.ar.md": article("خبر ثان")})
    run = site.cli()
    assert run.returncode == 0, run.stderr
    assert (site.output / "2023/09/13/b/index.html").is_file()
    assert all((cache / name).is_dir() for name in names)
    (cache / LOCK_FILE).unlink()
    (cache / LOCK_FILE).mkdir()
    message = _refused(site)
    assert "build.lock: cannot create the build's lock file" in message


def _picture_site(site: Site) -> None:
    """Two stories, one showing a photo: the cache holds its resized copies and a share card per story."""
    import io

    from PIL import Image

    photo = io.BytesIO()
    Image.linear_gradient("L").resize((1600, 900)).convert("RGB").save(photo, "JPEG")
    site.write({**FILES, "static/images/port.jpg": photo.getvalue(),
                "content/p.ar.md": article("الميناء يستقبل سفينة", image="{src: /images/port.jpg, alt: سفينة}",
                                           body="![سفينة](/images/port.jpg)")})


def _clean_snapshot(site: Site, tmp_path: Path) -> dict[str, bytes]:
    import shutil

    clean = Site(tmp_path / "clean")
    shutil.copytree(site.root, clean.root, ignore=shutil.ignore_patterns("output", ".cache", ".output-*"))
    clean.build(cache=False, jobs=1)
    return clean.snapshot()


@pytest.mark.parametrize("in_place", [pytest.param(True, marks=pytest.mark.slow), False],
                         ids=["output kept", "a publish from CI"])
def test_a_link_or_folder_planted_among_the_cached_pictures_is_never_published_nor_stops_the_build(site, tmp_path,
                                                                                                     in_place):
    """A cache may come from elsewhere: its cards and photo copies are published only as plain files of its own."""
    secret = tmp_path / "git-credentials"
    secret.write_bytes(b"https://user:TOKEN-12345@github.com\n")
    _picture_site(site)
    site.build()
    cache = site.root / CACHE_DIR
    planted = [sorted((cache / "cards").glob("*.*"))[0], sorted((cache / "images").glob("*/w*.*"))[0],
               sorted((cache / "images").glob("*/full.*"))[0]]
    for path in planted:
        path.unlink()
        path.symlink_to(secret)
    in_the_way = sorted((cache / "cards").glob("*.*"))[-1]  # a folder where a card goes
    in_the_way.unlink()
    in_the_way.mkdir()
    if not in_place:
        import shutil

        shutil.rmtree(site.output)
    run = site.cli()
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    published = site.snapshot()
    assert not [rel for rel, data in published.items() if b"TOKEN-12345" in data]
    assert published == _clean_snapshot(site, tmp_path)
    assert secret.read_bytes() == b"https://user:TOKEN-12345@github.com\n"
    assert in_the_way.is_dir(), "not the build's to remove"


def test_a_pipe_or_endless_file_planted_in_the_cache_neither_hangs_nor_fills_the_memory(site, tmp_path):
    _picture_site(site)
    site.build()
    cache = site.root / CACHE_DIR
    (cache / "images" / "index.json").unlink(missing_ok=True)
    (cache / "images" / "index.json").symlink_to("/dev/zero")  # endless
    meta = sorted((cache / "images").glob("*/meta.json"))[0]
    meta.unlink()
    os.mkfifo(meta)  # opening it to read waits for a writer that never comes
    copy = sorted((cache / "pages").glob("*/*.page"))[0]
    copy.unlink()
    os.mkfifo(copy)
    import shutil

    shutil.rmtree(site.output)
    run = site.cli(memory_mb=1500, timeout=60)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert site.snapshot() == _clean_snapshot(site, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["cards", "images"])
def test_a_cache_picture_folder_that_is_a_link_elsewhere_is_neither_written_nor_emptied(site, tmp_path, folder):
    _picture_site(site)
    site.build()
    cache = site.root / CACHE_DIR
    mine = tmp_path / "my-pictures"
    mine.mkdir()
    # Names like the cache's own: a card, a photo's folder of copies, a half-written one.
    (mine / "0123456789abcdef0123456789abcdef.jpg").write_bytes(b"my picture")
    (mine / "0123456789abcdef0123456789abcdef").mkdir()
    (mine / "0123456789abcdef0123456789abcdef" / "full.jpg").write_bytes(b"my photo")
    import shutil

    shutil.rmtree(cache / folder)
    (cache / folder).symlink_to(mine, target_is_directory=True)
    before = _tree(mine)
    for _ in range(2):
        shutil.rmtree(site.output)  # a publish from CI: every picture is published from the cache
        run = site.cli()
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
        assert _tree(mine) == before and sorted(p.name for p in mine.iterdir()) == sorted(before.keys() - {
            "0123456789abcdef0123456789abcdef/full.jpg"} | {"0123456789abcdef0123456789abcdef"})
    assert site.snapshot() == _clean_snapshot(site, tmp_path)


def test_a_link_planted_where_the_photo_index_is_first_written_is_never_written_through(site, tmp_path, monkeypatch):
    """The photo index was written under a name anyone could foretell (index.json.partial-<process id>)."""
    import generator.images

    monkeypatch.setattr(generator.images, "SETTLE_NS", -10**12)  # the photo just written counts as settled
    _picture_site(site)
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    images = site.root / CACHE_DIR / "images"
    images.mkdir(parents=True)
    (images / f"index.json.partial-{os.getpid()}").symlink_to(victim)
    site.build(jobs=1)  # in this process, whose id the name held
    assert victim.read_text() == "mine"
    assert "port.jpg" in (images / "index.json").read_text() and not (images / "index.json").is_symlink()


def test_a_planted_journal_never_moves_a_link_into_output(site, tmp_path):
    """A staging folder with a journal is finished by the next build (a killed commit); one planted beside
    output/ (committed to the repository, say) must not slip a link to a file elsewhere into output/."""
    import json

    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY")
    site.write(FILES)
    site.build()
    planted = site.root / f"{writer.staging_prefix(site.output)}0123456789ab"
    planted.mkdir()
    (planted / "leak.txt").symlink_to(secret)
    (planted / writer.JOURNAL).write_text(json.dumps({"moves": ["leak.txt"], "deletes": []}))
    writer.recover_output(site.output)  # what a build does first (the build then also removes what it did not write)
    assert not os.path.lexists(site.output / "leak.txt"), "not even for a moment: a server may be reading output/"
    site.write({"content/b.ar.md": article("خبر ثان")})
    site.build()
    assert not os.path.lexists(site.output / "leak.txt")
    assert secret.read_text() == "PRIVATE KEY"


def test_a_link_planted_as_the_build_lock_is_refused_not_followed(site, tmp_path):
    site.write(FILES)
    site.build()
    lock = site.root / CACHE_DIR / LOCK_FILE
    lock.unlink()
    lock.symlink_to(tmp_path / "made-elsewhere")
    site.write({"content/b.ar.md": article("خبر ثان")})
    message = _refused(site)
    assert "cannot create the build's lock file" in message
    assert not (tmp_path / "made-elsewhere").exists()
