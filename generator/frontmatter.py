"""A front matter's text into checked values: YAML read safely, each mistake reported at its line.

Editors paste front matter from web pages, word processors and phones; what such text brings that YAML
reads otherwise than the editor sees (odd spaces, direction marks, hashtags, dates in words or day first)
is read as the editor meant it or reported with the fix. content.py turns the values into a Document.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import yaml

from .errors import shown
from .moved import other_front_matter
from .yamlsafe import (FastSafeLoader, SafeLoader, TooBig, bounded_node, flag_meant, has_escapes, in_quotes,
                       join_surrogates, plain_problem, repeated_keys, written_twice)

_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})([T ,].*)?$")
# A time after it as people and other systems write one: 9:30 (an hour of one digit), 21:00:00 +0300 (Jekyll's
# date), +03 (the offset's hours alone), after a comma.
_TIME = re.compile(r"^(?:T|,? +)(\d{1,2}):(\d{2})(:\d{2}(?:\.\d+)?)? ?(?:(Z)|([+-]\d{2}):?(\d{2})?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def split_front_matter(text: str, fail) -> tuple[str | None, str, int]:
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problem, hint = other_front_matter(lines[0]) or ("no front matter: the first line must be ---",
                                                         "start the file with ---, then title: and date:, then ---")
        fail(problem, 1, hint)
        return None, "", 0
    for closing in range(1, len(lines)):
        if lines[closing].rstrip() in ("---", "..."):
            return _hashtags(_tidy_spacing("\n".join(lines[1:closing]))), "\n".join(lines[closing + 1:]), closing + 2
    fail("front matter is not closed", 1, "did you forget the line --- after the last setting?")
    return None, "", 0


# Text pasted from a web page, a word processor or a phone brings spaces YAML does not read as spaces: a
# non-breaking space after "key:" or in an indentation, a direction mark (RLM, LRM) before a key. Each is
# invisible in an editor, and made the file "not valid YAML" or its title "missing". Where such a character
# can only be spacing (a line's start, right after "key:" or "-"), it is read as the space the editor sees;
# a mark that begins a value is the value's own (an RLM before a title that opens with a Latin word).
_ODD_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u200b\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff"
_LEADING = re.compile(f"^[ {_ODD_SPACES}{_INVISIBLE}]*[{_ODD_SPACES}{_INVISIBLE}][ {_ODD_SPACES}{_INVISIBLE}]*", re.M)
_AFTER_MARK = re.compile(f"^( *(?:- *)?(?:-|[\\w-]+:))[{_ODD_SPACES}][ {_ODD_SPACES}]*", re.M)  # not a value's own marks
_SPACING = re.compile(f"[{_ODD_SPACES}]")
_MARKS_ONLY = re.compile(f"[{_INVISIBLE}]")


def _tidy_spacing(meta_text: str) -> str:
    """The front matter with pasted spacing read as plain spaces (see above); every line stays where it was."""
    meta_text = _LEADING.sub(lambda m: _SPACING.sub(" ", _MARKS_ONLY.sub("", m.group())), meta_text)
    return _AFTER_MARK.sub(lambda m: m.group(1) + " ", meta_text)


# Tags written as hashtags, as on social media (tags: #اقتصاد #الأمن_الغذائي, or tags: [#اقتصاد, نفط]): YAML
# reads everything after # as a comment, so the story had no tags at all, or its file was "not valid YAML".
# Such a line is read as the list it means, an underscore standing for a space as in a hashtag.
_TAGS_LINE = re.compile(r"^(tags:[ \t]*)(.*?)[ \t]*$", re.M)
_HASHTAGS = re.compile(r"(?:#[^\s#,،\[\]]+[\s,،]*)+")


def _hashtags(meta_text: str) -> str:
    if "#" not in meta_text:
        return meta_text

    def as_list(line: re.Match) -> str:
        value = line.group(2)
        if value.startswith("[") and value.endswith("]") and "[" not in value[1:] and "]" not in value[:-1]:
            items = [item.strip() for item in re.split("[,،]", value[1:-1])]
            if not any(item.startswith("#") for item in items):
                return line.group(0)
        elif _HASHTAGS.fullmatch(value):
            items = re.findall(r"#[^\s#,،]+", value)
        else:
            return line.group(0)
        tags = [item.lstrip("#").replace("_", " ").strip() for item in items]
        return line.group(1) + json.dumps([tag for tag in tags if tag], ensure_ascii=False)

    return _TAGS_LINE.sub(as_list, meta_text)


def _without_hash(tag: str) -> str:
    return tag.lstrip("#").replace("_", " ").strip() if tag.startswith("#") else tag


def load_yaml(meta_text: str, fail) -> tuple[dict | None, dict[str, int]]:
    if FastSafeLoader is not None:
        try:
            node, loader = _single_node(FastSafeLoader, meta_text)
        except TooBig as exc:
            return _too_big(exc, fail)
        except yaml.YAMLError:
            pass  # parsed again below, for PyYAML's own wording of the mistake
        else:
            return _construct(node, loader, meta_text, fail)
    try:
        node, loader = _single_node(SafeLoader, meta_text)
    except yaml.reader.ReaderError as exc:
        # PyYAML refuses control characters before parsing; they are invisible in most editors.
        fail(f"front matter contains the invisible control character U+{exc.character:04X}",
             meta_text.count("\n", 0, exc.position) + 2, "delete it, or retype the line")
        return None, {}
    except TooBig as exc:
        return _too_big(exc, fail)
    except yaml.YAMLError as exc:
        problem, line, hint = plain_problem(exc)
        lines = meta_text.split("\n")
        glued = _glued(lines)
        if glued:  # the line YAML stumbles on comes after the one that is wrong
            line, problem, hint = glued
        elif not hint:
            problem, hint = _begins_with_mark(lines, line) or (problem, hint)
        elif "mapping values" in problem:
            problem, hint = _colon_in_text(lines, line) or (problem, hint)
        elif problem.startswith("a line is not in the form key: value"):
            line, problem, hint = _text_on_two_lines(lines) or (line, problem, hint)
        fail(f"front matter is not valid YAML: {problem}", line + 2 if line is not None else 2, hint)
        return None, {}
    return _construct(node, loader, meta_text, fail)


# The keys a story's front matter holds (any other is named: moved.unknown_key).
KNOWN_KEYS = frozenset({
    "title", "date", "updated", "correction", "author", "tags", "category", "source", "summary", "image",
    "draft", "slug", "related", "translation_key", "aliases", "pinned", "pinned_until",
})

# Texts an editor writes after `key:`, and what YAML reads a value that begins with each mark as, instead of
# text: a headline that opens with a quoted name ("Biden" says…), a [Video] or {Breaking} label, an @handle.
_TEXT_KEYS = frozenset({"title", "summary", "correction", "author", "category", "source", "image"})
_MAPPING_KEYS = frozenset({"source", "image"})  # also written as {…}
_MARKS = {'"': 'a text in quotes, which ends at the next "', "'": "a text in quotes, which ends at the next '",
          "[": "a list", "{": "a group of settings", "*": "a reference to another value", "&": "a name for the value",
          "!": "a type", "%": "a directive", "@": "a reserved mark", "`": "a reserved mark",
          "|": "the start of text on the lines below", ">": "the start of text on the lines below"}
# key: value, the value without the spaces after it. `(.*?)\s*$` was the same, in time that grew with the square of a
# run of spaces inside the value: a fork's title of a million spaces would have held every build.
_KEY_LINE = re.compile(r"\s*([\w-]+)\s*:[ \t]+(.*\S|)\s*$")
# A key written with its value against the colon (title:قمة), which YAML reads as a line of text, not a setting.
_GLUED = re.compile(r"\s*([a-z_]+):(?![\s/:])(.+)$")


def _text_setting(lines: list[str], line: int | None) -> tuple[str, str] | None:
    """(key, value as written) where line `line` (0-based) is a text setting (`title: …`); None otherwise."""
    found = _KEY_LINE.match(lines[line]) if line is not None and 0 <= line < len(lines) else None
    return (found[1], found[2]) if found and found[1] in _TEXT_KEYS else None


def _glued(lines: list[str]) -> tuple[int, str, str] | None:
    """(0-based line, what, how to fix) for the first known key with no space after its colon; None if none."""
    for number, text in enumerate(lines):
        found = _GLUED.match(text)
        if found and found[1] in KNOWN_KEYS:
            key, value = found[1], found[2].strip()
            return (number, f"{key}: has no space after its colon, so YAML reads the line as text, not a setting",
                    f"write {key}: {value}")
    return None


def _text_on_two_lines(lines: list[str]) -> tuple[int, str, str] | None:
    """(0-based line, what, how to fix) for the first line that is no setting but goes on from a text setting above
    it (a headline or summary that wrapped when pasted); None if there is none. YAML names a line after it."""
    for number in range(1, len(lines)):
        text, above = lines[number], _text_setting(lines, number - 1)
        if (text.strip() and not text[0].isspace() and not text.startswith(("#", "-")) and ":" not in text
                and above and above[1]):
            joined = f"{above[0]}: {above[1]} {text.strip()}"
            return (number, f"the {above[0]} goes on to this line, and a setting is one line",
                    f"join the two lines: {joined}" if len(joined) <= 200 else "join the two lines into one")
    return None


def _colon_in_text(lines: list[str], line: int | None) -> tuple[str, str] | None:
    """(what, how to fix) when the line YAML could not read is a text setting holding ": " (a headline that opens
    with عاجل: or a name and a quote), which YAML reads as a setting inside a setting; None otherwise."""
    found = _text_setting(lines, line)
    if not found or ": " not in found[1]:
        return None
    key, value = found
    return (f"the {key} holds a colon and a space, which YAML reads as the start of another setting",
            f"put the whole {key} in quotes: {key}: {quoted(value)}")


def _begins_with_mark(lines: list[str], line: int | None) -> tuple[str, str] | None:
    """(what, how to fix) when the line YAML could not read is a text setting whose value begins with a mark
    YAML reads as something else (`title: "Biden" says talks will resume`); None otherwise."""
    found = _text_setting(lines, line)
    if not found or not found[1] or found[1][0] not in _MARKS:
        return None
    key, value = found
    if key in _MAPPING_KEYS and value[0] == "{":  # source: {name: …, url: …} is one; its mistake is another
        return None
    return (f"the {key} begins with {value[0]}, which YAML reads as {_MARKS[value[0]]}",
            f"put the whole {key} in quotes: {key}: {quoted(value)}")


def quoted(text: str) -> str:
    """`text` (one line) as a YAML value in quotes that reads back as itself."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _too_big(exc: TooBig, fail) -> tuple[None, dict[str, int]]:
    fail(f"front matter is too large: {exc.problem}", (exc.line or 0) + 2,
         "write the values out plainly; a front matter needs only a few settings")
    return None, {}


