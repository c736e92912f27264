"""`import`: a news page copied from the browser as plain text becomes draft articles.

A pasted page is read by evidence, not by one rule per line. Each line is first given a kind
from what it says (a date line, a source, a byline, a "read also" marker, share buttons…:
pastedlines.py); what is left is text. A headline is a short text line without closing punctuation that is
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
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from .config import SiteConfig
from .content import language_written
from .errors import BuildError, Diagnostic, shown
from .credits import shown_under
from .formatted import picture
from .pagefile import InText, PageFile
from .pastedlines import CONTINUING, Line, counted_back, drop_marker, headline_like, read_lines
from .scaffold import Draft, Known, free_slug, in_text, path_for, slug_for, with_picture
from .text import normalize

SECTION_MAX_WORDS = 2  # a line this short above the headline is a section name
DECK_MIN_WORDS = 5  # a subtitle is a phrase; a shorter line under the headline is a name or a place
TITLE_FROM_TEXT_WORDS = 12


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
    numbers: list[int] = field(default_factory=list)  # the line each paragraph begins on
    dated: bool = True  # False: no date line was found, and `when` is today

    def add(self, number: int, paragraph: str) -> None:
        self.paragraphs.append(paragraph)
        self.numbers.append(number)


@dataclass(frozen=True)
class Reading:
    stories: tuple[Story, ...]  # the main story first
    warnings: tuple[Diagnostic, ...]  # one per guess, naming its line


# The Story field each kind of line fills.
_FIELD = {"date": "when", "updated": "updated", "source": "source", "agency": "source", "url": "url",
          "author": "author", "tags": "tags", "dateline": "when"}
_WEAK = ("agency", "dateline")  # an agency's name or a dateline's date: any line that says so outright outweighs it


def read_pasted(text: str, path: str, timezone_name: str, now: datetime | None = None,
                marked: Mapping[int, tuple[str, str]] | None = None) -> Reading:
    """The stories of a pasted page, and what was guessed; BuildError only when there is no story. A line in
    `marked` (its text, and the Markdown of its formatting: a Word document's or a saved page's) is written to the
    story as that Markdown, where the line is read as text as it stands."""
    now = now or datetime.now(timezone.utc)
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate cannot be written to a file
    lines = read_lines(text, timezone_name, now)
    reader = _Reader(path, lines, marked or {})
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


def _headline_at(lines: list[Line], leading: list[int]) -> int | None:
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


def _above_headline(text: str) -> bool:
    """A section name (a word or two) or a dateline ("أبوظبي - سكاي نيوز عربية"), seen above headlines."""
    place, _, outlet = text.rpartition(" - ")
    return len(text.split()) <= SECTION_MAX_WORDS or (0 < len(place.split()) <= 2 and 0 < len(outlet.split()) <= 3)


def _is_deck(text: str) -> bool:
    """A subtitle under the headline: headline-like, but a phrase, not a name or a place."""
    return headline_like(text) and len(text.split()) >= DECK_MIN_WORDS


def _first_words(text: str) -> str:
    """A title from the text's opening: its first words, up to the last comma or full stop among them that
    leaves a few, so the title ends where a phrase does ("… منذ ثلاثة أسابيع"), not inside one ("… وفق ما")."""
    words = text.split()[:TITLE_FROM_TEXT_WORDS + 1]
    ends = [i for i, word in enumerate(words[:-1]) if word.endswith(("،", ",", ".", "؛", ":")) and i >= 3]
    cut = ends[-1] + 1 if ends else TITLE_FROM_TEXT_WORDS
    return " ".join(words[:cut]).rstrip("،,.:؛")


def _body(paragraphs: list[str]) -> str:
    """The story's Markdown: paragraphs apart, a list's items and a quotation's lines together."""
    body = ""
    for before, paragraph in zip([""] + paragraphs, paragraphs):
        item_before, item = _LIST_ITEM.match(before), _LIST_ITEM.match(paragraph)
        if item and item[1] and not item_before:  # an item nested in one with no words: alone, it would be code
            paragraph = paragraph.lstrip()
        if item_before and item and (item[1] or item_before[2] == item[2]):  # nested, or a list of the same kind
            body += "\n"
        elif before.startswith(">") and paragraph.startswith(">"):
            body += "\n>\n"
        elif body:
            body += "\n\n"
        body += paragraph
    return body


_LIST_ITEM = re.compile(r"( *)(?:([-*+])|\d+[.)]) ")


