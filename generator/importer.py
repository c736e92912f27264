"""`import`: a news page copied from the browser as plain text becomes draft articles.

A pasted page is read by evidence, not by one rule per line. Each line is first given a kind
from what it says (a date line, a source, a byline, a "read also" marker, share buttons…);
what is left is text. A headline is a short text line without closing punctuation that is
followed by body text; a line that only looks like one (a last paragraph without its full
stop) stays a paragraph. Where the reader guesses, it says so in a warning naming the line,
and the drafts are written anyway; it refuses only a page in which it finds no story.

    قسم أخبار                              ← a section name above the headline: dropped
    headline | صور                         ← the main story's title; the "| صور" marker is dropped
    subtitle without a full stop           ← the summary
    كتب: name            الجمعة، 02 فبراير 2024 10:15 ص        آخر تحديث: …        المصدر: outlet
    paragraphs…
    شارك  طباعة  تابعنا على …              ← page furniture: dropped
    اقرأ أيضاً / شاهد أيضا / أخبار ذات صلة  ← further stories follow, each pinned in the main one's `related:`
    a headline alone                       ← a link with no text: dropped
    headline, its own date or source, paragraphs…
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from .config import SiteConfig
from .dateline import read_date
from .errors import BuildError, Diagnostic, shown
from .scaffold import Draft, Known, free_slug, path_for, slug_for
from .text import MARKS, normalize


def _folded(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalize(w).lower() for w in words)


# Labels, spelled as editors meet them; compared after normalize() (أ/إ/آ, ة/ه and diacritics fold).
PUBLISHED = _folded(("تاريخ النشر", "نشر في", "نشر بتاريخ", "تم النشر", "نشر", "التاريخ", "تاريخ",
                     "published on", "published", "posted on", "posted", "date"))
UPDATED = _folded(("آخر تحديث", "اخر تحديث", "تم التحديث", "تاريخ التحديث", "محدث", "تحديث",
                   "last updated", "updated on", "updated", "last update", "modified"))
SOURCE = _folded(("المصدر", "مصدر", "المصادر", "نقلاً عن", "source", "sources"))
# A post forwarded into a channel names the channel it came from: the story's source (no separator follows).
FORWARDED = _folded(("forwarded from", "تمت إعادة التوجيه من", "تمت إعادة توجيهه من", "معاد توجيهه من",
                     "تم التوجيه من", "محول من"))
BYLINE_WORDS = _folded(("بقلم", "written by", "reporting by", "by"))  # need no separator before the name
BYLINE = _folded(("كتب", "كتبت", "تحرير", "إعداد", "تقرير")) + BYLINE_WORDS
TAGS = _folded(("الوسوم", "وسوم", "الكلمات المفتاحية", "كلمات مفتاحية", "كلمات دالة", "tags", "topics",
                "suggested topics"))
TAG_MAX_WORDS = 3  # a tag on a line of its own, under a tags label with nothing after it
ADDRESS = _folded(("رابط الخبر", "رابط المقال", "الرابط", "رابط", "link", "url"))
FURTHER = _folded((
    "اقرأ أيضاً", "إقرأ أيضاً", "اقرأ أيضا", "اقرأ كذلك", "اقرأ المزيد", "طالع أيضاً", "شاهد أيضاً", "شاهد كذلك",
    "مواضيع ذات صلة", "موضوعات ذات صلة", "موضوعات متعلقة", "أخبار ذات صلة", "أخبار متعلقة", "ذات صلة",
    "المزيد من الأخبار", "قد يهمك أيضاً", "قد يهمك", "read also", "read more", "see also", "related stories",
    "related articles", "related", "more news", "more on this story", "you may also like", "قصص مقترحة",
    "قصص ذات صلة", "المزيد حول هذه القصة", "موضوعات مقترحة"))
# Photo and video markers and captions: the picture itself is not in the pasted text.
MEDIA = _folded(("صور", "صورة", "بالصور", "فيديو", "بالفيديو", "شاهد", "شاهد الفيديو", "صورة أرشيفية",
                 "صورة من الأرشيف", "أرشيفية", "photo", "photos", "video", "watch", "gallery", "file photo"))
URGENT = tuple(sorted(_folded(("خبر عاجل", "عاجل", "عاجل جدا", "breaking news", "breaking", "urgent")), key=len,
                     reverse=True))  # the longest first: "عاجل جدا |" before "عاجل"
MEDIA_LABELS = _folded(("الصورة", "صورة", "مصدر الصورة", "حقوق الصورة", "التعليق على الصورة", "شرح الصورة", "تصوير",
                        "photo", "image", "credit", "photo credit", "picture", "image source", "image caption",
                        "caption"))
FURNITURE = _folded((
    "شارك", "شارك الخبر", "شارك المقال", "مشاركة", "طباعة", "اطبع", "حفظ", "نسخ الرابط", "تم نسخ الرابط", "أرسل",
    "إرسال", "تكبير الخط", "تصغير الخط", "حجم الخط", "أ أ", "a a", "a+ a-", "share", "print", "save", "copy link",
    "email", "related topics", "comments", "تعليقات", "التعليقات", "أضف تعليق", "إعلان", "advertisement", "الأكثر قراءة",
    "facebook", "twitter", "whatsapp", "telegram", "linkedin", "x", "فيسبوك", "فيس بوك", "تويتر", "واتساب",
    "تلغرام", "تيليجرام", "انستغرام", "يوتيوب", "messenger", "pinterest", "reddit",
    # What WhatsApp shows above a forwarded message, copied with it.
    "منقول", "تم التوجيه", "تمت إعادة التوجيه", "تمت إعادة التوجيه عدة مرات", "رسالة محولة", "forwarded",
    "forwarded many times",
    # A social network's buttons and labels under a post.
    "أعجبني", "like", "تعليق", "comment", "send", "عرض المزيد", "see more", "عرض الترجمة", "see translation",
    "كل التفاعلات", "all reactions", "الأكثر صلة", "most relevant", "كتابة تعليق", "write a comment",
    "مشاهدة", "مشاهدات", "views", "ترجمة المنشور", "translate post", "show more", "إظهار المزيد", "show translation",
    "إعادة نشر", "repost", "اقتباس", "quote", "رد", "reply"))
_CLOCK_ALONE = re.compile(r"^\d{1,2}:\d{2}$")
# Who posted it, on X: a line of the handle alone.
_HANDLE = re.compile(r"^@\w+$")
# And its counts: "١٫٢ ألف", "٣٤٠ تعليقًا", "89 shares" (compared folded).
_COUNTS = re.compile(r"^[\d.,٫٬]+\s*(?:الف|k|m|مليون)?\s*(?:تعليق|تعليقا|تعليقات|مشاركه|مشاركات|مشاهده|مشاهدات"
                     r"|comments?|shares?|views?|reactions?|likes?)?$")
FURNITURE_OPENINGS = _folded(("تخطى إلى المحتوى", "تخطي إلى المحتوى", "انتقل إلى المحتوى", "skip to content",
                              "skip to main content", "our standards", "(إعداد", "(تحرير", "(reporting by", "(editing by", "تابعنا على", "تابعونا على", "تابعوا", "follow us", "اشترك في", "اشترك الآن",
                              "subscribe", "حمل تطبيق", "حمّل تطبيق", "download our app", "عدد المشاهدات",
                              "عدد القراءات", "sign up",
                              # A page's copyright line, under the story: no headline of a story of its own.
                              "جميع الحقوق محفوظة", "كل الحقوق محفوظة", "جميع حقوق النشر", "حقوق النشر محفوظة", "©",
                              "copyright ©", "copyright (c)", "all rights reserved"))
BREADCRUMB_OPENINGS = _folded(("الرئيسية", "home"))
# A channel's call to join it, under a forwarded post: furniture only with the channel named, as these words
# open sentences of news too ("للاشتراك في برنامج الدعم…").
PROMO_OPENINGS = _folded(("للاشتراك", "لاشتراك", "انضم إلى", "انضموا إلى", "انضم الى", "انضموا الى", "join our",
                          "join us"))
CHANNELS = _folded(("http", "t.me", "واتساب", "واتس اب", "تلغرام", "تيليغرام", "تيليجرام", "تلجرام", "قناتنا",
                    "قناة", "whatsapp", "telegram", "channel"))
# Words that go on with a story, never open one: a paragraph starting so follows the one above it.
CONTINUING = _folded((
    "وأضاف", "وأضافت", "وقال", "وقالت", "وأوضح", "وأوضحت", "وتابع", "وتابعت", "وأشار", "وأشارت", "وأكد", "وأكدت",
    "ولفت", "ولفتت", "وبين", "وبينت", "وذكر", "وذكرت", "وكان", "وكانت", "ويذكر", "يذكر", "كما", "وأردف", "واختتم",
    "وختم", "وشدد", "وشددت", "ونوه", "وأفاد", "وأفادت", "وأعرب", "وأعربت", "وفي", "ومن", "وأمس", "وبحسب", "وحسب"))
# Wire agencies, as a line of their own above or under a story: its source.
AGENCIES = _folded(("أ ف ب", "ا ف ب", "رويترز", "أ ب", "د ب أ", "أ ش أ", "وام", "واس", "سانا", "قنا", "كونا", "بنا",
                    "العمانية", "الأناضول", "وكالات", "AFP", "Reuters", "AP", "WAM", "SPA", "Anadolu"))
_SEPARATORS = ":：-–—|.…،"  # the Arabic comma too: "مصدر الصورة، …"
_SENTENCE_END = tuple(".!?؟…:»\"”)")
HEADLINE_MAX_WORDS = 20
SECTION_MAX_WORDS = 2  # a line this short above the headline is a section name
DECK_MIN_WORDS = 5  # a subtitle is a phrase; a shorter line under the headline is a name or a place
TITLE_FROM_TEXT_WORDS = 12
DATE_LINE_MAX_EXTRA = 2  # words besides the date a date line may hold (a city, "بتوقيت")
LONGEST_READ = 200  # characters: longer lines are text, whatever they start with


@dataclass
class Story:
    """One story of a page, as read; `line` is its headline's line."""

    title: str
    line: int
    when: date | datetime | None = None
    updated: date | datetime | None = None
    source: str = ""
    url: str = ""
    author: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    paragraphs: list[str] = field(default_factory=list)
    dated: bool = True  # False: no date line was found, and `when` is today


