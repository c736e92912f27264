"""Date lines as news sites write them, in Arabic or English, for the importers.

    الجمعة، 02 فبراير 2024 10:15 ص          15 سبتمبر/ أيلول 2023         ١٥ سبتمبر ٢٠٢٣
    نُشر: 15:32-15 سبتمبر 2023 م ـ 30 صفر 1445 هـ    20 مايو ,2024: 09:30 ص GST
    14/3/2024 (day first)   2024-03-14T10:15   15th, September 2023 GMT   منذ 3 ساعات
    ٣ س ·   أمس الساعة 10:30 م   Yesterday at 10:30 AM   10:42 (a social network's post)
    الأحد 15 رمضان 1446 هـ   1446/9/15 هـ (a Hijri date alone)

The day is the number next to a Gregorian month name (so a Hijri date on the same line is
passed over), the year the number between 1900 and 2100; the time and zone are kept when given.
A line with no Gregorian date but a Hijri one is read in the Umm al-Qura calendar (hijridate), Saudi
Arabia's official one, which the Gulf's agencies date by; elsewhere a month may start a day apart, so
the importer says where it converted one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone as fixed_zone
from zoneinfo import ZoneInfo

from babel.dates import get_day_names, get_month_names
from hijridate import Hijri

from .text import normalize
from .zones import ZONES

# A date line's words: what lies between spaces, commas, slashes, dashes, brackets and quotes.
_WORD = re.compile(r"[^\s,،/\-–—:|()\[\]«»\"']+")

# Month names of every Arabic region CLDR knows, and English: يناير، كانون الثاني، جانفي، شتنبر…
_MONTH_LOCALES = ("en", "ar_EG", "ar_LB", "ar_SY", "ar_IQ", "ar_DZ", "ar_TN", "ar_MA", "ar_SA")


def _names(getter) -> dict[str, int]:
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for locale in _MONTH_LOCALES:
            for number, name in getter(width, locale=locale).items():
                names.setdefault(normalize(name).lower().replace(".", ""), number)
    return names


MONTHS = _names(get_month_names) | {"sept": 9}
MONTH_WORDS = {word for name in MONTHS for word in name.split()}
WEEKDAYS = set(_names(get_day_names)) | {"الاثنين"}
# The Hijri months as pages spell them, each with its number (compared normalised, in lower case).
HIJRI_MONTH_NUMBERS = {" ".join(_WORD.findall(normalize(name).lower())): number
                       for number, names in enumerate((
    ("محرم", "muharram"), ("صفر", "safar"),
    ("ربيع الأول", "ربيع أول", "rabi al-awwal", "rabi' al-awwal", "rabi i"),
    ("ربيع الآخر", "ربيع الثاني", "ربيع ثاني", "rabi al-thani", "rabi' al-thani", "rabi al-akhir", "rabi ii"),
    ("جمادى الأولى", "جمادى الأول", "jumada al-ula", "jumada al-awwal", "jumada i"),
    ("جمادى الآخرة", "جمادى الآخر", "جمادى الثانية", "jumada al-akhirah", "jumada al-thani", "jumada ii"),
    ("رجب", "rajab"), ("شعبان", "shaban", "sha'ban"), ("رمضان", "ramadan"), ("شوال", "shawwal"),
    ("ذو القعدة", "ذي القعدة", "dhu al-qadah", "dhu al-qa'dah", "dhul qadah"),
    ("ذو الحجة", "ذي الحجة", "dhu al-hijjah", "dhul hijjah")), start=1) for name in names}
HIJRI_MONTHS = {word for name in HIJRI_MONTH_NUMBERS for word in name.split()}
HIJRI_YEARS = (1343, 1500)  # what the Umm al-Qura tables cover: 1924 to 2077
# Words a date line carries besides its date: they do not make it a sentence.
FILLER = {normalize(w) for w in (
    "الساعة", "في", "الموافق", "م", "هـ", "ه", "ah", "ce", "at", "on", "the", "of", "ص", "بتوقيت", "توقيت", "local", "time")}

_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b")
_ISO_T = re.compile(r"(?<=\d)t(?=\d)")  # 2023-09-15T14:30
# A time written with a full stop, as British outlets write it ("09.05 GMT"): read only before a zone or am/pm.
_DOTTED_TIME = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})(?=\s*(?:gmt|utc|bst|cet|cest|et|est|edt|am|pm|a\.m|p\.m)\b)")
_OFFSET = re.compile(r"\b(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?![\d:])"
                   r"(?:\s*(a\.?m\.?|p\.?m\.?|صباحا|مساء|ص|م)(?![^\W\d_])|(z|[+-]\d{2}:?\d{2})(?!\d))?")
_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
_HIJRI_MARK = re.compile(r"(?<=\d)ه(?![^\W\d_])")  # "1446هـ", normalised: the year, then its mark
_RELATIVE = re.compile(r"^(?:منذ|قبل)\s+(\d+)?\s*(دقيقه|دقيقتين|دقائق|ساعه|ساعتين|ساعات|يوم|يومين|ايام)$"
                       r"|^(\d+)\s+(minute|minutes|hour|hours|day|days)\s+ago$")
_UNITS = {"دقيقه": "minutes", "دقيقتين": "minutes", "دقائق": "minutes", "ساعه": "hours", "ساعتين": "hours",
          "ساعات": "hours", "يوم": "days", "يومين": "days", "ايام": "days"}
_PM = ("pm", "p.m.", "p.m", "م", "مساء")
# Under who posted it, a social network's post shows its age in short ("٣ س ·", "5m", "2d") or yesterday's time.
_POSTED_AGO = re.compile(r"^(\d+)\s*(د|س|ي|m|min|h|hr|hrs|d|w)$")
_POSTED_UNITS = {"د": "minutes", "m": "minutes", "min": "minutes", "س": "hours", "h": "hours", "hr": "hours",
                 "hrs": "hours", "ي": "days", "d": "days", "w": "weeks"}
# A post of an earlier day this year: "12 مارس الساعة 9:15 ص", "March 12 at 9:15 AM" (normalised: lower case).
_THIS_YEAR = re.compile(r"(?:(?P<day1>\d{1,2}) (?P<month1>[^\d\s]+)|(?P<month2>[^\d\s]+) (?P<day2>\d{1,2}))"
                        r" (?:الساعه |at )?(?P<clock>.+)")
_YESTERDAY = re.compile(r"^(?:امس|yesterday)(?:\s+(?:الساعه|at))?\s+(.+)$")


@dataclass(frozen=True)
class Dated:
    when: date | datetime
    extra: int  # words on the line that are no part of a date: a line with many is a sentence
    relative: bool = False  # "3 hours ago": counted back from now
    posted: bool = False  # as a social network shows a post's time ("٣ س ·"), under who posted it
    hijri: bool = False  # read from a Hijri date, in the Umm al-Qura calendar


def read_date(value: str, timezone: str, now: datetime | None = None) -> Dated | None:
    """The date (and time) written in `value`, or None when it holds no readable date."""
    text = _DOTTED_TIME.sub(r"\1:\2", _ISO_T.sub(" ", _ORDINAL.sub("", normalize(value).lower()))).strip()
    relative = _RELATIVE.match(" ".join(text.split()))
    if relative:
        return _counted_back(relative, now or datetime.now(fixed_zone.utc), timezone)
    posted = _posted(" ".join(text.replace("·", " ").split()), now or datetime.now(fixed_zone.utc), timezone,
                     text.rstrip().endswith("·"))
    if posted is not None:
        return posted
    zone: fixed_zone | ZoneInfo = ZoneInfo(timezone)
    offset = _OFFSET.search(text)
    if offset:
        minutes = int(offset[2]) * 60 + int(offset[3] or 0)
        if minutes > 14 * 60:
            return None
        zone = fixed_zone(timedelta(minutes=minutes if offset[1] == "+" else -minutes))
        text = text[:offset.start()] + " " + text[offset.end():]
    clock = _TIME.search(text)
    if clock:
        text = text[:clock.start()] + " " + text[clock.end():]
        if clock[4] and not offset:  # 09:05:00+01:00, as ISO 8601 writes it
            sign, digits = clock[4][:1], clock[4][1:].replace(":", "")
            minutes = 0 if clock[4] == "z" else int(digits[:2]) * 60 + int(digits[2:])
            zone = fixed_zone(timedelta(minutes=-minutes if sign == "-" else minutes))
            offset = clock
    day_value, text, hijri = _day(_HIJRI_MARK.sub(" ه", text))
    if day_value is None:
        return None
    words = _WORD.findall(text.replace(".", " "))
    extra = 0
    for word in words:
        if word in ZONES and not offset:
            zone = ZoneInfo(ZONES[word])
        elif not (word.isdecimal() or word in MONTH_WORDS or word in WEEKDAYS or word in FILLER or word in ZONES
                  or word in HIJRI_MONTHS or word.removeprefix("ال") in HIJRI_MONTHS):
            extra += 1
    if clock is None:
        return Dated(day_value, extra, hijri=hijri)
    time_of_day = _hour_minute(clock)
    if time_of_day is None:
        return None
    return Dated(datetime(day_value.year, day_value.month, day_value.day, *time_of_day, tzinfo=zone), extra,
                 hijri=hijri)


def read_day_without_year(text: str, timezone: str, now: datetime | None = None) -> Dated | None:
    """The day of a wire story's dateline that names a month and day and no year ("DUBAI, March 15", or day and
    month in numbers, as KUNA writes "الكويت - 12 - 2"): the last such day up to today, counted back from now as a
    post's time is; None when it names no such day."""
    words = _WORD.findall(_ORDINAL.sub("", normalize(text).lower()).replace(".", " "))
    numbers = [int(w) for w in words if w.isdecimal()]
    if any(n > 31 for n in numbers):  # a year, or no day
        return None
    named = _month_named(words)
    if named is not None:
        month, near = named
        found = (month, near[0]) if near else None
    elif len(numbers) == 2 and words[-2:] == [str(n) for n in numbers] and numbers[1] <= 12:
        found = (numbers[1], numbers[0])  # day first, then month
    else:
        found = None
    if found is None:
        return None
    today = (now or datetime.now(fixed_zone.utc)).astimezone(ZoneInfo(timezone)).date()
    for year in (today.year, today.year - 1):
        day = _valid(year, *found)
        if day is not None and day <= today:
            extra = sum(1 for w in words if not (w.isdecimal() or w in MONTH_WORDS or w in FILLER))
            return Dated(day, extra, relative=True)
    return None


