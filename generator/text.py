"""Text analysis for Arabic and English: normalisation, tokens, stop words, stems."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Callable


# How to save a file again as UTF-8 where Arabic editors save text: Notepad, whose "ANSI" on Arabic Windows is
# Windows-1256 and whose "Unicode" is UTF-16.
SAVE_AS_UTF8 = "save it again as UTF-8 (in Notepad: File › Save As, Encoding: UTF-8)"


def saved_as(raw: bytes) -> str:
    """The encoding a text file that is not UTF-8 was saved in, where it is one Arabic editors' tools use (UTF-16,
    Windows-1256); "" otherwise. Windows-1256 gives every byte a character, so it is named only when most of
    what it would read beyond ASCII is Arabic letters."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return 'UTF-16 (Notepad\'s "Unicode")'
    try:
        raw.decode("utf-8")
        return ""
    except UnicodeDecodeError:
        pass
    beyond = [c for c in raw.decode("cp1256", errors="replace") if ord(c) > 127]
    arabic = sum("\u0621" <= c <= "\u064a" for c in beyond)
    return "the Windows Arabic encoding (Windows-1256)" if arabic >= 3 and 2 * arabic >= len(beyond) else ""


# Characters no XML document may hold (tab, newline and carriage return are fine), and U+FFFE/U+FFFF:
# pasted from PDFs and word processors, invisible in an editor, and fatal to feed.xml.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# List markers a word processor, a phone or an Arabic editor pastes as characters: Word's and WhatsApp's bullets,
# and the dashes a line opens with. markup.py reads them as Markdown's markers; formatted.py, writing someone
# else's text as Markdown, keeps them as the characters they are. One list for both, or a marker one adds is text
# to the other.
PASTED_BULLETS = "•·●▪◦‣"
PASTED_DASHES = "–—"


def without_controls(text: str, breaks: str = "\n") -> str:
    """`text` without the characters the build leaves out of a story (NOT_IN_XML), a vertical tab or form feed
    (a word processor's line and page breaks) as `breaks`."""
    return NOT_IN_XML.sub(lambda found: breaks if found[0] in "\x0b\x0c" else "", text)


# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks, and tatweel; and the invisible characters
# a word processor or a keyboard leaves inside a word (soft hyphen, zero-width space, non-joiner and joiner,
# word joiner, direction marks, BOM), which cut it in two for search and related lists.
MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
                   "\u00ad\u061c\u200b-\u200f\u2060\ufeff]")
