"""The client-side search index: light stems of every article's words, in small files a phone fetches on demand.

A reader's query is normalised and stemmed in the browser by the theme's search.js,
which mirrors `search_terms` below rule for rule (a browser test holds the two
together). Light stemming — folding spellings, then cutting the article, attached
conjunctions and common suffixes — is deliberately simple, so the browser needs no
stemmer library and the words a reader types match the words as written.

Each article's stems and weights (its entry) are kept between builds; the index files are
made from them (`searchindex.py`), and an edit changes only what its articles touch.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Callable, Mapping, NamedTuple

from .hashing import digest
from .markup import plain_text
from .searchindex import Entry, SearchIndex, build_index, update_index
from .text import MARKS, UNFOLDED_LATIN_DIGITS, UNFOLDED_LETTERS, PieceCounter, normalize
from .workers import affordable, default_jobs, start_indices

if TYPE_CHECKING:
    from .site import Site

PARALLEL_FROM = 2000  # articles to index; below this one process indexes every language faster than two
# Bytes an article costs beside the build: the related stage running meanwhile grows the build by this much an
# article (1.9 to 4.7 GB at 100,000 stories a language, 345 to 658 MB at 10,000, as first measured; 1.9 to
# 3.4 GB since its topic work is done in blocks and on a sample, and the index is sent only when waited for:
# a margin this figure keeps), and a process indexing a language holds about this much an article of its own
# (1.3 GB for 100,000). Counted before the processes are started: in a 7 GB cgroup, a build from nothing at
# 100,000 was killed when they were started all the same.
RELATED_GROWTH = 16_000
INDEXING = 13_000
TITLE_WEIGHT = 8
TAG_WEIGHT = 4
MAX_BODY_WEIGHT = 6  # a word repeated in a long body should not outrank a title

_TOKEN = re.compile(r"[\u0621-\u064a]+|[a-z0-9]+")
# The same tokens before folding (alef forms, ٱ, Persian ی ک ھ and Arabic-Indic digits are folded per distinct
# token: faster).
_RAW_TOKEN = re.compile(f"[{UNFOLDED_LETTERS}]+|[{UNFOLDED_LATIN_DIGITS}]+")
_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def light_stem(token: str) -> str:
    """Larkey's light10 for a normalised Arabic token; a plural cut for a Latin one."""
    if "\u0621" <= token[0] <= "\u064a":
        if len(token) >= 4 and token[0] == "و":
            token = token[1:]
        for prefix in _ARTICLES:
            if token.startswith(prefix) and len(token) - len(prefix) >= 2:
                token = token[len(prefix):]
                break
        for suffix in _SUFFIXES:
            if token.endswith(suffix) and len(token) - len(suffix) >= 2:
                token = token[: -len(suffix)]
        return token
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def search_terms(text: str) -> list[str]:
    """The stems a text is found by, in order; one-letter words dropped."""
    return [light_stem(t) for t in _TOKEN.findall(normalize(text).lower()) if len(t) > 1]


class _Stems:
    """Counts the stems of texts; one per index, as it remembers every piece of text it has read."""

    def __init__(self) -> None:
        self._pieces = PieceCounter(self._piece_stems)

    @staticmethod
    def _piece_stems(piece: str) -> list[str]:
        # Per token: a digit run inside a word splits it.
        return [stem for raw in _RAW_TOKEN.findall(MARKS.sub("", piece).lower()) for stem in search_terms(raw)]

    def count(self, text: str, weights: Counter) -> None:
        weights.update(self._pieces.count(text))


def article_entry(article, stems: _Stems) -> Entry:
    weights: Counter[str] = Counter()
    stems.count(article.summary, weights)
    stems.count(plain_text(article.html), weights)
    for stem, n in weights.items():
        if n > MAX_BODY_WEIGHT:
            weights[stem] = MAX_BODY_WEIGHT
    for stem in set(search_terms(article.title)):
        weights[stem] += TITLE_WEIGHT
    labels = [t.name for t in article.tags] + ([article.category.name] if article.category else [])
    for stem in set(search_terms(" ".join(labels))):
        weights[stem] += TAG_WEIGHT
    return "\n".join(weights), bytes(weights.values())


