"""Related articles: TF-IDF cosine over stemmed terms of whole translation groups.

Model (every knob is in config.yaml's `related:` section, see RelatedConfig):
  * A translation group is one item: the titles and bodies of all its language
    versions are analysed together, so the Arabic and English pages of a story
    get the same related stories.
  * Term frequency per group: title terms count `title_weight`, body terms
    `body_weight`, each tag `tag_weight`, the category `category_weight`.
    Weight = (1 + log tf) * log(1 + N / df); rows are L2-normalised, and only a
    group's strongest `_TERMS_PER_GROUP` terms are kept (sparse vectors make the
    product fast, and the dropped tail is mostly noise). Terms found in one group
    only are left out: they cannot link two groups.
  * Topics (latent semantic analysis): the same rows projected on their
    `topics` strongest singular directions, so two stories about one subject
    in different words still meet. Score = word cosine + `topic_weight` *
    topic cosine, times a recency factor
    (1 - recency_weight) + recency_weight * 0.5 ** (days apart / half life);
    candidates more than `max_age_days` apart (when set) or scoring below
    `min_score` are never shown.
  * Ranking: pinned groups first (in the order given), then score, newer date,
    then key, so the output is the same on every run.
No all-pairs Python loop: matrix products over blocks of pairs (each block once, read both
ways, as scores are symmetric), the best candidates of every row kept block by block.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, Sequence

from .config import RelatedConfig
from .errors import Diagnostic, shown
from .hashing import digest_all
from .markup import plain_text
from .text import Analyzer, normalize
from .workers import map_indices

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

    from .site import Site

_TERMS_PER_GROUP = 200
_BLOCK_ROWS = 1024  # a block of pairs is _BLOCK_ROWS² scores: 4 MB
_DENSE_LIMIT = 256 * 2**20
_SPARSE_SHARE = 0.03  # see _block_product
_MIN_TOPICS, _MAX_TOPICS = 20, 100
_MIN_GROUPS_FOR_TOPICS = 80  # on a small site, topics would only blur the few words stories share
_VOCABULARY_SLACK = 50_000
_PADDED_WIDTH_LIMIT = 4096  # terms in one group, see _strongest


@dataclass(frozen=True)
class RelatedInput:
    """What the related engine needs to know of one translation group."""

    key: str
    texts: tuple[tuple[str, str], ...]  # (title, body) of each language version
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


def find_related(items: Sequence[RelatedInput], config: RelatedConfig, depth: int,
                 jobs: int | None = 1, memo: TermMemo | None = None,
                 digests: Sequence[str] | None = None) -> dict[str, tuple[str, ...]]:
    """For every group, up to `depth` related group keys, best first; pins lead. Text is analysed on `jobs` processes.

    With a `memo`, groups analysed by an earlier call are not analysed again; the result is the same.
    `digests` are the items' text_digests(), if the caller has them already.
    """
    if not items:
        return {}
    global np, sparse
    import numpy as np  # imported here: a build whose related lists are cached never needs them
    from scipy import sparse
    if digests is None:
        # Without a memo, a digest would only tell groups apart, which their places do for free.
        digests = text_digests(items, config) if memo is not None else [str(i) for i in range(len(items))]
    digests = list(digests)
    matrix = _weigh(items, digests, config, jobs, memo if memo is not None else TermMemo())
    days = np.array([it.day if it.day is not None else 0 for it in items], dtype=np.float64)
    has_day = np.array([it.day is not None for it in items])
    keys = [it.key for it in items]
    key_index = {k: i for i, k in enumerate(keys)}
    margin = min(depth * 4, len(items) - 1)  # beyond `depth`, so ties at the cut are broken by date and key
    topics = _topics(matrix, config)
    values, columns = _best_pairs(_block_product(matrix, topics), len(items), margin, days, has_day, config)
    ranked = _rank(values, columns, days, np.argsort(np.array(keys, dtype=object)).argsort(),
                   min_score_for(config, topics is not None), config.min_relative)
    result: dict[str, tuple[str, ...]] = {}
    for item, row in zip(items, ranked):
        pins = [p for p in dict.fromkeys(item.pins) if p in key_index and p != item.key]
        chosen = pins + [keys[j] for j in row if keys[j] not in pins]
        result[item.key] = tuple(chosen[:depth])
    return result


def _best_pairs(product, rows_count: int, margin: int, days: np.ndarray, has_day: np.ndarray,
                config: RelatedConfig) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the `margin` highest scores (recency applied, never the row itself) and their columns.

    Scores are symmetric, so each block of pairs is computed once and read both
    ways: half the products of a row-by-row pass.
    """
    values = np.full((rows_count, margin), -np.inf, dtype=np.float32)
    columns = np.full((rows_count, margin), -1, dtype=np.int64)
    if margin <= 0:
        return values, columns
    for top in range(0, rows_count, _BLOCK_ROWS):
        rows = slice(top, min(top + _BLOCK_ROWS, rows_count))
        for left in range(top, rows_count, _BLOCK_ROWS):
            cols = slice(left, min(left + _BLOCK_ROWS, rows_count))
            scores = product(rows, cols)
            _apply_recency(scores, days[rows], has_day[rows], days[cols], has_day[cols], config)
            if left == top:
                np.fill_diagonal(scores, 0.0)  # never the article itself
            _keep_best(values, columns, rows, scores, left, margin)
            if left != top:
                _keep_best(values, columns, cols, _transposed(scores), top, margin)
    return values, columns


