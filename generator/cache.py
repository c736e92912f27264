"""The build cache in `.cache/`: what earlier builds worked out, so the next one redoes only what changed.

It holds parsed front matter and rendered Markdown by content hash (the HTML itself in the body
store, `bodies.py`), the related lists by a hash of their inputs, the manifest of output/, and what
every page of it was made from (`pagegraph.PageGraph`). Two salts key its files (`Salts`): what the content
stages make by the generator's code and the settings they read; the rest by the code, the whole
config and the theme's files. Change the code and the cache is ignored; change the theme or a
setting only pages show (`_PAGE_SETTINGS`) and only pages are made again. A cache that
cannot be read, or was written by another version, is ignored too, never trusted.

A cache may come from elsewhere (the Pages workflow restores it with actions/cache), so it is
read by an unpickler that builds only plain value types (`picklesafe.py`). Those types can still
hold values in shapes no build writes; checking every one where it is read would spread through
every stage, so a build or check that fails on one (`cache_at_fault`) runs again without the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import os
import pickle
import sys
import tempfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NamedTuple

from . import __version__
from .errors import Diagnostic, MujazError
from .manifest import Manifest
from .picklesafe import Within, load_values

if TYPE_CHECKING:
    from .config import SiteConfig
    from .theme import Theme

_FORMAT = 2
_MAGIC = b"mujaz-cache\n"

GENERATOR_DIR = Path(__file__).resolve().parent
CACHE_DIR = Path(".cache") / "mujaz"  # under the site's folder


def salt_for(*parts: object, folders: tuple[Path, ...] = ()) -> str:
    """A hash of `parts`, the generator's code and every file under `folders`."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(repr((_FORMAT, __version__, sys.version_info[:2], parts)).encode())
    for folder in (GENERATOR_DIR, *folders):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


class Salts(NamedTuple):
    """The two salts of a cache's files. `content` keys what the content stages make (front matter, Markdown,
    term counts, related lists, search): the code and the settings those stages read. `site` keys the rest
    (the page graph, output/'s manifest, what the last build read): everything, the theme included."""

    content: str
    site: str


# Settings that only change how pages look: an edit to one renders every page again, but keeps the
# content stages' work (a stylesheet edited at 10,000 stories a language took a whole rebuild: 31 s, now 16).
# Left out of the content salt by name, so a setting added later counts until it is known not to.
_PAGE_SETTINGS = ("per_page", "feed_size", "theme", "cname", "images", "date", "admin", "share", "deploy", "logo")
_LANGUAGE_PAGE_SETTINGS = ("name", "locale", "title", "description", "publisher", "author")
# Where the folders are: a site moved or checked out elsewhere keeps its cache (what the cache says of
# output/ is checked against the folder itself).
_PLACES = ("root", "source", "output_dir")


def cache_salts(config: SiteConfig, theme: Theme, versioned_assets: bool) -> Salts:
    """The salts of a site's cache: the content stages' settings, and for the rest also its theme's files and
    strings, and whether assets are linked by versioned names (a build) or not (the preview). Pages link an
    asset by a name made from its bytes, except in the preview: there a stylesheet edited changes no page."""
    folders = tuple(theme.template_dirs) + ((theme.static_dir,) if theme.static_dir and versioned_assets else ())
    placed = dataclasses.replace(config, root=Path(), source=Path(config.source.name), output_dir=Path())
    content = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)
               if f.name not in _PAGE_SETTINGS + _PLACES}
    content["languages"] = tuple({f.name: getattr(lang, f.name) for f in dataclasses.fields(lang)
                                  if f.name not in _LANGUAGE_PAGE_SETTINGS} for lang in config.languages)
    return Salts(salt_for(repr(content)),
                 salt_for(repr(placed), repr(theme.strings), versioned_assets, folders=folders))


def cache_at_fault(exc: Exception) -> bool:
    """Whether a failure may come from what the cache holds: not a mistake in the site, a file that cannot be
    read or written, or memory running out, which a build without the cache would meet again."""
    return not isinstance(exc, MujazError | OSError | MemoryError)


