"""What a story moved from another publishing system brings, which Mujaz reads otherwise or not at all.

An archive moved from Hugo, Jekyll, Pelican or WordPress keeps that system's names for its settings
(`description:`, `lastmod:`, `categories:`) and its codes in the text (`{{< youtube … >}}`, `{% include … %}`,
`[caption]…[/caption]`). Mujaz ignores the first and has none of the second, so a story lost its summary in
silence, and readers saw the codes typed out. Each is named at its line with what to write instead; where Mujaz
has an equivalent, `replacement` is its text, which `convert` writes into the file.
"""

from __future__ import annotations

import bisect
import difflib
import html
import re
from dataclasses import dataclass

from .errors import Diagnostic, shown
from .slips import MOST_STORIES, each_named, outside_code

# Other systems' names for Mujaz's keys: Hugo, Jekyll, Pelican, WordPress exports and their themes.
_SAME_AS = {
    "summary": ("description", "excerpt", "abstract", "lead", "lede", "teaser", "subtitle", "subheading", "intro"),
    "updated": ("lastmod", "modified", "last_modified_at", "updated_at", "modified_at", "modified_date", "lastupdated"),
    "date": ("publishdate", "pubdate", "published_at", "publish_date", "date_published", "created", "created_at"),
    "category": ("categories", "section"),
    "tags": ("keywords", "tag", "labels"),
    "author": ("authors", "byline", "writer"),
    "image": ("images", "featured_image", "featuredimage", "cover", "cover_image", "coverimage", "thumbnail", "banner",
              "hero", "og_image", "feature", "header_image", "featured"),
    "aliases": ("alias", "redirect_from"),
    "translation_key": ("translationkey", "ref"),
    "pinned": ("sticky", "pin", "top_story"),
}
RENAMED = {other: ours for ours, others in _SAME_AS.items() for other in others}
ADDRESS_KEYS = frozenset({"url", "permalink"})  # a story's old address (a `link:` may be another site's page)
LANGUAGE_KEYS = frozenset({"lang", "language", "locale"})


def unknown_key(path: str, key: object, value: object, line: int, known: frozenset[str], draft: bool) -> Diagnostic:
    """The warning for a front matter key Mujaz does not read, naming Mujaz's own for it or the closest of `known`;
    an error for another system's mark of a story held back (`published: false`, `status: draft`) on a story that
    is no `draft`: Mujaz would publish it."""
    name = str(key).strip().lower().replace("-", "_")
    held = name == "published" and value is False or name == "status" and str(value).lower() in HELD_BACK
    if held and not draft:
        written = "false" if value is False else shown(str(value), 40)[1:-1]
        return Diagnostic(path, f"{name}: {written} holds the story back in the system it came from, and Mujaz "
                          "would publish it", line, "write draft: true in its place (or delete the line to publish it)")
    hint = _hint(name, value, known)
    return Diagnostic(path, f"unknown front matter key {shown(key)} is ignored", line, hint, "warning",
                      _KEY if _CONVERTS in hint else "")


HELD_BACK = frozenset({"draft", "pending", "private", "future", "trash", "unpublished", "hidden"})


def _hint(name: str, value: object, known: frozenset[str]) -> str:
    if name in known:
        return f"keys are written in small letters: {name}: {_CONVERTS}"
    if name in RENAMED:
        ours = RENAMED[name]
        if ours == "category" and isinstance(value, list):
            first = next((str(item) for item in value if item), "…")
            return f"Mujaz calls it category, and a story has one: category: {shown(first, 40)[1:-1]} {_CONVERTS}"
        if ours == "image":
            return f"Mujaz calls it image, and reads it as image: {{src: /images/….jpg, alt: …}} {_CONVERTS}"
        return f"Mujaz calls it {ours}: rename the key {_CONVERTS}"
    if name in ("published", "status"):
        return f"a story is published unless it says draft: true: delete the line {_CONVERTS}"
    if name in ADDRESS_KEYS:
        return ("a story's address is made from its date and slug: list its old address under aliases:, so links "
                f"to it keep working {_CONVERTS}")
    if name in LANGUAGE_KEYS:
        return f"the file's name gives its language (<slug>.ar.md, <slug>.en.md): delete the line {_CONVERTS}"
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return f"did you mean {close[0]}:?" if close else f"known keys: {', '.join(sorted(known))}"


