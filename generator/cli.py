"""Command line: `python -m generator build …` (also the `mujaz` script). Only orchestrates."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from . import __version__, actions
from .build import BuildOptions, Lap, build
from .errors import BuildError, MujazError
from .memory import largest_child


def _refuse(exc: MujazError, footer: str = "") -> int:
    """Print a user mistake as one line per problem (no traceback); exit status 1. In a GitHub Actions run,
    also where an editor sees it: on the run's page, and in its summary (actions.py)."""
    run = actions.in_a_run()
    if isinstance(exc, BuildError):
        lines = actions.log_lines(exc.diagnostics) if run else [str(d) for d in exc.diagnostics]
    else:
        lines = [actions.error_line(f"error: {exc}") if run else f"error: {exc}"]
    for line in lines + ([footer] if footer else []):
        print(line, file=sys.stderr)
    if run:
        found = exc.diagnostics if isinstance(exc, BuildError) else ()
        actions.add_summary(actions.summary(f"Mujaz stopped. {footer}".strip(), found, [] if found else [str(exc)]))
    return 1


def _new(args: argparse.Namespace) -> int:
    from datetime import date

    from .config import load_config
    from .scaffold import new_article

    try:
        config = load_config(args.config)
        languages = list(config.language_codes) if args.lang == "both" else [args.lang or config.default_language]
        try:
            day = date.fromisoformat(args.date) if args.date else None
        except ValueError:
            raise MujazError(f"--date {args.date!r} is not a date — write it as YYYY-MM-DD") from None
        paths = new_article(config, args.title, languages, day, args.tags.split(","), args.slug, args.author, args.page)
    except MujazError as exc:
        return _refuse(exc)
    for path in paths:
        print(f"Created {path.relative_to(config.root)} (a draft: set draft: false to publish)")
    return 0


def _deploy(args: argparse.Namespace) -> int:
    from .build import CACHE_DIR, LOCK_FILE
    from .config import load_config
    from .deploy import deploy

    try:
        config = load_config(args.config, output=args.output)
        done = deploy(config, config.root / CACHE_DIR / LOCK_FILE, dry_run=args.dry_run)
    except MujazError as exc:
        return _refuse(exc)
    except KeyboardInterrupt:
        print("Interrupted; deploy again to finish (what is uploaded stays).", file=sys.stderr)
        return 130
    would = "would be " if done.dry_run else ""
    for name in done.deleted:
        print(f"{'would delete' if done.dry_run else 'deleted'} {name}")
    print(f"Deployed to {done.destination}: {len(done.uploaded)} {would}uploaded, {len(done.deleted)} {would}deleted, "
          f"{done.files - len(done.uploaded)} unchanged" + (" (dry run: nothing changed)" if done.dry_run else ""))
    return 0


def _remove_locations(args: argparse.Namespace) -> int:
    from .config import load_config
    from .metadata import remove_locations

    try:
        config = load_config(args.config)
    except MujazError as exc:
        return _refuse(exc)
    saved, left = remove_locations(config.root / "static")
    for rel in saved:
        print(f"static/{rel}: saved again without the place it was taken")
    for rel in left:
        print(f"warning: static/{rel}: holds the place it was taken, and cannot be read to leave it out — open it in "
              "a photo editor and save it again, or delete it", file=sys.stderr)
    one = len(saved) == 1
    print(f"{len(saved)} photo{'' if one else 's'} saved again without the place {'it was' if one else 'they were'} "
          "taken" + ("; commit them (git's history keeps the old files)" if saved else ""))
    return 0