def unusable_cache(exc: Exception, done: str) -> Diagnostic:
    """The warning of a build or check that could not use the cache, and went on without it (`done`)."""
    return Diagnostic(CACHE_DIR.as_posix() + "/", f"holds values Mujaz cannot use ({type(exc).__name__}: {exc})"[:300],
                      hint=f"{done}: nothing to do", severity="warning")


# Read by every build. The content files' stamps are a content part: a restyled site at 100,000 stories a
# language read and hashed every file again without them (23 s).
_STAMPS = "stamps.pickle"
_SMALL = {"state.pickle": ("output_dir", "output", "inputs", "valid_until", "summary"), _STAMPS: ("stamps",)}
# The large parts, read only by a build with work to do: pickling them takes most of a second at 10,000
# articles per language.
_LARGE = {"parsed.pickle": ("terms", "related_state"),
          "content.pickle": ("related",),
          "search.pickle": ("search",),
          "pages.pickle": ("graph", "graph_shards", "graph_files")}
# Of them, read apart (`load_search`), once the related stage has let go of its terms and model: read with the
# rest, the search entries (0.4 GB at 100,000 stories a language) made an edit's peak in that stage, 4.1 GB.
_LATE = "search.pickle"
# Each article's search entry, in shards by its key (`entries-07.pickle`), each read only when an entry in it is
# asked for (`entry`), and written only when an entry in it came or went: an edit whose index is updated in place
# needs the entry of the story it replaces, not the 0.3 GB of every story's (at 100,000 stories a language).
_ENTRIES = "entries"
# The term memo's counts of each translation group (related.TermMemo.groups), in shards by group (`terms-07.pickle`)
# beside parsed.pickle, which holds the rest of the memo: an edit changes a group or two, and wrote the whole memo
# again (0.3 GB at 100,000 stories a language). A group's term ids number the vocabulary parsed.pickle holds, which
# only grows until it starts afresh (a new generation): so each shard is stamped with the generation and the size
# of the vocabulary it was written with, and one stamped with a vocabulary parsed.pickle does not hold (a build
# killed before it saved parsed.pickle) is read as empty, its groups analysed again.
_TERMS = "terms"
# The two largest, one entry per article file, in shards (`documents-07.pickle`): an edit changes an entry
# or two, and a build writes only the shards whose entries changed, not the whole (1.7 GB at 100,000
# articles per language, and as much again for the pickler's memo of every object it wrote).
_SHARDED = ("documents", "rendered")
_SHARDS = 32
# The page graph's shards are more: an edit changes the families of a few dozen pages (the story's, its
# listings', its archive days'), which fell in most of 32 shards, so nearly the whole graph was written again
# (1.1 s of an edit at 10,000 stories a language, 0.44 GB at 100,000).
_GRAPH_SHARDS = 256
# The page graph's parts that every build reads and that grow with the pages, in shards by output file (a family
# by its name), as `graph-07.pickle`; pages.pickle holds the rest. Pickled in one piece, the graph's memo grew a
# build from nothing at 100,000 stories a language by 0.4 GB, its peak; and an edit writes only the shards it
# changed. Unlike the entries above, a family is not keyed by what it was made from: it describes one output/. So
# each shard holds the generation of output/ it was written for, pages.pickle names that of each shard it goes
# with, and a shard another build left (one killed before it saved pages.pickle) is read as empty: its families
# are planned again.
_GRAPH_PARTS = ("copies", "families")
# The parts read only where a build asks (`records`, `shown`): each page's record by its output file, and the
# pages that show each article by its source, in shards named by the generation of output/ they were written
# for (`records-07f-<generation>.pickle`). pages.pickle names the file of each shard, so a build killed before
# it saved pages.pickle leaves files no build reads (the next save removes them), and a shard named but missing
# or unreadable is a cache at fault (`cache_at_fault`): unlike a family, the index cannot be read as empty.
_KEYED = {"records": 1024, "shows": 256}
# With the shards, what the content stages make.
_CONTENT_FILES = ("stamps.pickle", "parsed.pickle", "content.pickle", "search.pickle")
# Of them, what the related and search stages make, and the parts no later stage reads (with their empty values).
_CONTENT_PARTS = {"parsed.pickle": {"terms": None, "related_state": None}, "content.pickle": {}}
_NONE = object()  # a default no entry of a shard can equal