# Hugo's page for a section (content/posts/_index.md): its title and words head the section's list.
SECTION_PAGE = "_index"
SECTION_PAGE_NOTE = "is Hugo's page for a section, and Mujaz makes its section pages itself"
SECTION_PAGE_HINT = "move its words into a story, then delete it"


# The first lines of front matter another system writes, which Mujaz does not read: TOML (Hugo's +++), JSON
# (Hugo's {), and Pelican's metadata lines with no --- around them (Title: …), known by its keys: a story that
# opens with "Update: …" is not Pelican's.
_PELICAN_LINE = re.compile(r"^(?:Title|Date|Modified|Tags|Category|Slug|Authors?|Summary|Lang|Status|Template):\s")


def other_front_matter(first_line: str) -> tuple[str, str] | None:
    """(what, how to fix) for a file whose first line opens another system's front matter; None otherwise."""
    line = first_line.strip()
    if line == "+++":
        return ("its front matter is TOML (between +++ lines, as Hugo writes it), and Mujaz reads YAML",
                "write it between --- lines, as key: value (or run: python -m generator convert)")
    if line == "{":
        return ("its front matter is JSON (as Hugo can write it), and Mujaz reads YAML",
                "write it between --- lines, as key: value (or run: python -m generator convert)")
    if _PELICAN_LINE.match(line):
        return ("its settings have no --- line above them (Pelican's metadata)",
                "put a line --- above them and one below, and write each key in small letters (or run: "
                "python -m generator convert)")
    return None


@dataclass(frozen=True)
class Code:
    """Another system's code in a story's text: where it is, whose it is, and Mujaz's text for it ("" to delete it)."""

    start: int
    end: int
    system: str  # "Hugo", "Jekyll" or "WordPress"
    written: str
    replacement: str | None  # None where Mujaz has nothing like it


# Hugo's shortcodes ({{< name … >}}, {{% name … %}}), Liquid's tags and outputs (Jekyll: {% name … %},
# {{ site.baseurl }}), and WordPress's shortcodes by name: [caption …]…[/caption] (a bracket alone is Markdown's).
# None reads past the next code's opening: a text of a million openings is read once, not once for each.
_HUGO = re.compile(r"\{\{([<%])-?[ \t]*/?[ \t]*([\w./-]{1,60})([^\n{]{0,2000}?)[ \t]*-?[>%]\}\}")
_LIQUID = re.compile(r"\{%-?[ \t]*(\w{1,60})([^\n{]{0,2000}?)-?%\}|\{\{-?[ \t]*([\w\"'][^\n{}]{0,300}?)[ \t]*-?\}\}")
_WORDPRESS_NAMES = (r"caption|wp_caption|embed|gallery|video|audio|playlist|youtube|vimeo|tweet|instagram|"
                    r"soundcloud|googlemaps|(?:vc|et_pb|su|fusion|av|ux)_[\w-]{1,40}")
# WordPress writes them in small letters; a label a story opens with ([Video], [VIDEO]) is none, nor is a bare
# [video]: one alone counts with its settings (`[video src=…]`, `[youtube=…]`), or as a closing [/video].
_WORDPRESS = re.compile(rf"\[(/?)({_WORDPRESS_NAMES})\b([^\[\]\n]{{0,2000}})\]")
_WORDPRESS_PAIR = re.compile(r"\[(caption|wp_caption|embed)\b([^\[\]\n]{0,2000})\]((?:(?!\[/?\1\b)[^\n]){0,4000}?)"
                             r"\[/\1\]")
