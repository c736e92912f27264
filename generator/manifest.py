"""What output/ holds, and which of its files are no longer as the last build left them.

The build cache keeps a Manifest of output/: every file with the tag of its content and its stamp (size,
mtime, inode), and every folder with its stamp. Before a build trusts output/, `differences` (or
`OutputCheck`, beside the build on a large site) looks at every file listed and reads only the folders whose
stamp changed, for names no build made; writer.py then writes those files again, or stages the site whole.
"""

from __future__ import annotations

import os
import stat
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from .workers import Pending, affordable, cancelled, default_jobs, start_indices


# What identifies a written file on disk, so a later build can tell it was not touched:
# (size, mtime_ns, inode). A plain tuple, not a dataclass: the cache keeps one per output
# file, twice, and tuples unpickle ten times faster (0.15 s for 38,000 of them).
FileStamp = tuple[int, int, int]


def stamp_of_stat(st: os.stat_result) -> FileStamp:
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def stamp_of(path: str | Path) -> FileStamp:
    return stamp_of_stat(os.stat(path))


@dataclass(frozen=True)
class Manifest:
    """Every file of one output folder: relative path -> (tag of its content, stamp) (`files`).

    Kept packed, as the folders are: every build with nothing to do reads the manifest, and unpickled as a
    dictionary the 370,000 files of 100,000 stories a language took it 0.4 s. The check of output/ reads
    only the files' names and stamps (`stamps`); the dictionary is made when a build asks for it."""

    inode: int  # of the folder itself: a swap or a deletion changes it
    generation: str = ""  # made anew by every commit; the page graph saved with it names it
    file_names: str = ""  # separated by NUL, which no file name holds
    file_tags: str = ""  # each file's tag, in the same order and separated the same way
    file_stamps: tuple[int, ...] = ()  # three numbers per file (as an int64 array, they unpickled no faster)
    # Every folder of it ("" for output/ itself) and its stamp: adding, removing or renaming a name in a folder
    # changes the folder's stamp, so `differences` reads only the folders whose stamp changed. Packed (`folders`
    # unpacks them): as a dictionary, the 370,000 folders of 100,000 stories a language took 130 MB through
    # the whole build, and a build from nothing past 4 GB.
    folder_names: str = ""
    folder_stamps: bytes = b""

    @classmethod
    def of(cls, inode: int, files: Mapping[str, tuple[str, FileStamp]], generation: str,
           folders: Mapping[str, FileStamp]) -> Manifest:
        stamps = tuple([number for _, stamp in files.values() for number in stamp])
        manifest = cls(inode, generation, "\0".join(files), "\0".join([tag for tag, _ in files.values()]), stamps,
                       *pack_folders(folders))
        manifest.__dict__["files"] = files  # as `files` would unpack them
        return manifest

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "files"}

    def stamps(self) -> list[tuple[str, FileStamp]]:
        """Each file's path and stamp, in order; none if not in the shape a build writes."""
        names, numbers = self.file_names, self.file_stamps
        if type(names) is not str or type(numbers) is not tuple:
            return []
        return _in_threes(names, numbers)

    @cached_property
    def files(self) -> dict[str, tuple[str, FileStamp]]:
        stamps = self.stamps()
        tags = self.file_tags.split("\0") if type(self.file_tags) is str else []
        if len(tags) != len(stamps):
            return {}
        return {rel: (tag, stamp) for (rel, stamp), tag in zip(stamps, tags)}

    def count(self) -> int:
        """How many files it lists."""
        return len(self.file_stamps) // 3 if type(self.file_stamps) is tuple else 0

    def folders(self) -> list[tuple[str, FileStamp]]:
        """Each folder's path and stamp; none (every folder is read) if not in the shape a build writes. A list:
        made a dictionary, they took the check 0.25 s more at 100,000 stories a language, hashing every path."""
        names, packed = self.folder_names, self.folder_stamps
        if type(names) is not str or type(packed) is not bytes or len(packed) % 24:
            return []
        numbers = array("q")
        numbers.frombytes(packed)
        return _in_threes(names, numbers.tolist())


def _in_threes(names: str, numbers: list[int] | tuple[int, ...]) -> list[tuple[str, FileStamp]]:
    """Each path of `names` (separated by NUL) with the next three `numbers`; none if they do not pair up."""
    paths = names.split("\0") if numbers else []
    if 3 * len(paths) != len(numbers):
        return []
    each = iter(numbers)
    return list(zip(paths, zip(each, each, each)))


def pack_folders(folders: Mapping[str, FileStamp]) -> tuple[str, bytes]:
    """`Manifest.folder_names` and `folder_stamps` of `folders`."""
    try:
        packed = array("q", [number for stamp in folders.values() for number in stamp]).tobytes()
    except OverflowError:  # an inode number past 2**63 (some network file systems): every folder will be read
        return "", b""
    return "\0".join(folders), packed


# From this many files, output/ is checked on processes of their own, beside the build reading content/ and its
# cache: at 10,000 stories a language (58,000 files) the check takes 0.5 s in memory, at 100,000 (372,000 files)
# 15 to 38 s on a disk. Below it, starting the process costs about what it saves.
CHECK_BESIDE_FROM = 20_000
# Processes that share that check, each looking at every CHECK_PARTS-th file and folder: the build's own
# process is busy meanwhile only until it has read content/, then waits, with a core left idle.
CHECK_PARTS = 2