@dataclass(frozen=True)
class Reading:
    stories: tuple[Story, ...]  # the main story first
    warnings: tuple[Diagnostic, ...]  # one per guess, naming its line


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    kind: str  # text, further, date, updated, source, agency, url, author, tags, tags-label, bad-date, dropped, clock
    value: object = ""  # the date, the name, the tags, a further marker's headline


# The Story field each kind of line fills.
_FIELD = {"date": "when", "updated": "updated", "source": "source", "agency": "source", "url": "url",
          "author": "author", "tags": "tags"}


# Emoji and symbols a post from Telegram, WhatsApp or X opens its lines with (🔴 عاجل, 📍, 🔗, ✅): decoration, never a
# word of the story. Not the bullets and squares (• ▪ ●) that open a list's items (markup.py reads them).
_DECORATION = re.compile("^(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF\uFE0F\u200D\u20E3] ?)+")
_HASHTAG = re.compile(r"#[^\s#]+")
# Invisible marks a social network wraps a line in (‏٣ س ·‏): at a line's ends they only hide what it says.
_DIRECTION_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def read_pasted(text: str, path: str, timezone_name: str, now: datetime | None = None) -> Reading:
    """The stories of a pasted page, and what was guessed; BuildError only when there is no story."""
    now = now or datetime.now(timezone.utc)
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate cannot be written to a file
    lines = [line for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1)
             if (line := _classify(number, _as_shown(raw), timezone_name, now))]
    reader = _Reader(path, _tags_below(_poster(_time_at_end(lines, timezone_name, now))))
    stories = reader.stories()
    if not stories:
        raise BuildError([Diagnostic(path, "no story found" if lines else "is empty", 1,
                                     "paste the article's text: headline, date line, paragraphs")])
    main = stories[0]
    if not main.paragraphs:
        raise BuildError([Diagnostic(path, f"the story {shown(main.title)} has no text", main.line,
                                     "paste its paragraphs under the headline")])
    for story in stories:
        if story.when is None:
            story.when, story.dated = now.astimezone(ZoneInfo(timezone_name)).date(), False
            reader.warn(story.line, f"no date line for {shown(story.title)}; dated today",
                        "check the date in the draft")
    return Reading(tuple(stories), tuple(reader.warnings))


