"""Each line of a pasted page as a reader saw it, given a kind: a date, a source, a byline, a "read also"
marker, furniture (share buttons, a channel's call to join, a post's counts), or text.

The words are the outlets' own, in Arabic and English (`المصدر:`, `اقرأ أيضاً`, `شارك`, `Reporting by`), and
the shapes are those of news pages and of posts copied from WhatsApp, Telegram, Facebook and X: the emoji and
marks around a line, who posted it and when (`٣ س ·`), a time alone at the end. importer.py puts the lines
together into stories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from .dateline import read_date, read_day_without_year
from .text import MARKS, normalize

def _folded(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalize(w).lower() for w in words)


# Labels, spelled as editors meet them; compared after normalize() (أ/إ/آ, ة/ه and diacritics fold).
PUBLISHED = _folded(("تاريخ النشر", "نشر في", "نشر بتاريخ", "تم النشر", "نشر", "التاريخ", "تاريخ",
                     "published on", "published", "posted on", "posted", "date"))
UPDATED = _folded(("آخر تحديث", "اخر تحديث", "تم التحديث", "تاريخ التحديث", "محدث", "تحديث", "آخر تعديل",
                   "تاريخ التعديل", "تم التعديل", "last updated", "updated on", "updated", "last update",
                   "last modified on", "last modified", "modified on", "modified"))
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
                              # A press release's label above its headline.
                              "للنشر الفوري", "للنشر فورا", "for immediate release", "skip to main content", "our standards", "(إعداد", "(تحرير", "(reporting by", "(editing by", "تابعنا على", "تابعونا على", "تابعوا", "follow us", "اشترك في", "اشترك الآن",
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
# What ends an agency's story or a press release ("-انتهى-", "//انتهى//", "(النهاية)", "- Ends -", "-30-", "###"):
# the lines under it are the desk's codes ("ع ب / ه ح", "14:30ت م"), not text. Compared folded.
_END = re.compile(r"[\s\-–—/(#*]*(?:انتهي|النهايه|ends?|-\s*30\s*-|###)[\s\-–—/)#*]*")
_ENDS_PARAGRAPH = re.compile(r"\s*(?:\((?:انتهى|النهاية)\)|[-–—/]+\s*(?:انتهى|النهاية)\s*[-–—/]+)$")  # as written
CODES_MAX_WORDS = 6  # a line under the end: initials, a time, the desk's names
# The names of who wrote and edited a story, after the agency's, as WAM ends its stories ("وام/أحمد علي/سارة حسن").
_DESK = re.compile(r"^([^/]{2,20}?)\s*/\s*[^/]{2,30}(?:\s*/\s*[^/]{2,30})+$")

# Wire agencies, as a line of their own above or under a story, or in its dateline: its source.
AGENCIES = _folded(("أ ف ب", "ا ف ب", "رويترز", "أ ب", "د ب أ", "أ ش أ", "وام", "واس", "سانا", "قنا", "كونا", "بنا",
                    "العمانية", "الأناضول", "وكالات", "بترا", "وفا", "واع", "سبأ", "شينخوا", "تاس", "إرنا",
                    "AFP", "Reuters", "AP", "WAM", "SPA", "Anadolu", "KUNA", "QNA", "BNA", "ONA", "MENA", "SANA",
                    "Petra", "WAFA", "Xinhua", "TASS", "IRNA", "dpa", "EFE", "ANSA", "UPI"))
_SEPARATORS = ":：-–—|.…،"  # the Arabic comma too: "مصدر الصورة، …"
_SENTENCE_END = tuple(".!?؟…:»\"”)")
HEADLINE_MAX_WORDS = 20
DATE_LINE_MAX_EXTRA = 2  # words besides the date a date line may hold (a city, "بتوقيت")
LONGEST_READ = 200  # characters: longer lines are text, whatever they start with
DATELINE_LONGEST = 100  # characters: a wire story's dateline ends within these of its paragraph's start
PLACE_MAX_WORDS = 3  # a dateline's place: "DUBAI", "أبوظبي", "ABU DHABI"
# What ends a wire story's dateline: its agency in brackets or between slashes, then a dash ("(Reuters) - ",
# "/ وام / "), or else a dash after a known agency's name ("Riyadh, March 15, 2025, SPA -- ").
_DATELINE_END = re.compile(r"\(([^()\d]{2,30})\)\s*(?:[-–—]{1,2}|:)|/\s*([^/\d]{2,20}?)\s*/")
_DASH = re.compile(r"\s[-–—]{1,2}\s")


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    kind: str  # text, further, date, updated, source, agency, url, author, tags, tags-label, bad-date, dropped, clock,
    # dateline (the date of a wire story's dateline: weaker than a date line)
    value: object = ""  # the date, the name, the tags, a further marker's headline


# Emoji and symbols a post from Telegram, WhatsApp or X opens its lines with (🔴 عاجل, 📍, 🔗, ✅): decoration, never a
# word of the story. Not the bullets and squares (• ▪ ●) that open a list's items (markup.py reads them).
_DECORATION = re.compile("^(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF\uFE0F\u200D\u20E3] ?)+")
_HASHTAG = re.compile(r"#[^\s#]+")
# Invisible marks a social network wraps a line in (‏٣ س ·‏): at a line's ends they only hide what it says.
_DIRECTION_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _shown(lines: list[Line]) -> list[int]:
    """Where the lines that were not dropped are: past a handle ("@…"), a "·", a post's counts."""
    return [i for i, line in enumerate(lines) if line.kind != "dropped"]


