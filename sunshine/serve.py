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
    """Bind address and a small worker pool sized for a county server (2–4 workers, threads for I/O)."""
    workers = int(os.environ.get("SUNSHINE_WORKERS", min(4, max(2, os.cpu_count() or 2))))
    return {
        "bind": f"{args.host}:{args.port}",
        "workers": workers,
        "threads": int(os.environ.get("SUNSHINE_THREADS", 4)),
        "worker_class": "gthread",
        "timeout": 60,
        "accesslog": "-",
        "errorlog": "-",
    }


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
