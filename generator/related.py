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
  * Score = cosine similarity, times a recency factor
    (1 - recency_weight) + recency_weight * 0.5 ** (days apart / half life);
    candidates more than `max_age_days` apart (when set) or scoring below
    `min_score` are never shown.
  * Ranking: pinned groups first (in the order given), then score, newer date,
    then key, so the output is the same on every run.
No all-pairs Python loop: sparse matrix products in row blocks, top-k per row.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse

from .config import RelatedConfig
from .text import Analyzer, normalize

_TERMS_PER_GROUP = 200
_BLOCK_ROWS = 1024


@dataclass(frozen=True)
class RelatedInput:
    """What the related engine needs to know of one translation group."""

    key: str
    texts: tuple[tuple[str, str], ...]  # (title, body) of each language version
    tags: tuple[str, ...] = ()
    category: str = ""
    day: int | None = None  # proleptic ordinal of the publication date, None if unknown
    pins: tuple[str, ...] = ()  # keys of groups the editor pinned, in order


def find_related(items: Sequence[RelatedInput], config: RelatedConfig, depth: int) -> dict[str, tuple[str, ...]]:
    """For every group, up to `depth` related group keys, best first; pins lead."""
    if not items:
        return {}
    matrix = _weigh(items, config)
    days = np.array([it.day if it.day is not None else 0 for it in items], dtype=np.float64)
    has_day = np.array([it.day is not None for it in items])
    keys = [it.key for it in items]
    key_index = {k: i for i, k in enumerate(keys)}
    transposed = matrix.T.tocsr()
    result: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(items), _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, len(items))
        scores = (matrix[start:stop] @ transposed).toarray()
        _apply_recency(scores, days[start:stop], has_day[start:stop], days, has_day, config)
        rows = np.arange(stop - start)
        scores[rows, rows + start] = 0.0  # never the article itself
        for row in rows:
            item = items[start + row]
            ranked = _top(scores[row], depth, days, keys, config.min_score)
            pins = [p for p in dict.fromkeys(item.pins) if p in key_index and p != item.key]
            result[item.key] = tuple((pins + [k for k in ranked if k not in pins])[:depth])
    return result


def _weigh(items: Sequence[RelatedInput], config: RelatedConfig) -> sparse.csr_matrix:
    analyzer = Analyzer()
    counts: list[Counter[str]] = []
    for item in items:
        tf: Counter[str] = Counter()
        for title, body in item.texts:
            for term in analyzer.terms(title):
                tf[term] += config.title_weight
            for term in analyzer.terms(body):
                tf[term] += config.body_weight
        for tag in item.tags:
            tf["#" + normalize(tag).casefold()] += config.tag_weight
        if item.category:
            tf["@" + normalize(item.category).casefold()] += config.category_weight
        counts.append(+tf)  # drops zero weights, e.g. tag_weight: 0
    df: Counter[str] = Counter()
    for tf in counts:
        df.update(tf.keys())
    # A term in one group only can never link two groups; leaving it out of the
    # norm too makes scores comparable between short and long articles.
    shared = sorted(t for t, d in df.items() if d > 1)
    vocabulary = {term: i for i, term in enumerate(shared)}
    n = len(items)
    idf = {term: math.log(1 + n / df[term]) for term in shared}
    indptr, indices, data = [0], [], []
    for tf in counts:
        weights = sorted(((1 + math.log(w)) * idf[t] if w >= 1 else w * idf[t], t) for t, w in tf.items() if t in idf)
        weights = weights[-_TERMS_PER_GROUP:]
        norm = math.sqrt(sum(w * w for w, _ in weights)) or 1.0
        for w, t in sorted(weights, key=lambda wt: vocabulary[wt[1]]):
            indices.append(vocabulary[t])
            data.append(w / norm)
        indptr.append(len(indices))
    return sparse.csr_matrix((np.array(data), np.array(indices, dtype=np.int64), np.array(indptr)),
                             shape=(n, max(len(vocabulary), 1)))


def _apply_recency(scores: np.ndarray, row_days: np.ndarray, row_has: np.ndarray,
                   days: np.ndarray, has: np.ndarray, config: RelatedConfig) -> None:
    if not row_has.any() or not has.any():
        return
    apart = np.abs(row_days[:, None] - days[None, :])
    known = row_has[:, None] & has[None, :]
    if config.recency_weight and config.recency_half_life_days:
        factor = (1 - config.recency_weight) + config.recency_weight * np.exp2(-apart / config.recency_half_life_days)
        scores *= np.where(known, factor, 1.0)
    if config.max_age_days:
        scores[known & (apart > config.max_age_days)] = 0.0


def _top(row: np.ndarray, depth: int, days: np.ndarray, keys: list[str], min_score: float) -> list[str]:
    candidates = np.flatnonzero(row >= max(min_score, 1e-12))
    if len(candidates) > depth * 4:
        # Keep a margin beyond `depth` so ties at the cut are broken by date and key, not by position.
        cut = np.argpartition(-row[candidates], depth * 4)[: depth * 4]
        candidates = candidates[cut]
    order = sorted(candidates.tolist(), key=lambda j: (-round(float(row[j]), 9), -days[j], keys[j]))
    return [keys[j] for j in order[:depth]]
