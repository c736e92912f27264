"""The related engine's numbers: a model fitted on the oldest stories, a vector per story, and each
story's best candidates, kept between builds so that an edit scores again only what it changes.

Stable. The model (which terms count and their weights, the topic basis, the topic clusters) is fitted
on the oldest `fit_size(N)` stories: the largest step of 80, 100, 125, … (×1.25) not above the story
count. A new story or an edit to a recent one leaves that part alone, so the model stays; a clean
build fits the very same one. It is fitted again when the count passes a step or the terms of a fitted
story change; a change to its summary or picture does not refit, as the model never reads them.
Terms the fitted stories hold once are left out (they linked nothing there); terms they never hold
(a name new since the fit) count, with the weight of the rarest.

Exact. Vector entries are rounded to multiples of 2^-bits, so fine that every product and every partial
sum of a score is a float32 number: a score has the same bits however BLAS blocks or orders the sums. So
a story scored again on its own gets the score a clean build computes, and ties are true ties, broken
by date and key.

Sub-quadratic. Past _CLUSTERED_FROM fitted stories, the topic space is cut into about √N clusters
(k-means, fitted with the rest) and a story is compared only with the members of the _PROBES clusters
nearest to it; below, with every story. The topic basis and the clusters are fitted on at most
_TOPIC_SAMPLE of the fitted stories, evenly spaced among them (so the model is as stable as before).

Kept between builds (RelatedState): the fit, every story's vectors and clusters, and its best
`margin` candidates. After an edit, a story's candidates are found again only if it changed, if one of
its kept candidates changed, or if a changed story now scores at least its weakest kept candidate:
every other story's candidates are provably the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from scipy import sparse

from .config import RelatedConfig
from .hashing import digest_all

_FIRST_STEP = 80  # fewer stories: the model is fitted on all of them, at every build (it is cheap)
_TERMS_PER_GROUP = 200
_MIN_TOPICS, _MAX_TOPICS = 20, 100
_CLUSTERED_FROM = 2000  # fitted stories; below, every pair is scored (a few million at most)
_PROBES = 12  # clusters a story is compared with; measured with bench/related_recall.py
# Fitted stories the topic basis and clusters are fitted on, at most: evenly spaced among them past this. The
# basis is a hundred directions and the clusters about √N, which this many stories pin down (see _fit_topics).
_TOPIC_SAMPLE = 20_000
_KMEANS_ROUNDS = 10
_BLOCK_GROUPS = 2048  # stories whose terms are weighed at once (_blocks)
_BLOCK_ROWS = 1024  # a block of scores is at most _BLOCK_ROWS² float32: 4 MB
_DENSE_LIMIT = 256 * 2**20
_SPARSE_SHARE = 0.03  # see _Scorer
_PADDED_WIDTH_LIMIT = 4096  # terms in one group, see _strongest
_ATTACHED = frozenset("لبكفو")  # one-letter words written onto the next one, which Snowball leaves on


def fit_size(count: int) -> int:
    """How many of the oldest stories the model is fitted on."""
    if count < _FIRST_STEP:
        return count
    step = _FIRST_STEP
    while step + step // 4 <= count:
        step += step // 4
    return step


def topic_count(config: RelatedConfig, fitted: int, terms: int) -> int:
    """Topic dimensions, 0 when off: a site too small for topics, or topic_weight 0."""
    dims = config.topics or min(_MAX_TOPICS, max(_MIN_TOPICS, round(fitted ** 0.5)))
    if config.topic_weight <= 0 or fitted < _FIRST_STEP or dims >= min(fitted, terms) // 2:
        return 0
    return dims


def quantum_bits(topic_weight: float) -> int:
    """Bits after the point of every vector entry. A score is at most 1 + topic_weight, and so is the sum
    of its products' sizes (Cauchy–Schwarz, per part); with entries in steps of 2^-b, every partial sum
    is a whole number of 2^-2b below 2^24 of them, which float32 holds exactly."""
    return int((24 - math.log2((1 + max(topic_weight, 0.0)) * 1.05)) // 2)


def _quantize(values: np.ndarray, bits: int) -> np.ndarray:
    scale = float(2 ** bits)
    return (np.round(values * scale) / scale).astype(np.float32)


@dataclass
class RelatedState:
    """What the last lists were made from, kept in the build cache. Mutable, like the cache that holds it;
    plain arrays and strings only, as the cache's reader allows."""

    model: str = ""  # the fit's key: config, the fitted stories, the term memo's generation
    fit: dict = field(default_factory=dict)
    keys: list = field(default_factory=list)  # rows of the arrays below
    digests: list = field(default_factory=list)
    days: Any = None
    words: tuple = ()  # CSR of the word vectors: (indptr, term ids, values)
    topics: Any = None  # rows × dims, or None
    probes: Any = None  # rows × probes: the clusters each row is compared with, nearest first
    values: Any = None  # rows × margin: the best candidates' scores
    columns: Any = None  # rows × margin: their rows, -1 for none
    margin: int = 0


