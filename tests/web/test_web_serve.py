"""Serve mode: live content reload, the content error page, and the files the build writes beside pages."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup
from lxml import etree


def _live_client(make_app, root: Path):  # type: ignore[no-untyped-def]
    return make_app(CONTENT_DIR=str(root), CONTENT_RELOAD=True).test_client()


def test_saved_yaml_appears_on_the_next_request(make_app, mini_content: Path) -> None:
    client = _live_client(make_app, mini_content)
    assert "餐饮服务许可证核发" in client.get("/items/canyin-fuwu-xuke/").get_data(as_text=True)
    path = mini_content / "items/canyin-fuwu-xuke.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("餐饮服务许可证核发", "餐饮服务许可证核发（新）"), "utf-8"
    )
    soup = BeautifulSoup(client.get("/items/canyin-fuwu-xuke/").get_data(as_text=True), "lxml")
    assert soup.h1.get_text(strip=True).startswith("餐饮服务许可证核发（新）")


def test_invalid_content_shows_every_problem_and_recovers(make_app, mini_content: Path) -> None:
    client = _live_client(make_app, mini_content)
    path = mini_content / "items/huji-zhengming.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("department: zwzx", "department: no-such-dept"), "utf-8")
    for url in ("/", "/items/huji-zhengming/", "/no-such-page/"):
        response = client.get(url)
        assert response.status_code == 500
        soup = BeautifulSoup(response.get_data(as_text=True), "lxml")
        assert soup.h1.get_text().startswith("内容有 1 处问题")
        assert "items/huji-zhengming.yaml" in soup.select_one(".problem-where").get_text()
    path.write_text(good, "utf-8")
    assert client.get("/items/huji-zhengming/").status_code == 200


def test_server_serves_forms_sitemap_feed_robots_and_schemas(mini_app) -> None:
    client = mini_app.test_client()
    with client.get("/forms/shenqingshu.txt") as form:
        assert form.status_code == 200 and form.get_data(as_text=True) == "餐饮服务许可申请书（空白）\n"
    with client.get("/forms/../site.yaml") as outside:
        assert outside.status_code == 404
    sitemap = etree.fromstring(client.get("/sitemap.xml").data)
    locs = sitemap.findall(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}url/{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    )
    assert "https://zwfw.test.example.gov.cn/items/canyin-fuwu-xuke/" in [loc.text for loc in locs]
    feed = client.get("/news/feed.xml")
    assert feed.mimetype == "application/atom+xml"
    assert etree.fromstring(feed.data).tag == "{http://www.w3.org/2005/Atom}feed"
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: https://zwfw.test.example.gov.cn/sitemap.xml" in robots
    with client.get("/schema/item.schema.json") as schema:
        assert schema.status_code == 200 and "properties" in json.loads(schema.data)
