"""A YAML loader built on yaml.SafeLoader that keeps dates as text.

Dates stay strings so that content.py can report `2023-02-30` as a dated,
line-numbered mistake instead of a ValueError from deep inside PyYAML.
"""

from __future__ import annotations

import yaml


_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader without the implicit timestamp type; nothing else changes."""

    yaml_implicit_resolvers = _RESOLVERS


# The same on LibYAML's C parser, several times faster. Its error messages are
# worded differently, so on a mistake content.py parses again with SafeLoader.
FastSafeLoader: type | None = None
if getattr(yaml, "CSafeLoader", None) is not None:
    class FastSafeLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        yaml_implicit_resolvers = _RESOLVERS
