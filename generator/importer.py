"""`import`: a news page pasted as plain text becomes draft articles.

The shape read (labels in Arabic or English):

    headline | صور                       ← first line; a short "| marker" is dropped
    تاريخ النشر: 15th, September 2023 GMT ← or ١٥ سبتمبر ٢٠٢٣, 15 أيلول 2023, 2023-09-15
    paragraph, one per line or separated by blank lines
    المصدر: outlet
    إقرأ أيضاً:
    further headline                      ← a line without closing punctuation
    its paragraphs…

Each story becomes a draft; the further stories are pinned in the first one's `related:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from .config import SiteConfig
from .errors import BuildError, Diagnostic
from .scaffold import Draft, free_slug, slug_for
from .text import normalize

DATE_LABELS = {normalize(w) for w in ("تاريخ النشر", "نشر في", "نشر بتاريخ", "التاريخ", "published", "date")}
SOURCE_LABELS = {normalize(w) for w in ("المصدر", "مصدر", "source")}
FURTHER_LABELS = {normalize(w) for w in ("اقرأ أيضاً", "إقرأ أيضاً", "اقرأ أيضا", "read also", "read more", "see also")}
_SENTENCE_END = tuple(".!?؟…:»\"”)")
HEADLINE_MAX_WORDS = 20

# Month names of every Arabic region CLDR knows, and English: يناير، كانون الثاني، جانفي، شتنبر…
_MONTH_LOCALES = ("en", "ar_EG", "ar_LB", "ar_SY", "ar_IQ", "ar_DZ", "ar_TN", "ar_MA", "ar_SA")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})(?::\d{2})?\s*(am|pm|ص|م)?(?=\s|$)", re.IGNORECASE)
_ZONE = re.compile(r"\b(GMT|UTC)\b|بتوقيت غرينتش", re.IGNORECASE)


def _month_numbers() -> dict[str, int]:
    names: dict[str, int] = {}
    for locale in _MONTH_LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names.setdefault(normalize(name).lower().replace(".", ""), number)
    return names


MONTHS = _month_numbers()


@dataclass
class Story:
    title: str
    line: int
    when: date | datetime | None = None
    source: str = ""
    paragraphs: list[str] = field(default_factory=list)


def parse_date(value: str, timezone: str) -> date | datetime | None:
    """`15th, September 2023 GMT`, `١٥ سبتمبر ٢٠٢٣ - 14:30`, `September 15, 2023`, `2023-09-15`; None if unreadable."""
    text = normalize(value).lower()
    utc = bool(_ZONE.search(text))
    text = _ZONE.sub(" ", _ORDINAL.sub("", text))
    clock = _TIME.search(text)
    text = _TIME.sub(" ", text)
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        words = [w for w in re.split(r"[\s,،/\-]+", text.replace(".", " ")) if w]
        numbers = [int(w) for w in words if w.isdecimal()]  # isdigit() also takes ¹, which int() refuses
        months = [MONTHS[w] for w in _month_phrases(words) if w in MONTHS]
        if len(numbers) < 2 or not months:
            return None
        year = next((n for n in numbers if n > 31), None)
        day = next((n for n in numbers if n <= 31), None)
        if year is None or day is None:
            return None
        month = months[0]
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    if clock is None:
        return day_value
    hour, minute = int(clock[1]), int(clock[2])
    if (clock[3] or "").lower() in ("pm", "م") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    zone = ZoneInfo("UTC") if utc else ZoneInfo(timezone)
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def _month_phrases(words: list[str]) -> list[str]:
    """Single words and pairs, for two-word months such as كانون الثاني and تشرين الاول."""
    return [f"{a} {b}" for a, b in zip(words, words[1:])] + words


# Lines are split with str methods, not regular expressions: a pasted line may be a megabyte of
# spaces, and patterns like \s*…\s*$ take quadratic time on it.
def _label(line: str) -> tuple[str, str] | None:
    """`label: value` (a label of 2 to 20 characters), or None."""
    colon = min((i for i in (line.find(":"), line.find("：")) if i >= 0), default=-1)
    label = line[:colon].strip() if colon >= 0 else ""
    return (label, line[colon + 1:].strip()) if 2 <= len(label) <= 20 else None


def _shown(text: str, limit: int = 60) -> str:
    """Text for a message: a pasted line may be a megabyte long."""
    return text if len(text) <= limit else text[:limit] + "…"


def _drop_marker(line: str) -> str:
    """A headline without its trailing "| صور" or "| فيديو"."""
    bar = max(line.rfind("|"), line.rfind("｜"))
    return line[:bar].rstrip() if bar >= 0 and 1 <= len(line[bar + 1:].strip()) <= 20 else line


def parse_pasted(text: str, path: str, timezone: str) -> list[Story]:
    """The stories in a pasted page, first the main one; BuildError naming the line when the shape is wrong."""
    lines = text.lstrip("\ufeff").splitlines()
    problems: list[Diagnostic] = []
    stories: list[Story] = []
    further = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if not stories:
            stories.append(Story(_drop_marker(line), number))
            continue
        story = stories[-1]
        label = _label(line)
        key = normalize(label[0]).lower() if label else ""
        if normalize(line).lower().rstrip(":： ") in FURTHER_LABELS or key in FURTHER_LABELS:
            further = True
            # The headline may follow the label on its line, or be the next line.
            stories.append(Story(_drop_marker(label[1]) if key in FURTHER_LABELS else "", number))
        elif key in DATE_LABELS and label[1]:
            story.when = parse_date(label[1], timezone)
            if story.when is None:
                problems.append(Diagnostic(path, f"cannot read the date {_shown(label[1])!r}", number,
                                           "write it like 15 سبتمبر 2023, 15th, September 2023 or 2023-09-15"))
        elif key in SOURCE_LABELS and label[1]:
            story.source = label[1]
        elif further and not story.title:
            story.title, story.line = _drop_marker(line), number
        elif further and story.paragraphs and _looks_like_headline(line):
            stories.append(Story(_drop_marker(line), number))
        else:
            story.paragraphs.append(line)
    if not stories:
        raise BuildError([Diagnostic(path, "is empty", 1, "paste the article's text: headline, date line, paragraphs")])
    main = stories[0]
    if main.when is None and not problems:
        problems.append(Diagnostic(path, "no publication date line", main.line + 1,
                                   "add a line such as تاريخ النشر: 15 سبتمبر 2023 under the headline"))
    for story in stories:
        if not story.title:
            problems.append(Diagnostic(path, "'اقرأ أيضاً' is not followed by a headline", story.line,
                                       "put each further story's headline on its own line"))
        elif not story.paragraphs:
            problems.append(Diagnostic(path, f"the story {_shown(story.title)!r} has no text", story.line,
                                       "paste its paragraphs under the headline"))
    if problems:
        raise BuildError(problems)
    for story in stories[1:]:
        story.when = story.when or main.when
        story.source = story.source or main.source
    return stories


def _looks_like_headline(line: str) -> bool:
    return not line.endswith(_SENTENCE_END) and len(line.split()) <= HEADLINE_MAX_WORDS


def pasted_drafts(config: SiteConfig, text: str, path: str, lang: str) -> list[Draft]:
    """One draft per story, with free slugs; the first pins the others as related."""
    taken: set = set()
    drafts = [free_slug(config, Draft(s.title, s.when, lang, slug_for(s.title), "\n\n".join(s.paragraphs),
                                      source_name=s.source), taken)
              for s in parse_pasted(text, path, config.timezone)]
    drafts[0] = replace(drafts[0], related=tuple(d.slug for d in drafts[1:]))
    return drafts