def _bring_pictures(args: argparse.Namespace) -> int:
    from .bringpictures import bring_pictures
    from .config import load_config

    try:
        brought = bring_pictures(load_config(args.config), args.stories)
    except MujazError as exc:
        return _refuse(exc)
    for rel in brought.pictures:
        print(f"{rel}: brought")
    for rel in brought.stories:
        print(f"{rel}: shows its pictures from static/images/ now")
    for note in brought.notes:
        print(f"warning: {note}", file=sys.stderr)
    count = len(brought.pictures)
    print(f"{count} picture{'' if count == 1 else 's'} brought into static/images/ for {len(brought.stories)} "
          f"stor{'y' if len(brought.stories) == 1 else 'ies'}" + ("; commit them with the stories" if count else ""))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from .config import load_config
    from .restore import MOST_LISTED, deleted_stories, restore

    try:
        config = load_config(args.config)
        zone = ZoneInfo(config.timezone)
        if not args.story:
            if args.as_of:
                raise MujazError("--as-of needs a story — name the story to bring back as it was then")
            deleted = deleted_stories(config.root)
            for story in deleted:
                print(f"{story.slug}: «{story.title}», deleted {story.deleted.when.astimezone(zone):%Y-%m-%d %H:%M} "
                      f"by {story.deleted.by} ({', '.join(story.paths)})")
            print(f"{len(deleted)} stor{'y' if len(deleted) == 1 else 'ies'} deleted"
                  + (f" (the latest {MOST_LISTED})" if len(deleted) == MOST_LISTED else "")
                  + ("; restore one by its name: restore NAME" if deleted else ""))
            return 0
        done = restore(config.root, args.story, args.as_of or "", config.timezone)
    except MujazError as exc:
        return _refuse(exc)
    for path in done.paths:
        print(f"Restored {path}")
    for path in done.left:
        print(f"warning: {path} was not in the story then, and is left as it is", file=sys.stderr)
    what = "The file" if done.paths[0].startswith("static/") else "The story"
    print(f"{what} is as it was on {done.source.when.astimezone(zone):%Y-%m-%d %H:%M}, saved by {done.source.by} "
          f"(«{done.source.message}»); commit it, and the next build publishes it")
    return 0


def _convert(args: argparse.Namespace) -> int:
    from .config import load_config
    from .convert import convert

    try:
        done = convert(load_config(args.config), args.stories, args.dry_run)
    except MujazError as exc:
        return _refuse(exc)
    for rel in done.stories:
        print(f"{rel}: {'would be ' if args.dry_run else ''}written in Mujaz's terms")
    for note in done.notes:
        print(f"warning: {note}", file=sys.stderr)
    count = len(done.stories)
    print(f"{count} stor{'y' if count == 1 else 'ies'} {'would be ' if args.dry_run else ''}converted"
          + ("; nothing was written" if args.dry_run else "; check the site, then commit them" if count else ""))
    return 0


def _import(args: argparse.Namespace) -> int:
    from .config import load_config
    from .feedimport import feed_drafts
    from .importer import import_pages
    from .pagefile import pictures_brought, read_page
    from .scaffold import write_drafts

    try:
        config = load_config(args.config)
        if args.command == "import-feed":
            result = feed_drafts(config, args.source, args.lang)
            drafts, skipped = list(result.drafts), result.skipped
            for warning in result.warnings:
                print(f"warning: {warning}", file=sys.stderr)
        else:
            lang = config.require_language(args.lang) if args.lang else None  # None: each page's letters tell
            if args.sources.count("-") > 1:
                raise MujazError("- (standard input) is given twice — give it once")
            files = [read_page(source) for source in args.sources]
            for page in files:
                if page.note:
                    print(f"warning: {page.note}", file=sys.stderr)
            imported = import_pages(config, files, lang)
            for warning in imported.warnings:
                print(warning, file=sys.stderr)
            for line in imported.skipped:
                print(line)
            drafts, skipped = list(imported.drafts), len(imported.skipped)
        if args.dry_run:
            return _show_drafts(config, drafts, skipped)
        drafts, notes = pictures_brought(config, drafts)
        for note in notes:
            print(f"warning: {note}", file=sys.stderr)
        paths = write_drafts(config, drafts)
    except BuildError as exc:
        return _refuse(exc, "Nothing was written.")
    except MujazError as exc:
        return _refuse(exc)
    for path in paths:
        print(f"Created {path.relative_to(config.root)}")
    note = f", skipped {skipped} already imported" if skipped else ""
    print(f"Imported {len(paths)} draft{'s' * (len(paths) != 1)}{note}; set draft: false to publish.")
    return 0