class _Reader:
    """Puts classified lines together into stories, noting every guess."""

    def __init__(self, path: str, lines: list[Line], marked: Mapping[int, tuple[str, str]]):
        self.path, self.lines, self.marked = path, lines, marked
        self.warnings: list[Diagnostic] = []
        self.dropped: list[Line] = [line for line in lines if line.kind == "dropped"]

    def shown(self, line: Line) -> str:
        """The line as the story shows it: as Markdown where its page formats it and it is read as it stands."""
        text, formatted = self.marked.get(line.number, ("", ""))
        return formatted if formatted and " ".join(text.split()) == line.text else line.text

    def joined(self, story: Story, lines: list[Line]) -> None:
        """The story's paragraphs; a dateline cut off on its own line ("بغداد -") joins the paragraph after it."""
        carried, at = "", 0
        for line in lines:
            if line.text.endswith(("-", "–", "—")) and len(line.text.split()) <= 4:
                carried, at = carried + line.text + " ", at or line.number
            else:
                story.add(at or line.number, carried + self.shown(line))
                carried, at = "", 0
        if carried:
            story.add(at, carried.strip())

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

    def _main(self, lines: list[Line]) -> Story | None:
        texts = [i for i, line in enumerate(lines) if line.kind == "text"]
        if not texts:
            self._fields(None, lines)
            return None
        fields = [line for line in lines if line.kind != "text"]
        # Above the headline: short lines of a section name ("أخبار مصر") or a dateline ("أبوظبي - سكاي نيوز").
        first_body = next((i for i in texts if not headline_like(lines[i].text)), len(lines))
        leading = [i for i in texts if i < first_body]
        title_at = _headline_at(lines, leading)
        for at in leading:
            if at == title_at:
                break
            line = lines[at]
            place, _, outlet = line.text.rpartition(" - ")
            if place and outlet:
                fields.append(Line(line.number, line.text, "agency", outlet))
                self.warn(line.number, f"took {shown(outlet)} above the headline as the source", "check the source")
            else:
                self.warn(line.number, f"dropped {shown(line.text)} above the headline (a section name?)")
        if title_at is None:  # no line reads like a headline: the first sentence stands in, and stays in the text
            paragraph = lines[texts[0]]
            main = Story(_first_words(drop_marker(paragraph.text)), paragraph.number)
            self.warn(paragraph.number, "no line reads like a headline; the first words of the text are the title",
                      "write the title in the draft")
            rest = [lines[i] for i in texts]
        else:
            main = Story(drop_marker(lines[title_at].text), lines[title_at].number)
            rest = [lines[i] for i in texts if i > title_at]
        if len(rest) > 1 and _is_deck(rest[0].text) and not headline_like(rest[1].text):
            deck = rest.pop(0)
            main.summary = deck.text
            self.warn(deck.number, f"took {shown(deck.text)} as the summary (a subtitle under the headline)")
        self.joined(main, rest)
        self._fields(main, fields)
        return main

    def _further(self, lines: list[Line], main: Story) -> list[Story]:
        stories: list[Story] = []
        current: Story | None = None  # the further story being read; None right after a marker
        pending: list[Line] = []  # fields seen before the next headline
        gave_back = False  # text after this marker went back to the main story
        expanded: list[Line] = []
        for line in lines:
            expanded.append(line)
            if line.kind == "further" and line.value:  # "اقرأ أيضاً: headline" carries its headline
                expanded.append(Line(line.number, str(line.value), "text"))
        starts = {i for i, line in enumerate(expanded) if line.kind == "text" and self._starts_story(expanded, i)}
        last_start = max(starts, default=-1)
        for i, line in enumerate(expanded):
            if line.kind == "further":
                current, gave_back = None, False
            elif line.kind == "text" and i in starts:
                current = Story(drop_marker(line.text), line.number)
                stories.append(current)
                self._fields(current, pending)
                pending = []
            elif line.kind == "text" and current is not None:
                current.add(line.number, self.shown(line))
            elif line.kind == "text" and headline_like(line.text):
                self.warn(line.number, f"the headline {shown(line.text)} has no text under it; not imported",
                          "import its own page to pin it")
            elif line.kind == "text":
                # A link inside the text ("اقرأ أيضاً: …" between two paragraphs): the story goes on.
                if not gave_back:
                    self.warn(line.number, f"the text goes on after a 'read also' link; kept in {shown(main.title)}",
                              "check the end of that story")
                main.add(line.number, self.shown(line))
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
    def _starts_story(lines: list[Line], i: int) -> bool:
        """A headline: headline-like, and the next text line (past dates, sources, bylines) is body text
        that opens a story: "وأضاف …" ("and he added") goes on with one, so the line above is a link."""
        if not headline_like(lines[i].text):
            return False
        for line in lines[i + 1:]:
            if line.kind == "further":
                return False
            if line.kind == "text":
                return not headline_like(line.text) and normalize(line.text.split()[0]) not in CONTINUING
        return False

    def _fields(self, story: Story | None, lines: list[Line]) -> None:
        """Give `story` the dates, source, byline, address and tags of `lines`; a second one is a warning.

        A labelled source ("المصدر: …") outweighs an agency's name on a line of its own or in a dateline, and a
        date line a dateline's date.
        """
        # A source given as such before an agency's name, a date line before a dateline's date, an exact date
        # before one counted back from now.
        for line in sorted(lines, key=lambda line: (line.kind in _WEAK, counted_back(line))):
            if line.kind == "bad-date":
                self.warn(line.number, f"cannot read the date {shown(line.value)}; the line is dropped",
                          "write it like 15 سبتمبر 2023, 15/09/2023 or 2023-09-15")
                continue
            name = _FIELD.get(line.kind)
            if name is None or story is None:
                continue
            if getattr(story, name) and (line.kind in _WEAK or counted_back(line)):
                continue  # an exact date was there too: "2h" above a post on X, its moment under it
            value = line.value.when if line.kind in ("date", "updated", "dateline") else line.value
            if getattr(story, name):
                if not _agrees(getattr(story, name), value):
                    self.warn(line.number, f"a second {_WORDING[line.kind]} for {shown(story.title)}; kept the first",
                              "check the draft")
                continue
            if line.kind == "dateline" and line.value.relative:
                self.warn(line.number, f"the dateline {shown(line.text)} gives no year; took the last such day",
                          "check the date in the draft")
            elif line.kind in ("date", "updated") and line.value.relative:
                self.warn(line.number, f"{shown(line.text)} is counted back from now", "check the date in the draft")
            if line.kind in ("date", "updated", "dateline") and line.value.hijri:
                self.warn(line.number, f"read the Hijri date {shown(line.text)} as {value:%Y-%m-%d}, in the Umm al-Qura "
                          "calendar", "check the day in the draft: where the month began a day apart, so does the date")
            setattr(story, name, value)


