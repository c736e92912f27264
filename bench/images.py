#!/usr/bin/env python3
"""Measure what pictures cost a phone reader and the build, before and after images.py.

Usage: python bench/images.py [--photos 50] [--runs 3] [--work DIR]

Two sites, each built in a folder of its own under --work:
  sample   the project's sample site (its pictures drawn by tools/sample_images.py)
  photos   the sample site plus --photos camera-sized photos (4000×3000 JPEG, quality 92, with EXIF),
           one lead photo per added article, which the bench draws itself
For each: the image bytes a 375-px-wide phone downloads for every article page with a picture,
before (the photo as uploaded, which is what pages sent until now) and after (the srcset candidate
the browser picks at device pixel ratio 2 and 3, in WebP), and build times: cold (no cache, no
output), warm after one edited article (photos unchanged), and the share of that warm build spent
on images. Medians of --runs builds, side by side in one run.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.build import BuildOptions, build  # noqa: E402

PHONE_CSS_WIDTH = 375 - 32  # the article column on a phone: the viewport less the page's padding
_PICTURE = re.compile(r'<picture>(.*?)</picture>', re.S)
_SOURCE = re.compile(r'<source type="image/webp" srcset="([^"]*)"')
_IMG = re.compile(r'<img[^>]*\ssrc="([^"]*)"')


def make_photo_site(folder: Path, count: int) -> None:
    from PIL import Image

    shutil.copytree(ROOT, folder, ignore=shutil.ignore_patterns(".git", ".venv*", ".cache", "output", "docs", "node_modules"))
    photos = folder / "static" / "images" / "photos"
    photos.mkdir(parents=True)
    for i in range(count):
        # Detail at every scale, as in a photo: blotches (noise drawn small and enlarged) and grain.
        coarse = Image.merge("RGB", [Image.effect_noise((500, 375), 50 + 10 * c + i % 7).resize((4000, 3000), Image.BICUBIC)
                                     for c in range(3)])
        middle = Image.effect_noise((1333, 1000), 40).resize((4000, 3000), Image.BICUBIC).convert("RGB")
        grain = Image.effect_noise((4000, 3000), 25).convert("RGB")
        photo = Image.blend(Image.blend(coarse, middle, 0.35), grain, 0.15)
        exif = Image.Exif()
        exif[0x010F] = "Camera maker"
        exif[0x8825] = {1: "N", 2: (24.0, 28.0, float(i)), 3: "E", 4: (54.0, 22.0, 0.0)}
        photo.save(photos / f"photo-{i:03d}.jpg", "JPEG", quality=92, exif=exif.tobytes())
        day = 1 + i % 28
        (folder / "content" / "2024" / "05").mkdir(parents=True, exist_ok=True)
        (folder / "content" / "2024" / "05" / f"photo-story-{i:03d}.en.md").write_text(
            f"---\ntitle: Photo story {i}\ndate: 2024-05-{day:02d}\n"
            f"image: {{src: /images/photos/photo-{i:03d}.jpg, alt: A photo}}\n---\nA story told by its photo.\n",
            encoding="utf-8")


def phone_bytes(output: Path, static: Path, base_path: str) -> dict[str, int]:
    """Bytes of the pictures each article page makes a phone download, summed over pages (each picture once a page)."""
    before = after2 = after3 = 0
    for page in output.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if "<article" not in html:
            continue
        for picture in _PICTURE.findall(html):
            src = _IMG.search(picture)[1]
            original = static / src.removeprefix(base_path)
            if not original.is_file():
                continue
            before += original.stat().st_size
            candidates = [(url, int(w[:-1])) for url, w in (c.split() for c in _SOURCE.search(picture)[1].split(", "))]
            for ratio in (2, 3):
                need = PHONE_CSS_WIDTH * ratio
                url = next((u for u, w in candidates if w >= need), candidates[-1][0])
                size = (output / url.removeprefix(base_path)).stat().st_size
                if ratio == 2:
                    after2 += size
                else:
                    after3 += size
    return {"before": before, "after_2x": after2, "after_3x": after3}


def timed_build(root: Path, **options) -> tuple[float, float]:
    started = time.perf_counter()
    result = build(BuildOptions(config_path=root / "config.yaml", **options))
    images = sum(lap.seconds for lap in result.timings if lap.stage in ("images", "share cards"))
    return time.perf_counter() - started, images


def measure(root: Path, runs: int) -> dict[str, object]:
    cold, warm, warm_images = [], [], []
    edited = root / "content" / "2023" / "09" / "derna-floods.en.md"
    text = edited.read_text(encoding="utf-8")
    for run in range(runs):
        for folder in (root / "output", root / ".cache"):
            shutil.rmtree(folder, ignore_errors=True)
        cold.append(timed_build(root)[0])
        edited.write_text(text + f"\nEdited {run}.\n", encoding="utf-8")
        seconds, images = timed_build(root)
        warm.append(seconds)
        warm_images.append(images)
    edited.write_text(text, encoding="utf-8")
    sizes = phone_bytes(root / "output", root / "static", "/mujaz/")
    return {"cold": statistics.median(cold), "warm": statistics.median(warm),
            "warm_images": statistics.median(warm_images), **sizes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="where the sites are built (default: a temporary folder)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mujaz-images-bench-", dir=args.work))
    try:
        sample = work / "sample"
        shutil.copytree(ROOT, sample, ignore=shutil.ignore_patterns(".git", ".venv*", ".cache", "output", "docs", "node_modules"))
        photos = work / "photos"
        make_photo_site(photos, args.photos)
        rows = [("sample", measure(sample, args.runs)), (f"+{args.photos} photos", measure(photos, args.runs))]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'site':14} {'phone bytes before':>19} {'after @2x':>10} {'after @3x':>10} {'fewer @2x':>10} "
          f"{'cold s':>7} {'warm s':>7} {'warm: images s':>15} {'share':>6}")
    for name, row in rows:
        print(f"{name:14} {row['before'] / 1e6:17.2f}MB {row['after_2x'] / 1e6:8.2f}MB {row['after_3x'] / 1e6:8.2f}MB "
              f"{row['before'] / max(row['after_2x'], 1):9.1f}× {row['cold']:7.2f} {row['warm']:7.2f} "
              f"{row['warm_images']:15.3f} {row['warm_images'] / row['warm']:6.1%}")


if __name__ == "__main__":
    main()
