"""The cache's copy of every page's bytes, so a build without output/ renders only what changed.

A publish from CI restores `.cache/` but starts with no output/: without these copies it renders
every page again (18 of 42 s at 10,000 articles per language). Each page is kept once, named by
the hash of its bytes; the page graph (`pagegraph.PageGraph.copies`) says which page it is. The
cache may come from elsewhere, so a copy is used only if it is a plain file (a link is never
followed), no larger than MAX_PAGE_BYTES, whose bytes hash to its name: anything else is rendered
again, never published. A copy is a hard link to the page the build wrote into output/ (and a page
copied into output/ is one to the copy), so the copies and the pages take their room on disk once (430
MB at 10,000 articles per language); a build with `--no-cache` keeps none.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .hashing import digest
from .writer import hard_link, read_plain, write_new

# A page larger than this is neither kept nor read back: a planted file must not fill the memory.
MAX_PAGE_BYTES = 64 << 20
_SUFFIX = ".page"
_NAME = re.compile(r"[0-9a-f]{32}")
_OURS = re.compile(r"^\.?([0-9a-f]{32})(\.page|\.\d+)$")  # a copy, or a partial one of a killed build


class PageStore:
    """A folder of page copies, two hex digits of the name per subfolder (shelf). Safe in forked workers."""

    def __init__(self, folder: Path):
        self.folder = folder
        # What a cache from elsewhere may hold in place of a folder (a link, a file) is neither followed nor
        # removed: the store does without it. Checked once, before the workers start.
        self.usable = not os.path.lexists(folder) or (folder.is_dir() and not folder.is_symlink())
        self._refused: set[str] = set()
        self._shelves: set[str] = set()  # made or found by this process
        self._prefix = os.path.join(folder, "")
        if self.usable and folder.is_dir():
            with os.scandir(folder) as shelves:
                self._refused = {shelf.name for shelf in shelves if not shelf.is_dir(follow_symlinks=False)}

    def path(self, name: str) -> str | None:
        """Where the copy called `name` is kept (None: nowhere it may be); get() checks its bytes. A string, not a
        Path: a publish from CI asks it twice for every page it copies, and a Path took ten times as long to make."""
        if not self.usable or not _NAME.fullmatch(name) or name[:2] in self._refused:
            return None
        return f"{self._prefix}{name[:2]}/{name}{_SUFFIX}"

    def put(self, data: bytes, same_as: Path | None = None) -> str:
        """Keep `data` (whole or not at all) and return its name; "" if it cannot be kept. `same_as`, a file
        holding exactly `data` that nothing writes into (the page as the build staged it), becomes the copy
        itself, a hard link: the page's bytes take their room on disk once."""
        name = digest(data)
        path = self.path(name) if len(data) <= MAX_PAGE_BYTES else None
        if path is None:
            return ""
        try:
            kind = os.lstat(path).st_mode
        except FileNotFoundError:
            kind = None
        if kind is not None and stat.S_ISREG(kind):
            return name  # the same bytes, kept by an earlier page or build (get() checks them before use)
        if kind is not None and stat.S_ISDIR(kind):
            return ""  # a folder in its place: not ours to remove
        shelf = os.path.dirname(path)
        if shelf not in self._shelves:  # one mkdir per shelf and process, not per page
            os.makedirs(shelf, exist_ok=True)
            self._shelves.add(shelf)
        partial = os.path.join(shelf, f".{name}.{os.getpid()}")
        # What is there already (its name can be foretold) is removed, never written through: a link or a
        # pipe from a cache made elsewhere, or a killed build's partial copy, which may be linked to a page.
        # A folder is not ours to remove.
        try:
            kind = os.lstat(partial).st_mode
        except FileNotFoundError:
            kind = None
        if kind is not None and stat.S_ISDIR(kind):
            return ""
        if kind is not None:
            os.unlink(partial)
        if same_as is None or hard_link(same_as, partial) is None:
            write_new(partial, data)
        os.replace(partial, path)  # over a link, the link is replaced: what it leads to is never touched
        return name

    def get(self, name: str) -> bytes | None:
        """The bytes kept as `name`, or None if they are missing, not a plain file, too large or not those bytes."""
        path = self.path(name)
        data = read_plain(path, MAX_PAGE_BYTES) if path is not None else None
        return data if data is not None and digest(data) == name else None

    def discard(self, name: str) -> None:
        """Remove the copy called `name` (one get() refused), so the next put() of those bytes writes it anew."""
        path = self.path(name)
        if path is not None and os.path.lexists(path) and not os.path.isdir(path):
            try:
                os.unlink(path)  # a link is removed, never what it leads to
            except FileNotFoundError:
                pass

    def prune(self, keep: set[str]) -> None:
        """Remove every copy (and leftover partial file) not named in `keep`."""
        if not self.usable or not self.folder.is_dir():
            return
        with os.scandir(self.folder) as shelves:
            for shelf in shelves:
                if shelf.name in self._refused or not shelf.is_dir(follow_symlinks=False):
                    continue
                with os.scandir(shelf.path) as entries:
                    for entry in entries:
                        ours = _OURS.match(entry.name)
                        if ours is None or entry.is_dir(follow_symlinks=False):
                            continue
                        if not (ours[2] == _SUFFIX and ours[1] in keep and entry.name[0] != "."):
                            os.unlink(entry.path)
