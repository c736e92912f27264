"""Stories brought back from the site's git history, for an editor who deleted one by mistake (in /admin/ or by
hand) or saved a change that lost its text: the stories deleted are listed, and a story's files are written as
they were before it was deleted, or at a time given. The "Restore a story" workflow runs this from the Actions
tab, for editors who use no git. Only git reads the history, and nothing here changes it: the files restored are
committed by whoever asked (the workflow, or the editor)."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from .content import SLUG
from .errors import MujazError, shown
from .frontmatter import parse_date

# A story's file, as content.py names it: content/…/<slug>.<lang>.md or content/…/<slug>.md.
_STORY_FILE = re.compile(r"^content/(?:[\w.-]+/)*?([\w][\w-]*)(?:\.[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)?\.md$")
_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
MOST_LISTED = 100  # deleted stories a list shows, the latest first
_LARGEST = 4 << 20  # bytes of one story file read back from the history (content.py reads none larger)
_LARGEST_FILE = 100 << 20  # of a file of static/: GitHub keeps none larger


@dataclass(frozen=True)
class Save:
    """One commit that changed the site: when, by whom, and what its message says."""

    commit: str
    when: datetime
    by: str
    message: str


@dataclass(frozen=True)
class Deleted:
    """A story whose files a save deleted, and which is not in the site now."""

    slug: str
    paths: tuple[str, ...]  # relative to the site's folder
    title: str
    deleted: Save


@dataclass(frozen=True)
class Restored:
    paths: tuple[str, ...]  # the files written
    source: Save  # the save they were as at
    left: tuple[str, ...] = ()  # the story's files now that were not there then, left as they are


def deleted_stories(root: Path) -> list[Deleted]:
    """The stories deleted and not in the site now (at most MOST_LISTED), the latest deletion first."""
    _repository(root)
    found = []
    for deletion in _deletions(root):
        found.append(deletion)
        if len(found) == MOST_LISTED:
            break
    titles = map(_title, _read(root, [(f"{save.commit}^", paths[0]) for _, _, save, paths in found]))
    return [Deleted(slug, paths, title, save) for (_, slug, save, paths), title in zip(found, titles)]


def saves_of(root: Path, paths: list[str], most: int = 20) -> list[Save]:
    """The latest saves that changed these files, newest first."""
    return [save for save, _ in _saves(root, f"--max-count={most}", "--", *paths)]


def restore(root: Path, story: str, as_of: str = "", timezone: str = "UTC") -> Restored:
    """Write the story's files as they were before it was deleted, or (with `as_of`, a date and time in the site's
    zone) as they were then. `story`: its slug, its file, or its page's address; or a file of static/ (a photo
    deleted in the editing page's media library, as the build's warning names it). Refused, writing nothing, when
    a file holds changes git has not saved, the only copy of that work."""
    _repository(root)
    zone = ZoneInfo(timezone)
    when = parse_date(as_of, zone, _bad_time) if as_of else None
    static = _static_file(story)
    if static:
        source, paths = (_save_before(root, when) if when else _before_file_deleted(root, static)), (static,)
    else:
        folder, slug = _story_name(story)
        source, paths = _as_at(root, folder, slug, when) if when else _before_deleted(root, folder, slug, zone)
    for path in paths:
        if (root / path).exists() and _git(root, "status", "--porcelain", "--", path).strip():
            raise MujazError(f"{path} has changes git has not saved, which restoring would lose — commit them first "
                             "(the history keeps every version), or discard them")
    files = _read(root, [(source.commit, path) for path in paths], _LARGEST_FILE if static else _LARGEST)
    if None in files:
        missing = paths[files.index(None)]
        raise MujazError(f"{missing} was not in the site on {when:%Y-%m-%d %H:%M}, or is too large to restore here"
                         if static and when else f"{missing} could not be read from save {source.commit[:7]}")
    for path, data in zip(paths, files):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    now = () if static else _present(root, _folder(paths[0]), slug)
    return Restored(tuple(paths), source, tuple(path for path in now if path not in paths))


def _static_file(name: str) -> str:
    """The path of a file of static/ named as the build's warning names it, or ""."""
    written = name.strip()
    parts = written.split("/")
    if parts[0] != "static" or len(parts) < 2 or any(part in ("", ".", "..") for part in parts) \
            or any(ord(c) < 32 for c in written):
        return ""
    return written


