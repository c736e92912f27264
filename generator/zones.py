"""Time zones by the names editors and pages give them, and the zone an editor meant by one the database lacks.

A page's date line names its zone by a city or an abbreviation (بتوقيت مكة, 9:05 AM ET); config.yaml's
`timezone:` takes a zone's name (Asia/Riyadh), which an editor may write as the city alone, in Arabic, in other
letter case, misspelt, or as an offset (GMT+3, +03:00). An offset is no zone: a country's changes with daylight
saving and with its laws, and the zone follows them.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo

from .text import normalize

# Zones by the names pages give them; a city stands for its country's zone.
ZONES = {normalize(name).lower(): zone for name, zone in {
    "GMT": "UTC", "UTC": "UTC", "غرينتش": "UTC", "جرينتش": "UTC", "غرينيتش": "UTC",
    "GST": "Asia/Dubai", "أبوظبي": "Asia/Dubai", "دبي": "Asia/Dubai", "الإمارات": "Asia/Dubai",
    "مكة": "Asia/Riyadh", "المكرمة": "Asia/Riyadh", "الرياض": "Asia/Riyadh", "السعودية": "Asia/Riyadh",
    "KSA": "Asia/Riyadh", "AST": "Asia/Riyadh", "القاهرة": "Africa/Cairo", "مصر": "Africa/Cairo",
    "EET": "Africa/Cairo", "الدوحة": "Asia/Qatar", "بيروت": "Asia/Beirut", "دمشق": "Asia/Damascus",
    "بغداد": "Asia/Baghdad", "الكويت": "Asia/Kuwait", "المنامة": "Asia/Bahrain", "مسقط": "Asia/Muscat",
    "الرباط": "Africa/Casablanca", "المغرب": "Africa/Casablanca", "تونس": "Africa/Tunis",
    "الجزائر": "Africa/Algiers", "طرابلس": "Africa/Tripoli", "الخرطوم": "Africa/Khartoum",
    # English-language outlets' own zones: "9:05 AM ET", "09.05 BST".
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York", "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "BST": "Europe/London", "CET": "Europe/Paris",
    "CEST": "Europe/Paris", "MSK": "Europe/Moscow",
}.items()}

# More places an editor may name the site's zone by, which a page's date line is not read by: a line that opens
# with غزة or قطر is a dateline's place, or a sentence, more often than a zone.
_PLACES = {**ZONES, **{normalize(name).lower(): zone for name, zone in {
    "جدة": "Asia/Riyadh", "القدس": "Asia/Jerusalem", "غزة": "Asia/Gaza", "صنعاء": "Asia/Aden",
    "نواكشوط": "Africa/Nouakchott", "العراق": "Asia/Baghdad", "لبنان": "Asia/Beirut", "سوريا": "Asia/Damascus",
    "قطر": "Asia/Qatar", "البحرين": "Asia/Bahrain", "اليمن": "Asia/Aden", "السودان": "Africa/Khartoum",
    "ليبيا": "Africa/Tripoli", "الأردن": "Asia/Amman", "الدار البيضاء": "Africa/Casablanca",
}.items()}}

# The zones of the Arab world by their offset from UTC in winter, for an editor who wrote the offset.
_BY_OFFSET = {
    0: ("UTC", "Africa/Nouakchott"), 1: ("Africa/Casablanca", "Africa/Algiers", "Africa/Tunis"),
    2: ("Africa/Cairo", "Asia/Beirut", "Africa/Tripoli", "Africa/Khartoum", "Asia/Gaza"),
    3: ("Asia/Riyadh", "Asia/Baghdad", "Asia/Kuwait", "Asia/Qatar", "Asia/Amman", "Asia/Damascus", "Asia/Aden"),
    4: ("Asia/Dubai", "Asia/Muscat"),
}
_OFFSET = re.compile(r"^(?:gmt|utc)?\s*([+-−])\s*(\d{1,2})(?::?00)?$", re.IGNORECASE)
_ZONE_WORDS = {normalize(word) for word in ("توقيت", "بتوقيت", "وقت", "مدينة")}


def meant(written: str) -> str:
    """How to fix an unknown zone name: the zone meant (`write Asia/Riyadh`), or where to look."""
    text = written.strip()
    if len(text) > 100:  # no zone's name is this long; a fork's config.yaml may hold anything
        return "use a name such as Asia/Riyadh, Africa/Cairo or UTC"
    offset = _OFFSET.match(text)
    if offset:
        hours = int(offset[2]) * (-1 if offset[1] in "-−" else 1)
        near = _BY_OFFSET.get(hours, ())
        named = f" ({', '.join(near)}…)" if near else ""
        return f"an offset is no zone: daylight saving and the law change it; write your city's zone{named}"
    zones = zoneinfo.available_timezones()
    by_case = {zone.lower(): zone for zone in zones}
    by_city = {zone.rsplit("/", 1)[-1].lower(): zone for zone in sorted(zones) if "/" in zone}
    key = text.replace(" ", "_").lower()
    words = [word for word in normalize(text).lower().split() if word not in _ZONE_WORDS]
    named = _PLACES.get(" ".join(words)) or next((_PLACES[word] for word in words if word in _PLACES), "")
    found = by_case.get(key) or by_city.get(key) or named
    if not found:
        close = (difflib.get_close_matches(key, by_case, n=1, cutoff=0.8)
                 or difflib.get_close_matches(key, by_city, n=1, cutoff=0.8))
        found = (by_case.get(close[0]) or by_city.get(close[0])) if close else ""
    return f"write {found}" if found else "use a name such as Asia/Riyadh, Africa/Cairo or UTC"
