"""The project's static server for built sites (``sunshine.staticserve``), importable from every test folder.

``tests/`` is on sys.path because it holds the root conftest, so test modules
write ``from staticserver import served``: the same server ``make run`` uses.
"""

from __future__ import annotations

from sunshine.staticserve import served

__all__ = ["served"]