def _before_file_deleted(root: Path, path: str) -> Save:
    """The save before the one that deleted `path` last."""
    if (root / path).exists():
        raise MujazError(f"{path} is in the site, not deleted — to bring back an earlier version, give the time it "
                         "was as you want it (--as-of \"YYYY-MM-DD HH:MM\")")
    deleted = _git(root, "log", "-1", "--diff-filter=D", "--format=%H", "--", path).strip()
    if not deleted:
        raise MujazError(f"no save deleted {shown(path, 80)} — check its name: the build's warning about the picture "
                         "names the file to restore")
    return _save(root, f"{deleted}^")


def _before_deleted(root: Path, folder: str, slug: str, zone: ZoneInfo) -> tuple[Save, tuple[str, ...]]:
    """The save before the story's latest deletion, and its files then."""
    for deleted_folder, deleted_slug, save, paths in _deletions(root):
        if deleted_slug == slug and folder in ("", deleted_folder):
            return _save(root, f"{save.commit}^"), paths
    present = _present(root, folder, slug)
    if present:
        raise MujazError(f"{slug} is in the site, not deleted — to bring back an earlier version, give the time it "
                         "was as you want it (--as-of \"YYYY-MM-DD HH:MM\"); its saves: "
                         + "; ".join(f"{s.when.astimezone(zone):%Y-%m-%d %H:%M} by {s.by}"
                                     for s in saves_of(root, present, 5)))
    raise MujazError(f"no deleted story is named {shown(slug)} — run restore without a story to list the stories "
                     "deleted, with their names")


def _save_before(root: Path, when: datetime) -> Save:
    """The last save before `when`."""
    commit = _git(root, "rev-list", "-1", f"--before={when.isoformat()}", "HEAD", "--").strip()
    if not commit:
        first = _save(root, _git(root, "rev-list", "--max-parents=0", "HEAD", "--").split()[-1])
        raise MujazError(f"the site's history begins after {when:%Y-%m-%d %H:%M}: its first save is of "
                         f"{first.when.astimezone(when.tzinfo):%Y-%m-%d %H:%M}")
    return _save(root, commit)


def _as_at(root: Path, folder: str, slug: str, when: datetime) -> tuple[Save, tuple[str, ...]]:
    """The last save before `when`, and the story's files in it."""
    source = _save_before(root, when)
    commit = source.commit
    paths = tuple(path for path in _git(root, "ls-tree", "-r", "--name-only", commit, "--", "content").splitlines()
                  if _is_story(path, folder, slug))
    if not paths:
        raise MujazError(f"{slug} was not in the site on {when:%Y-%m-%d %H:%M}: the save before that time is "
                         f"{source.commit[:7]}, of {source.when.astimezone(when.tzinfo):%Y-%m-%d %H:%M}")
    folders = sorted({_folder(path) for path in paths})
    if len(folders) > 1:
        raise MujazError(f"two stories are named {slug}, in {' and '.join(folders)} — give the file of the one to "
                         f"restore, such as {paths[0]}")
    return source, paths


def _deletions(root: Path):
    """(folder, slug, the save that deleted it, its files) of each story deleted and not in the site now, the
    latest deletion first; a story deleted twice, once."""
    seen = set()
    for save, paths in _saves(root, "--diff-filter=D"):
        stories: dict[tuple[str, str], list[str]] = defaultdict(list)
        for path in paths:
            story = _STORY_FILE.match(path)
            if story and not (root / path).exists():
                stories[(_folder(path), story[1])].append(path)
        for key, story_paths in stories.items():
            if key not in seen:
                seen.add(key)
                yield (*key, save, tuple(sorted(story_paths)))