_ANY = re.compile(rf"\{{\{{|\{{%|\[/?(?:{_WORDPRESS_NAMES})\b")
_ATTRIBUTE = re.compile(r"""([\w-]{1,40})\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_POSITIONAL = re.compile(r"""(?:"([^"]*)"|'([^']*)'|([^\s"'=]+))""")
_VIDEO_ID = re.compile(r"[\w-]{6,20}")
_HANDLE = re.compile(r"\w{1,50}")
_NUMBER = re.compile(r"\d{1,30}")
_PICTURE = re.compile(r"^(<a\b[^<>]*>)?\s*(<img\b[^<>]*>)\s*(</a>)?", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def codes(body: str) -> list[Code]:
    """Every other system's code in `body`, outside code blocks and code spans, in order of place."""
    if not _ANY.search(body):
        return []
    text = outside_code(body)
    hugo = [Code(m.start(), m.end(), "Hugo", m[0], _hugo(m[2].lower(), m[3])) for m in _HUGO.finditer(text)]
    liquid = [Code(m.start(), m.end(), "Jekyll", m[0], _liquid(m)) for m in _LIQUID.finditer(text)]
    pairs = [Code(m.start(), m.end(), "WordPress", m[0], _wordpress_pair(m)) for m in _WORDPRESS_PAIR.finditer(text)]
    single = [Code(m.start(), m.end(), "WordPress", m[0], _wordpress(m)) for m in _WORDPRESS.finditer(text)
              if m[1] or "=" in m[3] or "_" in m[2]]
    found = _outside(liquid, hugo) + _outside(single, pairs) + hugo + pairs
    return sorted((Code(c.start, c.end, c.system, body[c.start:c.end], c.replacement) for c in found),
                  key=lambda code: code.start)


def _outside(codes_found: list[Code], spans: list[Code]) -> list[Code]:
    """The codes that begin in none of `spans` (a Liquid tag inside a Hugo shortcode is the shortcode's); both
    lists are in order of place, and the spans do not overlap."""
    ends = [span.end for span in spans]
    starts = [span.start for span in spans]
    kept = []
    for code in codes_found:
        at = bisect.bisect_right(starts, code.start) - 1
        if at < 0 or code.start >= ends[at]:
            kept.append(code)
    return kept


def _arguments(text: str) -> tuple[dict[str, str], list[str]]:
    named = {m[1].lower(): next(v for v in m.groups()[1:] if v is not None) for m in _ATTRIBUTE.finditer(text)}
    rest = _ATTRIBUTE.sub(" ", text)
    return named, [next(v for v in m.groups() if v is not None) for m in _POSITIONAL.finditer(rest)]


def _hugo(name: str, text: str) -> str | None:
    named, positional = _arguments(text.rstrip("/ \t"))
    first = positional[0] if positional else ""
    if name == "youtube":
        video = named.get("id", first)
        return f"https://www.youtube.com/watch?v={video}" if _VIDEO_ID.fullmatch(video) else None
    if name == "vimeo":
        video = named.get("id", first)
        return (f'<iframe src="https://player.vimeo.com/video/{video}" width="640" height="360" allowfullscreen>'
                "</iframe>" if _NUMBER.fullmatch(video) else None)
    if name in ("tweet", "x", "twitter"):
        user, post = named.get("user", ""), named.get("id", first)
        return f"https://x.com/{user}/status/{post}" if _HANDLE.fullmatch(user) and _NUMBER.fullmatch(post) else None
    if name == "instagram":
        post = named.get("id", first)
        return f"https://www.instagram.com/p/{post}/" if _VIDEO_ID.fullmatch(post) else None
    if name == "figure" and named.get("src"):
        return _picture_and_caption(named["src"], named.get("alt", ""), named.get("caption", named.get("title", "")))
    if name in ("ref", "relref") and first:
        return first
    return None


def _liquid(match: re.Match) -> str | None:
    if match[1] in ("raw", "endraw"):
        return ""  # only keeps Liquid from reading what is between: nothing a reader saw
    output = match[3]
    if output is None:
        return None
    words = output.replace(" ", "")
    if words in ("site.baseurl", "site.url", "site.url}}{{site.baseurl"):
        return ""  # an address from the site's root gets the base path
    quoted = re.fullmatch(r"""["']([^"']{1,500})["']\|(?:relative_url|absolute_url)""", words)
    return quoted[1] if quoted else None


def _wordpress_pair(match: re.Match) -> str | None:
    name, inner = match[1].lower(), match[3].strip()
    if name == "embed":
        return inner if re.fullmatch(r"https?://\S{1,2000}", inner) else None
    picture = _PICTURE.match(inner)
    if not picture:
        return None
    caption = inner[picture.end():].strip()
    named, _ = _arguments(match[2])
    caption = caption or named.get("caption", "")
    image = picture[2]
    alt = _ALT.search(image)
    if (alt is None or not "".join(part or "" for part in alt.groups()).strip()) and caption:
        # The caption describes a picture left undescribed.
        plain = html.escape(html.unescape(re.sub(r"<[^<>]*>", "", caption)))
        image = _ALT.sub("", image, count=1)
        image = image[:4] + f' alt="{plain}"' + image[4:]
    shown_picture = (picture[1] or "") + image + (picture[3] or "")
    return shown_picture + (f"\n\n{caption}" if caption else "")


def _wordpress(match: re.Match) -> str | None:
    closing, name, text = match[1], match[2].lower(), match[3]
    if closing:
        return None
    named, positional = _arguments(text.lstrip("="))
    address = named.get("url", named.get("src", positional[0] if positional else ""))
    if name in ("youtube", "vimeo", "embed") and re.fullmatch(r"https?://\S{1,2000}", address):
        return address
    return None


def _picture_and_caption(src: str, alt: str, caption: str) -> str:
    described = (alt or re.sub(r"<[^<>]*>", "", caption)).replace("]", "\\]")
    return f"![{described}]({src})" + (f"\n\n{caption}" if caption else "")


_WHAT = {"Hugo": "a Hugo shortcode", "Jekyll": "a Liquid tag (Jekyll's)", "WordPress": "a WordPress shortcode"}


def code_warnings(path: str, body: str, first_line: int) -> list[Diagnostic]:
    """A warning at its line for each other system's code in a story's text (slips.MOST_NAMED, then a count)."""
    found = [(code.start, code) for code in codes(body)]
    return each_named(path, body, first_line, found, "codes of other systems", lambda line, code: Diagnostic(
        path, f"{_WHAT[code.system]} ({_cut(code.written, 60)}) shows to readers as typed: Mujaz has no such codes",
        line, _instead(code.replacement), "warning", "" if code.replacement is None else _CODE))


def _instead(replacement: str | None) -> str:
    if replacement is None:
        return "write what it showed in Markdown or HTML, or delete it"
    if not replacement:
        return f"delete it {_CONVERTS}"
    shown_first, _, caption = replacement.partition("\n\n")
    below = ", and its caption in a paragraph below" if caption else ""
    return f"write {_cut(shown_first, 120)} in its place{below} {_CONVERTS}"


# The kinds of warning `convert` mends: past MOST_STORIES stories, one line says them all.
_KEY, _CODE = "another system's key", "another system's code"
_CONVERTS = "(python -m generator convert does)"


def grouped(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """`diagnostics` with the warnings `convert` mends in one line where more than MOST_STORIES stories have them:
    an archive moved whole holds thousands, and each build would print them all."""
    mended = [d for d in diagnostics if d.kind in (_KEY, _CODE)]
    stories = dict.fromkeys(d.path for d in mended)
    if len(stories) <= MOST_STORIES:
        return diagnostics
    some = ", ".join(list(stories)[:MOST_STORIES])
    keys = sum(d.kind == _KEY for d in mended)
    return [d for d in diagnostics if d.kind not in (_KEY, _CODE)] + [Diagnostic(
        "content/", f"{len(stories):,} stories are written for another system ({some}, …): {keys:,} keys Mujaz "
        f"names otherwise, {len(mended) - keys:,} codes readers would see typed out", None,
        "python -m generator convert writes them in Mujaz's terms; then check names what is left", "warning")]


def _cut(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters: a message is one line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
