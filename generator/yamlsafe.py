"""A YAML loader built on yaml.SafeLoader that keeps dates as text.

Dates stay strings so that content.py can report `2023-02-30` as a dated,
line-numbered mistake instead of a ValueError from deep inside PyYAML.
"""

from __future__ import annotations

import yaml


class SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader without the implicit timestamp type; nothing else changes."""


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