@dataclass(frozen=True)
class Scored:
    values: np.ndarray  # rows × margin, best candidates (any order), -inf where there are fewer
    columns: np.ndarray
    topics: bool  # whether topics took part (for the default min_score)
    refitted: bool
    rescored: int  # rows whose candidates were found again


def score(keys: Sequence[str], digests: Sequence[str], days: np.ndarray, counted: Sequence[tuple],
          terms: list[str], vocabulary: dict[str, int], generation: int, config: RelatedConfig, margin: int,
          state: RelatedState | None) -> Scored:
    """Every row's best `margin` candidates; `state` (if given) is read, reused where provably the same,
    and replaced by this build's. `digests` are hashes of the rows' term counts (`TermMemo.sums`)."""
    count = len(keys)
    margin = max(margin, 0)
    key_rank = np.argsort(np.array(keys, dtype=object)).argsort()
    order = np.lexsort((key_rank, days))  # oldest first, then by key
    size = fit_size(count)
    fitted = order[:size]
    model = digest_all([repr((config, size, generation, _CLUSTERED_FROM, _PROBES, _TOPIC_SAMPLE)).encode(),
                        *(f"{digests[i]} {days[i]}".encode() for i in fitted)])
    ranks = _term_ranks(terms)
    tiebreak = np.lexsort((key_rank, -days)).argsort()  # newer first, then by key
    previous = state if state is not None and _usable(state, model, margin) else None
    fit = previous.fit if previous is not None else _fit_weights(counted, fitted, terms, vocabulary, ranks, config)
    fold = _extend_fold(fit, terms, vocabulary)

    where = {key: i for i, key in enumerate(previous.keys)} if previous is not None else {}
    old = np.array([where.get(key, -1) for key in keys], dtype=np.int64)
    same = old >= 0
    if previous is not None:
        same &= np.array([o >= 0 and previous.digests[o] == d for o, d in zip(old.tolist(), digests)])
    fresh = np.flatnonzero(~same)
    words = _assemble_words(previous, old, same, _vectors(counted, fresh, fit, fold, ranks), fresh, count)
    if previous is None:
        fit.update(_fit_topics(_rows(words, fitted), ranks, len(terms), fit["shared"], fit["bits"], config))
    dims = fit["dims"]
    topics = None
    if dims:
        topics = np.zeros((count, dims), dtype=np.float32)
        if previous is not None and same.any():
            topics[same] = previous.topics[old[same]]
        topics[fresh] = _topic_vectors(_rows(words, fresh), fit, config.topic_weight)
    probes = None
    if fit["centroids"] is not None:
        probes = np.zeros((count, min(_PROBES, len(fit["centroids"]))), dtype=np.int32)
        if previous is not None and same.any():
            probes[same] = previous.probes[old[same]]
        probes[fresh] = _nearest_clusters(topics[fresh], fit["centroids"], probes.shape[1])

    scorer = _Scorer(words, topics, days, config)
    pools = _pools(probes, count)
    moved = ~same
    if previous is not None:
        # A file whose change left the vector as it was (a pin, a word that does not count) moves nothing.
        for row in fresh[old[fresh] >= 0].tolist():
            moved[row] = not _same_vector(previous, old[row], words, topics, row)
        moved |= np.array([o >= 0 and previous.days[o] != d for o, d in zip(old.tolist(), days.tolist())])
    changed = np.flatnonzero(moved)
    if previous is None or len(changed) * 8 > count or margin == 0:
        values, columns = _best(scorer, pools, np.arange(count), count, margin, tiebreak)
        rescored = count
    else:
        values, columns, rescored = _update(previous, old, changed, scorer, pools, count, margin, tiebreak)

    if state is not None:
        state.model, state.fit, state.keys, state.digests = model, fit, list(keys), list(digests)
        state.days, state.words, state.topics, state.probes = days.copy(), words, topics, probes
        state.values, state.columns, state.margin = values, columns, margin
    return Scored(values, columns, dims > 0, previous is None, rescored)


