"""Staff command line (user, feedback). Being written: see issue 4."""

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this subsystem's commands to build.py."""