def _shard(key: str, shards: int = _SHARDS) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % shards


@dataclass
class BuildCache:
    """Mutable on purpose: one build reads it, adds to it, and saves it at the end.

    A small file (output manifests, content file stamps, and what the last build's
    inputs were) that every build reads, and the large ones (parsed and rendered
    content and the page graph's records, in shards; the related model, search and the
    rest of the page graph) that a build reads only when something changed.
    """

    folder: Path | None
    salts: Salts
    output_dir: str = ""  # the folder the manifests below describe
    output: Manifest | None = None  # output/: every file's stamp
    inputs: str = ""  # hash of everything the last build read
    valid_until: datetime | None = None  # when a scheduled article of the last build becomes due
    summary: Any = None  # what the last build reported
    stamps: dict[str, tuple] = field(default_factory=dict)  # content file -> (content.Stamp, hash of its bytes)
    documents: dict[str, tuple[str, Any, tuple]] = field(default_factory=dict)  # file -> (hash, Document|None, diagnostics)
    rendered: dict[str, Any] = field(default_factory=dict)  # hash of the file -> its rendered body (Rendered)
    related: tuple[str, Any] | None = None  # (inputs hash, related lists)
    terms: Any = None  # related.TermMemo: analysed text of every translation group
    related_state: Any = None  # relatedmodel.RelatedState: the fit, vectors and best candidates of the last lists
    search: dict[str, Any] = field(default_factory=dict)  # language -> search.Indexed
    search_entries: dict[str, Any] = field(default_factory=dict)  # entry key -> entry: the shards read, and new ones
    graph: Any = None  # pagegraph.PageGraph: what each page of output/ was made from (for output.generation)
    graph_shards: tuple = ()  # as read: the generation each graph shard was written for
    graph_files: dict[str, tuple] = field(default_factory=dict)  # as read: `_KEYED` name -> each shard's file, or ""
    _large_loaded: bool = False
    _search_read: bool = False
    _entry_shards: set[int] = field(default_factory=set)  # the entry shards read (or, for `empty`, never to be)
    _saved: set[str] = field(default_factory=set)  # files written already by save_content
    _shards_read: dict[str, list] = field(default_factory=dict)  # name -> each shard as read (its entries, or the graph's parts)
    _keyed_read: dict[str, dict[int, dict]] = field(default_factory=dict)  # `_KEYED` name -> shard number -> its entries
    _last_graph: Any = None  # the graph as read, for what the next one leaves out (`_gone`)

    @classmethod
    def load(cls, folder: Path | None, salts: Salts, stamps: bool = True) -> BuildCache:
        """The small files every build reads; without `stamps`, the content files' stamps are read later
        (`load_stamps`): a build starts checking output/, which needs only its manifest, before it reads them
        (0.3 s at 100,000 stories a language, which a build with nothing to do waited for)."""
        cache = cls(folder, salts)
        for file, names in _SMALL.items():
            if stamps or file != _STAMPS:
                cache._read_parts(file, names)
        return cache

    def load_stamps(self) -> None:
        self._read_parts(_STAMPS, _SMALL[_STAMPS])

    @classmethod
    def empty(cls, folder: Path, salts: Salts) -> BuildCache:
        """A cache that reads nothing from `folder` and saves every part there, replacing what it held."""
        cache = cls(folder, salts)
        cache._large_loaded = cache._search_read = True
        cache._entry_shards = set(range(_SHARDS))
        return cache

    def load_documents(self) -> None:
        """The front matter parsed by earlier builds: all a build reads before it can report a mistake in a file."""
        if not self._large_loaded:
            self._load_shards("documents")

    def load_content(self) -> None:
        """The large files, read only by a build that has work to do (the search's later: `load_search`)."""
        if not self._large_loaded:
            for file, names in _LARGE.items():
                if file != _LATE:
                    self._read_parts(file, names)
            for name in _SHARDED:
                self._load_shards(name)
            self._load_term_groups()
            self._load_graph()
            self._large_loaded = True

    def search_waiting(self) -> bool:
        """Whether an earlier build's search indexes are there for `load_search` to read (and their entries for
        `entry`), made with this build's settings: content.pickle, saved by the same builds under the same salt,
        was read."""
        return (not self._search_read and self.related is not None and self.folder is not None
                and (self.folder / _LATE).is_file())

    def load_search(self) -> None:
        """The search indexes of the last build, whose articles' entries `entry` then reads."""
        if not self._search_read:
            self._read_parts(_LATE, _LARGE[_LATE])
            self._search_read = True

    def entry(self, key: str) -> Any:
        """The search entry of an article of the last build, by its key (None if unknown), read with its shard.
        Nothing is read before `load_search`: without the last build's indexes, their entries are not this build's."""
        shard = _shard(key)
        if self._search_read and shard not in self._entry_shards:
            self._entry_shards.add(shard)
            read = self._read_shard(_ENTRIES, shard)
            for known, value in (read.items() if isinstance(read, dict) else ()):
                self.search_entries.setdefault(known, value)
        return self.search_entries.get(key)

    def save_search(self, indexes: dict[str, Any], new: dict[str, Any], write: bool = True) -> None:
        """Keep the search indexes, and save them with the entries of their articles (`new`: those not read by
        `entry`) as soon as they are made; then let go of the entries. Only the entry shards where an article
        came or went are written, unless the last build's indexes were not read: then every one is."""
        before = {key for made in self.search.values() for key in getattr(made, "docs", ())}
        self.search, self.search_entries = indexes, {**self.search_entries, **new}
        if write and self._large_loaded and self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            keep = {key for made in indexes.values() for key in made.docs}
            changed = before ^ keep
            shards = {_shard(key) for key in changed} if before else set(range(_SHARDS))
            for key in changed if before else ():  # a shard written keeps the entries it holds: read it first
                self.entry(key)
            held: list[dict] = [{} for _ in range(_SHARDS)]
            for key in keep:
                # An entry a build killed midway left out of its shard is left out again: an update that needs it
                # builds the index whole, and reads it anew.
                if _shard(key) in shards and key in self.search_entries:
                    held[_shard(key)][key] = self.search_entries[key]
            for shard in sorted(shards):
                self._write(f"{_ENTRIES}-{shard:02x}.pickle", {_ENTRIES: held[shard]})
            self._write(_LATE, {"search": indexes})
            self._saved.add(_LATE)
        self.search_entries = {}

    def _read_parts(self, file: str, names: tuple[str, ...]) -> None:
        for name, value in self._read(file).items():
            if name in names:
                setattr(self, name, value)

    def _load_graph(self) -> None:
        """The page graph: pages.pickle's part and each shard it names. A value in a shape no build writes
        raises here, as it would where it is read (`cache_at_fault`)."""
        if self.graph is None:
            return
        shards = [self._read_shard("graph", i) for i in range(_GRAPH_SHARDS)]
        read = [shard[1:] if type(shard) is tuple and shard[0] == generation else ({},) * len(_GRAPH_PARTS)
                for shard, generation in zip(shards, self.graph_shards, strict=True)]
        self._shards_read["graph"] = read
        for name, count in _KEYED.items():
            files = self.graph_files.get(name)
            if type(files) is not tuple or len(files) != count or not all(type(file) is str for file in files):
                raise ValueError(f"pages.pickle names no sound {name} shards")
        self.graph = dataclasses.replace(self.graph, **{name: {key: value for parts in read for key, value in
                                                               parts[n].items()} for n, name in enumerate(_GRAPH_PARTS)})
        self._last_graph = self.graph

    def records(self, files: Iterable[str]) -> dict[str, Any]:
        """The last build's record of each of `files` it had (`pagegraph.Record`), their shards read once."""
        found = {}
        for file in files:
            record = self._keyed_shard("records", _shard(file, _KEYED["records"])).get(file)
            if record is not None:
                found[file] = record
        return found

    def shown(self, articles: Iterable[str]) -> frozenset[str]:
        """The output files of the last build whose pages show one of `articles` (by source)."""
        return frozenset(file for article in articles
                         for file in self._keyed_shard("shows", _shard(article, _KEYED["shows"])).get(article, ()))

    def _keyed_shard(self, name: str, number: int) -> dict:
        read = self._keyed_read.setdefault(name, {})
        if number not in read:
            file = self.graph_files[name][number] if self._last_graph is not None else ""
            shard = self._read(file).get(name) if file else {}
            if type(shard) is not dict or not all(isinstance(value, tuple) for value in shard.values()):
                raise ValueError(f"{file}: not a sound shard of the page graph's {name}")
            read[number] = shard
        return read[number]

    def _load_term_groups(self) -> None:
        memo = self.terms
        if memo is None:
            return
        stamp = (memo.generation, len(memo.vocabulary))
        read = []
        for i in range(_SHARDS):
            shard = self._read_shard(_TERMS, i)
            sound = (type(shard) is tuple and len(shard) == 2 and type(shard[0]) is tuple and len(shard[0]) == 2
                     and shard[0][0] == stamp[0] and shard[0][1] <= stamp[1] and isinstance(shard[1], dict))
            read.append(shard[1] if sound else {})
        self._shards_read[_TERMS] = read
        memo.groups = {key: group for shard in read for key, group in shard.items() if key in memo.sums}

    def _load_shards(self, name: str) -> None:
        if name not in self._shards_read:
            shards = [self._read_shard(name, i) for i in range(_SHARDS)]
            self._shards_read[name] = [shard if isinstance(shard, dict) else {} for shard in shards]
            setattr(self, name, {key: value for shard in self._shards_read[name] for key, value in shard.items()})

    def _read_shard(self, name: str, number: int) -> Any:
        """What shard `number` of `name` holds (`name-07.pickle`), or None."""
        return self._read(f"{name}-{number:02x}.pickle").get(name)

    def _read(self, name: str) -> dict:
        path = self.folder / name if self.folder else None
        if path is None or not path.is_file():
            return {}
        try:
            with path.open("rb") as handle:
                if handle.read(len(_MAGIC)) != _MAGIC:
                    return {}
                left = os.fstat(handle.fileno()).st_size - len(_MAGIC)
                stored_salt, state = load_values(Within(handle, left))
        except Exception:  # noqa: BLE001 - a damaged or foreign cache of any kind is rebuilt, never trusted
            return {}
        return state if stored_salt == self._salt(name) and isinstance(state, dict) else {}

    def _salt(self, file: str) -> str:
        return (self.salts.content if file in _CONTENT_FILES or file.startswith((*_SHARDED, _ENTRIES, _TERMS))
                else self.salts.site)

    def save_content(self, file: str, write: bool = True) -> None:
        """Save one of the late content parts as soon as it is made (parsed.pickle and content.pickle after the
        related lists; the search's: `save_search`), and let go of what no later stage reads (the term memo, the
        related model): a build from nothing at 100,000 stories a language carried a gigabyte of them, with the
        search entries, through the page stages, where it peaked. `write` False (check): only let go of."""
        if write and self._large_loaded and self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            state = {name: getattr(self, name) for name in _LARGE[file]}
            if file == "parsed.pickle" and self.terms is not None:  # its shards before the file that stamps them
                for name, shard in self._changed_term_shards():
                    self._write(name, shard)
                state["terms"] = dataclasses.replace(self.terms, groups={})
            self._write(file, state)
            self._saved.add(file)
        for name, empty in _CONTENT_PARTS[file].items():
            setattr(self, name, empty)

    def save(self) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # Any mix of old and new files is sound: every entry is keyed by what it was made from (the page
        # graph by the generation of output/ it describes).
        files = _SMALL | _LARGE if self._large_loaded else _SMALL
        parts = [(file, {name: getattr(self, name) for name in names}) for file, names in files.items()
                 if file not in self._saved and file != "pages.pickle"]
        if self._large_loaded:  # its shards before pages.pickle, which names them
            parts += self._graph_files()
        # Pickled here, one file after another. Forked writers were no faster (an edit at 10,000 stories a
        # language took 4.94 s with two, 4.76 s without), and a process that pickles the build's values
        # touches every one of them, so the system copied them all for it: 80 MB more at that size, and
        # the gigabytes a runner lacks at 100,000.
        for file, state in parts + (self._changed_shards() if self._large_loaded else []):
            self._write(file, state)
        if self._large_loaded:
            self._drop_unnamed()

    def _drop_unnamed(self) -> None:
        """Remove the shard files of the records and the index that pages.pickle, as saved, does not name: those
        the last save replaced, and those of a build killed before it saved pages.pickle."""
        named = {file for files in self.graph_files.values() for file in files}
        for name in _KEYED:
            for path in self.folder.glob(f"{name}-*.pickle"):
                if path.name not in named and path.is_file() and not path.is_symlink():  # a folder is not ours
                    path.unlink(missing_ok=True)

    def _changed_shards(self) -> list[tuple[str, dict]]:
        """(file, state) of every shard of the parsed and rendered files that changed (`_changed`)."""
        return [(f"{name}-{i:02x}.pickle", {name: now}) for name in _SHARDED
                for i, now in self._changed(name, {key: without_body(value) for key, value in self.documents.items()}
                                            if name == "documents" else getattr(self, name)).items()]

    def _changed_term_shards(self) -> list[tuple[str, dict]]:
        """(file, state) of every shard of the term memo's groups that changed, stamped with its vocabulary."""
        memo = self.terms
        stamp = (memo.generation, len(memo.vocabulary))
        return [(f"{_TERMS}-{i:02x}.pickle", {_TERMS: (stamp, now)}) for i, now in self._changed(_TERMS, memo.groups).items()]

    def _changed(self, name: str, entries: Mapping[str, Any]) -> dict[int, dict]:
        """Per shard of `name` whose entries are not, one for one, the very ones it was read with, its entries
        now (every shard if none was read: replacing whatever the folder held)."""
        return _patched_shards(self._shards_read.get(name), entries, _SHARDS, operator.is_)

    def _graph_files(self) -> list[tuple[str, dict]]:
        """(file, state) of every graph shard where an entry came, went or changed, then of pages.pickle. Entries
        are compared by value, not by identity as in `_changed`: every page planned again gets a new record,
        mostly equal to its last one, and an edit plans hundreds of pages again, spread over every shard."""
        graph = self.graph
        if graph is None:
            self.graph_files = {}
            return [("pages.pickle", {"graph": None, "graph_shards": (), "graph_files": {}})]
        read = self._shards_read.get("graph")
        changed = [_patched_shards([shard[n] for shard in read] if read is not None else None, getattr(graph, name),
                                   _GRAPH_SHARDS, _equal) for n, name in enumerate(_GRAPH_PARTS)]
        files, generations = [], list(self.graph_shards) if read is not None else [""] * _GRAPH_SHARDS
        for i in sorted(set().union(*changed)):
            parts = tuple(part[i] if i in part else read[i][n] for n, part in enumerate(changed))
            generations[i] = graph.generation
            files.append((f"graph-{i:02x}.pickle", {"graph": (graph.generation, *parts)}))
        keyed, self.graph_files = self._keyed_files(graph)
        head = dataclasses.replace(graph, records={}, complete=False, **{name: {} for name in _GRAPH_PARTS})
        return keyed + files + [("pages.pickle", {"graph": head, "graph_shards": tuple(generations),
                                                  "graph_files": self.graph_files})]

    def _keyed_files(self, graph: Any) -> tuple[list[tuple[str, dict]], dict[str, tuple]]:
        """(file, state) of every shard of the records and of the index of what pages show (`_KEYED`) that
        changed, and the file of each shard. A graph that is `complete` replaces every shard; another is a patch
        of the last one: the records it made, and those of the pages it no longer has (`_gone`) left out."""
        if graph.complete:
            self._keyed_read = {name: {i: {} for i in range(count)} for name, count in _KEYED.items()}
            named = {name: ("",) * count for name, count in _KEYED.items()}
            now, before = graph.records, {}
        else:  # only a build that read the last graph plans a part of its pages
            named = dict(self.graph_files)
            gone = self._gone(graph)
            before = self.records(graph.records.keys() | gone)
            now = {file: record for file, record in graph.records.items() if before.get(file) != record}
            before = {file: before[file] for file in now.keys() | gone if file in before}
        touched: dict[str, set[int]] = {name: set() for name in _KEYED}
        for file in now.keys() | before.keys():
            number = _shard(file, _KEYED["records"])
            touched["records"].add(number)
            shard = self._keyed_shard("records", number)
            if file in now:
                shard[file] = now[file]
            else:
                shard.pop(file, None)
        came, went = _shows_moved(before, now)
        for article in came.keys() | went.keys():
            number = _shard(article, _KEYED["shows"])
            touched["shows"].add(number)
            shard = self._keyed_shard("shows", number)
            files = (set(shard.get(article, ())) - set(went.get(article, ()))) | set(came.get(article, ()))
            if files:
                shard[article] = tuple(sorted(files))
            else:
                shard.pop(article, None)
        written = []
        for name, numbers in touched.items():
            files = list(named[name])
            for number in sorted(numbers):
                shard = self._keyed_read[name][number]
                files[number] = f"{name}-{number:03x}-{graph.generation}.pickle" if shard else ""
                if shard:
                    written.append((files[number], {name: shard}))
            named[name] = tuple(files)
        return written, named

    def _gone(self, graph: Any) -> set[str]:
        """The output files of the last build's pages that `graph` has no page for: those of every family it
        does not keep as it was, and its loose pages, but for the pages it planned."""
        last = self._last_graph
        gone = set(last.loose)
        for name, before in last.families.items():
            pages = getattr(before, "pages", None)
            if graph.families.get(name) is not before and type(pages) is tuple:  # malformed: planned, so sound now
                gone.update(page[0] for page in pages if type(page) is tuple and page and type(page[0]) is str)
        return gone - graph.records.keys()

    def _write(self, name: str, state: dict) -> None:
        assert self.folder is not None
        fd, tmp = tempfile.mkstemp(prefix=".cache-", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC)
                pickle.dump((self._salt(name), state), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / name)
        except IsADirectoryError:
            # Something put a folder where this file goes: not ours to delete, and the cache only saves time.
            Path(tmp).unlink(missing_ok=True)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def without_body(entry: tuple) -> tuple:
    """A parsed file's entry as the cache keeps it: without the Markdown body (a gigabyte at 100,000 articles
    per language), which only a body not yet rendered needs, and `content.body_of` reads again. An entry
    that came from the cache has none already, and stays the very same object."""
    key, document, found = entry
    if document is None or not document.body:
        return entry
    return key, dataclasses.replace(document, body=""), found