def _time_at_end(lines: list[Line], timezone_name: str, now: datetime) -> list[Line]:
    """`lines` with a time alone ("10:42") read as the date when it is the page's last line, as a channel's post
    of today ends; elsewhere (the entries of a live page) a time alone is text."""
    last = (_shown(lines) or [None])[-1]
    result = []
    for i, line in enumerate(lines):
        if line.kind == "clock":
            dated = read_date(line.text, timezone_name, now) if i == last else None
            line = replace(line, kind="date" if dated else "text", value=dated or "")
        result.append(line)
    return result


def counted_back(line: Line) -> bool:
    return line.kind in ("date", "updated") and line.value.relative


def _poster(lines: list[Line]) -> list[Line]:
    """`lines` with the name a social network's post opens with, above its time ("شبكة أخبار المدينة", "٣ س ·")
    or above the channel it was forwarded from, taken as the source (a weaker one than a source line): who
    posted it, not the headline."""
    shown_lines = _shown(lines)
    if len(shown_lines) > 1:
        name, under = lines[shown_lines[0]], lines[shown_lines[1]]
        posted = under.kind == "date" and under.value.posted
        forwarded = under.kind == "source" and normalize(under.text).lower().startswith(FORWARDED)
        if name.kind == "text" and (posted or forwarded) and headline_like(name.text):
            return [Line(name.number, name.text, "agency", name.text) if line is name else line for line in lines]
    return lines


def _tags_below(lines: list[Line]) -> list[Line]:
    """`lines` with the short lines under a tags label that holds none ("الوسوم:", "Suggested Topics:") taken as
    its tags, as a page lists them, one a line."""
    result: list[Line] = []
    for line in lines:
        last = result[-1] if result else None
        if (last is not None and last.kind == "tags-label" and line.kind == "text"
                and len(line.text.split()) <= TAG_MAX_WORDS and not line.text.endswith(_SENTENCE_END)):
            result[-1] = Line(last.number, last.text, "tags-label", (*last.value, line.text))
        else:
            result.append(line)
    return [Line(line.number, line.text, "tags", list(line.value)) if line.kind == "tags-label" else line
            for line in result if line.kind != "tags-label" or line.value]


