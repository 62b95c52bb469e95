"""Server search: the /api/search JSON, the /search page without script, and queries of any shape."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from searchkit import NASTY_QUERIES

from search.indexer import whoosh_dir
from sunshine.inputs import TEXT_CONTROL


@pytest.fixture
def heldout_client(make_app: Any, heldout: tuple[Path, list[dict[str, Any]]]) -> Any:
    return make_app(CONTENT_DIR=str(heldout[0])).test_client()


def test_api_shape_and_top_hit(heldout_client: Any) -> None:
    data = heldout_client.get("/api/search", query_string={"q": "开药店要办什么证"}).get_json()
    assert data["query"] == "开药店要办什么证"
    assert data["total"] >= 1
    top = data["results"][0]
    assert set(top) >= {"id", "kind", "title", "url", "snippet", "score"}
    assert (top["id"], top["kind"], top["url"]) == ("yaodian-gsp", "item", "/items/yaodian-gsp/")
    assert data["facets"]["type"]["行政许可"] >= 1


@pytest.mark.parametrize(
    ("limit", "expected"), [("0", 1), ("-5", 1), ("3", 3), ("999", 50), ("abc", 10), ("", 10)]
)
def test_api_bounds_limit(heldout_client: Any, limit: str, expected: int) -> None:
    data = heldout_client.get("/api/search", query_string={"q": "登记", "limit": limit}).get_json()
    assert len(data["results"]) == min(expected, data["total"])
    assert data["total"] > 3


def test_api_filters_by_facet(heldout_client: Any) -> None:
    data = heldout_client.get(
        "/api/search", query_string={"q": "登记", "type": "行政确认", "limit": 50}
    ).get_json()
    assert data["results"]
    assert set(data["facets"]["type"]) == {"行政确认"}
    online = heldout_client.get("/api/search", query_string={"q": "失业", "online": "全程网办"}).get_json()
    assert [r["id"] for r in online["results"]] == ["shiye-dengji"]


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_api_never_errors(heldout_client: Any, query: str) -> None:
    response = heldout_client.get("/api/search", query_string={"q": query, "limit": "10"})
    page = heldout_client.get("/search", query_string={"q": query})
    if TEXT_CONTROL.search(query):
        # The app's input policy refuses control characters (other than whitespace) with a clear 400.
        assert response.status_code == 400 and response.get_json()["error"]
        assert page.status_code == 400
        return
    assert response.status_code == 200
    assert isinstance(response.get_json()["results"], list)
    assert page.status_code == 200


def test_search_page_renders_results_without_script(heldout_client: Any) -> None:
    response = heldout_client.get("/search", query_string={"q": "身份证没下来怎么办"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "lxml")
    links = [a["href"] for a in soup.select(".result-list .result-title")]
    assert links[0] == "/items/linshi-shenfenzheng/"
    assert "找到" in soup.select_one("#search-status").get_text()
    assert not soup.select("script[src*=search]")
    facet = soup.select_one(".search-facets a")
    narrowed = BeautifulSoup(heldout_client.get(facet["href"]).data, "lxml")
    assert narrowed.select_one(".search-facets a[aria-current]")


def test_nothing_found_suggests_and_gives_phone(heldout_client: Any) -> None:
    soup = BeautifulSoup(heldout_client.get("/search/", query_string={"q": "补办老年证xyz"}).data, "lxml")
    assert "没有找到" in soup.select_one("#search-status").get_text()
    assert soup.select_one(".search-empty a[href='tel:0319-1234567']")


def test_search_boxes_submit_to_search_with_unique_ids(heldout_client: Any) -> None:
    soup = BeautifulSoup(heldout_client.get("/").data, "lxml")
    forms = soup.select("form.search-box")
    assert forms and all(f["action"] == "/search/" for f in forms)
    ids = [i["id"] for i in soup.select("form.search-box input[name=q]")]
    assert len(ids) == len(set(ids))
    assert all(soup.select_one(f"label[for='{i}']") for i in ids)


def test_static_page_needs_javascript_and_links_items(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "search" / "index.html").read_bytes(), "lxml")
    noscript = soup.select_one("noscript").decode_contents()
    assert "没有开启脚本" in noscript and 'href="/items/"' in noscript
    assert soup.select_one("script[type=module][src$='js/search.js']")
    assert soup.select_one("[role=status][aria-live=polite]")
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert (built_site / "pagefind" / "sunshine-query.json").is_file()
    assert not (built_site / "api").exists()


def test_static_page_lists_filter_choices_from_the_build(heldout_site: Path) -> None:
    soup = BeautifulSoup((heldout_site / "search" / "index.html").read_bytes(), "lxml")
    types = [o.get_text() for o in soup.select("#filter-type option")][1:]
    assert set(types) == {"行政确认", "公共服务", "行政给付", "行政许可"}
    assert "清河县公安局" in [o.get_text() for o in soup.select("#filter-department option")]
    script = (Path(__file__).parents[2] / "site" / "static" / "js" / "search.js").read_text("utf-8")
    assert "pagefind.filters(" not in script  # choices never cost a download


def test_ranking_equals_scoring_every_record(heldout_site: Path, heldout: tuple[Path, list[Any]]) -> None:
    """Scoring name matches first and skipping the rest when they cannot reach the top loses nothing."""
    from search.text import query_terms
    from search.whoosh_index import WhooshSearch, _key, plan

    searcher = WhooshSearch(whoosh_dir(heldout_site))
    snap = searcher._current()
    queries = [case["q"] for case in heldout[1]] + ["登记", "身份证", "申请", "许可证"]
    for query in queries:
        clauses = snap.resolve(plan(query_terms(query), snap.synonyms))
        every = {d: _key(clauses, d, len(clauses), snap.boosts[d]) for d in range(snap.size)}
        ranked = sorted((d for d, k in every.items() if k[0]), key=lambda d: (*(-k for k in every[d]), d))
        expected = ranked[:5]
        got = searcher._rank(snap, clauses, None, 5)
        assert [d for d, _ in got] == expected, query
    searcher.close()


def test_snippet_marks_words_and_escapes_markup() -> None:
    from search.whoosh_index import snippet

    text = "前言" * 40 + "申请<b>营业执照</b>应当提交身份证" + "后记" * 60
    out = snippet(text, ["营业执照", "身份证"])
    assert '<mark class="hl">营业执照</mark>' in out and '<mark class="hl">身份证</mark>' in out
    assert "<b>" not in out and "</b>" not in out and "&lt;/b&gt;" in out
    assert out.startswith("…") and out.endswith("…")
    assert snippet("", ["x"]) == "" and snippet("无关内容", []) == "无关内容"


def test_searcher_reopens_a_rebuilt_index(tmp_path: Path) -> None:
    from search.documents import SearchDocument
    from search.text import Synonyms
    from search.whoosh_index import RECHECK_SECONDS, WhooshSearch, build_whoosh

    def doc(item_id: str, title: str) -> SearchDocument:
        return SearchDocument(id=item_id, kind="item", title=title, url=f"/items/{item_id}/", body=title)

    index_dir = tmp_path / "whoosh"
    build_whoosh([doc("a", "结婚登记")], index_dir, Synonyms({}))
    searcher = WhooshSearch(index_dir)
    assert [h.id for h in searcher.search("结婚").results] == ["a"]
    build_whoosh([doc("b", "离婚登记"), doc("c", "结婚证补领")], index_dir, Synonyms({}))
    time.sleep(RECHECK_SECONDS + 0.1)
    assert [h.id for h in searcher.search("结婚").results] == ["c"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folders left
    searcher.close()


def test_pagefind_bundle_goes_to_the_site_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Pagefind wrapper writes ./pagefind unless told where: a stray bundle once hid a missing one."""
    from search.documents import SearchDocument
    from search.pagefind_index import build_pagefind
    from search.text import Synonyms

    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site"
    docs = [SearchDocument(id="a", kind="item", title="结婚登记", url="/items/a/", body="结婚登记")]
    build_pagefind(docs, site, Synonyms({}))
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (tmp_path / "pagefind").exists()


