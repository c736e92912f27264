"""The time zone an editor meant by a name the zone database does not hold.

config.yaml's `timezone:` takes a zone's name (Asia/Riyadh), which an editor may write as the city alone,
in Arabic (توقيت مكة), in other letter case, misspelt, or as an offset (GMT+3, +03:00). An offset is no zone:
a country's changes with daylight saving and with its laws, and the zone follows them. Each is answered with
the name to write.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo

# Cities of the Arab world as editors name them, and their zones (compared with the article ال and the
# alef forms aside). Jerusalem and Gaza keep their own zones, as the database does.
_CITIES = {
    "مكه": "Asia/Riyadh", "مكه المكرمه": "Asia/Riyadh", "رياض": "Asia/Riyadh", "جده": "Asia/Riyadh",
    "سعوديه": "Asia/Riyadh", "قاهره": "Africa/Cairo", "مصر": "Africa/Cairo", "اسكندريه": "Africa/Cairo",
    "دبي": "Asia/Dubai", "ابوظبي": "Asia/Dubai", "ابو ظبي": "Asia/Dubai", "امارات": "Asia/Dubai",
    "دوحه": "Asia/Qatar", "قطر": "Asia/Qatar", "كويت": "Asia/Kuwait", "بغداد": "Asia/Baghdad",
    "عراق": "Asia/Baghdad", "عمان": "Asia/Amman", "اردن": "Asia/Amman", "بيروت": "Asia/Beirut",
    "لبنان": "Asia/Beirut", "دمشق": "Asia/Damascus", "سوريا": "Asia/Damascus", "قدس": "Asia/Jerusalem",
    "غزه": "Asia/Gaza", "رام الله": "Asia/Hebron", "مسقط": "Asia/Muscat", "منامه": "Asia/Bahrain",
    "بحرين": "Asia/Bahrain", "صنعاء": "Asia/Aden", "يمن": "Asia/Aden", "خرطوم": "Africa/Khartoum",
    "سودان": "Africa/Khartoum", "طرابلس": "Africa/Tripoli", "ليبيا": "Africa/Tripoli", "تونس": "Africa/Tunis",
    "جزائر": "Africa/Algiers", "رباط": "Africa/Casablanca", "دار البيضاء": "Africa/Casablanca",
    "مغرب": "Africa/Casablanca", "نواكشوط": "Africa/Nouakchott", "موريتانيا": "Africa/Nouakchott",
}
# The zones of the Arab world by their offset from UTC in winter, for an editor who wrote the offset.
_BY_OFFSET = {
    0: ("UTC", "Africa/Nouakchott"), 1: ("Africa/Casablanca", "Africa/Algiers", "Africa/Tunis"),
    2: ("Africa/Cairo", "Asia/Beirut", "Africa/Tripoli", "Africa/Khartoum", "Asia/Gaza"),
    3: ("Asia/Riyadh", "Asia/Baghdad", "Asia/Kuwait", "Asia/Qatar", "Asia/Amman", "Asia/Damascus", "Asia/Aden"),
    4: ("Asia/Dubai", "Asia/Muscat"),
}
_OFFSET = re.compile(r"^(?:gmt|utc)?\s*([+-−])\s*(\d{1,2})(?::?00)?$", re.IGNORECASE)
_WORDS = re.compile(r"^(?:توقيت|بتوقيت|وقت|مدينة|مدينه)\s+")
_FOLD = str.maketrans("أإآةى", "اااهي")


def meant(written: str) -> str:
    """How to fix an unknown zone name: the zone meant (`write Asia/Riyadh`), or where to look."""
    zones = zoneinfo.available_timezones()
    text = written.strip()
    offset = _OFFSET.match(text)
    if offset:
        hours = int(offset[2]) * (-1 if offset[1] in "-−" else 1)
        near = _BY_OFFSET.get(hours, ())
        named = f" ({', '.join(near)}…)" if near else ""
        return f"an offset is no zone: daylight saving and the law change it; write your city's zone{named}"
    by_case = {zone.lower(): zone for zone in zones}
    by_city = {zone.rsplit("/", 1)[-1].lower(): zone for zone in sorted(zones) if "/" in zone}
    key = text.replace(" ", "_").lower()
    found = by_case.get(key) or by_city.get(key) or _CITIES.get(_arabic(text))
    if not found:
        close = (difflib.get_close_matches(key, by_case, n=1, cutoff=0.8)
                 or difflib.get_close_matches(key, by_city, n=1, cutoff=0.8))
        found = (by_case.get(close[0]) or by_city.get(close[0])) if close else ""
    return f"write {found}" if found else "use a name such as Asia/Riyadh, Africa/Cairo or UTC"


def _arabic(text: str) -> str:
    words = _WORDS.sub("", text.translate(_FOLD)).split()
    return " ".join(word[2:] if word.startswith("ال") and len(word) > 3 else word for word in words)