def _patched_shards(read: list[dict] | None, entries: Mapping[str, Any], shards: int,
                    same: Callable[[Any, Any], bool]) -> dict[int, dict]:
    """Per shard whose entries differ from `read` (each shard's entries as read), by `same`, its entries now;
    every shard when `read` is None. Only the entries that came, went or changed are sorted into their shards:
    at 100,000 stories a language, sorting every entry again took an edit more than a second."""
    if read is None:
        every: dict[int, dict] = {i: {} for i in range(shards)}
        for key, value in entries.items():
            every[_shard(key, shards)][key] = value
        return every
    before: dict[str, Any] = {}
    for shard in read:
        before.update(shard)
    changed: dict[int, dict] = {}
    for key, value in entries.items():
        if not same(before.get(key, _NONE), value):
            changed.setdefault(_shard(key, shards), {})[key] = value
    gone = before.keys() - entries.keys()
    for key in gone:
        changed.setdefault(_shard(key, shards), {})
    return {i: {**{key: value for key, value in read[i].items() if key not in gone}, **fresh}
            for i, fresh in changed.items()}


def _shows_moved(before: Mapping[str, Any], now: Mapping[str, Any]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per article, the output files whose pages show it now and did not (first), and those that showed it and
    no longer do (second): from each page's record `before` (absent: a new page) to `now` (absent: a page gone)."""
    came: dict[str, list[str]] = defaultdict(list)
    went: dict[str, list[str]] = defaultdict(list)
    for file in before.keys() | now.keys():
        old, new = before.get(file), now.get(file)
        if old is not None and new is not None and old.shows == new.shows:
            continue
        shown, showing = old.shows if old else (), new.shows if new else ()  # each names an article once
        for article in showing:
            if article not in shown:
                came[article].append(file)
        for article in shown:
            if article not in showing:
                went[article].append(file)
    return came, went


def _equal(before: Any, now: Any) -> bool:
    return before is now or before == now
