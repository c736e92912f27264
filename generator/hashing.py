"""One content hash for every cache key, manifest tag and file comparison."""

from __future__ import annotations

import hashlib


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
