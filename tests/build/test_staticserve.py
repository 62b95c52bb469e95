"""The static server of ``make run`` and the tests: the site's 404 page, UTF-8 text, Pagefind's types."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from sunshine.staticserve import main, served


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_serves_pages_the_404_page_and_typed_files(tmp_path: Path) -> None:
    (tmp_path / "items" / "a").mkdir(parents=True)
    (tmp_path / "items" / "a" / "index.html").write_text("<h1>事项</h1>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>页面不存在</h1>", encoding="utf-8")
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "biao.txt").write_text("申请表", encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "feed.xml").write_text("<feed/>", encoding="utf-8")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "x.pf_fragment").write_bytes(b"\x1f\x8b")
    (tmp_path / "empty").mkdir()
    with served(tmp_path) as url:
        assert _get(f"{url}/items/a/?q=x")[0] == 200
        status, kind, body = _get(f"{url}/items/missing/")
        assert (status, kind, body.decode("utf-8")) == (
            404,
            "text/html; charset=utf-8",
            "<h1>页面不存在</h1>",
        )
        assert _get(f"{url}/empty/")[0] == 404  # a folder without a page is not listed
        assert _get(f"{url}/forms/biao.txt")[1] == "text/plain; charset=utf-8"
        assert _get(f"{url}/news/feed.xml")[1].startswith("application/atom+xml")
        assert _get(f"{url}/pagefind/x.pf_fragment")[1] == "application/octet-stream"
        status, _, _ = _get(f"{url}/items/a")  # a directory without its slash is redirected, then served
        assert status == 200


def test_refuses_a_folder_without_a_site(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main([str(tmp_path)]) == 2
    assert "no built site" in capsys.readouterr().err