def _classify(number: int, line: str, timezone_name: str, now: datetime) -> Line | None:
    if not line:
        return None
    if len(line) > LONGEST_READ:
        return Line(number, line, "text")
    folded = normalize(line).lower()
    bare = folded.strip(_SEPARATORS + " ")
    if bare in FURTHER:
        return Line(number, line, "further")
    if folded.strip("() ") in AGENCIES:
        return Line(number, line, "agency", line.strip("() "))
    label, value, separated = _split_label(line, folded)
    if label in FURTHER and separated and value:
        return Line(number, line, "further", drop_marker(value))
    if bare in MEDIA or bare in FURNITURE or _is_furniture(folded, bare) or (label in MEDIA_LABELS and separated) \
            or _COUNTS.match(bare) or _HANDLE.match(line) or not any(char.isalnum() for char in line):
        return Line(number, line, "dropped")
    if _CLOCK_ALONE.match(line):  # a channel post's time, or a live page's entry: _time_at_end decides
        return Line(number, line, "clock")
    forwarded = next((f for f in FORWARDED if folded.startswith(f + " ")), None)
    if forwarded:
        return Line(number, line, "source", line[_end_of(line, len(forwarded)):].strip())
    if label in PUBLISHED or label in UPDATED or not label:
        dated = read_date(value if label else line, timezone_name, now)
        if dated and dated.extra <= DATE_LINE_MAX_EXTRA:
            return Line(number, line, "updated" if label in UPDATED else "date", dated)
        if label and value and separated:
            return Line(number, line, "bad-date", value)
    if separated and value:
        if label in SOURCE:
            place, _, outlet = value.rpartition(" - ")  # "أبوظبي - وام": the outlet, not its city
            return Line(number, line, "source", outlet if 0 < len(place.split()) <= 2 and outlet else value)
        if label in ADDRESS and value.startswith(("http://", "https://")) and " " not in value:
            return Line(number, line, "url", value)
        if label in TAGS:
            tags = [t.strip() for t in value.replace("،", ",").replace("|", ",").split(",") if t.strip()]
            return Line(number, line, "tags", tags)
    if line.startswith("#") and not _HASHTAG.sub("", line).strip():  # "#عاجل #الصحة", as a post ends
        tags = [tag[1:].replace("_", " ") for tag in _HASHTAG.findall(line) if normalize(tag[1:]).lower() not in URGENT]
        return Line(number, line, "tags", tags) if tags else Line(number, line, "dropped")
    if label in TAGS and not value:  # "Suggested Topics:", the tags on the lines under it (_tags_below)
        return Line(number, line, "tags-label", ())
    value = value.rstrip(":： ")
    if label in BYLINE and _is_name(value) and (separated or label in BYLINE_WORDS):
        return Line(number, line, "author", value)
    if line.startswith(("http://", "https://")) and " " not in line:
        return Line(number, line, "url", line)
    return Line(number, line, "text")


def byline_name(byline: str) -> str:
    """The name a byline gives, without the label it was pasted with ("بقلم: أحمد علي", "By John Smith", "كتب -
    أحمد"), which the page writes before it itself; the byline as it is where it opens with no label."""
    label, value, separated = _split_label(byline, normalize(byline).lower())
    name = value.rstrip(":： ")
    return name if label in BYLINE and _is_name(name) and (separated or label in BYLINE_WORDS) else byline


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
    return drop_marker(_as_shown(line))


def drop_marker(line: str) -> str:
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


def headline_like(text: str) -> bool:
    return not text.endswith(_SENTENCE_END) and len(text.split()) <= HEADLINE_MAX_WORDS


def read_lines(text: str, timezone_name: str, now: datetime) -> list[Line]:
    """The lines of a pasted page that say something, each with its kind."""
    lines = [line for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1)
             for line in _lines_of(number, _as_shown(raw), timezone_name, now)]
    return _datelines(_tags_below(_poster(_time_at_end(_after_the_end(lines), timezone_name, now))), timezone_name, now)


def _after_the_end(lines: list[Line]) -> list[Line]:
    """`lines` with an agency's or a press release's end mark dropped (or cut from the paragraph it closes), and the
    desk's codes under it: the short text lines up to the next "read also" marker or paragraph of text. A line of
    the desk's names after the agency's ("وام/أحمد علي/سارة حسن") is dropped wherever it is."""
    result, ended = [], False
    for line in lines:
        # Marks and codes are short: a long line is only searched at its end (a megabyte's line stays linear).
        short = len(line.text) <= LONGEST_READ
        folded = normalize(line.text).lower() if short else ""
        tail = line.text[-20:]
        closing = _ENDS_PARAGRAPH.search(tail) if line.kind == "text" else None
        if line.kind == "further":
            ended = False
        elif line.kind in ("text", "dropped") and short and _END.fullmatch(folded):
            line, ended = replace(line, kind="dropped"), True
        elif closing:
            line, ended = replace(line, text=line.text[:len(line.text) - len(tail) + closing.start()]), True
        elif line.kind == "text" and ended and len(line.text.split()) <= CODES_MAX_WORDS:
            line = replace(line, kind="dropped")
        elif line.kind == "text" and short and (desk := _DESK.match(folded)) and desk[1].strip() in AGENCIES:
            line = replace(line, kind="dropped")
        elif line.kind == "text":
            ended = False
        result.append(line)
    return result


