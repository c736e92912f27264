"""Write the site like a transaction: nothing reaches output/ until every file of the build is made.

A failed build leaves output/ as it was. A build with output/ as the last one left it
stages only the files it writes and moves them in, one rename each (a journal lets the
next build finish a commit that was killed halfway); any other build stages the whole
site and swaps it for output/ in one step. Files whose bytes did not change keep their
inode and mtime, so deploys stay small. The build cache keeps a Manifest (manifest.py: file -> tag,
stamp) of output/; a folder whose manifest is unknown or doubtful is staged whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import secrets
import shutil
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import BuildError, Diagnostic
from .manifest import FileStamp, Manifest, inode_of, lstat_or_none, stamp_of, stamp_of_stat, stays_inside

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


# Every folder a build writes holds this file. A folder without it (or an empty one) was
# not made by Mujaz, and is never replaced or deleted: `output:` may name any folder.
MARKER = ".mujaz-build"
MARKER_TEXT = b"Written by Mujaz. Each build replaces this whole folder: keep nothing else here.\n"


def staging_prefix(output_dir: Path) -> str:
    return f".{output_dir.name}-staging-"


def spare_dir(output_dir: Path) -> Path:
    """Where builds before in-place commits kept the generation before output/; removed when found."""
    return output_dir.parent / f".{output_dir.name}-spare"


def backup_dir(output_dir: Path) -> Path:
    """Where the old output/ waits during a swap without renameat2; a build that finds it alone restores it."""
    return output_dir.parent / f".{output_dir.name}-previous"


def is_ours(folder: Path) -> bool:
    """True for a real folder (not a symlink) that holds the marker, or that is empty."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    marker = folder / MARKER
    if marker.is_file() and not marker.is_symlink():
        return True
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def check_output_folder(output_dir: Path, known_inode: int | None) -> None:
    """Refuse to build into a folder that holds files Mujaz did not write.

    `known_inode` is the inode of the output/ the cache describes (a build from before
    the marker existed).
    """
    if not os.path.lexists(output_dir):
        return
    where = str(output_dir)
    if output_dir.is_symlink() or not output_dir.is_dir():
        raise BuildError([Diagnostic(where, "the output folder is a file or a link, not a folder",
                                     hint="set output: in config.yaml (or --output) to a new folder such as output")])
    if is_ours(output_dir) or (known_inode is not None and inode_of(output_dir) == known_inode):
        return
    raise BuildError([Diagnostic(where, "the output folder holds files that Mujaz did not write; nothing was touched",
                                 hint="choose an empty or new folder for output:, or move those files away")])


