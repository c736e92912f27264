"""A YAML loader built on yaml.SafeLoader that keeps dates as text.

Dates stay strings so that frontmatter.py can report `2023-02-30` as a dated,
line-numbered mistake instead of a ValueError from deep inside PyYAML.
"""

from __future__ import annotations

import re

import yaml


_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader without the implicit timestamp type; nothing else changes."""

    yaml_implicit_resolvers = _RESOLVERS


# The same on LibYAML's C parser, several times faster. Its error messages are
# worded differently, so on a mistake frontmatter.py parses again with SafeLoader.
FastSafeLoader: type | None = None
if getattr(yaml, "CSafeLoader", None) is not None:
    class FastSafeLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        yaml_implicit_resolvers = _RESOLVERS


# What a front matter or config file may expand to: far above any real one (a front matter has tens
# of nodes, config.yaml a few hundred), far below what makes a walk of the values slow. Aliases
# count as the nodes they stand for, so a few hundred bytes of nested aliases cannot expand to millions.
MAX_NODES = 20_000
MAX_DEPTH = 64


class TooBig(yaml.YAMLError):
    """A document whose values would expand past MAX_NODES or nest past MAX_DEPTH."""

    def __init__(self, problem: str, line: int | None = None):
        super().__init__(problem)
        self.problem = problem
        self.line = line  # 0-based, like PyYAML's marks


def check_size(node: yaml.Node | None) -> None:
    """Raise TooBig if `node`, with every alias expanded, holds too many nodes or nests too deep.

    Iterative, with the size of each shared node counted once and multiplied: it never expands anything.
    """
    if node is None:
        return
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 1, False)]
    while stack:
        here, depth, children_done = stack.pop()
        if depth > MAX_DEPTH:
            raise TooBig(f"values are nested more than {MAX_DEPTH} levels deep", here.start_mark.line)
        if id(here) in sizes:
            continue
        children = _children(here)
        if children_done or not children:
            total = 1 + sum(sizes[id(child)] for child in children)
            if total > MAX_NODES:
                raise TooBig(f"repeated references (&anchors and *aliases) expand to more than {MAX_NODES:,} values",
                             here.start_mark.line)
            sizes[id(here)] = total
            continue
        stack.append((here, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def bounded_node(loader) -> yaml.Node | None:
    """The loader's one document as a node, composed but not constructed; TooBig for a bomb or a deep nest."""
    try:
        node = loader.get_single_node()
    except RecursionError:
        raise TooBig(f"values are nested more than {MAX_DEPTH} levels deep") from None
    check_size(node)
    return node


def load_bounded(text: str, loader_class: type = SafeLoader, repeated: list | None = None,
                 lines: dict | None = None):
    """yaml.load with the size check before anything is constructed; `repeated` gets repeated_keys(), `lines`
    key_lines()."""
    loader = loader_class(text)
    try:
        node = bounded_node(loader)
        if node is not None and repeated is not None:
            repeated += repeated_keys(node)
        if node is not None and lines is not None:
            lines.update(key_lines(node))
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def key_lines(node: yaml.Node) -> dict[str, int]:
    """The 0-based line of every setting by its path as messages name it: `markdown.embed_hosts`, `languages[1]`,
    `languages[1].code`. Run on a node check_size() bounded."""
    found: dict[str, int] = {}
    stack: list[tuple[yaml.Node, str]] = [(node, "")]
    while stack:
        here, path = stack.pop()
        if isinstance(here, yaml.MappingNode):
            for key, value in here.value:
                if isinstance(key, yaml.ScalarNode):
                    inner = f"{path}.{key.value}" if path else key.value
                    if inner not in found:  # an alias reached again: its first path is enough
                        found[inner] = key.start_mark.line
                        stack.append((value, inner))
        elif isinstance(here, yaml.SequenceNode):
            for number, item in enumerate(here.value):
                inner = f"{path}[{number}]"
                if inner not in found:
                    found[inner] = item.start_mark.line
                    stack.append((item, inner))
    return found


def written_twice(key: str, first: int, again: int) -> str:
    """The message for a key repeated_keys() found, its lines counted as the file counts them."""
    where = f"on line {again}" if first == again else f"on lines {first} and {again}"
    shown = repr(key) if len(key) <= 40 else repr(key[:40]) + "…"  # a pasted key may be a megabyte long
    return f"{shown} is written twice, {where}: only the second would count"