class OutputCheck:
    """Looks for the files of a folder that are not as a manifest says (`differences`), beside the caller
    (unless `jobs` is 1) on up to CHECK_PARTS processes from CHECK_BESIDE_FROM files. `result()` waits for
    them: None if the folder is not the one the manifest describes. `cancel()` stops the check (a build that
    fails first)."""

    def __init__(self, folder: Path, manifest: Manifest | None, jobs: int | None):
        self._result: frozenset[str] | None = None
        self._pending: Pending | None = None
        self._job: _CheckJob | None = None
        if manifest is not None and inode_of(folder) == manifest.inode:
            beside = jobs != 1 and manifest.count() >= CHECK_BESIDE_FROM
            parts = CHECK_PARTS if beside else 1
            processes = affordable(min(parts, default_jobs() if jobs is None else jobs)) if beside else 0
            self._job = _CheckJob(folder, manifest, parts)
            self._pending = start_indices(_check, self._job, parts, processes, background=True)

    def result(self) -> frozenset[str] | None:
        if self._pending is not None and self._job is not None:
            folder, manifest, _ = self._job
            parts, self._pending = self._pending(), None
            self._result = finish_look(folder, lambda: manifest.files, manifest.folders, parts)
        return self._result

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()


class _CheckJob(NamedTuple):
    folder: Path
    manifest: Manifest
    parts: int


def _check(job: _CheckJob, part: int) -> Looked:
    return look(job.folder, job.manifest.stamps(), job.manifest.folders(), part, job.parts)


def stays_inside(rel: str) -> bool:
    """A relative path that stays inside the folder it is joined to."""
    return bool(rel) and not rel.startswith("/") and ".." not in rel.split("/") and "\\" not in rel


def differences(folder: Path, files: Mapping[str, tuple[str, FileStamp]],
                folders: list[tuple[str, FileStamp]]) -> frozenset[str]:
    """Paths where `folder` does not hold what `files` says: missing, changed, links, not listed at all, or
    folders none of them is in. Every file listed is looked at, but a name not listed can only be in a folder
    whose stamp is not the one in `folders` (or that it does not know), and only those folders are read: at
    100,000 stories a language, reading all 370,000 (one per page) took 2.5 s of the check's 5."""
    stamps = [(rel, stamp) for rel, (_, stamp) in files.items()]
    return finish_look(folder, lambda: files, lambda: folders, [look(folder, stamps, folders, 0, 1)])


class Looked(NamedTuple):
    """What `look` found in its part of a folder."""

    wrong: list[str]  # listed files missing, changed or links
    gone: list[str]  # listed folders gone, or no folders (each with a "/" after it)
    unread: list[str]  # listed folders whose stamp changed: names may have come or gone in them
    top: bool  # the top folder is among the listed ones


def look(folder: Path, stamps: list[tuple[str, FileStamp]], folders: list[tuple[str, FileStamp]],
         part: int, parts: int) -> Looked:
    """The first half of `differences`, on every `parts`-th listed file (`stamps`: each one's path and stamp)
    and folder from `part` on: one look (lstat) at each. Parts run on processes of their own (OutputCheck);
    `finish_look` puts them together."""
    root = str(folder)
    wrong = []
    for n, (rel, known) in enumerate(islice(stamps, part, None, parts)):
        if n % 4096 == 4095 and cancelled():  # a build that failed meanwhile: 15 s of disk at 100,000 stories
            break
        st = lstat_or_none(f"{root}/{rel}")
        if st is None or stat.S_ISLNK(st.st_mode) or stamp_of_stat(st) != known:
            wrong.append(rel)
    unread, gone, top = [], [], False
    for rel, known in islice(folders, part, None, parts):
        top = top or rel == ""
        if type(rel) is not str or (rel and not stays_inside(rel)):
            continue
        st = lstat_or_none(f"{root}/{rel}" if rel else root)
        if st is None or not stat.S_ISDIR(st.st_mode):
            gone.append(rel + "/")  # a link in its place could lead the files "in it" anywhere
        elif stamp_of_stat(st) != known:
            unread.append(rel)
    return Looked(wrong, gone, unread, top)


def finish_look(folder: Path, files: Callable[[], Mapping[str, tuple[str, FileStamp]]],
                folders: Callable[[], list[tuple[str, FileStamp]]], parts: list[Looked]) -> frozenset[str]:
    """`differences` from what `look` found in every part: the files in gone folders, and the names no build
    made, read in the folders whose stamp changed (and in the top folder, when the folders are not listed).
    `files()` and `folders()` are asked for only then: unpacking them took 0.3 s each at 100,000 stories a
    language."""
    root = str(folder)
    wrong = {rel for part in parts for rel in part.wrong}
    gone = tuple(rel for part in parts for rel in part.gone)
    unread = [rel for part in parts for rel in part.unread] + ([] if any(part.top for part in parts) else [""])
    listed = folders() if unread else []
    made = files() if gone or unread else {}
    if gone:
        wrong.update(rel for rel in made if rel.startswith(gone))
    known_folders = {rel for rel, _ in listed}
    while unread:
        here = unread.pop()
        prefix = here + "/" if here else ""
        try:
            with os.scandir(f"{root}/{here}" if here else root) as entries:
                for entry in entries:
                    rel = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if rel not in known_folders:  # made since (or `folders` is not known): what it holds is read
                            unread.append(rel)
                            if listed:  # and it goes too
                                wrong.add(rel)
                    elif rel not in made:
                        wrong.add(rel)
        except OSError:
            continue  # gone since it was looked at: its parent's stamp changed too
    return frozenset(wrong)


def lstat_or_none(path: str | Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def inode_of(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None
