"""Related articles: TF-IDF cosine over stemmed terms of whole translation groups.

Model (every knob is in config.yaml's `related:` section, see RelatedConfig):
  * A translation group is one item: the titles and bodies of all its language
    versions are analysed together, so the Arabic and English pages of a story
    get the same related stories.
  * Term frequency per group: title terms count `title_weight`, body terms
    `body_weight`, each tag `tag_weight`, the category `category_weight`.
    Weight = (1 + log tf) * log(1 + N / df), with N and df counted in the fitted
    stories (see relatedmodel.py: the oldest ones, so an edit leaves the model as
    it is); rows are L2-normalised, and only a group's strongest 200 terms are kept
    (sparse vectors make the product fast, and the dropped tail is mostly noise).
    Terms the fitted stories hold once are left out: they linked no two there.
  * Topics (latent semantic analysis): the same rows projected on their
    `topics` strongest singular directions, so two stories about one subject
    in different words still meet. Score = word cosine + `topic_weight` *
    topic cosine, times a recency factor
    (1 - recency_weight) + recency_weight * 0.5 ** (days apart / half life);
    candidates more than `max_age_days` apart (when set) or scoring below
    `min_score` are never shown.
  * Ranking: pinned groups first (in the order given), then score, newer date,
    then key, so the output is the same on every run.
This module reads the stories (inputs, term counts) and ranks; relatedmodel.py holds the numbers:
the fit, the vectors, and each story's best candidates, found among the stories near it in the topic
space and kept between builds.
"""

from __future__ import annotations

import os
from itertools import chain, islice
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, Sequence

from .bodies import Body
from .config import RelatedConfig
from .errors import Diagnostic, shown
from .hashing import digest_all
from .markup import plain_text
from .text import Analyzer, normalize
from .workers import map_indices

if TYPE_CHECKING:
    import numpy as np

    from .relatedmodel import RelatedState
    from .site import Site

_VOCABULARY_SLACK = 50_000


@dataclass(frozen=True)
class RelatedInput:
    """What the related engine needs to know of one translation group."""

    key: str
    texts: tuple[tuple[str, str | Body], ...]  # (title, body) of each language version
    tags: tuple[str, ...] = ()
    category: str = ""
    day: int | None = None  # proleptic ordinal of the publication date, None if unknown
    pins: tuple[str, ...] = ()  # keys of groups the editor pinned, in order
    html: bool = False  # bodies are rendered HTML: their words are read in the analysing process
    digest: str = ""  # a hash of what texts, tags and category are made from, if the caller has one


@dataclass
class TermMemo:
    """Term counts of analysed groups, kept between builds: after an edit only the edited group is read again.

    Mutable on purpose, like the build cache that holds it. Counts are numpy
    arrays over one growing vocabulary, so the memo pickles small and fast.
    """

    vocabulary: dict[str, int] = field(default_factory=dict)
    groups: dict[str, tuple] = field(default_factory=dict)  # group digest -> (term ids, counts)
    # group digest -> a hash of its term ids and counts: all the related model reads of a group, so a change
    # to a story that leaves its terms as they were (a summary, a picture) refits and rescores nothing
    sums: dict[str, str] = field(default_factory=dict)
    generation: int = 0  # counts the times the vocabulary started afresh: term ids of two generations differ


def find_related(items: Sequence[RelatedInput], config: RelatedConfig, depth: int,
                 jobs: int | None = 1, memo: TermMemo | None = None,
                 digests: Sequence[str] | None = None, state: RelatedState | None = None) -> dict[str, tuple[str, ...]]:
    """For every group, up to `depth` related group keys, best first; pins lead. Text is analysed on `jobs` processes.

    With a `memo`, groups analysed by an earlier call are not analysed again; with a `state`, only the
    lists an edit can change are scored again. Either way the result is the same as without them.
    `digests` are the items' text_digests(), if the caller has them already.
    """
    if not items:
        return {}
    global np
    import numpy as np  # imported here: a build whose related lists are cached never needs them

    from .relatedmodel import score
    if digests is None:
        # Without a memo, a digest would only tell groups apart, which their places do for free.
        digests = text_digests(items, config) if memo is not None else [str(i) for i in range(len(items))]
    digests = list(digests)
    if memo is None:
        memo, state = TermMemo(), None
    counted = _count_terms(items, digests, config, jobs, memo)
    sums = [memo.sums[d] for d in digests]
    days = np.array([it.day if it.day is not None else 0 for it in items], dtype=np.float64)
    keys = [it.key for it in items]
    key_index = {k: i for i, k in enumerate(keys)}
    margin = min(depth * 4, len(items) - 1)  # beyond `depth`, so ties at the cut are broken by date and key
    scored = score(keys, sums, days, counted, list(memo.vocabulary), memo.vocabulary, memo.generation,
                   config, margin, state)
    _forget_old_terms(memo, counted)
    ranked = _rank(scored.values, scored.columns, days, np.argsort(np.array(keys, dtype=object)).argsort(),
                   min_score_for(config, scored.topics), config.min_relative)
    result: dict[str, tuple[str, ...]] = {}
    for item, row in zip(items, ranked):
        pins = [p for p in dict.fromkeys(item.pins) if p in key_index and p != item.key]
        # Taken as far as `depth` only: a row holds four times as many candidates.
        result[item.key] = tuple(islice(chain(pins, (keys[j] for j in row if keys[j] not in pins)), depth))
    return result