def repeated_keys(node: yaml.Node) -> list[tuple[str, int, int]]:
    """(key, 0-based line it is first written on, line it is written again on) for each key a mapping holds
    twice, at any depth, in the order of the second lines: YAML keeps the last in silence, and the first is lost
    (two `title:` lines, a second `tags:` added at the bottom). Run on a node check_size() bounded."""
    found, done, stack = [], set(), [node]
    while stack:
        here = stack.pop()
        if id(here) in done:  # an alias: the node it names was looked at
            continue
        done.add(id(here))
        if isinstance(here, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, _ in here.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":  # merge keys may repeat
                    if key.value in first:
                        found.append((key.value, first[key.value], key.start_mark.line))
                    else:
                        first[key.value] = key.start_mark.line
        stack.extend(_children(here))
    return sorted(found, key=lambda item: item[2])


def plain_problem(exc: yaml.YAMLError) -> tuple[str, int | None, str]:
    """(what is wrong, 0-based line, how to fix it) in an editor's words, for PyYAML's common errors."""
    if isinstance(exc, TooBig):
        return exc.problem, exc.line, "write the values out plainly"
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line if mark else None
    if "'\\t'" in problem:  # "found character '\t' that cannot start any token"
        return ("a tab is used for indentation or spacing, and YAML allows only spaces", line,
                "replace the tab with two spaces")
    if "quoted scalar" in context:
        start = getattr(exc, "context_mark", None)
        return ("a quote mark opens a text that is never closed", start.line if start else line,
                "end the text with the same quote mark (\" or '), or remove the opening one")
    if "expected ',' or '}'" in problem or "expected ',' or ']'" in problem:  # "while parsing a flow mapping"
        closing = "}" if "'}'" in problem else "]"
        start = getattr(exc, "context_mark", None)
        opened = "a { opens settings that are" if closing == "}" else "a [ opens a list that is"
        return (f"{opened} never closed with {closing}", start.line if start else line,
                "close it on the same line, and put a value that holds a comma or a bracket in quotes")
    if "expected the node content, but found ','" in problem:  # tags: [a, , b]
        return ("a list has two commas with nothing between them", line, "delete one of them, or write the value "
                "that was meant between them")
    if "mapping values are not allowed" in problem:
        return (f"{problem}", line, "put text with a colon in quotes: title: \"…\"")
    if "could not find expected ':'" in problem:
        return ("a line is not in the form key: value", line, "write each setting as key: value, one per line")
    return (problem, line, "")


_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile(r"\\[uU]")


def has_escapes(text: str) -> bool:
    """True if `text` holds a \\u or \\U escape: only they can make a surrogate in YAML's values."""
    return bool(_ESCAPE.search(text))


def join_surrogates(value, bad):
    """YAML reads "\\ud83d\\ude00" as two surrogates, not one emoji: join pairs, refuse lone halves."""
    if isinstance(value, str):
        if not _SURROGATE.search(value):
            return value
        joined = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        if "\ufffd" in joined and "\ufffd" not in value:
            bad()
        return joined
    if isinstance(value, list):
        return [join_surrogates(item, bad) for item in value]
    if isinstance(value, dict):
        return {k: join_surrogates(v, bad) for k, v in value.items()}
    return value


# What a yes or a no is written as, beside true and false: in Arabic, and in quotes ("false", 'yes'), which YAML
# reads as text, or as 1 and 0.
_YES = frozenset({"نعم", "أجل", "اجل", "أيوه", "ايوه", "صح", "صحيح", "true", "yes", "y", "on", "1"})
_NO = frozenset({"لا", "كلا", "خطأ", "خطا", "false", "no", "n", "off", "0"})


def flag_meant(value: object) -> str:
    """"true" or "false" for a value that is no boolean but says yes or no, else ""."""
    said = value.strip(" .!").casefold() if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    return "true" if said in _YES else "false" if said in _NO else ""


def in_quotes(value: object) -> str:
    """What to say of a true or false YAML read as text, because it was in quotes."""
    return " (in quotes, it is text)" if isinstance(value, str) and value.strip().casefold() in ("true", "false") else ""