def _transposed(block: np.ndarray, strip: int = 16) -> np.ndarray:
    """block.T as a contiguous array, copied a strip of rows at a time: one copy of the
    whole keeps missing the CPU cache, and takes ten times as long."""
    out = np.empty((block.shape[1], block.shape[0]), dtype=block.dtype)
    for top in range(0, block.shape[0], strip):
        out[:, top:top + strip] = block[top:top + strip].T
    return out


def _keep_best(values: np.ndarray, columns: np.ndarray, rows: slice, scores: np.ndarray, offset: int,
               margin: int) -> None:
    """Merge a block of scores (columns from `offset` on) into the rows' best `margin` so far."""
    if scores.shape[1] > margin:
        pick = np.argpartition(-scores, margin - 1, axis=1)[:, :margin]
        scores = np.take_along_axis(scores, pick, axis=1)
    else:
        pick = np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
    both = np.concatenate([values[rows], scores], axis=1)
    where = np.concatenate([columns[rows], pick + offset], axis=1)
    keep = np.argpartition(-both, margin - 1, axis=1)[:, :margin]
    values[rows] = np.take_along_axis(both, keep, axis=1)
    columns[rows] = np.take_along_axis(where, keep, axis=1)


# The weakest link shown, by default: a score is the words' TF-IDF cosine plus topic_weight times the
# topic cosine, and topic cosines of news stories run high, so the floor rises with the topic part.
# Calibrated with `bench/related_quality.py --curve` (README "Related articles"): 0.8 at topic weight
# 1 takes Arabic precision from 0.765 to 0.819 and English from 0.944 to 0.962, with 3.8 and 4.6 links
# a story; 0.15 on a site too small for topics keeps the sample site's links and drops its noise.
AUTO_MIN_SCORE = 0.15
AUTO_MIN_SCORE_PER_TOPIC_WEIGHT = 0.65


def min_score_for(config: RelatedConfig, with_topics: bool) -> float:
    """The configured min_score, or the calibrated default for a site with or without topics."""
    if config.min_score is not None:
        return config.min_score
    return AUTO_MIN_SCORE + (AUTO_MIN_SCORE_PER_TOPIC_WEIGHT * config.topic_weight if with_topics else 0.0)


def _rank(values: np.ndarray, columns: np.ndarray, days: np.ndarray, key_rank: np.ndarray,
          min_score: float, min_relative: float = 0.0) -> list[list[int]]:
    """Each row's candidates at or above `min_score` and `min_relative` of the row's best, best first;
    ties by newer date, then key."""
    # Scores equal to 6 digits are ties (float32 and float64 products differ beyond that).
    rounded = np.round(values.astype(np.float64), 6)
    safe = np.maximum(columns, 0)
    order = np.lexsort((key_rank[safe], -days[safe], -rounded), axis=-1)
    floor = np.maximum(max(min_score, 1e-12), min_relative * values.max(axis=1, initial=0.0))[:, None]
    ok = np.take_along_axis(values >= floor, order, axis=1)
    ordered = np.take_along_axis(columns, order, axis=1)
    return [row[mask].tolist() for row, mask in zip(ordered, ok)]


