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


def _order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.path, problem.line or 0, problem.field, problem.message)


class ContentError(Exception):
    """Raised once, at the end of loading or validation, with every error (and warning) found."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = sorted(problems, key=_order)
        self.warnings = sorted(warnings or [], key=_order)
        super().__init__(f"{len(self.problems)} problem(s) in the content tree")

    def report(self) -> str:
        """All errors, one a line, then the warnings, then a count."""
        lines = [str(p) for p in self.problems] + [str(p) for p in self.warnings]
        summary = f"{len(self.problems)} error(s)"
        if self.warnings:
            summary += f", {len(self.warnings)} warning(s)"
        lines.append(summary + "; nothing was written.")
        return "\n".join(lines)