def _time_at_end(lines: list[_Line], timezone_name: str, now: datetime) -> list[_Line]:
    """`lines` with a time alone ("10:42") read as the date when it is the page's last line, as a channel's post
    of today ends; elsewhere (the entries of a live page) a time alone is text."""
    shown_lines = [i for i, line in enumerate(lines) if line.kind != "dropped"]
    last = shown_lines[-1] if shown_lines else None
    result = []
    for i, line in enumerate(lines):
        dated = read_date(line.text, timezone_name, now) if line.kind == "clock" and i == last else None
        kind = "date" if dated else "text" if line.kind == "clock" else line.kind
        result.append(replace(line, kind=kind, value=dated or "") if line.kind == "clock" else line)
    return result


def _counted_back(line: _Line) -> bool:
    return line.kind in ("date", "updated") and line.value.relative


def _poster(lines: list[_Line]) -> list[_Line]:
    """`lines` with the name a social network's post opens with, above its time ("شبكة أخبار المدينة", "٣ س ·")
    or above the channel it was forwarded from, taken as the source (a weaker one than a source line): who
    posted it, not the headline."""
    shown_lines = [i for i, line in enumerate(lines) if line.kind != "dropped"]  # past a handle ("@…") and a "·"
    if len(shown_lines) > 1:
        name, under = lines[shown_lines[0]], lines[shown_lines[1]]
        posted = under.kind == "date" and under.value.posted
        forwarded = under.kind == "source" and normalize(under.text).lower().startswith(FORWARDED)
        if name.kind == "text" and (posted or forwarded) and _headline_like(name.text):
            return [_Line(name.number, name.text, "agency", name.text) if line is name else line for line in lines]
    return lines