class Indexed(NamedTuple):
    """A language's index as a build keeps it, with what the next build needs to update it in place."""

    key: str  # a hash of `docs`
    index: SearchIndex
    docs: tuple[str, ...]  # the key of each doc's entry, by place (newest first: searchindex.py)
    counts: dict[str, int]  # how many docs use each stem


Indexes = dict[str, Indexed]


def build_indexes(site, earlier: Mapping[str, Indexed], entry: Callable[[str], Entry | None],
                  jobs: int | None, article_keys: Mapping[str, str]) -> tuple[Indexes, dict[str, Entry]]:
    """language -> Indexed, and the entries made now, of articles `entry` did not know.

    An index whose key (its articles, in order) is in `earlier` is reused, and one a few
    articles changed is updated from it; an article of `earlier` whose entry `entry` gives
    is not read again; languages are indexed a core each.
    """
    return start_indexes(site, earlier, entry, jobs, article_keys)()


def start_indexes(site, earlier: Mapping[str, Indexed], entry: Callable[[str], Entry | None],
                  jobs: int | None, article_keys: Mapping[str, str]) -> Callable[[], tuple[Indexes, dict[str, Entry]]]:
    """build_indexes on other processes, started now; call the result to wait for it.

    `article_keys` (article source -> a hash of what it is made from) key the articles' entries.
    """
    codes = site.config.language_codes
    digests = {code: [article_keys[a.path] for a in site.in_language(code)] for code in codes}
    keys = {code: digest("\n".join(digests[code]).encode()) for code in codes}
    result = {code: earlier[code] for code in codes if code in earlier and earlier[code][0] == keys[code]}
    todo = [code for code in codes if code not in result]
    known = {key for made in earlier.values() for key in made.docs}
    # Worth other processes when there are many articles to index, even in one language: the caller goes on
    # with the related lists meanwhile. Not to reassemble an index from entries the cache holds (an edit): a
    # process doing that reads every entry, so the system copies them all for it: at 100,000 stories a language
    # an edit needed 7.1 GB instead of 5.2 (a 7 GB runner could not publish it) to be 6 to 9 s faster; at
    # 10,000, 170 MB for 0.2 s. A number of jobs the caller fixed is kept.
    big = sum(d not in known for code in todo for d in digests[code]) >= PARALLEL_FROM
    background = big and jobs is None
    if jobs is None:
        count = sum(len(digests[code]) for code in todo)
        jobs = affordable(min(default_jobs(), len(todo)), growth=RELATED_GROWTH * len(site.articles),
                          each=INDEXING * count / len(todo)) if big else 1
    job = _IndexJob(site, todo, digests, entry, {code: earlier[code] for code in todo if code in earlier})
    pending = start_indices(_index_language, job, len(todo), jobs, background=background, hold=True)

    def finish() -> tuple[Indexes, dict[str, Entry]]:
        made: dict[str, Entry] = {}
        for code, (index, counts, new) in zip(todo, pending()):
            result[code] = Indexed(keys[code], index, tuple(digests[code]), counts)
            made.update(new)
        return result, made
    return finish


class _IndexJob(NamedTuple):
    site: Site
    codes: list[str]  # the languages whose index is made again
    digests: dict[str, list[str]]  # per language, the key of each article's entry
    entry: Callable[[str], Entry | None]  # the entry an earlier build made, by key
    earlier: Mapping[str, Indexed]  # the last build's index of each language, to update


def _index_language(job: _IndexJob, i: int) -> tuple[SearchIndex, dict[str, int], dict[str, Entry]]:
    site, codes, digests, entry, earlier = job
    articles, docs = site.in_language(codes[i]), digests[codes[i]]
    stems = _Stems()
    new: dict[str, Entry] = {}

    def made(doc: int) -> Entry:
        if docs[doc] not in new:
            new[docs[doc]] = article_entry(articles[doc], stems)
        return new[docs[doc]]

    last = earlier.get(codes[i])
    if type(last) is Indexed and type(last.index) is SearchIndex and type(last.docs) is tuple \
            and type(last.counts) is dict:
        # Only the articles that are not in the last index are read: a doc kept is not asked for.
        updated = update_index(last.index, last.counts, last.docs, docs, made, entry)
        if updated is not None:
            return (*updated, new)
    entries = [entry(key) or made(doc) for doc, key in enumerate(docs)]
    return (*build_index(entries), new)