def _hour_minute(clock: re.Match) -> tuple[int, int] | None:
    """The hour (0 to 23) and minute `_TIME` found, or None for a time no clock shows."""
    hour, minute = int(clock[1]), int(clock[2])
    if (clock[3] or "") in _PM and hour < 12:
        hour += 12
    elif (clock[3] or "") and clock[3] not in _PM and hour == 12:
        hour = 0
    return None if hour > 23 or minute > 59 else (hour, minute)


def _time_alone(text: str) -> tuple[int, int] | None:
    """The hour and minute of a text that is a time and nothing else ("9:15 ص"), without a zone."""
    clock = _TIME.fullmatch(text)
    return _hour_minute(clock) if clock and not clock[4] else None


def _posted(social: str, now: datetime, timezone: str, dotted: bool = False) -> Dated | None:
    """A post's time as a social network shows it under who posted it: its age in short ("٣ س", "5m"),
    yesterday's time, or a time alone (under a channel's post of today: the last such time before now); with
    the dot Facebook ends that line with (`dotted`), also a day and month with a time and no year
    ("12 مارس الساعة 9:15 ص ·"), the last such moment before now."""
    posted = _POSTED_AGO.match(social)
    if posted:
        moment = now - timedelta(**{_POSTED_UNITS[posted[2]]: int(posted[1])})
        return Dated(moment.astimezone(ZoneInfo(timezone)).replace(second=0, microsecond=0), 0, True, True)
    this_year = _THIS_YEAR.fullmatch(social) if dotted else None
    if this_year:
        month = MONTHS.get(this_year["month1"] or this_year["month2"])
        time_of_day = _time_alone(this_year["clock"])
        here = now.astimezone(ZoneInfo(timezone))
        day = int(this_year["day1"] or this_year["day2"])
        for year in (here.year, here.year - 1):
            if month and time_of_day and _valid(year, month, day):
                moment = datetime(year, month, day, *time_of_day, tzinfo=here.tzinfo)
                if moment <= here:
                    return Dated(moment, 0, True, True)
        return None
    yesterday = _YESTERDAY.match(social)
    time_of_day = _time_alone(yesterday[1] if yesterday else social)
    if time_of_day is None:
        return None
    here = now.astimezone(ZoneInfo(timezone)).replace(second=0, microsecond=0)
    moment = here.replace(hour=time_of_day[0], minute=time_of_day[1])
    if yesterday:
        return Dated(moment - timedelta(days=1), 0, True, True)
    return Dated(moment - timedelta(days=1) if moment > here else moment, 0, True, True)