_ALEF_AND_DIGITS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    # Persian and Urdu letters a Persian keyboard layout types for ي, ك and ه: the same word to a reader.
    "ی": "ي", "ک": "ك", "ھ": "ه",
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Eastern Arabic-Indic (Persian) digits
})
# Applied after stemming too: the stemmer reads ة and ى as suffixes, so it sees them first.
_FINAL_FORMS = str.maketrans({"ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_TOKEN = re.compile(r"[\u0621-\u064a]+|[a-z0-9]+(?:['’][a-z]+)?")
# The letters and digits of a token before _ALEF_AND_DIGITS folds them (ٱ, the Persian ک ھ ی, Eastern digits):
# tokens found with these are folded once per distinct token, not once per occurrence.
UNFOLDED_LETTERS = "\u0621-\u064a\u0671\u06a9\u06be\u06cc"
UNFOLDED_LATIN_DIGITS = "a-z0-9\u0660-\u0669\u06f0-\u06f9"
# The same tokens, found before alef forms and digits are unified (see Analyzer.counts).
_RAW_TOKEN = re.compile(f"[{UNFOLDED_LETTERS}]+|[{UNFOLDED_LATIN_DIGITS}]+(?:['’][a-z]+)?")
_ARABIC = re.compile(r"[\u0621-\u064a]")

# Function words the package list lacks, mostly with attached prepositions and
# conjunctions (و، ف، ب، ل); written already normalised.
_EXTRA_ARABIC_STOP = """
في من الي علي عن مع ان او ثم قد لقد كان كانت يكون تكون هو هي هم هن نحن انا انت
هذا هذه ذلك تلك هناك هنا الذي التي الذين اللذين اللتين اللواتي ما ماذا لماذا كيف متي اين
كل بعض غير سوي حتي اذا لكن بل لا لم لن ليس ليست و ف ب ل ك وفي ومن والي وعلي وعن ومع
وان وقد وكان وكانت وهو وهي وهذا وهذه وذلك والذي والتي فيه فيها منه منها عليه عليها اليه
اليها عنه عنها له لها لهم بها به بهم كما حيث بين بينما خلال بعد قبل منذ حول نحو عند لدي
ضمن عبر اكثر اقل ايضا فقط جدا يوم امس اليوم قال قالت وقال وقالت اضاف واضاف اكد واكد
""".split()


def strip_marks(text: str) -> str:
    """Drop diacritics and tatweel and unify alef forms; what is left still reads as written."""
    return MARKS.sub("", text).translate(_ALEF_AND_DIGITS)


def normalize(text: str) -> str:
    """Fold the spellings of one Arabic word together; other scripts pass through."""
    return strip_marks(text).translate(_FINAL_FORMS)


@lru_cache(maxsize=65536)  # tags repeat on thousands of articles
def fold_label(label: str) -> str:
    """What tells tags (and sections) apart: spellings of one word fold together, as readers type them.

    Diacritics, tatweel, alef forms, ى/ي, ة/ه, Arabic-Indic digits, letter case and the
    article ال (`الطاقة` and `طاقة`) make no difference; every other letter and symbol does.
    """
    words = normalize(label).casefold().split()
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words)


@lru_cache(maxsize=None)
def _stop_words(language: str) -> frozenset[str]:
    from stop_words import get_stop_words  # here: only the related and search stages need it (see Analyzer)

    words = set(get_stop_words(language))
    if language == "arabic":
        words |= set(_EXTRA_ARABIC_STOP)
    return frozenset(normalize(w).lower() for w in words)


class Analyzer:
    """Turns text of either script into stemmed terms; one per process (stemmers cache)."""

    def __init__(self) -> None:
        # Imported here, as a build that finds nothing changed reads this module (normalize) but stems no word.
        import snowballstemmer

        self._arabic = snowballstemmer.stemmer("arabic")
        self._english = snowballstemmer.stemmer("english")
        self._arabic_stop = _stop_words("arabic")
        self._english_stop = _stop_words("english")
        self._cache: dict[str, str | None] = {}
        self._raw_cache: dict[str, str | None] = {}
        self._pieces = PieceCounter(self._piece_terms)

    def add_counts(self, counts: dict[str, float], text: str, weight: float = 1.0) -> None:
        """Add `weight` to counts[term] for every occurrence of a term: `terms()` counted, much faster."""
        for term, n in self._pieces.count(text).items():
            counts[term] = counts.get(term, 0.0) + n * weight

    def _piece_terms(self, piece: str) -> list[str]:
        terms = []
        for raw in _RAW_TOKEN.findall(MARKS.sub("", piece).lower()):
            term = self._raw_cache.get(raw, "")
            if term == "":
                term = self._raw_cache[raw] = self._term(raw.translate(_ALEF_AND_DIGITS))
            if term:
                terms.append(term)
        return terms

    def _term(self, token: str) -> str | None:
        term = self._cache.get(token, "")
        if term == "":
            term = self._cache[token] = self._stem(token)
        return term

    def terms(self, text: str) -> list[str]:
        """Stemmed content terms in reading order; stop words and 1-letter tokens dropped."""
        cache = self._cache
        result = []
        for token in _TOKEN.findall(strip_marks(text).lower()):
            term = cache.get(token, "")
            if term == "":
                term = cache[token] = self._stem(token)
            if term:
                result.append(term)
        return result

    def _stem(self, token: str) -> str | None:
        if len(token) < 2 or token.isdigit() and len(token) < 4:
            return None  # single letters and small numbers say nothing about a story
        if _ARABIC.match(token):
            if normalize(token) in self._arabic_stop or len(token) < 3:
                return None
            if len(token) >= 6 and token[0] in "وف" and token[1:3] == "ال":
                token = token[1:]  # Snowball strips و and ف, but not before ال: والحكومة stayed whole
            stem = normalize(self._arabic.stemWord(token))
            return stem if len(stem) >= 2 else token
        if token in self._english_stop:
            return None
        return self._english.stemWord(token)


class PieceCounter:
    """Counts the terms of texts, reading each distinct white-space piece of text once.

    A text is split at white space and every piece looked up in a dict of pieces
    already read, all in C; only a piece never seen before goes to `terms_of`.
    Tokens never contain white space, so the pieces' terms are the text's terms.
    """

    def __init__(self, terms_of: Callable[[str], list[str]]) -> None:
        self._pieces = _Memo(lambda piece: _pack(terms_of(piece)))

    def count(self, text: str) -> Counter[str]:
        found = Counter(map(self._pieces.__getitem__, text.split()))
        found.pop(None, None)
        for several in [key for key in found if type(key) is tuple]:  # e.g. "word/word"
            times = found.pop(several)
            for term in several:
                found[term] += times
        return found


def _pack(terms: list[str]) -> str | tuple[str, ...] | None:
    """A piece's terms in the form PieceCounter counts fastest: most pieces are one word."""
    return None if not terms else terms[0] if len(terms) == 1 else tuple(terms)


class _Memo(dict):
    """A dict that fills itself: memo[key] is function(key), computed once."""

    def __init__(self, function) -> None:
        super().__init__()
        self._function = function

    def __missing__(self, key):
        value = self[key] = self._function(key)
        return value
