"""The command line behind build.py: build, check and serve, plus the server's staff tools.

Exit codes: 0 success, 1 content errors (every one printed as
``path:line: field: message``), 2 usage errors.  No input produces a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import DEMO_CONTENT, REPO_DIR
from .content import ContentError, read_content

DEFAULT_OUT = REPO_DIR / "output"


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    parser = argparse.ArgumentParser(
        prog="build.py", description="阳光政务 Sunshine: build a disclosure site."
    )
    sub = parser.add_subparsers(dest="command")

    p_build = sub.add_parser("build", help="build the static site (atomic: a failed build changes nothing)")
    _content_arg(p_build)
    p_build.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: output/)")
    p_build.add_argument(
        "--feedback-db", metavar="URL", help="publish public replies and statistics from this database"
    )
    p_build.set_defaults(func=_cmd_build)

    p_check = sub.add_parser("check", help="validate the content only")
    _content_arg(p_check)
    p_check.set_defaults(func=_cmd_check)

    p_serve = sub.add_parser("serve", help="serve the site live over the content (edits appear on reload)")
    _content_arg(p_serve)
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--production", action="store_true", help="serve with gunicorn, feedback enabled")
    p_serve.set_defaults(func=_cmd_serve)

    from .feedback import cli as feedback_cli
    from .ledger import cli as ledger_cli

    feedback_cli.register(sub)
    ledger_cli.register(sub)

    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if args.command is None:
        args = parser.parse_args(["build"])
    try:
        return int(args.func(args) or 0)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 1


def _content_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content", type=Path, default=DEMO_CONTENT, help="content folder (default: the demo)"
    )


def _print_warnings(warnings: list) -> None:  # type: ignore[type-arg]
    for warning in warnings:
        print(warning, file=sys.stderr)


def _cmd_check(args: argparse.Namespace) -> int:
    from . import create_app
    from .links import unproduced_links

    content = read_content(args.content)
    app = create_app({"CONTENT_DIR": str(args.content), "STATIC_BUILD": True})
    content.warnings = sorted([*content.warnings, *unproduced_links(app, content)])
    _print_warnings(content.warnings)
    centers = content.all_centers()

    def total(kind: str) -> int:
        return sum(len(getattr(c, kind)) for c in centers)

    city = f"{len(centers)} centers, {len(content.catalog)} catalog entries, " if content.is_city else ""
    print(
        f"{args.content}: OK — {city}{total('items')} items, {total('windows')} windows, "
        f"{total('departments')} departments, {total('news')} news, {total('pages')} pages"
        + (f", {len(content.warnings)} warning(s)" if content.warnings else "")
    )
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import build_site

    report = build_site(args.content, args.out, feedback_db=args.feedback_db)
    _print_warnings(report.warnings)
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
    print(f"built {report.pages} pages, {report.files} files into {report.out_dir} ({stages})")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args)
