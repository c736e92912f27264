"""The client-side search index: light stems of every article's words, in small files a phone fetches on demand.

A reader's query is normalised and stemmed in the browser by the theme's search.js,
which mirrors `search_terms` below rule for rule (a browser test holds the two
together). Light stemming — folding spellings, then cutting the article, attached
conjunctions and common suffixes — is deliberately simple, so the browser needs no
stemmer library and the words a reader types match the words as written.

The index of one language is:
- term shards, one per first letter of the stem: {stem: [doc, weight, doc, weight, …]},
  doc ids delta-encoded, so a query fetches only the shards of its own words;
- document chunks of DOCS_PER_CHUNK articles, newest first, read for the results shown.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from .text import normalize

DOCS_PER_CHUNK = 500
TITLE_WEIGHT = 8
TAG_WEIGHT = 4
MAX_BODY_WEIGHT = 6  # a word repeated in a long body should not outrank a title

_TAG = re.compile(r"<[^>]+>")
_TOKEN = re.compile(r"[\u0621-\u064a]+|[a-z0-9]+")
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


def shard_of(stem: str) -> str:
    return f"{ord(stem[0]):04x}"


@dataclass(frozen=True)
class SearchIndex:
    shards: Mapping[str, Mapping[str, tuple[int, ...]]]  # shard name -> stem -> flat (doc delta, weight) pairs
    chunks: int  # how many document chunks


def build_index(articles: Sequence) -> SearchIndex:
    """Index one language's articles (newest first: a doc id is its position)."""
    postings: dict[str, list[int]] = {}
    cache: dict[str, str] = {}
    for doc, article in enumerate(articles):
        weights: Counter[str] = Counter()
        body = html.unescape(_TAG.sub(" ", article.html))
        for token, n in Counter(_TOKEN.findall(normalize(f"{article.summary} {body}").lower())).items():
            if len(token) > 1:
                stem = cache.get(token) or cache.setdefault(token, light_stem(token))
                weights[stem] += n
        for stem in weights:
            weights[stem] = min(weights[stem], MAX_BODY_WEIGHT)
        for stem in set(search_terms(article.title)):
            weights[stem] += TITLE_WEIGHT
        for stem in set(search_terms(" ".join(t.name for t in article.tags))):
            weights[stem] += TAG_WEIGHT
        for stem, weight in weights.items():
            postings.setdefault(stem, []).extend((doc, weight))
    shards: dict[str, dict[str, tuple[int, ...]]] = {}
    for stem in sorted(postings):
        flat = postings[stem]
        encoded, last = [], 0
        for i in range(0, len(flat), 2):
            encoded += (flat[i] - last, flat[i + 1])
            last = flat[i]
        shards.setdefault(shard_of(stem), {})[stem] = tuple(encoded)
    return SearchIndex(shards, -(-len(articles) // DOCS_PER_CHUNK))
