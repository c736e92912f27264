"""A publish from CI: `.cache/` restored, no output/. The pages that did not change are copied from the
cache's copies, only what an edit touches is rendered, and a damaged or planted copy is rendered again,
never published."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from generator.hashing import digest
from generator.pagestore import MAX_PAGE_BYTES
from test_pagegraph import _edit, _stories, edit_s4_counting_renders, touched_by_s4

STORE = Path(".cache/mujaz/pages")


def _clean_build(site, tmp_path: Path) -> dict[str, bytes]:
    """The same site built from nothing, without a cache, in a folder of its own."""
    clean = type(site)(tmp_path / "clean")
    shutil.copytree(site.root / "content", clean.root / "content")
    shutil.copy(site.root / "config.yaml", clean.root / "config.yaml")
    clean.build(cache=False)
    return clean.snapshot()


def _copy_of(site, data: bytes) -> Path:
    name = digest(data)
    return site.root / STORE / name[:2] / f"{name}.page"


def test_a_publish_without_output_renders_only_what_the_edit_touches_and_equals_a_clean_build(site, tmp_path,
                                                                                               monkeypatch):
    site.write(_stories())
    site.build()
    snapshot = site.snapshot()
    shutil.rmtree(site.output)  # what a CI runner has: the cache restored, no output/
    rendered, result = edit_s4_counting_renders(site, monkeypatch)

    after = site.snapshot()
    expected = touched_by_s4(snapshot, after)
    assert set(rendered) == expected and result.rendered == len(expected)
    assert "2023/02/14/s4/index.html" in expected and len(expected) < len(after) / 4
    assert after == _clean_build(site, tmp_path)


def test_the_store_keeps_one_copy_of_each_page_of_the_last_build_and_no_more(site):
    site.write(_stories())
    site.build()
    for step in range(3):
        _edit(site, "content/2023/s4.ar.md", "خبر عن" if step == 0 else f"نبأ {step - 1} عن", f"نبأ {step} عن")
        site.build()
    shelf = next(path for path in (site.root / STORE).iterdir() if path.is_dir())
    (shelf / f".{shelf.name * 16}.4242").write_bytes(b"half a page")  # what a build killed mid-write leaves
    (shelf / f"{shelf.name * 16}.page").write_bytes(b"a page no build shows any more")
    _edit(site, "content/2023/s5.en.md", "Story 5.", "Story five.")  # a build with work to do prunes after it
    site.build()
    pages = {digest(data) for rel, data in site.snapshot().items()
             if rel.endswith((".html", ".xml", ".json", ".txt", ".webmanifest")) or rel == "sw.js"}
    kept = {path.name.removesuffix(".page") for path in (site.root / STORE).rglob("*") if path.is_file()}
    assert kept == pages


def test_a_damaged_or_planted_copy_is_rendered_again_never_published(site, tmp_path):
    site.write(_stories())
    site.build()
    snapshot = site.snapshot()
    shutil.rmtree(site.output)
    secret = tmp_path / "secret.txt"
    secret.write_text("a file from outside the site")
    home, feed, story = (snapshot[rel] for rel in ("index.html", "en/feed.xml", "2023/02/14/s4/index.html"))
    _copy_of(site, home).write_bytes(home.replace(b"<body", b"<body data-planted"))  # bytes that are not its name
    _copy_of(site, feed).unlink()
    _copy_of(site, feed).symlink_to(secret)  # a link out of the cache
    with _copy_of(site, story).open("r+b") as planted:  # larger than any page: must not be read into memory
        planted.truncate(MAX_PAGE_BYTES * 64)

    result = site.cli("--explain", "index.html", "--explain", "en/feed.xml", memory_mb=1024, timeout=120)

    assert result.returncode == 0, result.stderr
    assert site.snapshot() == snapshot, "every page as the last build wrote it"
    assert "no sound copy" in result.stdout and result.stdout.count("rendered again") == 2
    assert os.path.islink(_copy_of(site, feed)) is False, "the link was replaced by the page's own copy"


def test_links_and_folders_planted_in_the_store_are_neither_followed_nor_removed(site, tmp_path):
    site.write(_stories())
    site.build()
    snapshot = site.snapshot()
    shutil.rmtree(site.output)
    pages = [data for rel, data in sorted(snapshot.items()) if rel.endswith(".html")]
    linked, folder = pages[0], next(data for data in pages if digest(data)[:2] != digest(pages[0])[:2])
    elsewhere = tmp_path / "elsewhere"  # a shelf of the store made a link to a folder outside the cache
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("an editor's file")
    (elsewhere / _copy_of(site, linked).name).write_bytes(b"named like a copy, but not one")
    shutil.rmtree(_copy_of(site, linked).parent)
    _copy_of(site, linked).parent.symlink_to(elsewhere, target_is_directory=True)
    _copy_of(site, folder).unlink()
    (_copy_of(site, folder) / "inside.txt").parent.mkdir()  # a folder where a copy goes
    (_copy_of(site, folder) / "inside.txt").write_text("not a page")
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}

    result = site.cli(timeout=120)

    assert result.returncode == 0, result.stderr
    assert site.snapshot() == snapshot
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before, "nothing written or removed there"
    assert (_copy_of(site, folder) / "inside.txt").read_text() == "not a page"


def _inodes(folder: Path) -> set[int]:
    return {path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


def test_output_and_the_cache_share_the_bytes_of_pages_and_cards_on_disk(site, tmp_path):
    """A build keeps a copy of every page, and a CI runner holds the restored cache and output/ at once:
    their pages and cards take the room once (hard links), whichever was written first."""
    site.write(_stories())
    site.build()
    rendered = [rel for rel in site.snapshot() if rel.endswith(".html")]
    assert {(site.output / rel).stat().st_ino for rel in rendered} <= _inodes(site.root / STORE)
    shutil.rmtree(site.output)
    assert site.build().rendered == 0
    published = {rel: (site.output / rel).stat() for rel in site.snapshot()}
    pages = {rel for rel in published if rel.endswith(".html")}
    cards = {rel for rel in published if rel.endswith(("card.jpg", "card.png"))}
    assert len(cards) == 60 and len(pages) > 100
    assert {published[rel].st_ino for rel in pages} <= _inodes(site.root / STORE)
    assert {published[rel].st_ino for rel in cards} <= _inodes(site.root / ".cache/mujaz/cards")
    assert site.snapshot() == _clean_build(site, tmp_path)

    # An edit then writes the pages it changes anew: the store's copies of the old ones stay as they were.
    before = {path: path.read_bytes() for path in (site.root / STORE).rglob("*.page")}
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    site.build()
    assert all(path.read_bytes() == data for path, data in before.items() if path.exists())
    assert site.snapshot() == _clean_build(site, tmp_path / "after")


@pytest.mark.slow
def test_an_output_on_another_file_system_than_the_cache_gets_copies(site, tmp_path):
    # make test keeps the temporary folders in memory where it can (tools/pytest-in-memory): then the disk's.
    here = tmp_path.stat().st_dev
    elsewhere = next((place for place in (Path("/dev/shm"), Path(tempfile.gettempdir()), Path.home())
                      if place.is_dir() and os.access(place, os.W_OK) and place.stat().st_dev != here), None)
    if elsewhere is None:
        pytest.skip("needs a second file system beside the temporary folder")
    output = Path(tempfile.mkdtemp(dir=elsewhere)) / "output"
    try:
        site.write(_stories())
        site.build(output=output)
        shutil.rmtree(output)
        assert site.build(output=output).rendered == 0, "copies, not links, from the store"
        site.output = output
        assert site.snapshot() == _clean_build(site, tmp_path)
    finally:
        shutil.rmtree(output.parent)


@pytest.mark.parametrize("planted", ["link", pytest.param("pipe", marks=pytest.mark.slow),
                                     pytest.param("folder", marks=pytest.mark.slow)])
def test_what_is_planted_where_a_copy_is_first_written_is_never_written_through(site, tmp_path, planted):
    """A copy is written under a passing name (.<name>.<process id>) then renamed: a cache from elsewhere may
    hold anything there, since a page's name is the hash of bytes anyone can build."""
    site.write(_stories())
    site.build()
    home = site.snapshot()["index.html"]
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    _copy_of(site, home).unlink()
    partial = _copy_of(site, home).with_name(f".{digest(home)}.{os.getpid()}")
    {"link": lambda: partial.symlink_to(victim), "pipe": lambda: os.mkfifo(partial), "folder": partial.mkdir}[planted]()
    shutil.rmtree(site.output)
    result = site.build(jobs=1)  # in this process: the id of the passing name is the test's own
    assert result.rendered >= 1 and victim.read_text() == "mine"
    assert site.snapshot() == _clean_build(site, tmp_path)
    if planted == "folder":
        assert partial.is_dir() and not _copy_of(site, home).exists(), "not ours to remove: no copy kept"
    else:
        assert _copy_of(site, home).read_bytes() == home and not _copy_of(site, home).is_symlink()