# The weakest link shown, by default: a score is the words' TF-IDF cosine plus topic_weight times the
# topic cosine, and topic cosines of news stories run high, so the floor rises with the topic part.
# Calibrated with `bench/related_quality.py --curve` (README "Related articles"): 0.8 at topic weight
# 1 takes Arabic precision from 0.765 to 0.819 and English from 0.944 to 0.962, with 3.8 and 4.6 links
# a story; 0.15 on a site too small for topics keeps the sample site's links and drops its noise.
AUTO_MIN_SCORE = 0.15
AUTO_MIN_SCORE_PER_TOPIC_WEIGHT = 0.67


def min_score_for(config: RelatedConfig, with_topics: bool) -> float:
    """The configured min_score, or the calibrated default for a site with or without topics."""
    if config.min_score is not None:
        return config.min_score
    return AUTO_MIN_SCORE + (AUTO_MIN_SCORE_PER_TOPIC_WEIGHT * config.topic_weight if with_topics else 0.0)


def _rank(values: np.ndarray, columns: np.ndarray, days: np.ndarray, key_rank: np.ndarray,
          min_score: float, min_relative: float = 0.0) -> list[list[int]]:
    """Each row's candidates at or above `min_score` and `min_relative` of the row's best, best first;
    ties by newer date, then key."""
    # Scores are exact (relatedmodel.py), so equal scores are true ties.
    safe = np.maximum(columns, 0)
    order = np.lexsort((key_rank[safe], -days[safe], -values), axis=-1)
    floor = np.maximum(max(min_score, 1e-12), min_relative * values.max(axis=1, initial=0.0))[:, None]
    ok = np.take_along_axis(values >= floor, order, axis=1)
    ordered = np.take_along_axis(columns, order, axis=1)
    return [row[mask].tolist() for row, mask in zip(ordered, ok)]


class _TermJob(NamedTuple):
    items: list[RelatedInput]
    config: RelatedConfig
    process: list  # this process's own term numbering, made on first use


def _term_counts(job: _TermJob, i: int) -> tuple[int, int, list[str], bytes, bytes]:
    """A group's term ids and counts (int32 and float64 bytes), ids in this process's own numbering.

    Also the process id, and the terms this group added to the numbering, from id
    `first` on: the caller maps each process's numbering to its vocabulary once per
    term, not once per term of every group.
    """
    items, config, process = job
    item = items[i]
    if not process:  # one per process: the analyser's stem cache is what makes it fast
        names: list[str] = []
        process.extend([Analyzer(), os.getpid(), _Numbering(names), names])
    analyzer, pid, numbering, names = process
    tf: dict[str, float] = {}
    for title, body in item.texts:
        analyzer.add_counts(tf, title, config.title_weight)
        analyzer.add_counts(tf, plain_text(_text(body)) if item.html else _text(body), config.body_weight)
    for tag in item.tags:
        key = "#" + normalize(tag).casefold()
        tf[key] = tf.get(key, 0.0) + config.tag_weight
    if item.category:
        key = "@" + normalize(item.category).casefold()
        tf[key] = tf.get(key, 0.0) + config.category_weight
    first = len(names)
    ids = np.fromiter(map(numbering.__getitem__, tf), np.int32, len(tf))
    return pid, first, names[first:], ids.tobytes(), np.fromiter(tf.values(), np.float64, len(tf)).tobytes()


class _Numbering(dict):
    """term -> id, numbering a term on first sight and appending it to `names`."""

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self._names = names

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self._names)
        self._names.append(term)
        return number


def text_digests(items: Sequence[RelatedInput], config: RelatedConfig) -> list[str]:
    """Per item, a digest of what its term counts are made of: texts, tags, category and their weights."""
    weights = repr((config.title_weight, config.body_weight, config.tag_weight, config.category_weight)).encode()
    # Texts are encoded here rather than pickled: pickling a non-ASCII str keeps a UTF-8
    # copy inside it for as long as it lives, 60 MB for 10,000 Arabic bodies.
    return [digest_all([weights, b"given", item.digest.encode()]) if item.digest else
            digest_all([weights, repr((item.html, item.tags, item.category, len(item.texts))).encode("utf-8", "surrogatepass"),
                        *(_text(text).encode("utf-8", "surrogatepass") for pair in item.texts for text in pair)])
            for item in items]


def _text(body: str | Body) -> str:
    """A text given, or the HTML of a body kept in the body store, read now."""
    return body if isinstance(body, str) else body.read()[0]