def test_server_page_shows_more_results_by_link(heldout_client: Any) -> None:
    first = BeautifulSoup(heldout_client.get("/search/", query_string={"q": "登记"}).data, "lxml")
    assert first.title.get_text().startswith("“登记”的搜索结果")
    assert len(first.select(".result")) == 10
    more = first.select_one(".result-more a")["href"]
    assert "n=20" in more and more.endswith("#r11")
    second = BeautifulSoup(heldout_client.get(more.split("#")[0]).data, "lxml")
    assert len(second.select(".result")) > 10 and second.select_one("#r11 .result-title")
    assert len(first.select("form[role=search]")) == 1  # the header's box is not repeated here


def test_forms_search_on_the_server_when_there_is_one(make_app: Any, mini_content_factory: Any) -> None:
    root = mini_content_factory("fb", server_url="https://hudong.test.example.gov.cn/")
    app = make_app(CONTENT_DIR=str(root), STATIC_BUILD=True)
    soup = BeautifulSoup(app.test_client().get("/items/").data, "lxml")
    assert {f["action"] for f in soup.select("form[role=search]")} == {
        "https://hudong.test.example.gov.cn/search/"
    }
    care = BeautifulSoup(app.test_client().get("/care/items/").data, "lxml")
    assert care.select_one("form[role=search]")["action"] == "https://hudong.test.example.gov.cn/care/search/"
    page = BeautifulSoup(app.test_client().get("/search/").data, "lxml")
    assert page.select_one("noscript") is None  # the form works without script: no apology needed