def _tags_below(lines: list[_Line]) -> list[_Line]:
    """`lines` with the short lines under a tags label that holds none ("الوسوم:", "Suggested Topics:") taken as
    its tags, as a page lists them, one a line."""
    result: list[_Line] = []
    for line in lines:
        last = result[-1] if result else None
        if (last is not None and last.kind == "tags-label" and line.kind == "text"
                and len(line.text.split()) <= TAG_MAX_WORDS and not line.text.endswith(_SENTENCE_END)):
            result[-1] = _Line(last.number, last.text, "tags-label", (*last.value, line.text))
        else:
            result.append(line)
    return [_Line(line.number, line.text, "tags", list(line.value)) if line.kind == "tags-label" else line
            for line in result if line.kind != "tags-label" or line.value]


def _classify(number: int, line: str, timezone_name: str, now: datetime) -> _Line | None:
    if not line:
        return None
    if len(line) > LONGEST_READ:
        return _Line(number, line, "text")
    folded = normalize(line).lower()
    bare = folded.strip(_SEPARATORS + " ")
    if bare in FURTHER:
        return _Line(number, line, "further")
    if folded.strip("() ") in AGENCIES:
        return _Line(number, line, "agency", line.strip("() "))
    label, value, separated = _split_label(line, folded)
    if label in FURTHER and separated and value:
        return _Line(number, line, "further", _drop_marker(value))
    if bare in MEDIA or bare in FURNITURE or _is_furniture(folded, bare) or (label in MEDIA_LABELS and separated) \
            or _COUNTS.match(bare) or _HANDLE.match(line) or not any(char.isalnum() for char in line):
        return _Line(number, line, "dropped")
    if _CLOCK_ALONE.match(line):  # a channel post's time, or a live page's entry: _time_at_end decides
        return _Line(number, line, "clock")
    forwarded = next((f for f in FORWARDED if folded.startswith(f + " ")), None)
    if forwarded:
        return _Line(number, line, "source", line[_end_of(line, len(forwarded)):].strip())
    if label in PUBLISHED or label in UPDATED or not label:
        dated = read_date(value if label else line, timezone_name, now)
        if dated and dated.extra <= DATE_LINE_MAX_EXTRA:
            return _Line(number, line, "updated" if label in UPDATED else "date", dated)
        if label and value and separated:
            return _Line(number, line, "bad-date", value)
    if separated and value:
        if label in SOURCE:
            place, _, outlet = value.rpartition(" - ")  # "أبوظبي - وام": the outlet, not its city
            return _Line(number, line, "source", outlet if 0 < len(place.split()) <= 2 and outlet else value)
        if label in ADDRESS and value.startswith(("http://", "https://")) and " " not in value:
            return _Line(number, line, "url", value)
        if label in TAGS:
            tags = [t.strip() for t in value.replace("،", ",").replace("|", ",").split(",") if t.strip()]
            return _Line(number, line, "tags", tags)
    if line.startswith("#") and not _HASHTAG.sub("", line).strip():  # "#عاجل #الصحة", as a post ends
        tags = [tag[1:].replace("_", " ") for tag in _HASHTAG.findall(line) if normalize(tag[1:]).lower() not in URGENT]
        return _Line(number, line, "tags", tags) if tags else _Line(number, line, "dropped")
    if label in TAGS and not value:  # "Suggested Topics:", the tags on the lines under it (_tags_below)
        return _Line(number, line, "tags-label", ())
    value = value.rstrip(":： ")
    if label in BYLINE and _is_name(value) and (separated or label in BYLINE_WORDS):
        return _Line(number, line, "author", value)
    if line.startswith(("http://", "https://")) and " " not in line:
        return _Line(number, line, "url", line)
    return _Line(number, line, "text")


