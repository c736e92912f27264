"""One content hash for every cache key, manifest tag and file comparison."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_all(parts: Iterable[bytes]) -> str:
    """The digest of parts fed one by one: no need to hold their concatenation in memory."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))  # so ("ab", "c") and ("a", "bc") differ
        hasher.update(part)
    return hasher.hexdigest()
