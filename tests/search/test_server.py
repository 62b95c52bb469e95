"""Server search: the /api/search JSON, the /search page without script, and queries of any shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from searchkit import NASTY_QUERIES


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
    assert response.status_code == 200
    assert isinstance(response.get_json()["results"], list)
    page = heldout_client.get("/search", query_string={"q": query})
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
    assert "JavaScript" in noscript and 'href="/items/"' in noscript
    assert soup.select_one("script[type=module][src$='js/search.js']")
    assert soup.select_one("[role=status][aria-live=polite]")
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert (built_site / "pagefind" / "sunshine-query.json").is_file()
    assert not (built_site / "api").exists()