def _split_label(line: str, folded: str) -> tuple[str, str, bool]:
    """(label, value, separated) when the line opens with a known label, else ("", line, False).

    `separated`: a separator (`:` `-` `|` `..`) follows the label, as in "المصدر: وكالات" but not
    in "المصدر الرسمي قال…". Labels are compared in `folded` (normalize(line).lower()), cut from the
    line as written.
    """
    for label in _LABELS:
        if folded.startswith(label) and (len(folded) == len(label) or not folded[len(label)].isalnum()):
            rest = line[_end_of(line, len(label)):]
            value = rest.lstrip(_SEPARATORS + " ")
            separated = rest.strip()[:1] in tuple(_SEPARATORS)
            return label, value.strip(), separated
    return "", line, False


def _end_of(line: str, folded_length: int) -> int:
    """Where in `line` its folded form reaches `folded_length` characters (diacritics fold to nothing)."""
    count = 0
    for i, char in enumerate(line):
        if count >= folded_length and not MARKS.fullmatch(char):
            return i
        count += len(normalize(char).lower())
    return len(line)


_LABELS = sorted({*PUBLISHED, *UPDATED, *SOURCE, *BYLINE, *TAGS, *ADDRESS, *FURTHER, *MEDIA_LABELS},
                 key=len, reverse=True)  # the longest first: "مصدر الصورة" before "مصدر"


def _is_name(value: str) -> bool:
    """A byline's name: a few words, no sentence; in English, capitalised ("By Reuters", not "By the end…")."""
    return (0 < len(value.split()) <= 6 and not value.endswith(_SENTENCE_END)
            and not (value[0].isascii() and value[0].islower()))


def _is_furniture(folded: str, bare: str) -> bool:
    if folded.startswith(FURNITURE_OPENINGS):
        return True
    if folded.startswith(("reporting by", "writing by")) and "editing by" in folded:  # a wire story's credits
        return True
    if bare.startswith(BREADCRUMB_OPENINGS) and any(mark in folded for mark in "»>›/‹<"):
        return True
    if bare.startswith(PROMO_OPENINGS) and any(channel in folded for channel in CHANNELS):
        return True
    words = [w for w in bare.replace("|", " ").split() if w]
    return len(words) > 1 and all(w in FURNITURE for w in words)  # "فيسبوك تويتر واتساب"


def _as_shown(raw: str) -> str:
    """A pasted line as a reader saw it: its spacing one space, without the direction marks around it and the
    emoji it opens with, and without the marks WhatsApp shows as bold, italic or struck when they wrap the
    whole line (`*عاجل | …*`, `_المصدر: …_`), as a forwarded message sets its headline and source."""
    line = _DECORATION.sub("", " ".join(raw.split()).strip(_DIRECTION_MARKS).strip())
    if len(line) > 2 and line[0] == line[-1] and line[0] in "*_~" and line[0] not in line[1:-1]:
        line = _DECORATION.sub("", line[1:-1].strip())
    return line