@contextlib.contextmanager
def build_lock(path: Path, output_dir: Path) -> Iterator[None]:
    """One build at a time per cache (so per site): a second build of the same site says so and stops."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)  # a planted link: refused
    except OSError as exc:
        raise BuildError([Diagnostic(str(path), f"cannot create the build's lock file ({exc.strerror})",
                                     hint="remove whatever is in its place; the folder only holds Mujaz's cache")]) from None
    try:
        if not _try_lock(fd):
            raise BuildError([Diagnostic(str(output_dir), "another build of this site is writing this folder",
                                         hint="wait for it to finish (or stop it), then build again")])
        yield
    finally:
        os.close(fd)  # closing releases the lock; the file stays, since removing it would race


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def recover_output(output_dir: Path) -> None:
    """Finish what a killed build left halfway: a swap (output/ is never left missing) or an in-place commit."""
    if is_ours(output_dir):
        for staged in sorted(output_dir.parent.glob(staging_prefix(output_dir) + "*")):
            if staged.is_dir() and not staged.is_symlink() and (staged / JOURNAL).is_file():
                _finish(staged, output_dir)
                shutil.rmtree(staged, ignore_errors=True)
    backup = backup_dir(output_dir)
    if not is_ours(backup):  # missing, a link, or a folder someone else made
        return
    if os.path.lexists(output_dir):
        shutil.rmtree(backup, ignore_errors=True)  # the swap had finished: this is the older generation
    else:
        os.rename(backup, output_dir)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _new_folder(parent: Path, prefix: str) -> Path:
    """A fresh folder with the modes the umask gives (mkdtemp's 0700 makes a web server answer 403)."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(6)}"
        try:
            os.mkdir(path, 0o777)
            return path
        except FileExistsError:
            continue


class Staging:
    """Where a build puts its files before they are published; forked workers write into it too.

    Two ways to publish, chosen when it is made:

    * in place, when output/ is the folder the last build's manifest describes and the files
      of it that are not as the last build left them are given (`suspect`, an OutputCheck's
      result; the build writes them again): only the files this build writes are staged,
      and commit() renames each into output/ and deletes the files no page makes any more.
      It first lists them in a journal, so a build killed halfway through is finished by the
      next one (`recover_output`).
    * whole, otherwise: every file is staged, and commit() swaps the folder for output/
      in one step.
    """

    def __init__(self, output_dir: Path, output: Manifest | None = None, in_place: bool = False,
                 suspect: frozenset[str] | None = None):
        self.output_dir = output_dir
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        self._had_output = output_dir.is_dir()  # if not, no file needs looking for there
        self._umask = _umask()
        _remove_leftovers(output_dir)
        known = output is not None and self._had_output and inode_of(output_dir) == output.inode
        self.previous = output.files if known else {}
        # For the folders this build leaves as they are (unpacked when committed: they are large).
        self._last = output if known else None
        self.in_place = in_place and known and suspect is not None
        self.suspect = suspect if self.in_place else frozenset()
        self.root = _new_folder(output_dir.parent, staging_prefix(output_dir))
        self.manifest: dict[str, tuple[str, FileStamp]] = {}
        self._staged: list[str] = []
        self._claimed: dict[str, str] = {}
        self._dirs: set[str] = {""}  # the folders below root made or found, relative to it ("": root itself)

    def claim(self, rel: str, origin: str) -> None:
        """Reserve a path for one source; two sources for one path, or a path outside output/, is an error."""
        if not stays_inside(rel):
            raise BuildError([Diagnostic(origin, f"would be written outside output/ as {rel!r}; refused")])
        if rel in self._claimed:
            raise BuildError([Diagnostic(origin, f"would overwrite {rel}, already written by {self._claimed[rel]}",
                                         hint="rename one of them")])
        self._claimed[rel] = origin

    @property
    def count(self) -> int:
        return len(self._claimed)

    def keep(self, rel: str) -> None:
        """Publish the file output/ holds at `rel` as it is (in place only)."""
        self.manifest[rel] = self.previous[rel]

    def ensure(self, rel: str, tag: str) -> bool:
        """True if output/ holds `rel` with content `tag`, kept for the new output/ (in place, or linked)."""
        known = self.previous.get(rel)
        if known is None or known[0] != tag or rel in self.suspect:
            return False
        if not self.in_place:
            previous = os.path.join(self.output_dir, rel)
            try:
                st = os.lstat(previous)
                if stat.S_ISLNK(st.st_mode) or stamp_of_stat(st) != known[1]:
                    return False
                os.link(previous, self._fresh(rel))
            except OSError:
                return False
        self.manifest[rel] = known
        return True

    def write(self, rel: str, data: bytes, copy_of: str | Path | None = None) -> FileStamp | None:
        """Stage `data` for `rel`; None if output/ holds these very bytes there (in place: it is kept as it is;
        whole: it is hard-linked, so its inode and mtime stay). `copy_of`, a file of the cache that holds
        exactly `data` and is never changed in place, is hard-linked rather than written: output/ and the
        cache then share its bytes on disk. Safe in worker processes."""
        # Not a file the check found changed: one in a folder replaced by a link would be read through it.
        if self._had_output and rel not in self.suspect:
            previous = self.output_dir / rel
            try:
                if previous.is_file() and not previous.is_symlink() and previous.stat().st_size == len(data) \
                        and previous.read_bytes() == data:
                    if self.in_place:
                        return None
                    target = self._fresh(rel)
                    os.link(previous, target)
                    return stamp_of(target)
            except OSError:
                pass  # a different file system or a vanished file: just write it
        linked = self._link(rel, copy_of) if copy_of is not None else None
        return linked or write_new(self._fresh(rel), data)

    def _link(self, rel: str, source: str | Path) -> FileStamp | None:
        """Stage `source` itself for `rel` (see `hard_link`); None where it cannot be."""
        return hard_link(source, self._fresh(rel))

    def record(self, rel: str, tag: str, stamp: FileStamp | None) -> None:
        """Note what `write` did with `rel`."""
        if stamp is None:
            self.manifest[rel] = (tag, _stamp(self.output_dir / rel) or self.previous[rel][1])
            return
        self.manifest[rel] = (tag, stamp)
        self._staged.append(rel)

    def _fresh(self, rel: str) -> str:
        """Where `rel` is staged, its folders made. Paths as strings: a publish from CI stages every page, and
        Path objects took a third of its time copying them."""
        folder = rel.rpartition("/")[0]
        if folder not in self._dirs:
            self._make_dirs(folder)
        return os.path.join(self.root, rel)

    def _make_dirs(self, folder: str) -> None:
        """mkdir -p below root, one call per folder not yet known to exist (this disk is slow at failed calls too)."""
        missing = []
        while folder not in self._dirs:
            missing.append(folder)
            folder = folder.rpartition("/")[0]
        for each in reversed(missing):
            path = os.path.join(self.root, each)
            try:
                os.mkdir(path, 0o777)
            except FileExistsError:
                if not os.path.isdir(path):
                    raise
            self._dirs.add(each)

    def copy_files(self, files: list[tuple[str, Path, str]], made: Path | None = None) -> None:
        """Publish each (path in output/, source file, hash of its bytes); a file is read only to be written.
        A file under `made` (the build's own pictures: share cards and photo copies, which the build replaces
        and never changes in place) is hard-linked, not copied: 870 MB of cards at 10,000 stories per language
        are not written a second time, and take their room on disk once."""
        for rel, path, tag in files:
            self.claim(rel, str(path))
            if self.ensure(rel, tag):
                continue
            linked = self._link(rel, path) if made is not None and made_name(path, made) else None
            self.record(rel, tag, linked or self.write(rel, path.read_bytes()))

    def commit(self) -> Manifest:
        """Publish the staged files; return the manifest of the new output/."""
        if self.in_place:
            gone = sorted((set(self.previous) | self.suspect) - set(self.manifest))
            # What pages show (photos, cards, the theme's files) goes in before the pages that name it: the
            # preview, or a server on output/, never hands out a new page with the old photo's copies.
            moves = sorted(self._staged, key=lambda rel: self.manifest[rel][0] == PAGE)
            journal = self.root / JOURNAL
            write_new(journal.with_suffix(".tmp"), json.dumps({"moves": moves, "deletes": gone}).encode())
            os.replace(journal.with_suffix(".tmp"), journal)
            with _signals_held():  # Ctrl-C waits for the moves; a harder kill is finished by the next build
                _finish(self.root, self.output_dir)
            shutil.rmtree(self.root, ignore_errors=True)
            folders = self._folders_after(moves, gone)
        else:
            os.chmod(self.root, 0o777 & ~self._umask)
            _swap(self.root, self.output_dir)
            shutil.rmtree(self.root, ignore_errors=True)  # the old output/, after a swap
            folders = self._folders_after([], [])
        return Manifest.of(inode_of(self.output_dir), self.manifest, secrets.token_hex(8), folders)

    def _folders_after(self, moved: list[str], gone: list[str]) -> dict[str, FileStamp]:
        """The stamp of every folder of output/ as committed. In place, only the folders a name came or went in
        (or in a folder below) are looked at again, the others kept as the last build left them; after a swap,
        or without the last build's, every one is looked at."""
        known = dict(self._last.folders()) if self.in_place and self._last is not None else {}
        # `gone` may name a folder no build made (`differences`), removed unless something is in it now.
        look = _ancestors(moved + gone) | set(gone) if known else _ancestors(self.manifest)
        folders = {rel: stamp for rel, stamp in known.items() if rel not in look}
        root = str(self.output_dir)
        for rel in look:
            st = lstat_or_none(f"{root}/{rel}" if rel else root)
            if st is not None and stat.S_ISDIR(st.st_mode):
                folders[rel] = stamp_of_stat(st)
        return folders

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    hold = getattr(signal, "pthread_sigmask", None)
    if hold is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = hold(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        hold(signal.SIG_SETMASK, previous)


# In a staging folder, the list of what its in-place commit moves and deletes (JSON), written before the first move.
JOURNAL = ".mujaz-journal"
# A rendered page's tag in the manifest (a copied file's is the hash of its bytes).
PAGE = "page"


def _finish(root: Path, output_dir: Path) -> None:
    """Carry out the journal of an in-place commit (again, after a killed build: each step can be repeated)."""
    try:
        plan = json.loads((root / JOURNAL).read_bytes())
        moves, deletes = list(plan["moves"]), list(plan["deletes"])
    except (OSError, ValueError, KeyError, TypeError):
        return  # no whole journal: the build died before its commit began, and output/ is untouched
    made: set[Path] = {output_dir}
    for rel in moves:
        if not isinstance(rel, str) or not stays_inside(rel) or os.path.islink(root / rel):
            continue  # a build stages no links: one here was planted, and could lead to a file outside the site
        target = output_dir / rel
        try:
            _make_folder(target.parent, made)
            try:
                os.replace(root / rel, target)
            except IsADirectoryError:  # a folder where the page goes: not the build's (the check listed it)
                shutil.rmtree(target)
                os.replace(root / rel, target)
        except OSError:
            pass  # moved already, by the build that was killed; or in the way: the next build sees its stamp
    folders = set()
    for rel in deletes:
        if not isinstance(rel, str) or not stays_inside(rel):
            continue
        path = output_dir / rel
        with contextlib.suppress(OSError):
            if path.is_symlink() or not path.is_dir():
                path.unlink()
                folders.add(path.parent)
            else:  # a folder no build made: removed below if it is empty once the files in it are gone
                folders.add(path)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != output_dir and folder.is_relative_to(output_dir):
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def _make_folder(folder: Path, made: set[Path]) -> None:
    """mkdir -p below output/ (in `made`, with every folder made or found already), never through a link: a
    link or a file where a folder goes is not the build's (the check listed it), and is removed. Followed, a
    link put there by hand had the pages written into the folder it leads to, outside the site."""
    if folder in made:
        return
    _make_folder(folder.parent, made)
    st = lstat_or_none(folder)
    if st is None or not stat.S_ISDIR(st.st_mode):
        if st is not None:
            folder.unlink()
        os.mkdir(folder, 0o777)
    made.add(folder)


def made_name(path: Path, made: Path) -> str:
    """`path` as named under `made`, the folder of the build's own pictures (share cards, photo copies); ""
    when it lies elsewhere."""
    text, prefix = str(path), os.path.join(made, "")
    return text[len(prefix):] if text.startswith(prefix) else ""


def _ancestors(paths: Iterable[str]) -> set[str]:
    """Every folder that holds one of `paths`, directly or not ("" for the top)."""
    found = {""}
    for rel in paths:
        head = rel.rpartition("/")[0]
        while head not in found:
            found.add(head)
            head = head.rpartition("/")[0]
    return found


def static_files(source: Path, within: Path, site_root: Path) -> list[tuple[str, Path]]:
    """(relative path, path) of every file to publish under `source`, sorted; dot-files and dot-folders skipped.

    A link (to a file or a folder) whose target lies outside `within` is refused: `ln -s ~/.ssh/id_rsa
    static/key.txt` must never put the key on the web.
    """
    within = within.resolve()
    found, refused, seen = [], [], set()
    stack = [(source, "")]
    while stack:
        folder, prefix = stack.pop()
        real = folder.resolve()
        if real in seen:  # a link back up the tree
            continue
        seen.add(real)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(entry.path)
                if entry.is_symlink() and not path.resolve().is_relative_to(within):
                    label = path.relative_to(site_root).as_posix() if path.is_relative_to(site_root) else str(path)
                    refused.append(Diagnostic(label, "is a link to a file outside the site; not published",
                                              hint="copy the file into the folder instead of linking to it"))
                elif entry.is_dir():
                    stack.append((path, prefix + entry.name + "/"))
                elif entry.is_file():
                    found.append((prefix + entry.name, path))
    if refused:
        raise BuildError(sorted(refused, key=lambda d: d.path))
    return sorted(found)


def write_new(path: Path, data: bytes) -> FileStamp:
    """Create the file (a link in its place is not followed); its stamp comes from the open descriptor,
    not from a second lookup of the path."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        stamp = stamp_of_stat(os.fstat(fd))
    finally:
        os.close(fd)
    return stamp


def hard_link(source: str | Path, target: str | Path) -> FileStamp | None:
    """Make `target` a hard link to the plain file `source`: its stamp, or None where it cannot be (another
    file system, one without links, an inode with too many) or `source` is not a plain file (a link planted
    in the cache: output/ never holds one). For files nothing writes into: the build only ever replaces them."""
    try:
        os.link(source, target, follow_symlinks=False)
        seen = os.lstat(target)
        if stat.S_ISREG(seen.st_mode):
            return stamp_of_stat(seen)
        os.unlink(target)
    except (OSError, NotImplementedError):  # the latter: a system whose link() cannot leave a link unfollowed
        pass
    return None


def write_beside(path: Path, data: bytes) -> Path:
    """Write `data` to a new file beside `path`, under a name nobody can foretell, and return it (for the
    caller to rename over `path`, whole or not at all). Never a file planted in the cache: with a known
    name, a link there would have the build write through it, and a pipe would have it wait forever."""
    partial = path.with_name(f"{path.name}.partial-{secrets.token_hex(6)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return partial


def read_plain(path: str | Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a plain file of at most `limit` bytes; None for anything else.

    For the cache's files, which may come from elsewhere: a link is not followed (it could lead to a
    secret, which would be published), and a pipe or a device is not read (a pipe waits for a writer
    forever, /dev/zero never ends)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        seen = os.fstat(fd)
        if not stat.S_ISREG(seen.st_mode) or seen.st_size > limit:
            return None
        data = os.read(fd, seen.st_size + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == seen.st_size else None


def is_plain_file(path: Path) -> bool:
    """A file itself, not a link to one (nor a pipe or a device)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def own_folder(path: Path) -> bool:
    """A folder itself, or nothing yet: never a link, which would take the build's writes and removals elsewhere."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _stamp(path: str | Path) -> FileStamp | None:
    try:
        return stamp_of(path)
    except OSError:
        return None


def _swap(staging: Path, output_dir: Path) -> None:
    """Put `staging` in place of output/; afterwards `staging` holds the old output/."""
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        return
    # Three renames (macOS, Windows, old Linux). Killed between the first two, output/ is
    # missing and the backup holds it: recover_output() puts it back at the next build.
    backup = backup_dir(output_dir)
    recover_output(output_dir)
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
    """Staging folders of builds that were killed midway (the lock says no other build is using one)."""
    for leftover in output_dir.parent.glob(staging_prefix(output_dir) + "*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
    if is_ours(spare_dir(output_dir)):
        shutil.rmtree(spare_dir(output_dir), ignore_errors=True)