def _block_product(matrix: sparse.csr_matrix, topics: np.ndarray | None):
    """scores(rows, cols): that block of matrix @ matrix.T (+ topics @ topics.T), float32; blocks start at
    multiples of _BLOCK_ROWS.

    A term's column is multiplied dense (BLAS) or sparse, whichever is cheaper: dense
    costs every pair of groups, sparse only the pairs that share the term, but each of
    those costs about a thousand times more. So terms in more than `_SPARSE_SHARE` of
    the groups go dense with the topics, up to `_DENSE_LIMIT` bytes, and the rest sparse.
    """
    rows = matrix.shape[0]
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    by_df = np.argsort(-df, kind="stable")
    room = max(_DENSE_LIMIT // (4 * max(rows, 1)) - (0 if topics is None else topics.shape[1]), 0)
    frequent = np.sort(by_df[:min(int(np.count_nonzero(df > _SPARSE_SHARE * rows)), room)])
    rare = np.sort(by_df[len(frequent):])
    # Filled in place: toarray() and hstack() would each copy the biggest array of the stage.
    dense = np.zeros((rows, len(frequent) + (0 if topics is None else topics.shape[1])), dtype=np.float32)
    entries = matrix[:, frequent].tocoo()
    dense[entries.row, entries.col] = entries.data
    if topics is not None:
        dense[:, len(frequent):] = topics
    if not len(rare):
        return lambda r, c: dense[r] @ dense[c].T
    sparse_part = matrix[:, rare].astype(np.float32).tocsr()
    blocks = [sparse_part[top:top + _BLOCK_ROWS] for top in range(0, rows, _BLOCK_ROWS)]
    transposed = [block.T.tocsr() for block in blocks]

    def scores(r: slice, c: slice) -> np.ndarray:
        block = dense[r] @ dense[c].T
        block += (blocks[r.start // _BLOCK_ROWS] @ transposed[c.start // _BLOCK_ROWS]).toarray()
        return block
    return scores


def _topics(matrix: sparse.csr_matrix, config: RelatedConfig) -> np.ndarray | None:
    """Each row's direction in the `dims` strongest singular directions (LSA), scaled so that
    a dot product of two rows is `topic_weight` times their topic cosine; None when off.

    The SVD is randomized (Halko, Martinsson and Tropp 2011, two power iterations)
    with a fixed seed: a few sparse products instead of ARPACK's many, and the same
    result on every run.
    """
    rows, terms = matrix.shape
    dims = config.topics or min(_MAX_TOPICS, max(_MIN_TOPICS, round(rows ** 0.5)))
    if config.topic_weight <= 0 or rows < _MIN_GROUPS_FOR_TOPICS or dims >= min(rows, terms) // 2:
        return None
    probe = np.random.default_rng(0).standard_normal((terms, dims + 10))
    basis, _ = np.linalg.qr(matrix @ probe)
    for _ in range(2):
        basis, _ = np.linalg.qr(matrix.T @ basis)
        basis, _ = np.linalg.qr(matrix @ basis)
    left, strengths, _ = np.linalg.svd((matrix.T @ basis).T, full_matrices=False)
    rows_in_topics = (basis @ left[:, :dims]) * strengths[:dims]
    norms = np.linalg.norm(rows_in_topics, axis=1, keepdims=True)
    rows_in_topics /= np.where(norms > 0, norms, 1.0)
    return (rows_in_topics * config.topic_weight ** 0.5).astype(np.float32)


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
        analyzer.add_counts(tf, plain_text(body) if item.html else body, config.body_weight)
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
                        *(text.encode("utf-8", "surrogatepass") for pair in item.texts for text in pair)])
            for item in items]