def headline_alone(line: str) -> str:
    """A headline as a digest keeps it: without the emoji it opens with, a leading "عاجل |" or a trailing "| صور"
    (`import-feed` reads a feed's titles so: a channel's feed opens them as its posts open)."""
    return _drop_marker(_as_shown(line))


def _drop_marker(line: str) -> str:
    """A headline without its trailing "| صور" or "| فيديو", and without a leading "عاجل |" or "Breaking:", which
    an outlet shows while a story is new and a digest's headline outlives."""
    hashed = line[1:] if line.startswith("#") else line  # "#عاجل |", as a post on X opens
    folded = normalize(hashed).lower()
    for label in URGENT:
        if folded.startswith(label) and len(folded) > len(label) and not folded[len(label)].isalnum():
            rest = hashed[_end_of(hashed, len(label)):]
            if rest.strip()[:1] in tuple(_SEPARATORS) and rest.lstrip(_SEPARATORS + " ").strip():
                line = rest.lstrip(_SEPARATORS + " ")
            break
    bar = max(line.rfind("|"), line.rfind("｜"))
    return line[:bar].rstrip() if bar >= 0 and 1 <= len(line[bar + 1:].strip()) <= 20 else line


def _headline_at(lines: list[_Line], leading: list[int]) -> int | None:
    """Which of the headline-like lines above the text is the headline: the first that is not a section name
    and has none under it. A line with section names under it is the page's own heading (a tagline such as
    "Exclusive news, data and analytics…" above "World" and "Africa"). Failing that, the first line that is not
    a section name; failing that, the last."""
    candidates = [i for i in leading if not _above_headline(lines[i].text)]
    for at, following in zip(candidates, candidates[1:] + [None]):
        between = [i for i in leading if at < i and (following is None or i < following)]
        if not any(_above_headline(lines[i].text) for i in between):
            return at
    return candidates[0] if candidates else (leading[-1] if leading else None)


def _headline_like(text: str) -> bool:
    return not text.endswith(_SENTENCE_END) and len(text.split()) <= HEADLINE_MAX_WORDS


def _above_headline(text: str) -> bool:
    """A section name (a word or two) or a dateline ("أبوظبي - سكاي نيوز عربية"), seen above headlines."""
    place, _, outlet = text.rpartition(" - ")
    return len(text.split()) <= SECTION_MAX_WORDS or (0 < len(place.split()) <= 2 and 0 < len(outlet.split()) <= 3)


def _is_deck(text: str) -> bool:
    """A subtitle under the headline: headline-like, but a phrase, not a name or a place."""
    return _headline_like(text) and len(text.split()) >= DECK_MIN_WORDS


def _first_words(text: str) -> str:
    """A title from the text's opening: its first words, up to the last comma or full stop among them that
    leaves a few, so the title ends where a phrase does ("… منذ ثلاثة أسابيع"), not inside one ("… وفق ما")."""
    words = text.split()[:TITLE_FROM_TEXT_WORDS + 1]
    ends = [i for i, word in enumerate(words[:-1]) if word.endswith(("،", ",", ".", "؛", ":")) and i >= 3]
    cut = ends[-1] + 1 if ends else TITLE_FROM_TEXT_WORDS
    return " ".join(words[:cut]).rstrip("،,.:؛")


def _joined(lines: list[_Line]) -> list[str]:
    """Paragraphs; a dateline cut off on its own line ("بغداد -") joins the paragraph after it."""
    paragraphs: list[str] = []
    carried = ""
    for line in lines:
        if line.text.endswith(("-", "–", "—")) and len(line.text.split()) <= 4:
            carried += line.text + " "
        else:
            paragraphs.append(carried + line.text)
            carried = ""
    return paragraphs + ([carried.strip()] if carried else [])


