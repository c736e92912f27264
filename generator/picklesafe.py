"""Unpickling a file that may come from elsewhere: values only, never code, never past the file's end.

A pickle can name any function to call. The build cache may come from elsewhere (the Pages workflow restores
it with actions/cache), so it is read by an unpickler that can build only the plain value types listed in
`_ALLOWED` (a salt check alone would not do: anyone can compute the salt of a public repository).
"""

from __future__ import annotations

import io
import pickle
from typing import Any


# Every global a cache file may name: value types whose construction does nothing else.
_ALLOWED = {
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "timezone"), ("datetime", "timedelta"),
    ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath"), ("zoneinfo", "ZoneInfo"),
    ("collections", "Counter"), ("collections", "OrderedDict"), ("builtins", "frozenset"), ("builtins", "set"),
    ("builtins", "slice"), ("numpy", "dtype"), ("numpy", "ndarray"),
    ("numpy._core.numeric", "_frombuffer"), ("numpy.core.numeric", "_frombuffer"),
    ("generator.build", "BuildResult"), ("generator.content", "Document"), ("generator.content", "Source"),
    ("generator.errors", "Diagnostic"), ("generator.markup", "Rendered"), ("generator.related", "TermMemo"),
    ("generator.relatedmodel", "RelatedState"), ("generator.pagegraph", "PageGraph"), ("generator.pagegraph", "Record"),
    ("generator.pagegraph", "FamilyRecord"), ("generator.sitemap", "SitemapEntry"), ("generator.pages", "Alternate"),
    ("generator.searchindex", "SearchIndex"), ("generator.search", "Indexed"), ("generator.manifest", "Manifest"),
}


def _zoneinfo_getattr(obj: object, name: str) -> object:
    """The one getattr a cache needs: ZoneInfo pickles as getattr(ZoneInfo, '_unpickle')."""
    from zoneinfo import ZoneInfo

    if obj is ZoneInfo and name == "_unpickle":
        return ZoneInfo._unpickle
    raise pickle.UnpicklingError(f"getattr({obj!r}, {name!r}) is not allowed in a cache")


class _ValuesOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("builtins", "getattr"):
            return _zoneinfo_getattr
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")
        return super().find_class(module, name)


def load_values(source: Any) -> Any:
    """Unpickle `source` (bytes, or a file to read them from), which may name only the types of _ALLOWED;
    anything else raises UnpicklingError."""
    return _ValuesOnly(io.BytesIO(source) if isinstance(source, bytes | memoryview) else source).load()


class Within:
    """A cache file as the unpickler reads it: in frames, never past its end. So the file is never held whole
    beside what it unpickles into (1.7 GB at 100,000 articles per language), and a frame's length in the file
    cannot make a read allocate more than the file holds. (The unpickler itself reserves a byte string's
    declared length before reading it: address space whose pages are never touched, or under a cap on it a
    MemoryError, which counts as a damaged cache like any other.)"""

    def __init__(self, handle: io.BufferedReader, size: int):
        self.handle, self.left = handle, size

    def _take(self, wanted: int) -> None:
        if wanted > self.left:
            raise pickle.UnpicklingError(f"a length of {wanted} bytes, past the end of the cache file")
        self.left -= wanted

    def read(self, size: int = -1) -> bytes:
        self._take(self.left if size < 0 else size)
        return self.handle.read(size)

    def readinto(self, buffer: Any) -> int:
        self._take(memoryview(buffer).nbytes)
        return self.handle.readinto(buffer)

    def readline(self) -> bytes:
        line = self.handle.readline(self.left)
        self.left -= len(line)
        return line
