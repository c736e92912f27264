"""One language's search index as the files a phone fetches: built whole from every article's entry, or, after
an edit, changed where the edit reaches, to the very bytes a build from nothing makes.

The index is:
- term shards, runs of consecutive stems (in sorted order) of about SHARD_BYTES each:
  {stem: [doc, weight, gap, weight, …]}, newest doc first, each later one as its distance down
  from the one before; the search page lists each shard's first stem, so a query fetches only
  the shards that can hold its own words;
- document chunks of DOCS_PER_CHUNK articles by doc id, read for the results shown.

A doc id is an article's place counted from the oldest, so a story added on top changes only the
lists of its own words and the last chunk: every other file of the index keeps its bytes (and the
copy a reader's browser holds). Here, the lists are worked on as the article's place counted from
the newest (its "place", for which they are in ascending order), which a story added on top moves
by one for every other story: that changes nothing but the first number of a list, which is written
as the doc id (`_mirrored`). So an update reads each list only up to the last place the change touches
(`_moved`), a few numbers for the recent stories editors touch.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

DOCS_PER_CHUNK = 500
SHARD_BYTES = 48_000  # about, of JSON before compression: one fetch per word on a phone, few files per site
# An update changing more articles than this (and at least a fiftieth of them) builds the index whole: each change
# costs its words' lists, a build every list once.
UPDATE_MOST = 64

# What one article contributes to an index: its stems joined by newlines, and their weights as bytes.
Entry = tuple[str, bytes]


@dataclass(frozen=True)
class SearchIndex:
    # (first stem, the shard as JSON {stem: [doc gap, weight, …]}) in stem order. JSON text, because a
    # big site's postings as Python ints would take ten times the memory, in the build and its cache.
    shards: tuple[tuple[str, str], ...]
    chunks: int  # how many document chunks


def build_index(entries: Sequence[Entry]) -> tuple[SearchIndex, dict[str, int]]:
    """Index one language's articles, given as their entries (newest first: a place is its position), and
    how many of them use each stem (what `update_index` needs to know when a stem comes or goes)."""
    postings: dict[str, list[int]] = {}
    for doc, (joined, weights) in enumerate(entries):
        if not joined:
            continue
        for stem, weight in zip(joined.split("\n"), weights):
            entry = postings.get(stem)
            if entry is None:
                postings[stem] = [doc, weight]
            else:
                entry += (doc, weight)
    counts = {stem: len(flat) // 2 for stem, flat in postings.items()}
    _fold_attached_letters(postings)
    lists = {}
    last = len(entries) - 1
    for stem, flat in postings.items():
        for at in range(len(flat) - 2, 0, -2):  # places as gaps: smaller numbers, smaller files
            flat[at] -= flat[at - 2]
        flat[0] = last - flat[0]  # the first as its doc id
        lists[stem] = ",".join(map(str, flat))
    return _assemble(lists, len(entries)), counts


def _mirrored(numbers: str, docs: int) -> str:
    """A list whose first number is a place, with that number as the doc id among `docs` docs (and the
    other way round: the two are each other's mirror)."""
    first, comma, rest = numbers.partition(",")
    return str(docs - 1 - int(first)) + comma + rest


def _ends_a_shard(stem: str, length: int) -> bool:
    """Whether a shard past three quarters of SHARD_BYTES ends after `stem`, whose entry is `length` long: by
    its hash, a stem in every quarter of SHARD_BYTES of entries, on average. Where a shard ends then depends
    on the stems about its end, not on the size of everything before them, so a word a new story brings
    changes the shard it falls in (and the next one, if it moves an end), unless it is one that ends a
    shard itself. Cut at every SHARD_BYTES, a shard ended one stem earlier or later after such a word, and
    so did every later shard: every file of the index changed."""
    return zlib.crc32(stem.encode()) % (SHARD_BYTES // 4) < length


def _assemble(lists: Mapping[str, str], docs: int) -> SearchIndex:
    """The index whose stems have these lists ("id,weight,gap,weight,…"), cut into shards in stem order
    (`_ends_a_shard`)."""
    shards: list[tuple[str, str]] = []
    run: list[str] = []
    first, size = "", 0
    for stem in sorted(lists):  # code point order, which is also JavaScript's for these letters
        if not run:
            first = stem
        # Stems are Arabic letters or [a-z0-9] only: nothing here needs escaping for HTML.
        run.append(f'"{stem}":[{lists[stem]}]')
        size += len(run[-1]) + 1
        if size >= 2 * SHARD_BYTES or (size >= SHARD_BYTES * 3 // 4 and _ends_a_shard(stem, len(run[-1]))):
            shards.append((first, "{" + ",".join(run) + "}"))
            run, size = [], 0
    if run:
        shards.append((first, "{" + ",".join(run) + "}"))
    return SearchIndex(tuple(shards), -(-docs // DOCS_PER_CHUNK))


# One-letter words written onto the next one: و and, ف so, ب with, ك like, ل for.
_ATTACHED = frozenset("وفبكل")


def _fold_attached_letters(postings: dict[str, list[int]]) -> None:
    """A stem that is an attached letter plus another stem of the index (لتحلي, تحلي) is found by that stem too.

    Done here, against the index's own words, because the stemmer cannot know whether
    the first letter belongs to the word (بحر is not ب + حر): only a word the site also
    uses without it is folded. The browser's stemmer is unchanged.
    """
    for stem in sorted(postings):
        rest = stem[1:]
        if stem[0] in _ATTACHED and len(rest) >= 3 and rest in postings:
            postings[rest] = _union(postings[rest], postings[stem])


def _union(first: list[int], second: list[int]) -> list[int]:
    """Two flat [doc, weight, …] lists in doc order as one, each doc once with its higher weight."""
    weights = dict(zip(first[::2], first[1::2]))
    for doc, weight in zip(second[::2], second[1::2]):
        weights[doc] = max(weight, weights.get(doc, 0))
    return [value for doc in sorted(weights) for value in (doc, weights[doc])]


def _reaches(stem: str, vocabulary: Mapping[str, object] | set[str]) -> list[str]:
    """The stems whose lists hold `stem`'s articles once `_fold_attached_letters` has run: itself, what it is
    folded onto, and on down the chain as far as the fold's order carries them. A stem hands on, when
    its turn comes in sorted order, what has reached it by then: so an article travels on from a
    stem only if the stem it came from had its turn first."""
    chain = [stem]
    came_from = None
    while stem[0] in _ATTACHED and len(stem) >= 4 and stem[1:] in vocabulary:
        if came_from is not None and not came_from < stem:
            break
        came_from, stem = stem, stem[1:]
        chain.append(stem)
    return chain


def _gathers(stem: str, vocabulary: Mapping[str, object] | set[str]) -> bool:
    """Whether a stem of `vocabulary` folds onto `stem` (an attached letter and `stem`)."""
    return len(stem) >= 3 and any(letter + stem in vocabulary for letter in _ATTACHED)


_LIST = re.compile(r'"([^"]+)":\[([0-9,]*)\]')


def update_index(index: SearchIndex, counts: Mapping[str, int], old_docs: Sequence[str], new_docs: Sequence[str],
                 new_entry: Callable[[int], Entry], old_entry: Callable[[str], Entry | None]
                 ) -> tuple[SearchIndex, dict[str, int]] | None:
    """The index of the docs keyed `new_docs` (by doc id), made by changing `index` (with `counts`, of the docs
    `old_docs`), byte for byte what `build_index` makes of their entries; None when it must be built whole.
    Only the entries of docs that are not in `old_docs` are asked for (`new_entry`, by doc id).

    That is when the change is large, when articles kept changed their order, when an entry a
    removed doc had is unknown (`old_entry` gives it by key), or when another stem folds onto a
    stem that comes or goes (`_gathers`): what reaches a list through it then depends on every
    article's words. Otherwise a list gains or loses only the changed articles, and which lists
    hold an article is known from its own entry (`_reaches`): a stem that comes or goes adds or
    takes away only its own articles, on down the stems it folds onto.
    """
    old_at = {key: doc for doc, key in enumerate(old_docs)}
    new_at = {key: doc for doc, key in enumerate(new_docs)}
    if len(old_at) != len(old_docs) or len(new_at) != len(new_docs):
        return None
    kept = [old_at[key] for key in new_docs if key in old_at]
    if any(a >= b for a, b in zip(kept, kept[1:])):
        return None
    removed = [doc for doc, key in enumerate(old_docs) if key not in new_at]
    added = [doc for doc, key in enumerate(new_docs) if key not in old_at]
    if len(removed) + len(added) > max(UPDATE_MOST, len(new_docs) // 50):
        return None
    shift = len(new_docs) - len(old_docs)
    kept_at = {old_at[key]: doc for doc, key in enumerate(new_docs) if key in old_at}
    # Past `last` (an old place), no article is gone and every one kept moves by `shift`, as the count of docs
    # does: its doc id stays. Up to it, an article kept whose place moves by anything else has a new id, and
    # then every list that holds one up to `last` is written again.
    last = max([*removed, *(old for old, new in kept_at.items() if new - old != shift)], default=-1)
    renumber: dict[int, int | None] = {old: new for old, new in kept_at.items() if old <= last and old != new}
    new_ids = any(new - old != shift for old, new in kept_at.items() if old <= last)
    renumber.update(dict.fromkeys(removed))

    lists = {stem: numbers for _, shard in index.shards for stem, numbers in _LIST.findall(shard)}
    if lists.keys() != counts.keys() or not all(type(n) is int and n > 0 for n in counts.values()):
        return None  # the counts do not describe this index (a cache from elsewhere)
    gone_words = []
    for doc in removed:
        entry = old_entry(old_docs[doc])
        if entry is None:
            return None
        gone_words.append(_words(entry))
    new_words = {doc: _words(new_entry(doc)) for doc in added}
    counts = dict(counts)
    for words, step in [(words, -1) for words in gone_words] + [(words, 1) for words in new_words.values()]:
        for stem in words:
            counts[stem] = counts.get(stem, 0) + step
    coming = {stem for stem, n in counts.items() if n > 0 and stem not in lists}
    going = {stem for stem, n in counts.items() if n <= 0}
    either = lists.keys() | coming
    if any(n < 0 for n in counts.values()) or any(_gathers(stem, either) for stem in coming | going):
        return None
    vocabulary = either - going

    touched: set[str] = set()
    for words in gone_words:
        for stem in words:
            touched.update(_reaches(stem, lists))
    inserted: dict[str, dict[int, int]] = {}
    for doc, words in new_words.items():
        for stem, weight in words.items():
            for reached in _reaches(stem, vocabulary):
                held = inserted.setdefault(reached, {})
                held[doc] = max(weight, held.get(doc, 0))
    touched.update(inserted)
    if new_ids:  # the lists whose newest doc is up to `last` hold a doc whose id changes
        newest = len(old_docs) - 1
        touched.update(stem for stem, numbers in lists.items() if newest - int(numbers.partition(",")[0]) <= last)
    for stem in touched:
        known = lists.get(stem)
        try:
            numbers = _moved(_mirrored(known, len(old_docs)) if known else "", renumber, last, shift,
                             inserted.get(stem, {}))
        except ValueError:
            return None  # not a list build_index writes (a cache from elsewhere)
        if numbers:
            lists[stem] = _mirrored(numbers, len(new_docs))
        elif stem in going:
            del lists[stem]
        else:
            return None  # a stem still used has no article left: counts and lists disagree
    if lists.keys() != vocabulary:
        return None
    for stem in going:
        del counts[stem]
    return _assemble(lists, len(new_docs)), counts


def _words(entry: Entry) -> dict[str, int]:
    joined, weights = entry
    return dict(zip(joined.split("\n"), weights)) if joined else {}


def _moved(numbers: str, renumber: Mapping[int, int | None], last: int, shift: int, inserted: Mapping[int, int]) -> str:
    """A stem's list ("gap,weight,…", places as gaps) with the docs up to `last` given new places (None: removed),
    every later one moved by `shift`, and `inserted` (new place -> weight) added. The list is read only a little
    past `last`, and only the docs from the first one the change reaches up to `last` are written again: the text
    before them is kept, and after them too, but for the gap of the first. ValueError for a list that is not one
    (a cache from elsewhere)."""
    values, rest, places = _read_up_to(numbers, last)
    cut = bisect_right(places, last)
    start = min([cut] + [bisect_left(places, min(changed)) for changed in (renumber, inserted) if changed])
    head = [(new, values[2 * i + 1]) for i in range(start, cut) if (new := renumber.get(places[i], places[i])) is not None]
    if inserted:
        head = sorted(head + [(new, str(weight)) for new, weight in inserted.items()])
    parts, previous = values[:2 * start], places[start - 1] if start else 0
    for new, weight in head:
        parts += (str(new - previous), weight)
        previous = new
    if cut < len(places):
        parts.append(str(places[cut] + shift - previous))
        parts += values[2 * cut + 1:]
    return ",".join(parts + [rest] if rest else parts)


def _read_up_to(numbers: str, last: int) -> tuple[list[str], str, list[int]]:
    """A list's numbers as text up to its first doc past the place `last` at least, the text after them, and the
    places of the docs read. A few numbers are split off at first, more as needed: an edit to a recent story
    reads a few numbers of a list that may hold a hundred thousand."""
    want = 32
    while True:
        values = numbers.split(",", 2 * want) if numbers else []
        rest = values.pop() if len(values) > 2 * want else ""
        gaps = list(map(int, values[0::2]))
        if len(values) % 2 or min(gaps[1:], default=1) < 1:
            raise ValueError("a search list with a doc and no weight, or its docs out of order")
        places = list(accumulate(gaps))
        if not rest or places[-1] > last:
            return values, rest, places
        want *= 8
