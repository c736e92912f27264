"""What each page is made from: an edit renders again only the pages that show what changed, output/
is updated in place, and `build --explain` says why a page was written or kept."""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
import shutil
from pathlib import Path
from collections.abc import Mapping

import pytest
from PIL import Image

import generator.rebuild
import generator.templates
from conftest import Site, article, check_beside, read_cache_file
from generator import manifest as output_manifest
from generator.build import CACHE_DIR
from generator.picklesafe import load_values
from generator.pagegraph import PageGraph, records
from generator.pages import Page
from generator.site import Article

TOPICS = ["روسيا", "كوريا", "اقتصاد", "طاقة", "فضاء"]


def _stories() -> dict[str, str]:
    files = {}
    for i in range(30):
        day = f"2023-{1 + i % 3:02d}-{10 + i % 5:02d}"
        tags = f"[{TOPICS[i % 5]}, {TOPICS[(i + 2) % 5]}]"
        files[f"content/2023/s{i}.ar.md"] = article(f"خبر رقم {i} عن {TOPICS[i % 5]}", day,
                                                    f"خبر عن {TOPICS[i % 5]} و{TOPICS[(i + 1) % 5]}. " * 20, tags=tags)
        files[f"content/2023/s{i}.en.md"] = article(f"Story {i} on {TOPICS[i % 5]}", day, f"Story {i}. " * 20)
    return files


def _edit(site, rel: str, old: str, new: str) -> None:
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_s4_counting_renders(site, monkeypatch) -> tuple[list[str], object]:
    """Edit story 4 (dated 2023-02-14) and build; the files of the pages rendered, and the build's result."""
    rendered: list[str] = []
    real = generator.templates.Renderer.render
    monkeypatch.setattr(generator.templates.Renderer, "render", lambda self, page: rendered.append(page.file)
                        or real(self, page))
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ جديد عن")
    return rendered, site.build(jobs=1)