def _count_terms(items: Sequence[RelatedInput], keys: list[str], config: RelatedConfig, jobs: int | None,
                 memo: TermMemo) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per item, (term ids in memo.vocabulary, counts): the memo's, or analysed now and added to it."""
    first_of: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key not in memo.groups:
            first_of.setdefault(key, i)
    todo = list(first_of.values())
    vocabulary = memo.vocabulary
    fresh = map_indices(_term_counts, _TermJob([items[i] for i in todo], config, []), len(todo), jobs)
    numberings: dict[int, list[str]] = {}  # process id -> its terms, by their id there
    for pid, first, new, _, _ in fresh:
        names = numberings.setdefault(pid, [])
        if len(names) < first + len(new):
            names.extend([""] * (first + len(new) - len(names)))
        names[first:first + len(new)] = new
    in_vocabulary = {}
    for pid, names in numberings.items():
        for term in sorted(set(names).difference(vocabulary)):  # any order would do: sums follow the terms' order
            vocabulary[term] = len(vocabulary)
        in_vocabulary[pid] = np.fromiter(map(vocabulary.__getitem__, names), np.int32, len(names))
    for i, (pid, _, _, ids, counts) in zip(todo, fresh):
        memo.groups[keys[i]] = (in_vocabulary[pid][np.frombuffer(ids, np.int32)], np.frombuffer(counts, np.float64))
        memo.sums[keys[i]] = digest_all([array.tobytes() for array in memo.groups[keys[i]]])
    memo.groups = {k: memo.groups[k] for k in keys}  # forget deleted and edited versions
    memo.sums = {k: memo.sums[k] for k in keys}
    return [memo.groups[k] for k in keys]


def _forget_old_terms(memo: TermMemo, counted: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """A vocabulary mostly of terms of stories long gone starts afresh at the next build (which refits)."""
    used = np.count_nonzero(np.bincount(np.concatenate([ids for ids, _ in counted]), minlength=1)) if counted else 0
    if len(memo.vocabulary) > 2 * used + _VOCABULARY_SLACK:
        memo.vocabulary, memo.groups, memo.sums, memo.generation = {}, {}, {}, memo.generation + 1


def _pin_meant(pin: str, by_slug: Mapping[str, str], lowered: Mapping[str, list[str]], languages: tuple[str, ...]) -> str:
    """The slug a pin names in another form: the story's file (x.ar.md), its page's address (https://…/x/,
    /2023/09/13/x/) or the slug in other letter case; "" if none is one story's."""
    name = pin.strip().rstrip("/").rpartition("/")[2].removesuffix(".md")
    stem, dot, suffix = name.rpartition(".")
    name = stem if dot and suffix in languages else name
    if name in by_slug:
        return name
    same = lowered.get(name.lower(), [])
    return same[0] if len(same) == 1 else ""


def related_inputs(site: "Site", article_keys: Mapping[str, str] | None = None) -> tuple[list[RelatedInput], list[Diagnostic]]:
    """One RelatedInput per translation group; pins naming no article become warnings.

    `article_keys` (article source -> a hash of what it is made from), when given, make each
    input's digest, so its text need not be hashed again.
    """
    by_slug: dict[str, str] = {}
    lowered: dict[str, list[str]] = {}
    if any(a.pins for a in site.articles):  # most sites pin nothing: then no slug is looked up
        by_slug = {a.slug: a.group for a in sorted(site.articles, key=lambda a: (a.lang != site.config.default_language, a.path))}
        by_slug.update({k: k for k in site.groups})
        for slug in by_slug:
            lowered.setdefault(slug.lower(), []).append(slug)
    warnings, items = [], []
    for key, versions in site.groups.items():
        ordered = [versions[c] for c in site.config.language_codes if c in versions]
        pins = []
        for article in ordered:
            for slug, line in zip(article.pins, article.pin_lines or (1,) * len(article.pins)):
                meant = slug if slug in by_slug else _pin_meant(slug, by_slug, lowered, site.config.language_codes)
                if meant and by_slug[meant] == key:  # the editing page lists the story itself among those to pin
                    warnings.append(Diagnostic(article.path, f"related: {shown(slug)} is this story itself; pin "
                                               "ignored", line, "name another story's slug, or remove it", "warning"))
                elif meant == slug:
                    pins.append(by_slug[slug])
                elif meant:
                    pins.append(by_slug[meant])
                    warnings.append(Diagnostic(article.path, f"related: {shown(slug)} was read as the slug {meant}",
                                               line, f"write {meant}: a pin is a story's file name without "
                                               ".ar.md / .en.md", "warning"))
                else:
                    warnings.append(Diagnostic(article.path, f"related: no article has the slug {shown(slug)}; pin ignored",
                                               line, "use the file name without .ar.md / .en.md", "warning"))
        first = ordered[0]
        items.append(RelatedInput(
            key=key,
            texts=tuple((a.title, a.body) for a in ordered),  # read only by an analyser, for a group not in the memo
            tags=tuple(dict.fromkeys(t.name for a in ordered for t in a.tags)),
            category=first.category.name if first.category else "",
            day=first.day.toordinal(),
            pins=tuple(pins),
            html=True,
            digest=digest_all([article_keys[a.path].encode() for a in ordered]) if article_keys is not None else "",
        ))
    return items, warnings