def _folder(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _story_name(story: str) -> tuple[str, str]:
    """(folder or "", slug) of a story named by its slug, its file (name or path under content/), or its page's
    address. What is none of these is refused: the name reaches git as a path, never as an option."""
    written = story.strip()
    if written.startswith(("http://", "https://", "/")):  # the page's address: its last part is the slug
        parts = [unquote(part) for part in urlsplit(written).path.split("/") if part]
        slug = parts[-1].removesuffix(".html") if parts else ""
        if SLUG.match(slug):
            return "", slug
    elif "/" in written:
        story_file = _STORY_FILE.match(written)
        if story_file and ".." not in written.split("/"):
            return _folder(written), story_file[1]
    else:
        story_file = _STORY_FILE.match(f"content/{written}")
        if story_file:
            return "", story_file[1]
        if SLUG.match(written):
            return "", written
    raise MujazError(f"{shown(story, 80)} names no story — give its address as the browser shows it, its file "
                     "(content/2025/01/name.ar.md) or the name in its address (name)")


def _is_story(path: str, folder: str, slug: str) -> bool:
    story = _STORY_FILE.match(path)
    return bool(story) and story[1] == slug and folder in ("", _folder(path))


def _present(root: Path, folder: str, slug: str) -> list[str]:
    """The story's files in the site now."""
    content = root / "content"
    return sorted(path.relative_to(root).as_posix() for path in content.rglob(f"{slug}*.md")
                  if _is_story(path.relative_to(root).as_posix(), folder, slug))


def _bad_time(problem: str, hint: str = "") -> None:
    raise MujazError(f"--as-of: {problem}" + (f" — {hint}" if hint else ""))


def _title(data: bytes | None) -> str:
    if data is None:
        return ""
    head = data[:8192].decode("utf-8", "replace")
    found = _TITLE.search(head)
    return found[1].strip("'\"") if found else ""


def _repository(root: Path) -> None:
    if _git(root, "rev-parse", "--is-shallow-repository", allow_failure=True).strip() == "true":
        raise MujazError("this copy of the repository holds only its last save — fetch the whole history first "
                         "(git fetch --unshallow; in a workflow, actions/checkout with fetch-depth: 0)")


def _prefix(root: Path) -> str:
    return _git(root, "rev-parse", "--show-prefix").strip()


def _saves(root: Path, *args: str) -> list[tuple[Save, list[str]]]:
    """Commits that changed content/ (as `args` select), newest first, each with the files it changed there,
    relative to the site's folder."""
    log = _git(root, "log", "--relative", "--name-only", "--format=%x1e%H%x1f%aI%x1f%an%x1f%s", *args,
               *(() if "--" in args else ("--", "content")))
    saves = []
    for record in log.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, when, by, message = head.split("\x1f", 3)
        saves.append((Save(commit, datetime.fromisoformat(when), by, message),
                      [name for name in names.splitlines() if name]))
    return saves


def _save(root: Path, commit: str) -> Save:
    commit, when, by, message = _git(root, "log", "-1", "--format=%H%x1f%aI%x1f%an%x1f%s", commit, "--").strip() \
        .split("\x1f", 3)
    return Save(commit, datetime.fromisoformat(when), by, message)


def _read(root: Path, wanted: list[tuple[str, str]], most: int = _LARGEST) -> list[bytes | None]:
    """The bytes of each (commit, path) in the history, read by one git process; None for one missing or larger
    than `most`."""
    if not wanted:
        return []
    prefix = _prefix(root)
    asked = "".join(f"{commit}:{prefix}{path}\n" for commit, path in wanted).encode()
    done = _run(root, ["cat-file", "--batch"], asked)
    out, at, found = done.stdout, 0, []
    for _ in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if header[-1] == b"missing" or len(header) != 3:
            found.append(None)
            at = end + 1
            continue
        size = int(header[2])
        found.append(out[end + 1:end + 1 + size] if size <= most else None)
        at = end + 1 + size + 1
    return found


def _git(root: Path, *args: str, allow_failure: bool = False) -> str:
    done = _run(root, list(args))
    if done.returncode and not allow_failure:
        problem = done.stderr.decode("utf-8", "replace").strip().split("\n")[0]
        if "not a git repository" in problem:
            raise MujazError(f"{root} is not in a git repository — restore reads the site's history from git, as "
                             "GitHub keeps it: run it in a clone of the site's repository")
        raise MujazError(f"git {args[0]} failed: {problem}")
    return done.stdout.decode("utf-8", "replace")


def _run(root: Path, args: list[str], given: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=root, input=given,
                              capture_output=True, timeout=300)
    except FileNotFoundError:
        raise MujazError("git is not installed — restore reads the site's history from git") from None