def _day(text: str) -> tuple[date | None, str, bool]:
    """The day written in `text`, the text without its numeric form (a month name is left, and counted as date),
    and whether it was a Hijri date (read only where no Gregorian one is)."""
    for pattern, order in ((_ISO, (0, 1, 2)), (_DAY_FIRST, (2, 1, 0))):
        found = pattern.search(text)
        if found:
            year, month, day = (int(found[i + 1]) for i in order)
            rest = text[:found.start()] + " " + text[found.end():]
            if HIJRI_YEARS[0] <= year <= HIJRI_YEARS[1]:  # 1446/9/15 هـ
                return from_hijri(year, month, day), rest, True
            return _valid(year, month, day), rest, False
    words = _WORD.findall(text.replace(".", " "))
    named = _month_named(words)
    if named is not None:
        month, near = named
        years = [int(w) for w in words if w.isdecimal() and 1900 <= int(w) <= 2100]
        return (_valid(years[0], month, near[0]) if near and years else None), text, False
    for i in range(len(words)):  # 15 رمضان 1446 هـ
        for width in (3, 2, 1):
            month = HIJRI_MONTH_NUMBERS.get(" ".join(words[i:i + width]))
            if month is not None:
                near = _near_day(words, i, width)
                years = [int(w) for w in words if w.isdecimal() and HIJRI_YEARS[0] <= int(w) <= HIJRI_YEARS[1]]
                return (from_hijri(years[0], month, near[0]) if near and years else None), text, True
    return None, text, False


