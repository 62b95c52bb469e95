"""``build.py serve``: the site live over a content folder, for editors' preview or as the forms server.

The development server re-reads the content when a file changes, so a saved
YAML file shows on the next reload, and a broken tree shows its error list
(``errors/content.html``) instead of a page.  ``--production`` runs the same
application under gunicorn with online consultation and complaints enabled;
further settings (``SECRET_KEY``, the database URL …) come from ``SUNSHINE_*``
environment variables, which :func:`sunshine.create_app` reads.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from . import create_app


def _config(args: argparse.Namespace) -> dict[str, Any]:
    production = bool(getattr(args, "production", False))
    # Preview re-reads the tree on change; production reads it once per worker (reload with `kill -HUP`).
    config: dict[str, Any] = {"CONTENT_DIR": str(args.content), "CONTENT_RELOAD": not production}
    if production:
        config["FEEDBACK_ENABLED"] = True
    return config


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn running the Sunshine app; each worker builds its own app (no shared DB connections)."""

    def __init__(self, config: dict[str, Any], options: dict[str, Any]) -> None:
        self.config = config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return create_app(self.config)


def gunicorn_options(args: argparse.Namespace) -> dict[str, Any]:
    """Bind address and the worker pool: single-threaded ``sync`` workers, two per core, behind nginx.

    Measured with ``bench/feedback_bench.py`` on 2 cores, sync workers took
    more submissions a second than threaded (``gthread``) ones and spent less
    CPU on each: one thread per process never waits for the GIL, and a worker
    that waits for SQLite's write lock or an fsync leaves the core to another.
    Sync workers need a buffering proxy in front so that a slow phone on a bad
    line cannot hold a worker while it sends — nginx, as the README sets it up.
    ``SUNSHINE_WORKER_CLASS=gthread`` with ``SUNSHINE_THREADS`` (threads alone
    imply it) suits a server that must face clients directly.
    """
    cores = os.cpu_count() or 2
    threaded = "SUNSHINE_THREADS" in os.environ
    worker_class = os.environ.get("SUNSHINE_WORKER_CLASS") or ("gthread" if threaded else "sync")
    options: dict[str, Any] = {
        "bind": f"{args.host}:{args.port}",
        "workers": int(os.environ.get("SUNSHINE_WORKERS", min(8, 2 * cores))),
        "worker_class": worker_class,
        # Longer than SQLite's busy timeout, so a worker waiting for the write lock is not killed.
        "timeout": 60,
        "accesslog": "-",
        "errorlog": "-",
    }
    if worker_class == "gthread":
        options["threads"] = int(os.environ.get("SUNSHINE_THREADS", 4))
    return options


def serve(args: argparse.Namespace) -> int:
    """Serve the content folder ``args.content`` on ``args.host``:``args.port``; return the exit code."""
    config = _config(args)
    if getattr(args, "production", False):
        # Build one app up front so a configuration error is reported before workers start.
        create_app(config)
        GunicornServer(config, gunicorn_options(args)).run()
        return 0
    app = create_app(config)
    print(f"serving {args.content} on http://{args.host}:{args.port}/ (edits appear on reload; Ctrl+C stops)")
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
    return 0