def _same_vector(previous: RelatedState, before: int, words: tuple, topics: np.ndarray | None, row: int) -> bool:
    then, now = _rows(previous.words, np.array([before])), _rows(words, np.array([row]))
    return (np.array_equal(then[1], now[1]) and np.array_equal(then[2], now[2])
            and (topics is None or np.array_equal(previous.topics[before], topics[row])))


def _usable(state: RelatedState, model: str, margin: int) -> bool:
    """Whether a stored state fits this build, and holds arrays of the shapes it says (a cache may be damaged)."""
    try:
        rows = len(state.keys)
        indptr, ids, data = state.words
        ok = (state.model == model and state.margin == margin and len(state.digests) == rows
              and state.days.shape == (rows,) and indptr.shape == (rows + 1,) and ids.shape == data.shape
              and int(indptr[-1]) == len(ids) and bool((np.diff(indptr) >= 0).all())
              and state.values.shape == state.columns.shape == (rows, margin)
              and bool(((state.columns >= -1) & (state.columns < rows)).all()))
        fit = state.fit
        if ok and fit["dims"]:
            ok = state.topics.shape == (rows, fit["dims"]) and fit["basis"].shape[1] == fit["dims"]
        if ok and fit["centroids"] is not None:
            ok = state.probes.shape == (rows, min(_PROBES, len(fit["centroids"]))) and bool(((state.probes >= 0)
                                                          & (state.probes < len(fit["centroids"]))).all())
        return bool(ok)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return False


def _term_ranks(terms: list[str]) -> np.ndarray:
    """Each term id's place in the sorted order of the terms: the one order every sum and tie follows, so a
    memo that numbered terms in another order (an older cache) changes nothing."""
    ranks = np.empty(len(terms), dtype=np.int64)
    ranks[sorted(range(len(terms)), key=terms.__getitem__)] = np.arange(len(terms))
    return ranks


