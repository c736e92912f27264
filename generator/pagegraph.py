"""What every page is made from, kept between builds: which pages a change renders again, and why.

A page's `Record` names the articles it shows (by source file) and holds a hash of every
other value its template can read, as plain data: its context and the page's own fields
(language, kind, date, alternates, language switcher). The record is made from the whole
context, so a value a later stage adds to a page (its pictures, its share card) is in it too,
and a type this module does not know is an error, never a value left out.

Pages are planned in families (`pages.Family`); `family_key` hashes a family's arguments, and
a family whose key is the last build's is neither planned nor recorded again. Hashing every family's
arguments is a pass over the whole site, so a build first asks which families can have changed at all
(`changed_values`, `BuildCache.shown`): a family's arguments are made from the values it names in
`Family.reads` (a listing's stories in order, a story's related list, its pictures and share card, a
language's search index) and the articles its pages show. Only a family that reads a changed value or
whose pages showed a changed article is hashed again: a story added on top of the home hashes the home's
families, its section's, tags' and days', and the stories whose related lists it enters, not the site's.

The build keeps each article's key (a hash of its file, see `pipeline._article_keys`) in its cache, and
the records by output file, with an index from each article to the pages that show it, in
shards read only where a build asks (`BuildCache.records`, `BuildCache.shown`): an edit plans a few dozen
pages, and reading every page's record took half of the state an edit read. The next build renders a page
again only when its record differs or an article it shows has a new key; `reason` says which, and
`build --explain PATH` prints it. A page it does not render is kept as output/ holds it, or, without
output/ (a publish from CI), copied from the cache (`pagestore.py`).
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from types import MappingProxyType
from typing import Any, NamedTuple

from .hashing import digest
from .pages import Alternate, Family, Page, related_value, search_value
from .sitemap import SitemapEntry
from .site import Article, Site

# A context value that is a text this long stands in the record by its hash: the search index's
# shards are megabytes. (Texts inside other values are short, and kept as they are.)
_LONG_TEXT = 512
_SCALARS = frozenset({int, float, bool, type(None), date, datetime})
# Tuples this long are recorded once per build and shared (a listing's pages share their page links).
_SHARED_FROM = 16


class Record(NamedTuple):
    template: str
    shows: tuple[str, ...]  # source files of the articles it shows, each once, in the order first shown
    names: tuple[str, ...]  # its context's keys
    # A hash of its own fields (language, kind, date, alternates, language links, place in the sitemap) and
    # every context value as plain data (an article as its source file): what the cache keeps of them is
    # this hash, a fifth of the bytes and objects of the values themselves (whose loading and saving took
    # two of an edit's eleven seconds at 10,000 stories a language).
    digest: str


@dataclass(frozen=True)
class PageGraph:
    """What one build's pages were made from, and the keys its articles had."""

    # Output file -> record, of the pages this build planned: every page when `complete`, else those whose
    # family it planned again (the others' records are the last build's, which the cache keeps).
    records: Mapping[str, Record] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)  # article source -> key
    generation: str = ""  # of the output/ manifest these pages were written into (manifest.Manifest.generation)
    static: Mapping[str, tuple] = field(default_factory=dict)  # copied file -> (its source's stamp, hash of its bytes)
    copies: Mapping[str, str] = field(default_factory=dict)  # output file -> its bytes' name in the page store
    families: Mapping[str, FamilyRecord] = field(default_factory=dict)  # family name -> its key and pages
    values: Mapping[str, str] = field(default_factory=dict)  # what the families were planned from: `read_values`
    loose: tuple[str, ...] = ()  # the output files of its pages of no family (the sitemap, 404…): planned every build
    complete: bool = True  # `records` holds every page's (a build with no last graph planned them all)
    # Old addresses of stories that moved, where no page is yet: file -> (the story's source, its language)
    moved: Mapping[str, tuple[str, str]] = field(default_factory=dict)


class FamilyRecord(NamedTuple):
    """What a build keeps of a page family: enough to publish its pages again without planning them."""

    key: str  # family_key: a hash of its planner and arguments
    pages: tuple[tuple[str, str, SitemapEntry | None], ...]  # (output file, language, its sitemap entry)


