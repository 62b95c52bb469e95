"""The safe Markdown renderer: Markdown works, raw HTML and script links do not."""

from __future__ import annotations

from bs4 import BeautifulSoup

from sunshine.markdown import render_markdown


def _soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(str(render_markdown(text)), "lxml")


def test_markdown_lists_tables_and_emphasis_render() -> None:
    soup = _soup("**重要**\n\n1. 一\n2. 二\n\n| 项 | 值 |\n|---|---|\n| 甲 | 1 |\n")
    assert soup.strong.get_text() == "重要"
    assert [li.get_text() for li in soup.select("ol li")] == ["一", "二"]
    assert [th["scope"] for th in soup.select("th")] == ["col", "col"]


def test_raw_html_blocks_and_inline_tags_are_escaped() -> None:
    html = str(render_markdown('<script>alert(1)</script>\n\n文字 <img src=x onerror="alert(2)"> 结束'))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img" in html


def test_links_with_script_schemes_lose_their_target() -> None:
    soup = _soup("[点我](javascript:alert(1)) [官网](https://example.gov.cn/) [数据](data:text/html,x)")
    hrefs = [a.get("href") for a in soup.select("a")]
    assert hrefs == [None, "https://example.gov.cn/", None]


def test_empty_text_renders_nothing() -> None:
    assert str(render_markdown("")) == "" and str(render_markdown(None)) == ""