def _with_photos(config: SiteConfig, draft: Draft, story: Story, photos: tuple[InText, ...], taken: set) -> Draft:
    """The draft with a page's pictures in its text, each before the first paragraph that stood below it (a photo
    in a paragraph, after that paragraph), its figure's caption and credit its title, which a story shows under
    it: a file's written beside the draft as its image is, a web page's at its address until the drafts are
    written (`pictures_brought`)."""
    paragraphs, numbers = list(story.paragraphs), list(story.numbers)
    for photo in photos:
        address = photo.address
        if photo.picture is not None:
            draft, address = in_text(config, draft, photo.picture, taken)
        at = next((i for i, number in enumerate(numbers) if number > photo.line), len(numbers))
        paragraphs.insert(at, picture(photo.alt, address, shown_under(photo.caption, photo.credit)))
        numbers.insert(at, photo.line)
    return replace(draft, body=_body(paragraphs))


def _lead(page: PageFile, story: Story) -> InText | None:
    """A web page's lead picture: the first of its story above the story's text. The picture a page gives for
    sharing is often a crop of it, or the outlet's logo, with a banner over it; the story's own has its caption."""
    first = story.numbers[0] if story.numbers else None
    return next((shown for shown in page.in_text if first is None or shown.line < first), None)


def _agrees(first: object, second: object) -> bool:
    """Whether a second line says what the first did: the same value, or the same day with or without its time."""
    if isinstance(first, date) and isinstance(second, date):
        if isinstance(first, datetime) and isinstance(second, datetime):
            return first == second
        return _as_day(first) == _as_day(second)
    return first == second


def _as_day(when: date) -> date:
    return when.date() if isinstance(when, datetime) else when


_WORDING = {"date": "date line", "updated": "update line", "source": "source line", "url": "web address",
            "author": "byline", "tags": "tags line"}