def _entries(counted: Sequence[tuple], which: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    arrays = [counted[i] for i in which.tolist()]
    row = np.repeat(np.arange(len(arrays), dtype=np.int64), [len(ids) for ids, _ in arrays])
    col = np.concatenate([ids for ids, _ in arrays]).astype(np.int64) if arrays else np.zeros(0, np.int64)
    tf = np.concatenate([counts for _, counts in arrays]) if arrays else np.zeros(0)
    return row, col, tf


def _canonical(row: np.ndarray, col: np.ndarray, tf: np.ndarray, fold: np.ndarray,
               ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Attached letters folded onto their word, entries sorted by row then term, one entry per (row, term)."""
    col = fold[col]
    # One int64 key and a stable sort (radix, for integers): a lexsort of the two took three times as long.
    order = np.argsort(row * max(len(ranks), 1) + ranks[col], kind="stable")
    row, col, tf = row[order], col[order], tf[order]
    if not len(row):
        return row, col, tf
    first = np.ones(len(row), dtype=bool)
    first[1:] = (row[1:] != row[:-1]) | (col[1:] != col[:-1])
    starts = np.flatnonzero(first)
    return row[starts], col[starts], np.add.reduceat(tf, starts)


def _fold_map(terms: list[str], vocabulary: dict[str, int], present: np.ndarray, start: int = 0) -> np.ndarray:
    """Per term id from `start`: the term it counts as. A term that is an attached letter plus a word the
    fitted stories hold (لتحلية, تحلية) counts as that word; the letter may belong to the word (بحر is
    not ب + حر), hence only a word the stories hold, and never a rest of two letters."""
    mapping = np.arange(start, len(terms), dtype=np.int64)
    for index in range(start, len(terms)):
        term = terms[index]
        if len(term) >= 4 and term[0] in _ATTACHED:
            rest = vocabulary.get(term[1:])
            if rest is not None and rest < len(present) and present[rest]:
                mapping[index - start] = rest
    return mapping


def _extend_fold(fit: dict, terms: list[str], vocabulary: dict[str, int]) -> np.ndarray:
    fold = fit["fold"]
    if len(fold) < len(terms):  # terms first seen since the fit
        fold = np.concatenate([fold, _fold_map(terms, vocabulary, fit["present"], len(fold))])
    return fold


def _fit_weights(counted: Sequence[tuple], fitted: np.ndarray, terms: list[str], vocabulary: dict[str, int],
                 ranks: np.ndarray, config: RelatedConfig) -> dict:
    """Which terms count, and their weights, from the fitted stories (read a block of them at a time)."""
    size = len(fitted)
    present = np.zeros(len(terms), dtype=bool)
    for block in _blocks(fitted):
        present[np.concatenate([counted[i][0] for i in block.tolist()])] = True
    fold = _fold_map(terms, vocabulary, present)
    df = np.zeros(len(terms), dtype=np.int64)
    for block in _blocks(fitted):
        df += np.bincount(_canonical(*_entries(counted, block), fold, ranks)[1], minlength=len(terms))
    rarest = math.log1p(size)
    idf = np.where(df >= 2, np.log1p(size / np.maximum(df, 1)), 0.0)
    idf[df == 0] = rarest  # never in the fitted stories (or folded away: then never looked up)
    return {"size": size, "shared": int(np.count_nonzero(df >= 2)), "present": present, "fold": fold, "idf": idf,
            "rarest": rarest, "bits": quantum_bits(config.topic_weight)}


def _blocks(rows: np.ndarray) -> list[np.ndarray]:
    """`rows` cut into runs of _BLOCK_GROUPS: every term of every story at once took gigabytes at 100,000."""
    return [rows[i:i + _BLOCK_GROUPS] for i in range(0, len(rows), _BLOCK_GROUPS)]


def _fit_topics(words: tuple, ranks: np.ndarray, term_count: int, shared: int, bits: int,
                config: RelatedConfig) -> dict:
    """The topic basis and, on a large site, the topic clusters, from the fitted stories' vectors: of at most
    _TOPIC_SAMPLE of them, evenly spaced. On all 100,000 the basis took 11 s and 0.6 GB at its peak; a fit on
    a fifth of them moves the lists no more than the full fit's own random numbers do (README "Related articles")."""
    fit = {"dims": 0, "basis": None, "basis_ids": None, "centroids": None, "bits": bits}
    size = len(words[0]) - 1
    dims = topic_count(config, size, shared)
    if dims:
        sample = _rows(words, _evenly(size, _TOPIC_SAMPLE)) if size > _TOPIC_SAMPLE else words
        fit.update(_topic_basis(sample, len(sample[0]) - 1, ranks, dims, term_count))
        if size >= _CLUSTERED_FROM:
            topics = _topic_vectors(sample, fit, config.topic_weight)
            fit["centroids"] = _clusters(topics, round(size ** 0.5), fit["bits"])
    return fit


def _evenly(size: int, count: int) -> np.ndarray:
    """`count` of the rows 0 … size-1, evenly spaced, the first included."""
    return np.arange(count, dtype=np.int64) * size // count


def _vectors(counted: Sequence[tuple], which: np.ndarray, fit: dict, fold: np.ndarray,
             ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR (indptr, term ids, values) of the rows `which`: TF-IDF over the fit's terms, a row's strongest
    _TERMS_PER_GROUP, L2-normalised and rounded; entries in the terms' sorted order. A row's vector depends
    on that row alone, so the rows are made a block at a time."""
    parts = [_block_vectors(counted, block, fit, fold, ranks) for block in _blocks(which)]
    if not parts:
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    lengths = np.concatenate([np.diff(indptr) for indptr, _, _ in parts])
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return indptr, np.concatenate([ids for _, ids, _ in parts]), np.concatenate([values for _, _, values in parts])


def _block_vectors(counted: Sequence[tuple], which: np.ndarray, fit: dict, fold: np.ndarray,
                   ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    row, col, tf = _canonical(*_entries(counted, which), fold, ranks)
    idf = fit["idf"]
    known = col < len(idf)
    weights = np.full(len(col), fit["rarest"])
    weights[known] = idf[col[known]]
    weights *= np.where(tf >= 1, 1 + np.log(np.maximum(tf, 1)), tf)
    keep = weights > 0  # a term the fitted stories hold once; a weight of 0 in config
    row, col, weights = row[keep], col[keep], weights[keep]
    top = _strongest(row, ranks[col], weights, len(which), _TERMS_PER_GROUP)
    row, col, weights = row[top], col[top], weights[top]
    norm = np.sqrt(np.bincount(row, weights * weights, minlength=len(which)))
    values = _quantize(weights / np.where(norm > 0, norm, 1.0)[row], fit["bits"])
    nonzero = values != 0
    row, col, values = row[nonzero], col[nonzero], values[nonzero]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=len(which)))]).astype(np.int64)
    return indptr, col.astype(np.int32), values


def _positions(indptr: np.ndarray, which: np.ndarray) -> np.ndarray:
    """The places of the entries of rows `which` (in that order) in a CSR's arrays."""
    starts = indptr[which]
    lengths = indptr[which + 1] - starts
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))


def _rows(words: tuple, which: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    indptr, ids, values = words
    picked = _positions(indptr, which)
    lengths = indptr[which + 1] - indptr[which]
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64), ids[picked], values[picked]


def _assemble_words(previous: RelatedState | None, old: np.ndarray, same: np.ndarray, fresh_words: tuple,
                    fresh: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """This build's word vectors in row order: the unchanged rows' from the last build, the others new.

    Copied a run of rows at a time, a run being consecutive rows of one source: an edit leaves a few runs,
    where gathering entry by entry moved each of the 30 million entries at 100,000 stories a language."""
    if previous is None or not same.any():
        return fresh_words
    sources = (previous.words, fresh_words)
    of = np.where(same, 0, 1)  # each row's source: 0 the last build's arrays, 1 the fresh ones
    at = old.copy()  # each row's place in its source
    at[fresh] = np.arange(len(fresh))
    starts = np.flatnonzero(np.concatenate([[True], (of[1:] != of[:-1]) | (at[1:] != at[:-1] + 1)]))
    ends = np.append(starts[1:], count)
    lengths = np.empty(count, dtype=np.int64)
    ids, values = [], []
    for start, end, source in zip(starts.tolist(), ends.tolist(), of[starts].tolist()):
        indptr, source_ids, source_values = sources[source]
        first, last = int(at[start]), int(at[end - 1]) + 1
        lengths[start:end] = np.diff(indptr[first:last + 1])
        ids.append(source_ids[indptr[first]:indptr[last]])
        values.append(source_values[indptr[first]:indptr[last]])
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return (indptr, np.concatenate(ids).astype(np.int32, copy=False),
            np.concatenate(values).astype(np.float32, copy=False))


def _topic_basis(words: tuple, size: int, ranks: np.ndarray, dims: int, term_count: int) -> dict:
    """The `dims` strongest right singular directions of the fitted stories' vectors (LSA), by a
    randomized SVD (Halko, Martinsson and Tropp 2011, two power iterations) with a fixed seed, over the
    terms in sorted order: a few sparse products instead of ARPACK's many, and the same on every run."""
    indptr, ids, values = words
    used = np.unique(ids)
    used = used[np.argsort(ranks[used])]  # the fitted stories' terms, in sorted order
    column = np.full(term_count, -1, dtype=np.int32)
    column[used] = np.arange(len(used))
    matrix = sparse.csr_matrix((values.astype(np.float64), column[ids], indptr), shape=(size, len(used)))
    probe = np.random.default_rng(0).standard_normal((len(used), dims + 10))
    basis, _ = np.linalg.qr(matrix @ probe)
    for _ in range(2):
        basis, _ = np.linalg.qr(matrix.T @ basis)
        basis, _ = np.linalg.qr(matrix @ basis)
    left, _, right = np.linalg.svd((matrix.T @ basis).T, full_matrices=False)
    return {"dims": dims, "basis": np.ascontiguousarray(right[:dims].T), "basis_ids": column}


def _topic_vectors(words: tuple, fit: dict, topic_weight: float) -> np.ndarray:
    """Rows in the topic basis, normalised and scaled so that a dot product of two is `topic_weight` times
    their topic cosine; rounded like the word vectors. A row depends on that row alone, so the rows are
    projected a block at a time: all at once, the temporaries took 0.8 GB at 100,000 stories."""
    indptr = words[0]
    rows = len(indptr) - 1
    topics = np.zeros((rows, fit["basis"].shape[1]), dtype=np.float32)
    for block in _blocks(np.arange(rows)):
        topics[block] = _block_topic_vectors(_rows(words, block), fit, topic_weight)
    return topics


def _block_topic_vectors(words: tuple, fit: dict, topic_weight: float) -> np.ndarray:
    indptr, ids, values = words
    column = fit["basis_ids"]
    columns = np.full(len(ids), -1, dtype=np.int64)
    inside = ids < len(column)
    columns[inside] = column[ids[inside]]
    keep = columns >= 0  # a term the fitted stories do not hold has no direction
    row = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))[keep]
    # Entries stay in the terms' sorted order, which is the order of the basis rows: every row's sum runs
    # in one order, whatever the memo's numbering.
    kept_indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=len(indptr) - 1))])
    matrix = sparse.csr_matrix((values[keep].astype(np.float64), columns[keep], kept_indptr),
                               shape=(len(indptr) - 1, fit["basis"].shape[0]))
    rows = matrix @ fit["basis"]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    rows /= np.where(norms > 0, norms, 1.0)
    return _quantize(rows * topic_weight ** 0.5, fit["bits"])


