"""Where a site's theme is: its templates, static files and interface words, found before anything is rendered.

Apart from templates.py, which renders with Jinja2, so that a build that finds nothing changed
(build.py) never imports Jinja2.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .config import SiteConfig
from .errors import BuildError, Diagnostic, shown
from .writer import static_files
from .yamlsafe import TooBig, load_bounded, plain_problem

BUNDLED_THEMES = Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True)
class Theme:
    """Where a theme's templates, static files and UI strings are read from, in lookup order."""

    template_dirs: tuple[Path, ...]
    static_dir: Path | None
    strings: dict[str, dict[str, str]]


def read_strings(theme_dir: Path) -> dict[str, dict[str, str]]:
    """A theme's interface words per language, or {} if it has none or they cannot be read."""
    try:
        strings = _parse_strings((theme_dir / "strings.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return strings if isinstance(strings, dict) else {}


@lru_cache(maxsize=16)
def _parse_strings(text: str) -> object:
    """A theme's strings.yaml, parsed once per text in this process (the bounded parse is pure Python,
    and the preview and tests build many times). Shared between builds: read it, never change it."""
    return load_bounded(text)


def find_theme(config: SiteConfig) -> Theme:
    """Site `templates/` first, then `themes/<name>/` in the site, then the bundled theme."""
    candidates = [config.root / "themes" / config.theme, BUNDLED_THEMES / config.theme]
    theme_dir = next((d for d in candidates if (d / "templates").is_dir()), None)
    if theme_dir is None:
        looked = " and ".join(str(d / "templates") for d in candidates)
        raise BuildError([Diagnostic(config.source.name, f"theme: no theme {shown(config.theme)}; looked in {looked}",
                                     hint='use theme: default, or create the folder')])
    dirs = tuple(d for d in (config.root / "templates", theme_dir / "templates") if d.is_dir())
    # What the site's own templates and theme read is published in its pages (a template's text, a font in a
    # card): a link there to a file outside the site is refused, as in static/ (a BuildError naming it).
    for folder in (config.root / "templates", theme_dir):
        if folder.is_dir() and folder.is_relative_to(config.root):
            static_files(folder, config.root, config.root)
    strings_file = theme_dir / "strings.yaml"
    try:
        strings = _parse_strings(strings_file.read_text(encoding="utf-8")) if strings_file.is_file() else {}
    except yaml.YAMLError as exc:
        problem, line, _ = plain_problem(exc)
        line = None if line is None else line + 1
        label = strings_file.relative_to(config.root).as_posix() if strings_file.is_relative_to(config.root) \
            else str(strings_file)
        raise BuildError([Diagnostic(label, f"{'too large' if isinstance(exc, TooBig) else 'not valid YAML'}: {problem}",
                                     line=line,
                                     hint="fix the theme's interface words file")]) from None
    static = theme_dir / "static"
    return Theme(dirs, static if static.is_dir() else None, strings or {})