def _month_named(words: list[str]) -> tuple[int, list[int]] | None:
    """The first Gregorian month named among `words` (in one word or two: كانون الثاني), and the day numbers beside
    it (15 سبتمبر, September 15: on either side)."""
    for i, word in enumerate(words):
        pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
        month = MONTHS.get(pair) or MONTHS.get(word)
        if month is not None:
            return month, _near_day(words, i, 2 if pair in MONTHS else 1)
    return None


def _near_day(words: list[str], at: int, width: int) -> list[int]:
    """The day numbers beside the month name of `width` words at `at`: before it, then after it."""
    return [int(w) for w in (words[at - 1] if at else "", words[at + width] if at + width < len(words) else "")
            if w.isdecimal() and 1 <= int(w) <= 31]


def from_hijri(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of a Hijri one. A 30th where Umm al-Qura's month has 29 days (a country whose month began
    a day later) is the day after the 29th."""
    try:
        return date(*Hijri(year, month, day).to_gregorian().datetuple())
    except (ValueError, OverflowError):  # no such day, or out of the tables
        if day != 30:
            return None
    last = from_hijri(year, month, 29)
    return last + timedelta(days=1) if last else None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if 1900 <= year <= 2100 else None
    except ValueError:
        return None


def _counted_back(found: re.Match, now: datetime, timezone: str) -> Dated:
    amount = int(found[1] or found[3] or (2 if (found[2] or "").endswith("ين") else 1))
    unit = _UNITS.get(found[2] or "") or (found[4] or "").rstrip("s") + "s"
    moment = (now - timedelta(**{unit: amount})).astimezone(ZoneInfo(timezone)).replace(second=0, microsecond=0)
    return Dated(moment, 0, relative=True)
