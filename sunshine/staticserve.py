"""A small static web server for a built site, behaving as the documented nginx set-up does.

``make run`` serves ``output/`` with it, and the tests serve every built site
with it, so what they check is what a host configured as in the README
serves: ``/404.html`` with status 404 for a missing path, UTF-8 text types
(the downloadable forms are Chinese text files), the types Pagefind's
bundle needs, and the query string ignored (``/search/?q=`` is the search
page).  Standard library only; not meant to face the internet.

    python -m sunshine.staticserve [--bind 127.0.0.1] [--port 8000] [DIRECTORY]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

#: Types by file suffix; text is always UTF-8.
TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
    ".ico": "image/x-icon",
    ".wasm": "application/wasm",
    ".pagefind": "application/wasm",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}
#: Feeds are XML files with a type of their own.
FEED_TYPE = "application/atom+xml; charset=utf-8"


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Files of one folder; a missing file answers with the site's own ``404.html``."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}  # noqa: RUF012
    quiet = False

    def guess_type(self, path: str | Any) -> str:
        if str(path).endswith("feed.xml"):
            return FEED_TYPE
        return super().guess_type(path)

    def list_directory(self, path: str | Any) -> None:  # type: ignore[override]
        # A folder without index.html is not a page: no generated listing, as on a production host.
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


class _QuietHandler(StaticHandler):
    quiet = True


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = False):  # type: ignore[no-untyped-def]
    """A threading HTTP server for ``directory`` (port 0: any free port)."""
    handler = functools.partial(_QuietHandler if quiet else StaticHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


@contextlib.contextmanager
def served(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free loopback port for the duration of the block; yields its base URL."""
    server = make_server(directory, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: Sequence[str] | None = None) -> int:
    description = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m sunshine.staticserve", description=description)
    parser.add_argument("directory", nargs="?", default="output", type=Path)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").is_file():
        print(f"{args.directory}: no built site here (run `python build.py build` first)", file=sys.stderr)
        return 2
    server = make_server(args.directory, args.bind, args.port)
    print(f"serving {args.directory} on http://{args.bind}:{args.port}/ (Ctrl+C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