@dataclass(frozen=True)
class Imported:
    drafts: tuple[Draft, ...]
    warnings: tuple[Diagnostic, ...]
    skipped: tuple[str, ...]  # one line per story already in content/


def import_pages(config: SiteConfig, pages: list[PageFile], lang: str | None, now: datetime | None = None) -> Imported:
    """Drafts for the stories of every page, all or none: BuildError lists every refused page.

    A story already in content/ (the same title and day, or the same source address) is skipped,
    and a further story found there is pinned by its existing slug. The page's picture (a Word document's photo,
    or the one a web page gives for sharing) is its main story's image. Without `lang`, each page's stories are in
    the site's language its letters are written in (`content.language_written`), else the default language.
    """
    readings, errors = [], []
    for page in pages:
        try:
            readings.append((page.name, read_pasted(page.text, page.name, config.timezone, now, page.marked)))
        except BuildError as error:
            errors.extend(error.diagnostics)
    if errors:
        raise BuildError(errors)
    known, taken, pictures_taken = Known.of(config), set(), set()
    drafts: list[Draft] = []
    warnings: list[Diagnostic] = []
    skipped: list[str] = []
    for (name, reading), page in zip(readings, pages):
        warnings.extend(reading.warnings)
        page_lang = lang or language_written(config, page.text) or config.default_language
        if page_lang != (lang or config.default_language):
            warnings.append(Diagnostic(name, f"is written in the letters of {page_lang}, not of "
                                       f"{config.default_language}: imported as {page_lang}", 1,
                                       f"give --lang {config.default_language} to import it as that", "warning"))
        main_index, main_is_new, slugs = len(drafts), False, []
        for position, story in enumerate(reading.stories):
            existing = known.find(page_lang, story.title, story.when if story.dated else None, story.url)
            if existing:
                skipped.append(f"{name}:{story.line}: {shown(story.title)} is already in {existing.path}; skipped")
                slugs.append(existing.slug)
                continue
            draft = free_slug(config, Draft(
                story.title, story.when, page_lang, slug_for(story.title), _body(story.paragraphs),
                tags=tuple(story.tags), source_name=story.source, source_url=story.url, summary=story.summary,
                authors=(story.author,) if story.author else (), updated=story.updated, fetched_from=page.network), taken)
            known.add(draft, path_for(config, draft).relative_to(config.root).as_posix())
            drafts.append(draft)
            slugs.append(draft.slug)
            main_is_new = main_is_new or position == 0
        if main_is_new and len(slugs) > 1:
            drafts[main_index] = replace(drafts[main_index], related=tuple(slugs[1:]))
        if not main_is_new:
            continue
        lead = _lead(page, reading.stories[0]) if page.picture is None else None
        further = tuple(shown for shown in page.in_text if shown is not lead)
        if page.picture:
            drafts[main_index] = replace(with_picture(config, drafts[main_index], page.picture, pictures_taken),
                                         image_caption=page.picture.caption, image_credit=page.picture.credit)
            if not page.picture.alt:
                warnings.append(Diagnostic(name, "its photo has no description (Alt Text); the draft's image has no "
                                           "alt text", 1, "describe the picture in the draft's image: alt:", "warning"))
        elif lead or page.image:  # a web page's, by its address as import-feed takes an item's, or from its folder
            if lead and lead.picture:
                drafts[main_index] = with_picture(config, drafts[main_index], replace(lead.picture, alt=lead.alt),
                                                  pictures_taken)
            else:
                drafts[main_index] = replace(drafts[main_index], image_src=lead.address if lead else page.image,
                                             image_alt=lead.alt if lead else page.image_alt)
            if lead:
                drafts[main_index] = replace(drafts[main_index], image_caption=lead.caption, image_credit=lead.credit)
            if not drafts[main_index].image_alt:
                warnings.append(Diagnostic(name, "its picture has no description; the draft's image has no alt text",
                                           lead.line if lead else 1, "describe the picture in the draft's image: alt:",
                                           "warning"))
        if further:
            drafts[main_index] = _with_photos(config, drafts[main_index], reading.stories[0], further, pictures_taken)
            bare = [shown.line for shown in further if not shown.alt]
            if bare:
                warnings.append(Diagnostic(name, f"{len(bare)} of the photos in its text have no description (Alt "
                                           "Text)", bare[0], "describe each in the draft: ![what it shows](…)",
                                           "warning"))
    return Imported(tuple(drafts), tuple(warnings), tuple(skipped))