def _show_drafts(config, drafts: list, skipped: int) -> int:
    """--dry-run: what each draft would hold, and nothing written."""
    from .scaffold import path_for

    for draft in drafts:
        words = draft.body.split()
        paragraphs = len([p for p in draft.body.split("\n\n") if p.strip()])
        print(f"Would create {path_for(config, draft).relative_to(config.root)}")
        for label, value in (("title", draft.title), ("date", draft.when.isoformat()), ("updated", draft.updated and draft.updated.isoformat()),
                             ("author", ", ".join(draft.authors)), ("source", " ".join(filter(None, (draft.source_name, draft.source_url)))),
                             ("summary", draft.summary), ("tags", "، ".join(draft.tags)), ("image", draft.image_src),
                             ("related", ", ".join(draft.related))):
            if value:
                print(f"  {label + ':':9}{value}")
        print(f"  {'text:':9}{' '.join(words[:12])}{' …' if len(words) > 12 else ''} "
              f"({paragraphs} paragraph{'s' * (paragraphs != 1)})")
    note = f", skipping {skipped} already imported" if skipped else ""
    print(f"Would import {len(drafts)} draft{'s' * (len(drafts) != 1)}{note}; nothing was written (--dry-run).")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .check import check

    report = check(args.config, base_url=args.base_url)
    for line in report.notes:
        print(line, file=sys.stderr)
    found = report.errors + report.warnings
    run = actions.in_a_run()
    for line in actions.log_lines(found) if run else map(str, found):
        print(line, file=sys.stderr)
    if report.coverage:
        print(f"{'language':<10}{'articles':>10}{'translated':>12}{'share':>8}")
        for row in report.coverage:
            print(f"{row.lang:<10}{row.articles:>10}{row.translated:>12}{row.share:>8.0%}")
        for row in report.coverage:
            maybe = {path: (other, shared, key) for path, other, shared, key in row.maybe_pairs}
            for path in row.untranslated:
                other, shared, key = maybe.get(path, ("", "", ""))
                print(f"untranslated ({row.lang}): {path}" + (
                    f" — {other} may be its translation (the same day and {shared}): give both "
                    f"translation_key: {key}" if other else ""))
    held_back = _held_back(report.scheduled, report.drafts)
    for line in held_back:
        print(line)
    if report.pages:
        kept = report.pages - report.rendered
        same = "as the last build rendered them from the same files"
        print(f"Rendered {report.rendered:,} of {report.pages:,} pages" + (
            "." if not kept else f": all are {same}." if not report.rendered else f"; the other {kept:,} are {same}."))
    errors, warnings = len(report.errors), len(report.warnings)
    failed = errors or (args.strict and warnings)
    verdict = "Found" if failed else "OK:"
    strict = " (--strict: warnings fail too)" if args.strict and warnings and not errors else ""
    counted = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    print(f"{verdict} {counted}{strict}; nothing was written.")
    if run:
        actions.add_summary(actions.summary(f"Mujaz check: {counted}", found, held_back))
    return 1 if failed else 0


def _serve(args: argparse.Namespace) -> int:
    from .devserver import ServeOptions, serve  # livereload is only needed for previews

    # The preview says "Ctrl-C to stop". A shell running a script starts its background commands with
    # Ctrl-C ignored, and Python then keeps it ignored: the preview would never stop but by kill -9.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return serve(ServeOptions(config_path=args.config, host=args.host, port=args.port, open_browser=args.open,
                                  log=lambda line: print(line, file=sys.stderr, flush=True)))
    except MujazError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


class ProgressBar:
    """One line on a terminal, shown only once a build has run for a couple of seconds."""

    DELAY = 2.0
    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.shown = False

    def update(self, stage: str, done: int, total: int) -> None:
        if time.monotonic() - self.started < self.DELAY or not total:
            return
        filled = self.WIDTH * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {stage}: {done}/{total}\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


# Drafts named at most, newest first: an import brings dozens at once.
DRAFTS_NAMED = 5


def _held_back(scheduled: tuple, drafts: tuple) -> list[str]:
    """What the site leaves out for now: articles waiting for their date, and drafts (a `draft: true` forgotten
    keeps a story out for good)."""
    lines = [f"scheduled: {path} goes live at {when:%Y-%m-%d %H:%M} ({getattr(when.tzinfo, 'key', when.tzname())}), "
             "with the first build after that (the Pages workflow builds every hour)" for when, path in scheduled]
    if drafts:
        more = f", and {len(drafts) - DRAFTS_NAMED} more" if len(drafts) > DRAFTS_NAMED else ""
        lines.append(f"drafts: {len(drafts)} kept out of the site until their draft: true line is removed: "
                     f"{', '.join(drafts[:DRAFTS_NAMED])}{more}")
    return lines


