"""One exception family for user mistakes; tracebacks are kept for bugs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in one input file, printed as `path:line: message — hint`."""

    path: str
    message: str
    line: int | None = None
    hint: str = ""
    severity: Literal["error", "warning"] = "error"
    kind: str = ""  # what a warning is, where many files' are said in one line (moved.grouped)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        if self.severity == "warning":
            text = f"warning: {text}"
        return text


def shown(value: object, limit: int = 60) -> str:
    """repr(value) for a message, cut to `limit` characters: a pasted value may be a megabyte long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class MujazError(Exception):
    """Base class of every error caused by the user's input rather than by a bug."""


class BuildError(MujazError):
    """One or more input errors, all collected before stopping."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self):  # so an error raised in a worker process arrives whole
        return (type(self), (self.diagnostics,))


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def raise_if_errors(diagnostics: list[Diagnostic]) -> None:
    """Raise a BuildError carrying every error in `diagnostics`, if there is one."""
    if has_errors(diagnostics):
        raise BuildError([d for d in diagnostics if d.severity == "error"])
