"""The build, top to bottom: config → content → markup → site model → related → pages → templates → write.

Every stage is a function of its inputs, so the cache (`cache.py`) can hand back
what an earlier build made of unchanged inputs, and the slow stages (Markdown,
page rendering) can run on every core (`workers.py`).

This module starts every build: config, theme, the cache, the content files' stamps and the check of
output/. When nothing changed it answers from the cache; otherwise rebuild.py does the rest.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import config as config_stage
from .cache import CACHE_DIR, BuildCache, cache_at_fault, cache_salts, unusable_cache
from .config import SiteConfig
from .content import Source, scan_content
from .errors import Diagnostic
from .hashing import digest
from .memory import peak_since_last
from .theme import Theme, find_theme
from .manifest import OutputCheck
from .writer import build_lock, check_output_folder, own_folder, recover_output, write_beside

if TYPE_CHECKING:
    from .rebuild import Model

LOCK_FILE = "build.lock"  # in the cache folder, even for a build that does not use the cache
# In the cache folder: when the next scheduled article goes live, for the Pages workflow's hourly run (which
# builds only once one has): ISO 8601 in UTC, or nothing when none is scheduled.
NEXT_PUBLISH = "next-publish.txt"
PICTURE_FOLDERS = ("images", "cards", "icons")  # in the cache folder: photos' copies (images.py), share cards (pipeline.py), icons


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path = Path("config.yaml")
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False  # include drafts and articles dated in the future
    now: datetime | None = None  # what counts as "the future"; tests fix it
    jobs: int | None = None  # worker processes; None: every core, when the work is big enough
    cache: bool = True  # reuse and update .cache/ beside config.yaml
    cache_dir: Path | None = None  # default: .cache/mujaz beside config.yaml
    progress: Callable[[str, int, int], None] | None = None  # (stage, done, total) during long stages
    keep_model: bool = False  # return the site model, for render_edited(); never skips work
    versioned_assets: bool = True  # link theme files by names that change with their bytes; the preview: False
    explain: tuple[str, ...] = ()  # files of output/ (or their addresses) to say why they were written or kept
    cache_unread: bool = False  # build as if the cache were empty, and replace it (after one that could not be used)
    # Read each stage's peak memory (Linux). It resets the process's high-water mark at every stage, so what
    # getrusage() or a parent's wait4() then report is the last stage's peak, not the build's: off by default.
    stage_memory: bool = False


@dataclass(frozen=True)
class BuildResult:
    output_dir: Path
    pages: dict[str, int]  # HTML pages in the site, per language
    files: int
    seconds: float
    warnings: tuple[Diagnostic, ...]
    rendered: int = 0  # pages rendered by this build; the others were unchanged and kept
    timings: tuple[Lap, ...] = ()  # per stage, in order
    model: Model | None = None  # with BuildOptions.keep_model
    explained: tuple[tuple[str, str | None], ...] = ()  # (asked, why it was written or kept; None: no such file)
    scheduled: tuple[tuple[datetime, str], ...] = ()  # (when it goes live, source) of the articles held back
    drafts: tuple[str, ...] = ()  # the sources of the drafts, newest first


class Lap(NamedTuple):
    stage: str
    seconds: float
    peak: int | None = None  # the most bytes the build's own process held in RAM during the stage, if asked


class Stopwatch:
    def __init__(self, memory: bool = False) -> None:
        self.laps: list[Lap] = []
        self._memory = memory
        if memory:
            peak_since_last()  # the first stage's peak is its own, not an earlier build's (the preview's process)
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps.append(Lap(stage, now - self._last, peak_since_last() if self._memory else None))
        self._last = now


def build(options: BuildOptions) -> BuildResult:
    """Build the whole site into output/, or raise BuildError and leave output/ untouched."""
    # A build makes millions of objects and keeps nearly all of them to its end, so the
    # cycle collector, run every few hundred allocations, walks them again and again
    # for nothing: a fifth of an edit's time at 10,000 articles. Off until the build ends.
    enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            return _build(options)
        except Exception as exc:
            if not cache_at_fault(exc) or not options.cache or options.cache_unread:
                raise
            # A cache from elsewhere may hold any value its allowed types can: what a build cannot use is
            # a reason to build without it, never a traceback.
            result = _build(replace(options, cache_unread=True))
            return replace(result, warnings=(unusable_cache(exc, "built without it, and replaced it"),)
                           + result.warnings)
    finally:
        if enabled:
            gc.enable()


def _build(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    config = config_stage.load_config(options.config_path, base_url=options.base_url, output=options.output)
    cache_dir = options.cache_dir or config.root / CACHE_DIR
    with build_lock(cache_dir / LOCK_FILE, config.output_dir):
        recover_output(config.output_dir)
        with _image_folder(cache_dir if options.cache else None) as (images_dir, warnings):
            result = _build_locked(options, config, cache_dir, images_dir, started)
            return replace(result, warnings=tuple(warnings) + result.warnings)


def _build_locked(options: BuildOptions, config: SiteConfig, cache_dir: Path, images_dir: Path,
                  started: float) -> BuildResult:
    watch = Stopwatch(options.stage_memory)
    now = options.now or datetime.now(timezone.utc)
    theme = find_theme(config)
    salts = cache_salts(config, theme, options.versioned_assets)
    cache = BuildCache.empty(cache_dir, salts) if options.cache_unread else \
        BuildCache.load(cache_dir if options.cache else None, salts, stamps=False)
    same_folder = cache.output_dir == str(config.output_dir)
    check_output_folder(config.output_dir, cache.output.inode if same_folder and cache.output else None)
    # Whether output/ is as the last build left it is looked for meanwhile (beside this process, on a big site).
    check = OutputCheck(config.output_dir, cache.output if same_folder else None, options.jobs)
    try:
        if not options.cache_unread:
            cache.load_stamps()
        sources, diagnostics = scan_content(config, cache.stamps)
        inputs_key = _inputs_key(config, theme, sources, diagnostics, options.drafts)
        watch.lap("config, theme, read content")
        unchanged = None if options.keep_model or options.explain else _unchanged_result(cache, config, inputs_key,
                                                                                         now, check)
        if unchanged is not None:
            if options.cache:
                write_next_publish(cache_dir, cache.valid_until)
            watch.lap("check output")
            return replace(unchanged, seconds=time.perf_counter() - started, timings=tuple(watch.laps))
        # Imported here, as only a build with work to do needs the stages: importing them took 80 ms of a build
        # that finds nothing changed (0.6 s at 10,000 stories a language).
        from .rebuild import build_changed
        return build_changed(Begun(options, config, theme, cache, cache_dir, images_dir, check, same_folder, sources,
                                   diagnostics, inputs_key, now, started, watch))
    finally:
        check.cancel()  # a build that failed before it needed the check


class Begun(NamedTuple):
    """What the start of a build found, handed to rebuild.py when something changed."""

    options: BuildOptions
    config: SiteConfig
    theme: Theme
    cache: BuildCache  # the last build's, loaded; the rest of the build updates and saves it
    cache_dir: Path
    images_dir: Path  # where photos' copies and share cards go
    check: OutputCheck  # of output/ against the last build's manifest, under way
    same_folder: bool  # output/ is the folder the cache's last build wrote
    sources: list[Source]
    diagnostics: list[Diagnostic]
    inputs_key: str  # _inputs_key
    now: datetime
    started: float
    watch: Stopwatch


@contextmanager
def _image_folder(cache_dir: Path | None) -> Iterator[tuple[Path, list[Diagnostic]]]:
    """Where photos' copies and share cards are kept: the cache, or for a build without one, a folder removed
    after it; and a warning when the cache holds a link or a file where their folders go (a cache may come
    from elsewhere: its folders are never followed, which could lead the build's writes and removals out)."""
    warnings = []
    if cache_dir is not None:
        wrong = [name for name in PICTURE_FOLDERS if not own_folder(cache_dir / name)]
        if not wrong:
            yield cache_dir, []
            return
        warnings = [Diagnostic((CACHE_DIR / name).as_posix(), "is not a folder of the cache but a link or a file; "
                               "photos and share cards are made again on every build until it is gone",
                               hint=f"remove it (rm {(CACHE_DIR / name).as_posix()})", severity="warning")
                    for name in wrong]
    with tempfile.TemporaryDirectory(prefix="mujaz-images-") as folder:
        yield Path(folder), warnings


def _inputs_key(config: SiteConfig, theme: Theme, sources: list[Source], problems: list[Diagnostic], drafts: bool) -> str:
    """Everything a build reads besides config and the theme's templates and strings (which are in the cache's
    salts): the content, static/ and the theme's assets."""
    files = _static_entries(config.root / "static")
    if theme.static_dir:
        files += [("assets",)] + _static_entries(theme.static_dir)
    # The content files joined, not repr'd: no path holds a NUL, and the repr of every (path, hash) pair took a
    # quarter of a second of a build with nothing to do at 100,000 stories a language.
    content = "\0".join([part for source in sources for part in (source.path, source.key)])
    return digest(repr((drafts, files, [str(d) for d in problems])).encode("utf-8", "surrogatepass") + b"\0"
                  + content.encode("utf-8", "surrogatepass"))


def _static_entries(static: Path) -> list[tuple]:
    """Every entry under static/, links as links (a new link to a folder is a change the build must see,
    and refuse if it leads out of the site), files by size and time, a link's target by its own."""
    entries = []
    for folder, folders, names in os.walk(static):
        for name in sorted(folders + names):
            path = Path(folder, name)
            link = os.readlink(path) if path.is_symlink() else ""
            try:
                seen = path.stat()
                stamp = (seen.st_mode, seen.st_size, seen.st_mtime_ns)
            except OSError:  # a link to nothing
                stamp = ()
            entries.append((path.relative_to(static).as_posix(), link, stamp))
    return entries


def _unchanged_result(cache: BuildCache, config: SiteConfig, inputs_key: str, now: datetime,
                      check: OutputCheck) -> BuildResult | None:
    """The last build's result, if nothing it read has changed and output/ is still exactly what it wrote
    (`check`: of output/ against the last build's manifest)."""
    if cache.inputs != inputs_key or cache.summary is None or cache.output is None:
        return None
    if cache.output_dir != str(config.output_dir) or (cache.valid_until is not None and now >= cache.valid_until):
        return None
    if check.result() != frozenset() or not _sound_summary(cache.summary):
        return None
    return replace(cache.summary, rendered=0)


def write_next_publish(cache_dir: Path, when: datetime | None) -> None:
    """NEXT_PUBLISH, written whole. Where it cannot be (a folder planted in its place), it is left out: the
    hourly run then builds, as it does without it."""
    path = cache_dir / NEXT_PUBLISH
    text = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else ""
    partial = write_beside(path, text.encode())
    try:
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)


def _sound_summary(summary: object) -> bool:
    """Whether a last result from the cache is as a build makes it: it is printed as this build's, outside the
    build (the cache may come from elsewhere; one that is not costs a build that renders nothing)."""
    return (type(summary) is BuildResult and type(summary.pages) is dict
            and all(type(code) is str and type(count) is int for code, count in summary.pages.items())
            and type(summary.files) is int and type(summary.warnings) is tuple
            and all(type(warning) is Diagnostic for warning in summary.warnings)
            and summary.explained == () and summary.model is None and type(summary.scheduled) is tuple
            and all(type(item) is tuple and len(item) == 2 and type(item[0]) is datetime and type(item[1]) is str
                    for item in summary.scheduled)
            and type(summary.drafts) is tuple and all(type(path) is str for path in summary.drafts))