class _Reader:
    """Puts classified lines together into stories, noting every guess."""

    def __init__(self, path: str, lines: list[_Line]):
        self.path, self.lines = path, lines
        self.warnings: list[Diagnostic] = []
        self.dropped: list[_Line] = [line for line in lines if line.kind == "dropped"]

    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.warnings.append(Diagnostic(self.path, message, line, hint, "warning"))

    def stories(self) -> list[Story]:
        first_further = next((i for i, line in enumerate(self.lines) if line.kind == "further"), len(self.lines))
        main = self._main(self.lines[:first_further])
        if main is None:
            return []
        stories = [main] + self._further(self.lines[first_further:], main)
        if self.dropped:
            numbers = ", ".join(str(line.number) for line in self.dropped[:12])
            more = "…" if len(self.dropped) > 12 else ""
            self.warn(self.dropped[0].number, f"dropped {len(self.dropped)} line{'s' * (len(self.dropped) != 1)} "
                      f"of page furniture (share buttons, photo and video markers, captions): {numbers}{more}",
                      "check that no sentence of the story was among them")
        self.warnings.sort(key=lambda d: d.line or 0)
        return stories

    def _main(self, lines: list[_Line]) -> Story | None:
        texts = [i for i, line in enumerate(lines) if line.kind == "text"]
        if not texts:
            self._fields(None, lines)
            return None
        fields = [line for line in lines if line.kind != "text"]
        # Above the headline: short lines of a section name ("أخبار مصر") or a dateline ("أبوظبي - سكاي نيوز").
        first_body = next((i for i in texts if not _headline_like(lines[i].text)), len(lines))
        leading = [i for i in texts if i < first_body]
        title_at = _headline_at(lines, leading)
        for at in leading:
            if at == title_at:
                break
            line = lines[at]
            place, _, outlet = line.text.rpartition(" - ")
            if place and outlet:
                fields.append(_Line(line.number, line.text, "agency", outlet))
                self.warn(line.number, f"took {shown(outlet)} above the headline as the source", "check the source")
            else:
                self.warn(line.number, f"dropped {shown(line.text)} above the headline (a section name?)")
        if title_at is None:  # no line reads like a headline: the first sentence stands in, and stays in the text
            paragraph = lines[texts[0]]
            main = Story(_first_words(_drop_marker(paragraph.text)), paragraph.number)
            self.warn(paragraph.number, "no line reads like a headline; the first words of the text are the title",
                      "write the title in the draft")
            rest = [lines[i] for i in texts]
        else:
            main = Story(_drop_marker(lines[title_at].text), lines[title_at].number)
            rest = [lines[i] for i in texts if i > title_at]
        if len(rest) > 1 and _is_deck(rest[0].text) and not _headline_like(rest[1].text):
            deck = rest.pop(0)
            main.summary = deck.text
            self.warn(deck.number, f"took {shown(deck.text)} as the summary (a subtitle under the headline)")
        main.paragraphs = _joined(rest)
        self._fields(main, fields)
        return main

    def _further(self, lines: list[_Line], main: Story) -> list[Story]:
        stories: list[Story] = []
        current: Story | None = None  # the further story being read; None right after a marker
        pending: list[_Line] = []  # fields seen before the next headline
        gave_back = False  # text after this marker went back to the main story
        expanded: list[_Line] = []
        for line in lines:
            expanded.append(line)
            if line.kind == "further" and line.value:  # "اقرأ أيضاً: headline" carries its headline
                expanded.append(_Line(line.number, str(line.value), "text"))
        starts = {i for i, line in enumerate(expanded) if line.kind == "text" and self._starts_story(expanded, i)}
        last_start = max(starts, default=-1)
        for i, line in enumerate(expanded):
            if line.kind == "further":
                current, gave_back = None, False
            elif line.kind == "text" and i in starts:
                current = Story(_drop_marker(line.text), line.number)
                stories.append(current)
                self._fields(current, pending)
                pending = []
            elif line.kind == "text" and current is not None:
                current.paragraphs.append(line.text)
            elif line.kind == "text" and _headline_like(line.text):
                self.warn(line.number, f"the headline {shown(line.text)} has no text under it; not imported",
                          "import its own page to pin it")
            elif line.kind == "text":
                # A link inside the text ("اقرأ أيضاً: …" between two paragraphs): the story goes on.
                if not gave_back:
                    self.warn(line.number, f"the text goes on after a 'read also' link; kept in {shown(main.title)}",
                              "check the end of that story")
                main.paragraphs.append(line.text)
                gave_back = True
            elif line.kind in _FIELD or line.kind == "bad-date":
                if current is None:
                    pending.append(line)
                elif current.paragraphs and i > last_start and not getattr(main, _FIELD.get(line.kind, "when")):
                    # After the last further story's text, at the end of the page: the page's own line.
                    self._fields(main, [line])
                    self.warn(line.number, f"took {shown(line.text)} for {shown(main.title)}, "
                              "as it follows the last 'read also' story", "check both drafts")
                else:
                    self._fields(current, [line])
        self._fields(main, pending)
        return stories

    @staticmethod
    def _starts_story(lines: list[_Line], i: int) -> bool:
        """A headline: headline-like, and the next text line (past dates, sources, bylines) is body text
        that opens a story: "وأضاف …" ("and he added") goes on with one, so the line above is a link."""
        if not _headline_like(lines[i].text):
            return False
        for line in lines[i + 1:]:
            if line.kind == "further":
                return False
            if line.kind == "text":
                return not _headline_like(line.text) and normalize(line.text.split()[0]) not in CONTINUING
        return False

    def _fields(self, story: Story | None, lines: list[_Line]) -> None:
        """Give `story` the dates, source, byline, address and tags of `lines`; a second one is a warning.

        A labelled source ("المصدر: …") outweighs an agency's name on a line of its own.
        """
        # A source given as such before an agency's name; an exact date before one counted back from now.
        for line in sorted(lines, key=lambda line: (line.kind == "agency", _counted_back(line))):
            if line.kind == "bad-date":
                self.warn(line.number, f"cannot read the date {shown(line.value)}; the line is dropped",
                          "write it like 15 سبتمبر 2023, 15/09/2023 or 2023-09-15")
                continue
            name = _FIELD.get(line.kind)
            if name is None:
                continue
            value = line.value.when if line.kind in ("date", "updated") else line.value
            if story is None:
                continue
            if line.kind in ("date", "updated") and line.value.relative:
                if getattr(story, name):
                    continue  # an exact date was there too: "2h" above a post on X, its moment under it
                self.warn(line.number, f"{shown(line.text)} is counted back from now", "check the date in the draft")
            if getattr(story, name) and line.kind == "agency":
                continue
            if getattr(story, name):
                self.warn(line.number, f"a second {_WORDING[line.kind]} for {shown(story.title)}; kept the first",
                          "check the draft")
                continue
            setattr(story, name, value)