def family_key(family: Family, keys: Mapping[str, str]) -> str:
    """A hash of the family's planner and arguments, every article standing for its key.

    The arguments are pickled (in C, a fraction of the time `_plain` takes over them) without the memo,
    so equal values give equal bytes whatever objects they share; an article is pickled as its key."""
    return digest(_pickled((family.planner.__qualname__, family.args), keys))


class _KeyPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, keys: Mapping[str, str]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True  # no memo: the bytes depend on the values only
        self.keys = keys

    def reducer_override(self, obj: Any) -> Any:  # called for objects other than str, int, tuple, dict…
        if type(obj) is Article:
            return _article_as, (self.keys[obj.path],)
        return NotImplemented


def _pickled(value: Any, keys: Mapping[str, str]) -> bytes:
    """`value` as `_KeyPickler` writes it: its bytes depend on the values only, each article its key."""
    buffer = io.BytesIO()
    _KeyPickler(buffer, keys).dump(value)
    return buffer.getvalue()


def _article_as(key: str) -> str:
    """What an article stands for in a family's key (never unpickled: the key is a hash)."""
    return key


RELATED = "related"  # the key of the related lists the families were planned from (`changed_values`)


def read_values(related_key: str, search: Mapping[str, Any], named: Mapping[str, Any]) -> dict[str, str]:
    """A hash of each value families read besides their articles, by name (`Family.reads`): those
    `pages.plan_families` gives as plain data in `named` (the listings, the tags' counts, the stories' pictures
    and cards), each language's search index, and the key of the related lists. Whatever else of a story a
    page shows stands in the page's record and in the story's key."""
    values = {name: digest(_pickled(value, {})) for name, value in named.items()}
    values[RELATED] = related_key
    values.update((search_value(code), digest(_pickled(index, {}))) for code, index in search.items())
    return values


def changed_values(last: PageGraph | None, values: Mapping[str, str], related: Mapping[str, tuple[str, ...]],
                   last_related: Any, site: Site, came: frozenset[str]) -> frozenset[str] | None:
    """The names of the values that differ from the last build's, or None when no last build is known (then
    every family's arguments are hashed again).

    A story's related list counts as changed when it differs from the one the last build's families were
    planned from: `last_related`, (key, lists) as the cache held them before this build, are those if their
    key is the one the last build recorded; if not (a build stopped between the two), every list counts.
    So does the list of every story that ranks a story whose file changed or came (`came`, as `changed_sources`
    gives them), and that story's own: it may have gained a version in a language, which lists in that
    language then show (one it lost was shown by their pages, which `BuildCache.shown` finds)."""
    before = last.values if last is not None else None
    if not isinstance(before, dict) or RELATED not in before:
        return None
    changed = {name for name in values.keys() | before.keys() if before.get(name) != values.get(name)}
    if RELATED in changed:
        known = (type(last_related) is tuple and len(last_related) == 2 and last_related[0] == before.get(RELATED)
                 and isinstance(last_related[1], dict))
        old = last_related[1] if known else {}
        changed.update(related_value(group) for group in related.keys() | old.keys()
                       if related.get(group) != old.get(group))
    touched = {article.group for article in site.articles if article.path in came}
    if touched:
        changed.update(related_value(group) for group in touched)
        changed.update(related_value(group) for group, ranked in related.items() if not touched.isdisjoint(ranked))
    return frozenset(changed)


def records(pages: Iterable[Page]) -> list[Record]:
    """The record of each page."""
    shared: dict[int, tuple[Any, tuple, dict]] = {}
    return [_record(page, shared) for page in pages]


def _record(page: Page, shared: dict) -> Record:
    shows: dict[str, None] = {}
    fields = (page.lang, page.kind, page.lastmod, _plain(page.alternates, shows, shared),
              _plain(page.switch, shows, shared), page.in_sitemap)
    values = tuple((key, _plain(value, shows, shared)) for key, value in page.context.items())
    return Record(page.template, tuple(shows), tuple(page.context),
                  digest(repr((fields, values)).encode("utf-8", "surrogatepass")))