def _lines_of(number: int, shown: str, timezone_name: str, now: datetime) -> list[Line]:
    """What one pasted line says: mostly one kind, but a date line may carry its update ("March 15, 2025 9:05 AM
    Updated 2 hours ago") or the agency that dated it ("الرياض 15 رمضان 1446 هـ … واس"), and a short line may be a
    place and an agency ("أبها - واس", "إسطنبول/ الأناضول")."""
    line = _classify(number, shown, timezone_name, now)
    if line is None:
        return []
    if line.kind in ("date", "text") and len(shown) <= LONGEST_READ:
        apart = _update_apart(number, shown, timezone_name, now)
        if apart:
            return apart
    agency = _agency_at_end(shown)[1] if line.kind == "date" else ""
    if agency:
        return [line, Line(number, shown, "agency", agency)]
    if line.kind == "text" and len(shown.split()) <= PLACE_MAX_WORDS + 3:
        for mark in (" - ", "/"):
            place, _, agency = shown.rpartition(mark)
            if 0 < len(place.split()) <= PLACE_MAX_WORDS and normalize(agency).lower().strip() in AGENCIES:
                return [Line(number, shown, "agency", agency.strip())]
    return [line]


def _update_apart(number: int, shown: str, timezone_name: str, now: datetime) -> list[Line]:
    """A date line and the update line written after it on the same line, as two lines; none where `shown` is
    not both."""
    folded = normalize(shown).lower()
    for label in UPDATED:
        at = folded.find(label, 1)
        while at > 0:
            if not folded[at - 1].isalnum() and not folded[at + len(label):][:1].isalnum():
                cut = _end_of(shown, at)
                first = _classify(number, shown[:cut].rstrip(_SEPARATORS + " "), timezone_name, now)
                second = _classify(number, shown[cut:], timezone_name, now)
                if first is not None and first.kind == "date" and second is not None and second.kind == "updated":
                    return [first, second]
            at = folded.find(label, at + 1)
    return []


def _agency_at_end(text: str) -> tuple[str, str]:
    """`text` without the known agency's name it ends with, and that name ("" where it ends with none)."""
    words = text.split()
    for n in (3, 2, 1):
        if len(words) > n and normalize(" ".join(words[-n:])).lower().strip(",،") in AGENCIES:
            return " ".join(words[:-n]).rstrip(" ,،"), " ".join(words[-n:]).strip(",،")
    return text, ""


def _datelines(lines: list[Line], timezone_name: str, now: datetime) -> list[Line]:
    """`lines` with the source and date of a wire story's dateline (`_dateline`) before the paragraph it opens."""
    result = []
    for line in lines:
        if line.kind == "text" and not headline_like(line.text):
            result += _dateline(line, timezone_name, now)
        result.append(line)
    return result


def _dateline(line: Line, timezone_name: str, now: datetime) -> list[Line]:
    """The agency (kind agency) and date (kind dateline) of the dateline a paragraph opens with: where, perhaps
    when, and who ("DUBAI, March 15 (Reuters) - ", "أبوظبي في 25 يناير / وام / ", "WASHINGTON (AP) — "); none
    where it opens with none. The text keeps it, as the agency wrote it.

    An agency the reader may not know is taken only after a date or a place in capitals ("NAIROBI, Nov 5
    (Wire) - "): a sentence's aside in brackets ("قال الوزير (المستقيل) - …") has neither."""
    head = line.text[:DATELINE_LONGEST]
    marked = _DATELINE_END.search(head)
    end = marked or _DASH.search(head)
    if end is None:
        return []
    before = head[:end.start()].strip(" ,،")
    if marked:
        agency = (marked[1] or marked[2]).strip()
    else:
        before, agency = _agency_at_end(before)
    if not agency or len(agency.split()) > 4 or before.endswith(_SENTENCE_END):
        return []
    dated = (read_date(before, timezone_name, now) or read_day_without_year(before, timezone_name, now)
             if before else None)
    if dated is not None and dated.extra > PLACE_MAX_WORDS:
        return []
    place = not any(char.isdigit() for char in before) and len(before.split()) <= PLACE_MAX_WORDS
    known = normalize(agency).lower() in AGENCIES
    if not (dated or place) or not (known or dated or (before and before.isupper())):
        return []
    shown = head[:end.end()].strip()
    return [Line(line.number, shown, "agency", agency)] + ([Line(line.number, shown, "dateline", dated)] if dated else [])
