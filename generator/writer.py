"""Write the site like a transaction: fill a staging folder, then swap it for output/.

A failed or killed build leaves the previous output/ whole. Files whose bytes did
not change are hard-linked from the previous build, so they keep their mtime.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import BuildError, Diagnostic

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_prefix(output_dir: Path) -> str:
    return f".{output_dir.name}-staging-"


def write_site(files: Iterable[tuple[str, bytes]], copies: Iterable[tuple[Path, str]], output_dir: Path) -> int:
    """Write `files` (relative path, bytes) and copy `copies` (source folder, target prefix); return the file count."""
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output_dir)
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(output_dir), dir=output_dir.parent))
    try:
        written: dict[str, str] = {}
        for rel, data in files:
            _put(staging, output_dir, rel, data, "page", written)
        for source, prefix in copies:
            for path in sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith(".")):
                rel = prefix + path.relative_to(source).as_posix()
                _put(staging, output_dir, rel, path.read_bytes(), str(path), written)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)  # after the swap it holds the previous build
    return len(written)


def _put(staging: Path, output_dir: Path, rel: str, data: bytes, origin: str, written: dict[str, str]) -> None:
    target = (staging / rel).resolve()
    if staging.resolve() not in target.parents:
        raise BuildError([Diagnostic(origin, f"would be written outside output/ as {rel!r}; refused")])
    if rel in written:
        raise BuildError([Diagnostic(origin, f"would overwrite {rel}, already written by {written[rel]}",
                                     hint="rename one of them")])
    written[rel] = origin
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = output_dir / rel
    try:
        if previous.is_file() and not previous.is_symlink() and previous.stat().st_size == len(data) and previous.read_bytes() == data:
            os.link(previous, target)
            return
    except OSError:
        pass  # a different file system or a vanished file: just write it
    target.write_bytes(data)


def _swap(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        return
    backup = Path(tempfile.mkdtemp(prefix=staging_prefix(output_dir), dir=output_dir.parent))
    os.rmdir(backup)
    os.rename(output_dir, backup)
    os.rename(staging, output_dir)
    os.rename(backup, staging)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _remove_leftovers(output_dir: Path) -> None:
    """Staging folders of builds that were killed midway."""
    for leftover in output_dir.parent.glob(staging_prefix(output_dir) + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