def _clusters(topics: np.ndarray, count: int, bits: int) -> np.ndarray:
    """Spherical k-means of the fitted stories' topic vectors: `count` unit centroids, rounded."""
    points = topics.astype(np.float64)
    norms = np.linalg.norm(points, axis=1, keepdims=True)
    points /= np.where(norms > 0, norms, 1.0)
    centroids = points[np.random.default_rng(0).choice(len(points), count, replace=False)].copy()
    for _ in range(_KMEANS_ROUNDS):
        nearest = np.argmax(points @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, nearest, points)
        lengths = np.linalg.norm(sums, axis=1, keepdims=True)
        centroids = np.where(lengths > 0, sums / np.where(lengths > 0, lengths, 1.0), centroids)  # empty: kept
    return _quantize(centroids, bits)


def _nearest_clusters(topics: np.ndarray, centroids: np.ndarray, probes: int) -> np.ndarray:
    """Per row, the `probes` clusters of highest similarity, ties by cluster number (the values are exact);
    a block of rows at a time (all at once, the similarities and their order took 0.5 GB at 100,000)."""
    nearest = np.zeros((len(topics), probes), dtype=np.int32)
    for block in _blocks(np.arange(len(topics))):
        similarity = topics[block] @ centroids.T
        nearest[block] = np.argsort(-similarity, axis=1, kind="stable")[:, :probes]
    return nearest