_WORDING = {"date": "date line", "updated": "update line", "source": "source line", "url": "web address",
            "author": "byline", "tags": "tags line"}


@dataclass(frozen=True)
class Imported:
    drafts: tuple[Draft, ...]
    warnings: tuple[Diagnostic, ...]
    skipped: tuple[str, ...]  # one line per story already in content/


def import_pages(config: SiteConfig, pages: list[tuple[str, str]], lang: str,
                 now: datetime | None = None) -> Imported:
    """Drafts for the stories of every (name, text) page, all or none: BuildError lists every refused page.

    A story already in content/ (the same title and day, or the same source address) is skipped,
    and a further story found there is pinned by its existing slug.
    """
    readings, errors = [], []
    for name, text in pages:
        try:
            readings.append((name, read_pasted(text, name, config.timezone, now)))
        except BuildError as error:
            errors.extend(error.diagnostics)
    if errors:
        raise BuildError(errors)
    known, taken = Known.of(config), set()
    drafts: list[Draft] = []
    warnings: list[Diagnostic] = []
    skipped: list[str] = []
    for name, reading in readings:
        warnings.extend(reading.warnings)
        main_index, main_is_new, slugs = len(drafts), False, []
        for position, story in enumerate(reading.stories):
            existing = known.find(lang, story.title, story.when if story.dated else None, story.url)
            if existing:
                skipped.append(f"{name}:{story.line}: {shown(story.title)} is already in {existing.path}; skipped")
                slugs.append(existing.slug)
                continue
            draft = free_slug(config, Draft(
                story.title, story.when, lang, slug_for(story.title), "\n\n".join(story.paragraphs),
                tags=tuple(story.tags), source_name=story.source, source_url=story.url, summary=story.summary,
                author=story.author, updated=story.updated), taken)
            known.add(draft, path_for(config, draft).relative_to(config.root).as_posix())
            drafts.append(draft)
            slugs.append(draft.slug)
            main_is_new = main_is_new or position == 0
        if main_is_new and len(slugs) > 1:
            drafts[main_index] = replace(drafts[main_index], related=tuple(slugs[1:]))
    return Imported(tuple(drafts), tuple(warnings), tuple(skipped))