def _single_node(loader_class: type, meta_text: str):
    loader = loader_class(meta_text)
    try:
        return bounded_node(loader), loader
    except BaseException:
        loader.dispose()
        raise


def _construct(node, loader, meta_text: str, fail) -> tuple[dict | None, dict[str, int]]:
    try:
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            glued = _glued(meta_text.split("\n"))
            if glued:
                fail(f"front matter is not valid YAML: {glued[1]}", glued[0] + 2, glued[2])
            else:
                fail("front matter must be settings written as key: value, not a list or plain text", 2)
            return None, {}
        repeated = repeated_keys(node)
        for key, first, again in repeated:
            fail(written_twice(key, first + 2, again + 2), again + 2, "keep one of them")
        if repeated:
            return None, {}
        lines = {k.value: k.start_mark.line + 2 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        for key, value in node.value:  # each pin on its own line, for messages about one of them
            if isinstance(key, yaml.ScalarNode) and key.value == "related" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if isinstance(item, yaml.ScalarNode):
                        lines.setdefault(f"related:{item.value.strip()}", item.start_mark.line + 2)
        try:
            meta = loader.construct_document(node)
        except yaml.YAMLError as exc:  # a tag YAML does not know (`title: !important news`)
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            problem, hint = (_begins_with_mark(meta_text.split("\n"), mark.line if mark else None)
                             or (getattr(exc, "problem", None) or exc, ""))
            fail(f"front matter is not valid YAML: {problem}", mark.line + 2 if mark else 2, hint)
            return None, {}
        if has_escapes(meta_text):  # only \u escapes can make a lone surrogate
            for key, value in meta.items():
                meta[key] = join_surrogates(value, lambda: fail(
                    f"{key}: holds an unpaired \\u escape (a UTF-16 surrogate), which no page can show",
                    lines.get(key, 2), "write the character itself instead of its \\u code"))
        return meta, lines
    finally:
        loader.dispose()


class Fields:
    """Typed access to front matter values, reporting each mistake at its key's line."""

    def __init__(self, meta: dict, lines: dict[str, int], fail, raw: list[str] = ()):
        self.meta, self.lines, self.fail = meta, lines, fail
        self.raw = raw  # the front matter's lines as written, the first being file line 2

    def _bad(self, key: str, message: str, hint: str = "") -> None:
        self.fail(f"{key}: {message}", self.lines.get(key, 1), hint)

    def text(self, key: str, required: bool = False) -> str:
        value = self.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if key in self.meta and self._comment_follows(key):
                self.fail(f"{key} is empty: YAML reads everything after # as a comment", self.lines.get(key, 1),
                          f"put the {key} in quotes: {key}: \"#…\"")
            elif required:
                self.fail(f"{key} is missing" if key not in self.meta else f"{key} is empty",
                          self.lines.get(key, 1), f"add a line {key}: … to the front matter")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # As written: YAML reads `title: 12:30` as the number 750, and `1e3` as 1000.0.
            written = self._written(key)
            value = written if written and not re.search(r"[ \t]#", written) else str(value)  # no comment
        if key == "category" and isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            # An editor who files a story under two sections: each story has one, and tags for the rest.
            others = f", and put the others among its tags: tags: [{', '.join(value[1:])}]" if len(value) > 1 else ""
            self._bad(key, f"a story has one section, not a list of {len(value)}", f"write category: {value[0]}{others}")
            return ""
        if not isinstance(value, str):
            self._bad(key, f"must be text, not {type(value).__name__}", f"put it in quotes: {key}: \"…\"")
            return ""
        self._cut(key, value.strip(), self._written(key))
        return value.strip()

    def names(self, key: str) -> tuple[str, ...]:
        """A name, or a list of names (`author: [سارة الأحمد, خالد يوسف]`, two writers of one story). A name
        alone is not parted at its commas, as tags are: a byline goes on with a place or a desk ("خالد يوسف،
        القاهرة")."""
        value = self.meta.get(key)
        if not isinstance(value, list):
            return (name,) if (name := self.text(key)) else ()
        if not all(isinstance(item, str) and item.strip() for item in value):  # `author: []` names none
            self._bad(key, "every name of the list must be text", f"write {key}: [first name, second name]")
            return ()
        return tuple(item.strip() for item in value)

    def _written(self, key: str) -> str:
        """What follows `key:` on the key's own line, as written ("" if the value is not there)."""
        line = self.lines.get(key)
        found = _KEY_LINE.match(self.raw[line - 2]) if line is not None and 0 <= line - 2 < len(self.raw) else None
        return found[2] if found and found[1] == key else ""

    def _cut(self, key: str, value: str, written: str) -> None:
        """An error when YAML read less than the line holds, which the page would show without anyone knowing: a
        plain value that goes on after a space and a hashtag (a comment to YAML: `title: iPhone #16 launch` is
        "iPhone"), or one that begins with a type (!) or a name (&), which YAML takes away. A comment written as
        one, `# ` with a space, is left to be one."""
        if not written or written[0] in "\"'[{|>" or value == written:
            return
        comment = re.search(r"[ \t]#(?=\S)", written)
        if written[0] in "!&" and not value.startswith(written[0]):
            what = f"{shown(written.split()[0])} as {_MARKS[written[0]]}"
        elif comment and value == written[:comment.start()].strip():
            what = f"{shown(written[comment.start():].strip())} as a comment"
        else:
            return
        self.fail(f"{key}: YAML reads {what}, so the {key} would be {shown(value)}", self.lines.get(key, 1),
                  f"put the whole {key} in quotes: {key}: {quoted(written)}")

    def _comment_follows(self, key: str, hashtag: bool = False) -> bool:
        """True if the key's line goes on with `# …` (with `hashtag`, a # with a word right after it):
        `title: #عاجل` is a title YAML never sees."""
        written = self._written(key)
        return written.startswith("#") and (not hashtag or len(written) > 1 and not written[1].isspace())

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value is None:
            if key in self.meta and self._comment_follows(key, hashtag=True):
                self.fail(f"{key} is empty: YAML reads everything after # as a comment", self.lines.get(key, 1),
                          f"write them without #: {key}: [first, second]")
            return ()
        if isinstance(value, str):  # tags: اقتصاد، نفط — as Pelican reads it
            value = [part for part in _LIST_COMMAS.split(value) if part.strip()] or [value]
        if not isinstance(value, list):
            self._bad(key, "must be a list", f"write {key}: [first, second]")
            return ()
        result = []
        for item in value:
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self._bad(key, f"every item must be text, found {item!r:.40}")
                return ()
            # YAML parts a list at "," only: [اقتصاد، نفط] was one tag of both words.
            result += [part.strip() for part in item.split("،") if part.strip()] or [item.strip()]
        if key == "tags":  # a hashtag in quotes, or typed into the editing page's tag box (which quotes it)
            result = [_without_hash(tag) for tag in result]
        return tuple(dict.fromkeys(tag for tag in result if tag))

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if not isinstance(value, bool):
            meant = flag_meant(value)
            self._bad(key, f"must be true or false, not {shown(str(value), 40)}{in_quotes(value)}",
                      f"write {key}: {meant}" if meant else "write true or false")
            return False
        return value

    def whole_number(self, key: str) -> int:
        """A whole number (0 if not given), in Arabic digits too."""
        value = self.meta.get(key)
        if value is None:
            return 0
        if type(value) is int:
            return value
        if isinstance(value, str) and value.strip().isdigit():  # ٢ in Arabic digits, which YAML reads as text
            return int(value.strip())
        self._bad(key, f"must be a whole number, not {shown(str(value), 40)}", f"write {key}: 1 (the smallest first)")
        return 0

    def parts(self, key: str, names: tuple[str, ...]) -> tuple[str, ...]:
        """A setting written as text (its first part) or as a mapping of `names` to text: each part, "" if not
        given."""
        value = self.meta.get(key)
        nothing = ("",) * len(names)
        if value is None:
            return nothing
        if isinstance(value, str):
            return (value.strip(), *nothing[1:])
        listed = f"{', '.join(names[:-1])} and {names[-1]}"
        example = f"write {key}: {{{', '.join(f'{name}: …' for name in names)}}}"
        if not isinstance(value, dict):
            self._bad(key, f"must be text or a mapping with {listed}", example)
            return nothing
        if other := [str(name) for name in value if name not in names]:
            self._bad(key, f"{shown(other[0], 40)} is none of its parts, which are {listed}", example)
            return nothing
        found = [value.get(name) or "" for name in names]
        if not all(isinstance(part, str) for part in found):
            self._bad(key, f"{listed} must be text", example)
            return nothing
        return tuple(part.strip() for part in found)

    def date(self, key: str, zone: ZoneInfo, required: bool = False, hint: str = "") -> datetime | None:
        """The date at `key`; None if not given (a mistake if `required`, said with `hint` if given)."""
        value = self.meta.get(key)
        if value is None:
            if required:
                self.fail(f"{key} is missing", self.lines.get(key, 1), hint or f"add a line {key}: 2023-09-13")
            return None
        return parse_date(str(value) if not isinstance(value, (dict, list)) else "", zone,
                          lambda msg, hint="": self._bad(key, msg, hint))


_LIST_COMMAS = re.compile("[,،]")


def _in_numbers(value: str, zone: ZoneInfo) -> str:
    """A date written in words (5 نوفمبر 2025, 13 September 2023 10:30) as YYYY-MM-DD[THH:MM±HH:MM]; "" if the
    words are not a date alone."""
    if not any(c.isalpha() for c in value) or len(value) > 100:
        return ""
    from .dateline import read_date  # here: month names of every region, from Babel, only for a mistake

    dated = read_date(value, zone.key)
    if dated is None or dated.extra or dated.relative:
        return ""
    return dated.when.isoformat(timespec="minutes") if isinstance(dated.when, datetime) else dated.when.isoformat()


def _time(written: str) -> str:
    """A time that follows a date, as ISO 8601 writes it (T09:30+03:00), or as it was written where it is no time."""
    time_of_day = _TIME.match(written)
    if time_of_day is None:
        return written
    hour, minutes, seconds, utc, offset, offset_minutes = time_of_day.groups()
    zone = utc or (f"{offset}:{offset_minutes or '00'}" if offset else "")
    return f"T{int(hour):02d}:{minutes}{seconds or ''}{zone}"


def _real(year: int, month: int, day: int) -> bool:
    try:
        return bool(date(year, month, day))
    except ValueError:
        return False


def parse_date(value: str, zone: ZoneInfo, bad) -> datetime | None:
    """Parse YYYY-MM-DD or ISO 8601 (Arabic-Indic or Persian digits too); a time without offset is in `zone`."""
    value = value.strip().translate(_EASTERN_DIGITS)
    year_first = _YEAR_FIRST.match(value)
    if year_first:  # 2023/9/13: the year first cannot be read two ways, as 13/9/2023 and 9/13/2023 can
        value = f"{year_first[1]}-{int(year_first[2]):02d}-{int(year_first[3]):02d}{_time(year_first[4] or '')}"
    day_first = _DAY_FIRST.match(value)
    if day_first:
        one, two, year = (int(part) for part in day_first.groups())
        readings = [f"{year}-{month:02d}-{day:02d}" for day, month in ((one, two), (two, one)) if _real(year, month, day)]
        if len(set(readings)) == 2:
            bad(f"{shown(value)} is not a date: the day and the month can be read either way round",
                f"write it year first: {readings[0]} if the day comes first, {readings[1]} if the month does")
        elif readings:  # 19/06/2024 or 06/19/2024: one reading only, but the editing page reads a date year first
            bad(f"{shown(value)} is written with the year last", f"write it year first: {readings[0]}")
        else:
            bad(f"{shown(value)} is not a real calendar date", "check the month and day, and write it as YYYY-MM-DD")
        return None
    if not DATE_LIKE.match(value):
        spelled = _in_numbers(value, zone)
        if spelled:
            # Kept an error: the editing page, and every other tool, reads a date only in numbers.
            bad(f"{shown(value)} is a date in words", f"write it in numbers: {spelled}")
        else:
            bad(f"{shown(value)} is not a date", "write it as YYYY-MM-DD, e.g. 2023-09-13, or 2023-09-13T10:30:00+03:00")
        return None
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), time(), zone)
        else:
            parsed = datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        bad(f"{value} is not a real calendar date", "check the month and day" if len(value) == 10 else
            "check the month, the day and the time (hours 00 to 23)")
        return None
    try:
        local = parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed.astimezone(zone)
    except OverflowError:
        local = None
    if local is None or not 1 <= local.year <= 9998:  # a year of room: archives look a day ahead
        bad(f"{value} is outside the dates a site can show", "use a year between 1 and 9998")
        return None
    return local
