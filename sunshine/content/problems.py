"""Problems found in a content tree, and the error that carries all of them.

Every stage collects problems instead of stopping at the first one, so an
editor sees everything wrong with a tree in one run (the MkDocs/Datasette
habit).  A problem prints as ``path:line: field: message (hint)``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning about one place in the content tree."""

    path: str
    line: int | None
    field: str
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if self.severity == "warning":
            text = "warning: " + text
        return text


class ContentError(Exception):
    """Raised once, at the end of loading or validation, with every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.field))
        super().__init__(f"{len(self.problems)} problem(s) in the content tree")

    def report(self) -> str:
        """All problems, one a line, then a count."""
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} error(s); nothing was written.")
        return "\n".join(lines)