def _pools(probes: np.ndarray | None, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(rows, the members they are compared with): one pool per cluster, or one of every row."""
    if probes is None:
        every = np.arange(count)
        return [(every, every)]
    clusters = int(probes.max()) + 1 if probes.size else 0
    home = probes[:, 0]
    flat = probes.ravel()
    by_cluster = np.argsort(flat, kind="stable")
    bounds = np.searchsorted(flat[by_cluster], np.arange(clusters + 1))
    pools = []
    for cluster in range(clusters):
        rows = by_cluster[bounds[cluster]:bounds[cluster + 1]] // probes.shape[1]
        members = np.flatnonzero(home == cluster)
        if len(rows) and len(members):
            pools.append((rows, members))
    return pools


class _Scorer:
    """scores(rows, cols): that block of word cosines + topic products, with recency, self -inf, float32.

    A term is multiplied dense (BLAS) or sparse, whichever is cheaper: dense costs every pair, sparse only
    the pairs that share the term, but each of those costs about a thousand times more. So terms in more
    than `_SPARSE_SHARE` of the rows go dense with the topics, up to `_DENSE_LIMIT` bytes. Either way the
    sum is exact (see the module's docstring), so the split changes the time only.
    """

    def __init__(self, words: tuple, topics: np.ndarray | None, days: np.ndarray, config: RelatedConfig):
        indptr, ids, values = words
        rows = len(indptr) - 1
        width = int(ids.max()) + 1 if len(ids) else 1
        matrix = sparse.csr_matrix((values, ids, indptr), shape=(rows, width))
        df = np.bincount(ids, minlength=width)
        by_df = np.argsort(-df, kind="stable")
        extra = 0 if topics is None else topics.shape[1]
        room = max(_DENSE_LIMIT // (4 * max(rows, 1)) - extra, 0)
        frequent = np.sort(by_df[:min(int(np.count_nonzero(df > _SPARSE_SHARE * rows)), room)])
        rare = np.sort(by_df[len(frequent):])
        self.dense = np.zeros((rows, len(frequent) + extra), dtype=np.float32)
        entries = matrix[:, frequent].tocoo()
        self.dense[entries.row, entries.col] = entries.data
        if topics is not None:
            self.dense[:, len(frequent):] = topics
        self.sparse = matrix[:, rare].tocsr() if len(rare) and matrix[:, rare].nnz else None
        self.days, self.config = days, config

    def scores(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        block = self.dense[rows] @ self.dense[cols].T
        if self.sparse is not None:
            block += (self.sparse[rows] @ self.sparse[cols].T).toarray()
        _apply_recency(block, self.days[rows], self.days[cols], self.config)
        _, at_row, at_col = np.intersect1d(rows, cols, assume_unique=True, return_indices=True)
        block[at_row, at_col] = -np.inf  # never the story itself
        return block


def _apply_recency(scores: np.ndarray, row_days: np.ndarray, days: np.ndarray, config: RelatedConfig) -> None:
    apart = np.abs(row_days[:, None] - days[None, :]).astype(np.int64)
    if config.recency_weight and config.recency_half_life_days:
        # Days apart are whole numbers: a lookup table is far cheaper than exp2 per pair.
        span = np.arange(int(apart.max()) + 1 if apart.size else 1, dtype=np.float64)
        table = (1 - config.recency_weight) + config.recency_weight * np.exp2(-span / config.recency_half_life_days)
        scores *= table.astype(np.float32)[apart]
    if config.max_age_days:
        scores[apart > config.max_age_days] = 0.0


def _best(scorer: _Scorer, pools: list, rows: np.ndarray, count: int, margin: int,
          tiebreak: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The best `margin` candidates of each of `rows` (sorted), in full arrays of `count` rows."""
    values = np.full((count, margin), -np.inf, dtype=np.float32)
    columns = np.full((count, margin), -1, dtype=np.int64)
    if margin <= 0:
        return values, columns
    wanted = np.zeros(count, dtype=bool)
    wanted[rows] = True
    for probing, members in pools:
        probing = probing[wanted[probing]]
        for top in range(0, len(probing), _BLOCK_ROWS):
            block_rows = probing[top:top + _BLOCK_ROWS]
            for left in range(0, len(members), _BLOCK_ROWS):
                block_cols = members[left:left + _BLOCK_ROWS]
                _keep_best(values, columns, block_rows, scorer.scores(block_rows, block_cols), block_cols,
                           tiebreak, margin)
    return values, columns


def _keep_best(values: np.ndarray, columns: np.ndarray, rows: np.ndarray, scores: np.ndarray, cols: np.ndarray,
               tiebreak: np.ndarray, margin: int) -> None:
    """Merge a block of scores into the rows' best `margin`: higher score first, then `tiebreak`, so the
    kept set does not depend on the order blocks come in."""
    both = np.concatenate([values[rows], scores], axis=1)
    where = np.concatenate([columns[rows], np.broadcast_to(cols, scores.shape)], axis=1)
    where = np.where(both == -np.inf, -1, where)
    keep = np.argpartition(-both, margin - 1, axis=1)[:, :margin]
    cut = np.take_along_axis(both, keep, axis=1).min(axis=1)
    tied = np.flatnonzero(((both == cut[:, None]).sum(axis=1) + (both > cut[:, None]).sum(axis=1) > margin)
                          & (cut > -np.inf))
    if len(tied):
        keep = keep.copy()
        for index in tied.tolist():  # equal scores across the cut: the tie-break decides (rare)
            above = np.flatnonzero(both[index] > cut[index])
            level = np.flatnonzero(both[index] == cut[index])
            level = level[np.argsort(tiebreak[where[index, level]], kind="stable")]
            keep[index] = np.concatenate([above, level])[:margin]
    values[rows] = np.take_along_axis(both, keep, axis=1)
    columns[rows] = np.take_along_axis(where, keep, axis=1)


def _update(previous: RelatedState, old: np.ndarray, changed: np.ndarray, scorer: _Scorer, pools: list,
            count: int, margin: int, tiebreak: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The last build's candidates where provably unchanged; found again for the rest."""
    renumber = np.full(len(previous.keys) + 1, -1, dtype=np.int64)  # old row -> new row; [-1]: none
    renumber[old[old >= 0]] = np.flatnonzero(old >= 0)
    values = np.full((count, margin), -np.inf, dtype=np.float32)
    columns = np.full((count, margin), -1, dtype=np.int64)
    kept = np.flatnonzero(old >= 0)
    values[kept] = previous.values[old[kept]]
    columns[kept] = renumber[previous.columns[old[kept]]]

    again = np.zeros(count, dtype=bool)
    again[changed] = True
    # A kept candidate that changed or is gone: the row's best must be found again.
    stale = np.ones(len(previous.keys) + 1, dtype=bool)
    stale[old[old >= 0]] = False
    stale[old[changed][old[changed] >= 0]] = True
    stale[-1] = False
    again[kept] |= stale[previous.columns[old[kept]]].any(axis=1)
    # A changed story that now scores at least a row's weakest kept candidate enters its list.
    weakest = values.min(axis=1)  # -inf for a row with fewer candidates than margin: anything enters
    is_changed = np.zeros(count, dtype=bool)
    is_changed[changed] = True
    for probing, members in pools:
        entering = members[is_changed[members]]
        if not len(entering):
            continue
        for top in range(0, len(probing), _BLOCK_ROWS):
            block_rows = probing[top:top + _BLOCK_ROWS]
            block = scorer.scores(block_rows, entering)
            again[block_rows] |= ((block >= weakest[block_rows, None]) & (block > -np.inf)).any(axis=1)
    rows = np.flatnonzero(again)
    if len(rows):
        fresh_values, fresh_columns = _best(scorer, pools, rows, count, margin, tiebreak)
        values[rows], columns[rows] = fresh_values[rows], fresh_columns[rows]
    return values, columns, len(rows)


def _strongest(row: np.ndarray, tie: np.ndarray, weight: np.ndarray, groups: int, most: int) -> np.ndarray:
    """Which entries are their group's `most` strongest (equal weights: the higher `tie` first).

    Entries come grouped by row, in row order. The weight at place `most` of each row is found by a
    partition of the rows padded to one width: a sort of every entry took five times as long.
    """
    counts = np.bincount(row, minlength=groups)
    width = int(counts.max()) if len(row) else 0
    if width <= most:
        return np.ones(len(row), dtype=bool)
    if width > _PADDED_WIDTH_LIMIT:  # one huge story would make the padded array huge: sort instead
        order = np.lexsort((-tie, -weight, row))
        keep = np.zeros(len(row), dtype=bool)
        keep[order[_places(row[order]) < most]] = True
        return keep
    position = np.arange(len(row)) - np.repeat(np.cumsum(counts) - counts, counts)
    padded = np.full((groups, width), -np.inf)
    padded[row, position] = weight
    cut = np.partition(padded, width - most, axis=1)[:, width - most][row]  # the row's weight at place `most`
    del padded
    keep = weight > cut
    ties = np.flatnonzero(weight == cut)
    if len(ties):
        room = most - np.bincount(row[keep], minlength=groups)
        ties = ties[np.lexsort((-tie[ties], row[ties]))]
        keep[ties[_places(row[ties]) < room[row[ties]]]] = True
    return keep


def _places(rows: np.ndarray) -> np.ndarray:
    """For entries sorted by row: each one's place among its row's entries, from 0."""
    return np.arange(len(rows)) - np.searchsorted(rows, rows)
