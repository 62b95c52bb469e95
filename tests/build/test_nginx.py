"""The README's nginx set-up, run as written: static pages, the 404 page, and searches without script.

The ``nginx`` block of README.md is taken from the file, given a local port,
the built demo site as its root and a running server as its upstream (the
TLS line aside, nothing else is changed), and started with Debian's nginx.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from werkzeug.serving import make_server

from search.indexer import whoosh_dir
from sunshine import REPO_DIR

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def readme_nginx_block() -> str:
    text = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```nginx\n(.*?)```", text, re.S)
    assert found, "README.md has no nginx block"
    return found.group(1)


@pytest.fixture(scope="module")
def server_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The application as ``serve`` runs it, over the demo, with the index the build wrote beside the site."""
    from sunshine import DEMO_CONTENT, create_app

    app = create_app(
        {
            "CONTENT_DIR": str(DEMO_CONTENT),
            "SEARCH_INDEX_DIR": str(whoosh_dir(built_site)),
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def nginx_url(built_site: Path, server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: `make test` installs Debian's nginx package")
    prefix = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    block = readme_nginx_block()
    block = block.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    block = re.sub(r"root /var/www/zwfw;", f"root {built_site};", block)
    block = block.replace("http://127.0.0.1:8000", f"http://{server_url}")
    folders = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "".join(f"{name}_temp_path {prefix / name};\n" for name in folders)
    # Started as root, nginx's workers would run as nobody, who cannot read the test's private folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n{temp}{block}}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail((prefix / "error.log").read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_readme_nginx_serves_pages_404_and_searches_without_script(nginx_url: str) -> None:
    status, page = _get(f"{nginx_url}/items/jumin-shenfenzheng/")
    assert status == 200 and "居民身份证" in page
    status, page = _get(f"{nginx_url}/items/no-such-item/")
    assert status == 404 and "抱歉，您访问的页面不存在" in page
    status, page = _get(f"{nginx_url}/search/")
    assert status == 200 and 'type="module"' in page  # the static search page, with its script
    query = urllib.parse.quote("身份证丢了")
    for prefix in ("", "/care"):
        status, page = _get(f"{nginx_url}{prefix}/search/?q={query}")
        soup = BeautifulSoup(page, "lxml")
        assert status == 200, prefix
        first = soup.select_one(".result-list .result-title")
        # The city-wide search: the item of the city's center, or of a county (/<center>/items/…).
        assert first is not None and first["href"].startswith(f"{prefix}/"), prefix
        assert first["href"].endswith("/items/jumin-shenfenzheng/"), prefix
        assert not soup.select("script[src*=search]")  # answered by the server, no script needed