def _weigh(items: Sequence[RelatedInput], keys: list[str], config: RelatedConfig, jobs: int | None,
           memo: TermMemo) -> sparse.csr_matrix:
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
        for term in set(names).difference(vocabulary):  # ids in any order: columns are sorted by term below
            vocabulary[term] = len(vocabulary)
        in_vocabulary[pid] = np.fromiter(map(vocabulary.__getitem__, names), np.int64, len(names))
    for i, (pid, _, _, ids, counts) in zip(todo, fresh):
        memo.groups[keys[i]] = (in_vocabulary[pid][np.frombuffer(ids, np.int32)], np.frombuffer(counts, np.float64))
    memo.groups = {k: memo.groups[k] for k in keys}  # forget deleted and edited versions
    terms = list(vocabulary)
    groups = len(items)
    arrays = [memo.groups[k] for k in keys]
    # int32 and early deletes: at 10,000 stories these arrays hold millions of entries each.
    row = np.repeat(np.arange(groups, dtype=np.int32), [len(ids) for ids, _ in arrays])
    col = np.concatenate([ids for ids, _ in arrays]).astype(np.int32) if arrays else np.zeros(0, np.int32)
    tf_values = np.concatenate([counts for _, counts in arrays]) if arrays else np.zeros(0)
    del arrays
    df = np.bincount(col, minlength=len(terms))
    if len(terms) > 2 * np.count_nonzero(df) + _VOCABULARY_SLACK:
        memo.vocabulary, memo.groups = {}, {}  # mostly terms of stories long gone: the next build starts afresh
    row, col, tf_values = _fold_attached_letters(row, col, tf_values, terms, vocabulary, df)
    df = np.bincount(col, minlength=len(terms))
    # A term in one group only can never link two groups; leaving it out of the
    # norm too makes scores comparable between short and long articles.
    keep = (df[col] > 1) & (tf_values > 0)  # tf 0: a weight of 0 in config
    row, col, tf_values = row[keep], col[keep], tf_values[keep]
    del keep
    # Columns in the sorted order of the terms, so ties below are broken by term, not by reading order.
    shared = sorted((terms[j], j) for j in np.flatnonzero(df > 1).tolist())
    column = np.full(len(terms), -1, dtype=np.int32)
    column[[j for _, j in shared]] = np.arange(len(shared))
    idf = np.log1p(groups / np.maximum(df, 1))
    weight = np.where(tf_values >= 1, 1 + np.log(np.maximum(tf_values, 1)), tf_values) * idf[col]
    del tf_values
    col = column[col]
    top = _strongest(row, col, weight, groups, _TERMS_PER_GROUP)
    row, col, weight = row[top], col[top], weight[top]
    norm = np.sqrt(np.bincount(row, weight * weight, minlength=groups))
    data = weight / np.where(norm > 0, norm, 1.0)[row]
    return sparse.csr_matrix((data, (row, col)), shape=(groups, max(len(shared), 1)))


# One-letter words written onto the next one, which Snowball leaves on a word without ال: لتحلية.
_ATTACHED = frozenset("لبكفو")