def _print_timings(laps: tuple[Lap, ...]) -> None:
    for stage, seconds, peak in laps:
        memory = f"{peak / 2**20:7.0f} MB" if peak is not None else " " * 10
        print(f"{seconds:8.2f} s {memory}  {stage}", file=sys.stderr)
    peaks = [peak for _, _, peak in laps if peak is not None]
    if peaks:
        # Not a sum over the workers: each counts in full the pages it shares with the build it was forked from.
        worker = largest_child()
        print(f"memory at most: {max(peaks) / 2**20:.0f} MB in the build's process"
              + (f", {worker / 2**20:.0f} MB in its largest worker" if worker else ""), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mujaz", description="Build a bilingual (Arabic-first) news digest.")
    parser.add_argument("--version", action="version", version=f"mujaz {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build_args = commands.add_parser("build", help="render content/ into output/")
    build_args.add_argument("--config", type=Path, default=Path("config.yaml"), help="path to config.yaml (default: ./config.yaml)")
    build_args.add_argument("--output", type=Path, help="output folder (default: output/ beside config.yaml)")
    build_args.add_argument("--base-url", help="override base_url, e.g. https://user.github.io/repo/")
    build_args.add_argument("--drafts", action="store_true", help="include drafts and future-dated articles")
    build_args.add_argument("--jobs", type=int, help="worker processes (default: every core, for big sites)")
    build_args.add_argument("--timings", action="store_true", help="print the seconds spent in each stage, and the most memory the build held in it")
    build_args.add_argument("--no-cache", dest="cache", action="store_false", help="ignore and do not update .cache/")
    build_args.add_argument("--explain", action="append", default=[], metavar="PATH",
                            help="say why this build wrote or kept a page (its file under output/, or its address); "
                                 "may be given more than once")
    serve_args = commands.add_parser("serve", help="preview with drafts, rebuilding and reloading the browser on save")
    serve_args.add_argument("--config", type=Path, default=Path("config.yaml"), help="path to config.yaml (default: ./config.yaml)")
    serve_args.add_argument("--port", type=int, default=8000)
    serve_args.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    serve_args.add_argument("--open", action="store_true", help="open the preview in the web browser")
    new_args = commands.add_parser("new", help="start an article: content/YYYY/MM/<slug>.<lang>.md, as a draft "
                                                "(or a page: content/pages/<slug>.<lang>.md)")
    new_args.add_argument("title")
    new_args.add_argument("--config", type=Path, default=Path("config.yaml"), help="path to config.yaml (default: ./config.yaml)")
    new_args.add_argument("--lang", default=None, help="ar, en or both (default: the default language)")
    new_args.add_argument("--date", help="YYYY-MM-DD (default: today in the site's time zone)")
    new_args.add_argument("--tags", default="", help="comma-separated, e.g. روسيا,كوريا الشمالية")
    new_args.add_argument("--slug", help="the file name and URL segment (default: the title in ASCII)")
    new_args.add_argument("--author", action="append", help="the writer's name; give it twice for two writers")
    new_args.add_argument("--page", action="store_true",
                          help="a page of the site (About us…) in content/pages/, without a date, linked from the footer")
    check_args = commands.add_parser("check", help="validate config and content without writing; show translation coverage")
    check_args.add_argument("--config", type=Path, default=Path("config.yaml"), help="path to config.yaml (default: ./config.yaml)")
    check_args.add_argument("--strict", action="store_true", help="exit with status 1 on warnings too (for pull requests)")
    check_args.add_argument("--base-url", help="as build's: give the one the last build had, and pages it rendered are "
                                               "not rendered again")
    deploy_args = commands.add_parser("deploy", help="copy output/ to S3-compatible storage (config.yaml's deploy:)")
    deploy_args.add_argument("--config", type=Path, default=Path("config.yaml"), help="path to config.yaml (default: ./config.yaml)")
    deploy_args.add_argument("--output", type=Path, help="the built folder (default: output/ beside config.yaml)")
    deploy_args.add_argument("--dry-run", action="store_true", help="list what would be uploaded and deleted, and change nothing")
    places_args = commands.add_parser("remove-locations", help="save again, without it, every photo of static/ "
                                                               "whose metadata holds the place it was taken")
    places_args.add_argument("--config", type=Path, default=Path("config.yaml"), help="path to config.yaml (default: ./config.yaml)")
    bring_args = commands.add_parser("bring-pictures", help="fetch the pictures stories show from other sites into "
                                                            "static/images/, and name them there")
    bring_args.add_argument("stories", metavar="FILE.md", nargs="*", type=Path,
                            help="story files under content/ (default: every story)")
    bring_args.add_argument("--config", type=Path, default=Path("config.yaml"), help="path to config.yaml (default: ./config.yaml)")
    convert_args = commands.add_parser("convert", help="write stories moved from Hugo, Jekyll, Pelican or WordPress "
                                                       "in Mujaz's terms: YAML front matter, its keys, no codes")
    convert_args.add_argument("stories", metavar="FILE.md", nargs="*", type=Path,
                              help="story files under content/ (default: every story)")
    convert_args.add_argument("--config", type=Path, default=Path("config.yaml"), help="path to config.yaml (default: ./config.yaml)")
    convert_args.add_argument("--dry-run", action="store_true", help="list what would be written, and write nothing")
    restore_args = commands.add_parser("restore", help="bring back a story deleted, or one as it was at a time, "
                                                       "from the site's git history; without a story, list those deleted")
    restore_args.add_argument("story", metavar="STORY", nargs="?", default="",
                              help="its address, its file or the name in its address")
    restore_args.add_argument("--as-of", metavar="TIME", default="",
                              help="as it was then, in the site's time zone: 2025-01-31 or \"2025-01-31 10:30\"")
    restore_args.add_argument("--config", type=Path, default=Path("config.yaml"), help="path to config.yaml (default: ./config.yaml)")
    paste_args = commands.add_parser("import", help="turn pasted news pages (plain text) into draft articles")
    paste_args.add_argument("sources", metavar="FILE.txt", nargs="+", help="one or more pasted pages; - reads standard input")
    feed_args = commands.add_parser("import-feed", help="turn RSS/Atom items into draft articles, skipping those imported before")
    feed_args.add_argument("source", metavar="FILE_OR_URL")
    for importer in (paste_args, feed_args):
        importer.add_argument("--config", type=Path, default=Path("config.yaml"),
                              help="path to config.yaml (default: ./config.yaml)")
        importer.add_argument("--lang", help="the articles' language (default: a feed's own, a page's by its letters; "
                                             "else the site's default)")
        importer.add_argument("--dry-run", action="store_true", help="print what would be written, and write nothing")
    args = parser.parse_args(argv)
    if args.command in ("import", "import-feed"):
        return _import(args)
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "new":
        return _new(args)
    if args.command == "deploy":
        return _deploy(args)
    if args.command == "remove-locations":
        return _remove_locations(args)
    if args.command == "bring-pictures":
        return _bring_pictures(args)
    if args.command == "convert":
        return _convert(args)
    if args.command == "restore":
        return _restore(args)

    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        result = build(BuildOptions(config_path=args.config, output=args.output, base_url=args.base_url,
                                    drafts=args.drafts, jobs=args.jobs, cache=args.cache,
                                    progress=bar.update if bar else None, explain=tuple(args.explain),
                                    stage_memory=args.timings))
    except BuildError as exc:
        if bar:
            bar.clear()
        noun = "error" if len(exc.diagnostics) == 1 else "errors"
        return _refuse(exc, f"Build failed with {len(exc.diagnostics)} {noun}; output/ was left as it was.")
    except MujazError as exc:
        if bar:
            bar.clear()
        return _refuse(exc)
    except KeyboardInterrupt:
        print("Interrupted; output/ was left as it was.", file=sys.stderr)
        return 130
    if bar:
        bar.clear()
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if args.timings:
        _print_timings(result.timings)
    per_language = ", ".join(f"{count} {lang}" for lang, count in result.pages.items())
    total = sum(result.pages.values())
    print(f"Built {total} pages ({per_language}), {result.files} files in {result.seconds:.2f} s "
          f"({result.rendered} rendered, the rest unchanged) → {result.output_dir}")
    for line in _held_back(result.scheduled, result.drafts):
        print(line)
    unknown = 0
    for asked, answer in result.explained:
        if answer is None:
            unknown += 1
            print(f"{asked}: no file of the site is written there — give a file under output/ "
                  f"(such as index.html) or a page's address", file=sys.stderr)
        else:
            print(answer)
    return 1 if unknown else 0