def _plain(value: Any, shows: dict[str, None], shared: dict) -> Any:
    kind = type(value)
    if kind is str:
        return value if len(value) <= _LONG_TEXT else ("text", digest(value.encode("utf-8", "surrogatepass")))
    if kind in _SCALARS:
        return value
    if kind is Article:
        shows[value.path] = None
        return value.path
    if kind is tuple or kind is list:
        if len(value) < _SHARED_FROM:
            return _items(value, shows, shared)
        known = shared.get(id(value))
        if known is None:
            inner: dict[str, None] = {}
            # The value is kept too, so its id cannot be reused by another object during this build.
            known = shared[id(value)] = (value, _items(value, inner, shared), inner)
        shows.update(known[2])
        return known[1]
    if kind is dict or kind is MappingProxyType:
        return tuple([(k, _plain(v, shows, shared)) for k, v in value.items()])
    if kind in _PLAIN_TUPLES:
        return value
    if isinstance(value, tuple):  # another NamedTuple
        return (kind.__name__, *_items(value, shows, shared))
    if dataclasses.is_dataclass(value):
        return (kind.__name__, *_items(_fields_of(kind)(value), shows, shared))
    raise TypeError(f"a page's context holds a {kind.__name__}, which pagegraph cannot record")


# Types made of plain values only, recorded as they are: a sitemap piece lists ten thousand entries.
_PLAIN_TUPLES = frozenset({SitemapEntry, Alternate})
_FLAT = frozenset({str, *_SCALARS, *_PLAIN_TUPLES})
_PATH = attrgetter("path")


def _items(items: tuple | list, shows: dict[str, None], shared: dict) -> tuple:
    """A sequence as plain data. The two common kinds are told in C: all plain values (the page links of
    a listing, a date link's fields), kept as they are; all articles (a listing), their source files."""
    kinds = set(map(type, items))
    if kinds <= _FLAT:
        return tuple(items)
    if kinds == {Article}:
        paths = tuple(map(_PATH, items))
        shows.update(dict.fromkeys(paths))
        return paths
    return tuple([_plain(v, shows, shared) for v in items])


_GETTERS: dict[type, Callable[[Any], tuple]] = {}


def _fields_of(kind: type) -> Callable[[Any], tuple]:
    """A function giving a dataclass's field values as a tuple, in the order the class declares them."""
    getter = _GETTERS.get(kind)
    if getter is None:
        names = [f.name for f in dataclasses.fields(kind)]
        if len(names) > 1:
            getter = attrgetter(*names)
        else:
            getter = (lambda value, one=attrgetter(*names): (one(value),)) if names else (lambda value: ())
        _GETTERS[kind] = getter
    return getter


def changed_sources(old: Mapping[str, str], new: Mapping[str, str]) -> frozenset[str]:
    """Article sources whose key differs between two builds, or that are in one only."""
    return frozenset(path for path, key in new.items() if old.get(path) != key) | frozenset(old.keys() - new.keys())


def reason(old: Record | None, new: Record, changed: frozenset[str]) -> str | None:
    """Why a page whose last record was `old` is rendered again, or None if nothing it is made from changed."""
    if old is None:
        return "it is a new page"
    if old.template != new.template:
        return f"its template changed ({old.template} → {new.template})"
    if old.shows != new.shows:
        added = [p for p in new.shows if p not in old.shows]
        gone = [p for p in old.shows if p not in new.shows]
        if not added and not gone:
            return "the order of the articles it shows changed"
        return "the articles it shows changed: " + "; ".join(
            [f"now shows {_few(added)}"] * bool(added) + [f"no longer shows {_few(gone)}"] * bool(gone))
    edited = [p for p in new.shows if p in changed]
    if edited:
        return f"{_few(edited)} changed"
    if old.digest != new.digest:
        return f"a value it shows changed (its {_few(list(new.names), 6)}, date, alternates or language links)"
    return None


def made_of(record: Record) -> str:
    """What a page is made from, in a sentence."""
    values = ", ".join(record.names) or "nothing else"
    shows = f"{len(record.shows)} article(s) ({_few(list(record.shows))})" if record.shows else "no article"
    return f"template {record.template}; {shows}; values: {values}"


def _few(items: list[str], most: int = 3) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")
