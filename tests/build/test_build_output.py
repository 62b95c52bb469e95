"""The static build: every record has its page, and the files beside the pages are there and valid."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from sunshine.content import read_content
from sunshine.pipeline import build_site

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def mini_built(mini_content: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    report = build_site(mini_content, out)
    assert report.pages > 0 and report.files > 0
    return out


def test_every_demo_record_has_a_page(built_site: Path, demo_content: Path) -> None:
    content = read_content(demo_content)
    expected = (
        [f"items/{i}" for i in content.items]
        + [f"windows/{i}" for i in content.windows]
        + [f"departments/{i}" for i in content.departments]
        + [f"news/{i}" for i in content.news]
        + [f"pages/{i}" for i in content.pages]
    )
    missing = [rel for rel in expected if not (built_site / rel / "index.html").is_file()]
    assert missing == []
    for listing in (
        "index.html",
        "items/index.html",
        "items/withdrawn/index.html",
        "windows/index.html",
        "departments/index.html",
        "news/index.html",
        "items/type/xingzheng-xuke/index.html",
        "items/audience/ziranren/index.html",
        "404.html",
    ):
        assert (built_site / listing).is_file(), listing


def test_demo_build_has_forms_schema_sitemap_feed_and_robots(built_site: Path, demo_content: Path) -> None:
    content = read_content(demo_content)
    for rel in content.forms:
        assert (built_site / rel).read_bytes() == (demo_content / rel).read_bytes()
    assert (built_site / "schema" / "item.schema.json").is_file()
    for rel in ("sitemap.xml", "news/feed.xml", "robots.txt", "static/css/site.css", "static/css/print.css"):
        assert (built_site / rel).is_file(), rel


def test_pages_are_directories_with_index_html_and_links_resolve(mini_built: Path) -> None:
    """Every internal link of every page points at a file of the build (works on any static server)."""
    broken = []
    for page in mini_built.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag in soup.select("a[href], link[href]"):
            href = tag["href"].split("#")[0].split("?")[0]
            if not href.startswith("/") or href.startswith("/search/"):
                continue  # external, in-page, or the search page (the search stage's own)
            target = mini_built / href.lstrip("/")
            if href.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append((str(page.relative_to(mini_built)), href))
    assert broken == []


def test_sitemap_lists_every_page_with_absolute_urls_and_lastmod(mini_built: Path) -> None:
    root = etree.parse(str(mini_built / "sitemap.xml")).getroot()
    entries = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.findall(f"{SITEMAP}url")
    }
    # Every page but the search box, the 关怀版 copies and the print-only checklists.
    pages = {
        "https://zwfw.test.example.gov.cn/" + str(p.parent.relative_to(mini_built)).removeprefix(".") + "/"
        for p in mini_built.rglob("index.html")
        if not str(p.relative_to(mini_built)).startswith(("static", "pagefind", "care"))
        and str(p.relative_to(mini_built)) != "search/index.html"
        and p.parent.name != "checklist"
    }
    pages = {p.replace(".gov.cn//", ".gov.cn/") for p in pages}
    assert set(entries) == pages
    assert entries["https://zwfw.test.example.gov.cn/items/canyin-fuwu-xuke/"] == "2011-10-12"
    assert entries["https://zwfw.test.example.gov.cn/news/2010-06-01-kaiye/"] == "2010-06-01"
    assert entries["https://zwfw.test.example.gov.cn/"] == "2012-03-01"


def test_atom_feed_is_valid_with_full_entries(mini_built: Path) -> None:
    feed = etree.parse(str(mini_built / "news" / "feed.xml")).getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "https://zwfw.test.example.gov.cn/news/"
    assert feed.findtext(f"{ATOM}updated") == "2011-10-01T00:00:00+08:00"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "测试市政务服务中心管理办公室"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["中午延时服务", "中心正式开业"]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("https://zwfw.test.example.gov.cn/news/")
        assert entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}content").get("type") == "html"
    body = entries[1].findtext(f"{ATOM}content")
    assert "<strong>正式开业</strong>" in body and "&lt;script&gt;" in body


def test_robots_points_at_the_sitemap(mini_built: Path) -> None:
    text = (mini_built / "robots.txt").read_text(encoding="utf-8")
    assert text.splitlines() == [
        "User-agent: *",
        "Allow: /",
        "Sitemap: https://zwfw.test.example.gov.cn/sitemap.xml",
    ]


def test_404_page_forms_and_schemas_are_written(mini_built: Path) -> None:
    soup = BeautifulSoup((mini_built / "404.html").read_text(encoding="utf-8"), "lxml")
    assert soup.h1.get_text(strip=True) == "抱歉，您访问的页面不存在"
    assert (mini_built / "forms/shenqingshu.txt").read_text(
        encoding="utf-8"
    ) == "餐饮服务许可申请书（空白）\n"
    schema = json.loads((mini_built / "schema/item.schema.json").read_text(encoding="utf-8"))
    assert "materials" in schema["properties"]


def test_static_build_has_no_server_only_links(mini_built: Path) -> None:
    html = (mini_built / "items/canyin-fuwu-xuke/index.html").read_text(encoding="utf-8")
    assert "/feedback/" not in html  # no server_url in the mini tree: phones instead


def test_tree_with_only_required_folders_builds_without_warnings(mini_content: Path, tmp_path: Path) -> None:
    """News, pages and windows are optional in the contract: their absence is no forgotten URL generator."""
    for folder in ("news", "pages", "windows"):
        shutil.rmtree(mini_content / folder, ignore_errors=True)
    for item in (mini_content / "items").glob("*.yaml"):
        text = item.read_text(encoding="utf-8")
        kept = [line for line in text.splitlines() if not line.startswith("windows:")]
        item.write_text("\n".join(kept) + "\n", encoding="utf-8")
    out = tmp_path / "bare"
    report = build_site(mini_content, out)  # warnings are errors in this suite
    soup = BeautifulSoup((out / "news" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert report.pages > 0
    assert soup.select_one("main h1") is not None
    assert not (out / "windows" / "a12").exists()