def _fold_attached_letters(row: np.ndarray, col: np.ndarray, tf: np.ndarray, terms: list[str],
                           vocabulary: dict[str, int], df: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count a term that is an attached letter plus another term of these stories (لتحل, تحل) as that term.

    Only where the shorter term occurs in these stories: the letter may belong to the
    word (بحر is not ب + حر). Decided on the current stories alone, so a clean build and
    an incremental one agree. A story holding both forms gets one entry, their counts added.
    """
    target = {}
    for index in np.flatnonzero(df).tolist():
        term = terms[index]
        if len(term) >= 4 and term[0] in _ATTACHED:
            rest = vocabulary.get(term[1:])
            if rest is not None and df[rest] > 0:
                target[index] = rest
    if not target:
        return row, col, tf
    mapping = np.arange(len(terms), dtype=np.int32)
    mapping[list(target)] = list(target.values())
    col = mapping[col]
    # Entries that may now share (story, term): those of the target terms, moved or not. Each such pair
    # keeps its first entry, in place (entries stay grouped by story), with the counts of all added.
    is_target = np.zeros(len(terms), dtype=bool)
    is_target[list(set(target.values()))] = True
    involved = np.flatnonzero(is_target[col])
    key = row[involved].astype(np.int64) * len(terms) + col[involved]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    if len(first) == len(involved):
        return row, col, tf
    tf = tf.copy()
    tf[involved[first]] = np.bincount(inverse, tf[involved])
    keep = np.ones(len(row), dtype=bool)
    keep[involved] = False
    keep[involved[first]] = True
    return row[keep], col[keep], tf[keep]


def _strongest(row: np.ndarray, col: np.ndarray, weight: np.ndarray, groups: int, most: int) -> np.ndarray:
    """Which entries are their group's `most` strongest terms (ties: the later term in sorted order).

    Entries come grouped by row, in row order. The weight at place `most` of each row is found by a
    partition of the rows padded to one width: a sort of every entry took five times as long.
    """
    counts = np.bincount(row, minlength=groups)
    width = int(counts.max()) if len(row) else 0
    if width <= most:
        return np.ones(len(row), dtype=bool)
    if width > _PADDED_WIDTH_LIMIT:  # one huge story would make the padded array huge: sort instead
        order = np.lexsort((-col, -weight, row))
        keep = np.zeros(len(row), dtype=bool)
        keep[order[_places(row[order]) < most]] = True
        return keep
    position = np.arange(len(row)) - np.repeat(np.cumsum(counts) - counts, counts)
    padded = np.full((groups, width), -np.inf)
    padded[row, position] = weight
    cut = np.partition(padded, width - most, axis=1)[:, width - most][row]  # the row's weight at place `most` (-inf if fewer)
    del padded
    keep = weight > cut
    ties = np.flatnonzero(weight == cut)
    if len(ties):
        room = most - np.bincount(row[keep], minlength=groups)
        ties = ties[np.lexsort((-col[ties], row[ties]))]
        keep[ties[_places(row[ties]) < room[row[ties]]]] = True
    return keep


def _places(rows: np.ndarray) -> np.ndarray:
    """For entries sorted by row: each one's place among its row's entries, from 0."""
    return np.arange(len(rows)) - np.searchsorted(rows, rows)


def _apply_recency(scores: np.ndarray, row_days: np.ndarray, row_has: np.ndarray,
                   days: np.ndarray, has: np.ndarray, config: RelatedConfig) -> None:
    if not row_has.any() or not has.any():
        return
    apart = np.abs(row_days[:, None] - days[None, :]).astype(np.int64)
    known = None if row_has.all() and has.all() else row_has[:, None] & has[None, :]
    if config.recency_weight and config.recency_half_life_days:
        # Days apart are whole numbers: a lookup table is far cheaper than exp2 per pair.
        span = np.arange(int(apart.max()) + 1, dtype=np.float64)
        table = ((1 - config.recency_weight) + config.recency_weight * np.exp2(-span / config.recency_half_life_days))
        factor = table.astype(scores.dtype)[apart]
        if known is not None:
            factor[~known] = 1.0
        scores *= factor
    if config.max_age_days:
        too_old = apart > config.max_age_days
        scores[too_old if known is None else too_old & known] = 0.0


def related_inputs(site: "Site", article_keys: Mapping[str, str] | None = None) -> tuple[list[RelatedInput], list[Diagnostic]]:
    """One RelatedInput per translation group; pins naming no article become warnings.

    `article_keys` (article source -> a hash of what it is made from), when given, make each
    input's digest, so its text need not be hashed again.
    """
    by_slug = {a.slug: a.group for a in sorted(site.articles, key=lambda a: (a.lang != site.config.default_language, a.path))}
    by_slug.update({k: k for k in site.groups})
    warnings, items = [], []
    for key, versions in site.groups.items():
        ordered = [versions[c] for c in site.config.language_codes if c in versions]
        pins = []
        for article in ordered:
            for slug, line in zip(article.pins, article.pin_lines or (1,) * len(article.pins)):
                if slug in by_slug:
                    pins.append(by_slug[slug])
                else:
                    warnings.append(Diagnostic(article.path, f"related: no article has the slug {shown(slug)}; pin ignored",
                                               line, "use the file name without .ar.md / .en.md", "warning"))
        first = ordered[0]
        items.append(RelatedInput(
            key=key,
            texts=tuple((a.title, a.html) for a in ordered),  # the HTML already in memory, read by the analysers
            tags=tuple(dict.fromkeys(t.name for a in ordered for t in a.tags)),
            category=first.category.name if first.category else "",
            day=first.day.toordinal(),
            pins=tuple(pins),
            html=True,
            digest=digest_all([article_keys[a.path].encode() for a in ordered]) if article_keys is not None else "",
        ))
    return items, warnings