def touched_by_s4(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The pages an edit of story 4 must render again.

    Every page that shows the story links to it; the search index names it by number, so its
    files count by their bytes. A sitemap piece links every page, but shows only its address and date.
    """
    href = b"/digest/2023/02/14/s4/"
    return {rel for rel, data in after.items() if rel.endswith((".html", ".xml", ".json"))
            and ((href in data and not rel.startswith("sitemaps/")) or data != before.get(rel))}


def _files(site) -> dict[str, os.stat_result]:
    return {p.relative_to(site.output).as_posix(): p.stat() for p in site.output.rglob("*") if p.is_file()}


def test_an_edit_renders_exactly_the_pages_that_show_the_article_and_updates_output_in_place(site, monkeypatch):
    site.write(_stories())
    site.build()
    before, snapshot, folder = _files(site), site.snapshot(), site.output.stat().st_ino
    rendered, result = edit_s4_counting_renders(site, monkeypatch)

    after = site.snapshot()
    expected = touched_by_s4(snapshot, after)
    assert set(rendered) == expected and result.rendered == len(expected)
    assert "2023/02/14/s4/index.html" in expected and "en/2023/02/14/s4/index.html" in expected  # its translation
    assert len(expected) < len(after) / 4
    # In place: the folder and every file not written again keep their inode and time.
    assert site.output.stat().st_ino == folder
    now = _files(site)
    for rel, st in now.items():
        if after[rel] == snapshot.get(rel):
            assert (st.st_ino, st.st_mtime_ns) == (before[rel].st_ino, before[rel].st_mtime_ns), rel
    assert not list(site.root.glob(".output-*"))


def test_an_edit_plans_and_records_only_the_families_of_pages_that_show_the_story(site, monkeypatch):
    site.write(_stories())
    site.build()
    snapshot = site.snapshot()
    recorded: list[str] = []
    real = generator.rebuild.records
    monkeypatch.setattr(generator.rebuild, "records", lambda pages: recorded.extend(p.file for p in pages)
                        or real(pages))
    rendered, _ = edit_s4_counting_renders(site, monkeypatch)

    pages = [rel for rel in site.snapshot() if rel.endswith((".html", ".xml", ".json"))]
    assert set(rendered) == touched_by_s4(snapshot, site.snapshot()) and set(rendered) <= set(recorded)
    # Story 4, the stories whose related lists show it, the listings and search files that show it, the sitemap.
    assert len(recorded) < len(pages) / 3, f"{len(recorded)} of {len(pages)} pages planned again"
    # Other stories' pages, and listings that do not show story 4, are kept without being planned.
    for kept in ("2023/01/10/s0/index.html", "en/2023/01/10/s0/index.html", "2023/01/10/index.html",
                 "tags/روسيا/index.html"):
        assert kept in pages and kept not in recorded, kept


@pytest.mark.parametrize("beside", [False, True], ids=["checked-here", "checked-beside"])
def test_a_deleted_story_leaves_output_and_a_file_changed_by_hand_is_written_again(site, tmp_path, monkeypatch, beside):
    site.write(_stories())
    site.build()
    log = check_beside(monkeypatch, tmp_path) if beside else None
    (site.root / "content/2023/s7.en.md").unlink()
    (site.output / "index.html").write_bytes(b"edited by hand")
    (site.output / "stray.txt").write_bytes(b"not made by the build")
    result = site.cli("--explain", "index.html")
    assert result.returncode == 0, result.stderr
    assert "index.html: rendered again: its file in output/ is not as the last build wrote it" in result.stdout
    assert not (site.output / "en/2023/02/12/s7").exists() and not (site.output / "stray.txt").exists()
    clean = type(site)(tmp_path / "clean")
    clean.write({p.relative_to(site.root).as_posix(): p.read_bytes() for p in (site.root / "content").rglob("*.md")})
    clean.cli()
    assert site.snapshot() == clean.snapshot()
    if log is not None:
        assert log.read_text().split()[0] != str(os.getpid()), "output/ was checked in the build's own process"


def _tree(folder: Path) -> dict[str, object]:
    """Every folder, file and link under `folder`, links not followed: what an editor would see in output/."""
    found: dict[str, object] = {}
    for here, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(here) / name
            rel = path.relative_to(folder).as_posix()
            found[rel] = ("link", os.readlink(path)) if path.is_symlink() else "folder" if path.is_dir() \
                else path.read_bytes()
    return found


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _page_made_a_folder(out: Path, elsewhere: Path) -> None:
    (out / "2023/02/14/s4/index.html").unlink()
    _put(out / "2023/02/14/s4/index.html/inside.txt", b"x")


def _folder_moved_and_linked_back(out: Path, elsewhere: Path) -> None:
    shutil.move(out / "en/2023/01", elsewhere / "moved")
    (out / "en/2023/01").symlink_to(elsewhere / "moved", target_is_directory=True)


# Changes made to output/ by hand (or by another program) between two builds.
BY_HAND = {
    "a file beside a page": lambda out, elsewhere: _put(out / "2023/01/10/s0/notes.txt", b"mine"),
    "folders of files in a folder of pages": lambda out, elsewhere: _put(out / "2023/01/extra/deep/x.html", b"x"),
    "an empty folder": lambda out, elsewhere: (out / "en/empty").mkdir(),
    "a page rewritten": lambda out, elsewhere: (out / "index.html").write_bytes(b"edited by hand"),
    "a page's folder removed": lambda out, elsewhere: shutil.rmtree(out / "2023/01/10/s0"),
    "a page made a folder": _page_made_a_folder,
    "a folder moved away and linked back": _folder_moved_and_linked_back,
}


@pytest.mark.parametrize("change", sorted(BY_HAND))
def test_whatever_was_done_to_output_by_hand_the_next_build_undoes(site, tmp_path, monkeypatch, change):
    site.write(_stories())
    site.build()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    BY_HAND[change](site.output, elsewhere)
    kept_elsewhere = _tree(elsewhere)
    manifest = read_cache_file(site.root / ".cache/mujaz/state.pickle")[1]["output"]
    found = output_manifest.differences(site.output, manifest.files, manifest.folders())
    assert found, "the check sees the change"
    for parts in (2, 3, 5):  # a big site's check, in parts: each change falls in one part or another
        looked = [output_manifest.look(site.output, manifest.stamps(), manifest.folders(), part, parts) for part in range(parts)]
        assert output_manifest.finish_look(site.output, lambda: manifest.files, manifest.folders, looked) == found, parts
    # Checked as a big site is, in parts on processes of their own (every other test's site is checked whole).
    checked_by = check_beside(monkeypatch, tmp_path)
    site.build()
    assert len(checked_by.read_text().splitlines()) == output_manifest.CHECK_PARTS
    clean = type(site)(tmp_path / "clean")
    clean.write({p.relative_to(site.root).as_posix(): p.read_bytes() for p in (site.root / "content").rglob("*.md")})
    clean.build()
    assert _tree(site.output) == _tree(clean.output)
    assert _tree(elsewhere) == kept_elsewhere, "a file outside output/ was written or removed"
    assert site.build().rendered == 0


def test_output_is_checked_by_reading_only_the_folders_a_name_came_or_went_in(site, monkeypatch):
    """Every file of output/ is looked at, but only the folders whose stamp changed are read for names no build
    made (a name added or removed changes it): at 100,000 stories a language, output/ has 370,000 folders."""
    site.write(_stories())
    site.build()
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    site.build()
    site.write({"content/2023/new.en.md": article("A new story", "2023-03-20", "New. " * 20)})
    site.build()
    (site.root / "content/2023/s7.en.md").unlink()
    site.build()
    _put(site.output / "en/empty/deep.txt", b"mine")
    site.build()  # in place, each of them
    manifest = read_cache_file(site.root / ".cache/mujaz/state.pickle")[1]["output"]
    folders = {os.path.relpath(here, site.output).removeprefix("."): os.lstat(here)
               for here, _, _ in os.walk(site.output)}
    assert dict(manifest.folders()) == {rel: (st.st_size, st.st_mtime_ns, st.st_ino) for rel, st in folders.items()}

    read: list[str] = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": read.append(str(path)) or scandir(path))
    assert site.build().rendered == 0
    assert [path for path in read if path.startswith(str(site.output))] == []
    _put(site.output / "2023/01/10/s0/notes.txt", b"mine")
    site.build()
    assert [path for path in read if path.startswith(str(site.output))] == [str(site.output / "2023/01/10/s0")]
    assert not (site.output / "2023/01/10/s0/notes.txt").exists()


def test_explain_says_why_a_page_was_written_or_kept(site):
    site.write(_stories())
    first = site.cli("--explain", "index.html")
    assert first.returncode == 0, first.stderr
    assert "index.html: rendered again: no earlier build of this site is known" in first.stdout

    _edit(site, "content/2023/s4.en.md", "Story 4 on", "Updated story 4 on")
    result = site.cli("--explain", "en/2023/02/14/s4/", "--explain", "https://example.org/digest/en/",
                      "--explain", "/digest/en/tags/", "--explain", "output/2023/02/14/s4/index.html",
                      "--explain", "en/2023/01/", "--explain", "assets/style.css", "--explain", "en/2023/02/14/")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()[1:]
    assert lines[0].startswith("en/2023/02/14/s4/index.html: rendered again: content/2023/s4.en.md changed. "
                               "Made from: template article.html; ")
    # The home page's first ten stories are from March.
    assert lines[1].startswith("en/index.html: kept: nothing it is made from changed. Made from: template "
                               "home.html; 10 article(s)")
    assert lines[2].startswith("en/tags/index.html: kept: nothing it is made from changed")
    # The Arabic page shows its translation's title in the language switcher.
    assert lines[3].startswith("2023/02/14/s4/index.html: rendered again: content/2023/s4.en.md changed")
    assert lines[4].startswith("en/2023/01/index.html: kept: nothing it is made from changed")  # s4 is in February
    assert lines[5].startswith("assets/style.css: a file copied as it is")
    assert lines[6].startswith("en/2023/02/14/index.html: rendered again: content/2023/s4.en.md changed")

    _edit(site, "content/2023/s4.en.md", "date: 2023-02-14", "date: 2023-01-14")
    moved = site.cli("--explain", "en/2023/01/", "--explain", "en/2023/02/")
    lines = moved.stdout.splitlines()[1:]
    assert "en/2023/01/index.html: rendered again: the articles it shows changed: now shows content/2023/s4.en.md" \
        in lines[0]
    assert "en/2023/02/index.html: rendered again: the articles it shows changed: no longer shows " \
           "content/2023/s4.en.md" in lines[1]

    unknown = site.cli("--explain", "en/2023/13/")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines()[-1] == (
        "en/2023/13/: no file of the site is written there — give a file under output/ (such as index.html) or a "
        "page's address")


def _articles_in(value: object, found: set[str]) -> None:
    """Every article anywhere inside a context value (this test's own walk, not pagegraph's)."""
    if isinstance(value, Article):
        found.add(value.path)
    elif isinstance(value, Page):
        return  # the sitemap lists pages, not what they show
    elif isinstance(value, Mapping):
        for item in value.values():
            _articles_in(item, found)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _articles_in(item, found)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            _articles_in(getattr(value, f.name), found)


def test_every_article_a_page_holds_is_in_its_record_and_records_survive_the_cache(site):
    site.write(_stories())
    pages = list(site.build(keep_model=True).model.pages)
    made = records(pages)
    for page, record in zip(pages, made):
        found: set[str] = set()
        _articles_in(dict(page.context), found)
        assert set(record.shows) == found, page.file
    assert sum(bool(r.shows) for r in made) > len(made) / 2
    assert records(pages) == made  # the same pages, the same records
    graph = PageGraph({p.file: r for p, r in zip(pages, made)}, {"a.md": "k"}, "g")
    assert load_values(pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL)) == graph


def test_a_build_from_nothing_holds_one_familys_pages_at_a_time_and_writes_what_planning_all_at_once_does(
        site, tmp_path, monkeypatch):
    """The pages of a build from nothing are planned again family by family as they are rendered and recorded:
    at 100,000 stories a language, holding them all at once took 0.7 GB. The site and its page graph are the
    ones a build that holds every page writes (the preview's, which keeps its model)."""
    import weakref

    site.write(_stories())
    alive, rendered, most_held = weakref.WeakSet(), [], [0]
    made, render = Page.__post_init__, generator.templates.Renderer.render

    def counted(self):
        made(self)
        alive.add(self)

    def counting(self, page):
        most_held[0] = max(most_held[0], len(alive))
        rendered.append(page.file)
        return render(self, page)
    monkeypatch.setattr(Page, "__post_init__", counted)
    monkeypatch.setattr(generator.templates.Renderer, "render", counting)
    site.build(jobs=1)
    deferred, graph = site.snapshot(), _graph_shards(site)
    held, most_held[0] = most_held[0], 0
    assert len(rendered) > 100 and held < len(rendered) / 2, (len(rendered), held)

    shutil.rmtree(site.root / "output")
    shutil.rmtree(site.root / ".cache")
    rendered.clear()
    site.build(jobs=1, keep_model=True)  # every page planned at once
    assert most_held[0] >= len(rendered), (len(rendered), most_held[0])
    assert site.snapshot() == deferred
    assert _graph_shards(site) == graph


def _graph_shards(site) -> dict[str, tuple]:
    """The page graph's shards as the cache holds them: each one's records, page copies and families."""
    return {path.name: read_cache_file(path)[1]["graph"][1:] for path in (site.root / CACHE_DIR).glob("graph-*.pickle")}


def test_a_value_the_graph_cannot_record_is_an_error_not_a_dependency_left_out():
    with pytest.raises(TypeError, match="cannot record"):
        records([Page("x/", "home.html", "ar", "home", {"thing": object()})])


def test_a_copied_file_is_read_again_only_when_its_stamp_changes(site, monkeypatch):
    import generator.rebuild

    monkeypatch.setattr(generator.rebuild, "SETTLE_NS", 0)  # every file counts as settled: no test waits 3 s
    site.write({**_stories(), "static/files/note.txt": "one"})
    site.build()
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or real(self))
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    site.build()
    assert "note.txt" not in reads, [r for r in reads if not r.endswith(".py")]
    (site.root / "static/files/note.txt").write_text("two")  # the same size, other bytes
    site.build()
    assert "note.txt" in reads and (site.output / "files/note.txt").read_text() == "two"


def test_a_publish_from_a_restored_cache_reads_no_share_card_or_photo_copy(site, tmp_path, monkeypatch):
    """A CI publish restores .cache/ as new files (new inodes and times), so no stamp matched and every share
    card and photo copy was read and hashed to decide what to publish: a gigabyte at 10,000 stories a language.
    They are named in the cache by a hash of what they show; that name is all a build needs of them."""
    photo = io.BytesIO()
    Image.linear_gradient("L").resize((1600, 1000)).convert("RGB").save(photo, "JPEG")
    site.write({**_stories(), "static/images/port.jpg": photo.getvalue(),
                "content/2023/s0.en.md": article("Story 0", "2023-01-10", "Text.", image="{src: /images/port.jpg, alt: A port}")})
    site.build()
    restored = Site(tmp_path / "runner")
    shutil.copytree(site.root, restored.root, ignore=shutil.ignore_patterns("output"))
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.as_posix()) or real(self))
    restored.build()
    cache = (restored.root / ".cache/mujaz").as_posix()
    assert not [r for r in reads if r.startswith((cache + "/cards/", cache + "/images/"))]
    published = {p.relative_to(restored.output).as_posix(): p.read_bytes() for p in restored.output.rglob("*")
                 if p.is_file()}
    assert published == {p.relative_to(site.output).as_posix(): p.read_bytes() for p in site.output.rglob("*")
                         if p.is_file()}, "the same site as the build that made the cache"
    assert sum(name.endswith("/card.png") for name in published) == 59 and "images/port-w480.webp" in published
