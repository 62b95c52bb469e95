"""What a citizen meets on every page: the guide's further elements, 关怀版, 纠错, dates, metadata, maps."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from sunshine.pipeline import build_site

ELEMENTS = """\
handling: 承诺件
joint: [zwzx]
quantity_limit: 每年 20 个名额
intermediary:
  - {name: 卫生检测报告, basis: 《餐饮服务许可管理办法》, fee: 按检测机构标准收取}
special_procedures:
  - {name: 专家评审, time_limit: 10 个工作日, note: 不计入办理时限}
refusal_cases:
  - 申请事项依法不需要取得许可的
rights: |
  申请人有权要求**一次性告知**。
remedies:
  - {way: 行政复议, body: 测试市人民政府, limit: 60 日内}
  - {way: 行政诉讼, body: 测试市人民法院, limit: 3 个月内}
delivery: [窗口领取, 邮寄]
appointment:
  url: https://wsbs.test.example.gov.cn/yuyue
  phone: 0000-2229999
"""


@pytest.fixture
def elements_client(make_app, mini_content: Path):  # type: ignore[no-untyped-def]
    item = mini_content / "items" / "canyin-fuwu-xuke.yaml"
    item.write_text(item.read_text(encoding="utf-8") + ELEMENTS, encoding="utf-8")
    return make_app(CONTENT_DIR=str(mini_content)).test_client()


def _soup(client, path: str, status: int = 200) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def _facts(node) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        div.dt.get_text(strip=True): " ".join(div.dd.get_text().split())
        for div in node.select(".facts > div")
    }


def test_guide_shows_every_further_element_in_reading_order(elements_client) -> None:  # type: ignore[no-untyped-def]
    soup = _soup(elements_client, "/items/canyin-fuwu-xuke/")
    ids = [s["id"] for s in soup.select("article.guide section[id]")]
    assert ids == [
        "jiben",
        "chuangkou",
        "yiju",
        "tiaojian",
        "buyu",
        "cailiao",
        "zhongjie",
        "liucheng",
        "shixian",
        "shoufei",
        "jieguo",
        "paodong",
        "didian",
        "zixun",
        "quanli",
        "jiuji",
        "wenda",
        "guanjianci",
        "biangeng",
    ]
    basic = _facts(soup.select_one("#jiben"))
    assert basic["办件类型"] == "承诺件"
    assert basic["联办机构"] == "测试市政务服务中心管理办公室"
    assert soup.select_one("#jiben a[href='/departments/zwzx/']")
    assert basic["数量限制"] == "每年 20 个名额"
    assert [li.get_text() for li in soup.select("#buyu li")] == ["申请事项依法不需要取得许可的"]
    assert [td.get_text() for td in soup.select("#zhongjie tbody td, #zhongjie tbody th")] == [
        "卫生检测报告",
        "《餐饮服务许可管理办法》",
        "按检测机构标准收取",
    ]
    assert soup.select_one("#shixian h3").get_text() == "特别程序"
    assert "专家评审" in soup.select_one("#shixian table").get_text()
    assert _facts(soup.select_one("#jieguo"))["送达方式"] == "窗口领取、邮寄"
    appointment = _facts(soup.select_one("#paodong"))["预约办理"]
    assert "https://wsbs.test.example.gov.cn/yuyue" in appointment and "0000-2229999" in appointment
    assert soup.select_one("#quanli .prose strong").get_text() == "一次性告知"
    remedies = [[c.get_text() for c in tr.select("th, td")] for tr in soup.select("#jiuji tbody tr")]
    assert remedies == [["行政复议", "测试市人民政府", "60 日内"], ["行政诉讼", "测试市人民法院", "3 个月内"]]
    toc = [a["href"] for a in soup.select("nav.toc a")]
    assert {"#buyu", "#zhongjie", "#quanli", "#jiuji"} <= set(toc)
    assert soup.select_one(".guide-actions a[href='https://wsbs.test.example.gov.cn/yuyue']")


def test_guide_without_further_elements_shows_the_default_handling(get_page) -> None:  # type: ignore[no-untyped-def]
    soup = get_page("/items/huji-zhengming/")
    assert _facts(soup.select_one("#jiben"))["办件类型"] == "即办件"  # promised 0
    for absent in ("#buyu", "#zhongjie", "#quanli", "#jiuji"):
        assert soup.select_one(absent) is None


def test_checklist_page_holds_only_the_checklist(get_page) -> None:  # type: ignore[no-untyped-def]
    guide = get_page("/items/canyin-fuwu-xuke/")
    link = guide.select_one(".guide-actions a[href='/items/canyin-fuwu-xuke/checklist/']")
    assert link is not None and link.get_text() == "打印材料清单"
    soup = get_page("/items/canyin-fuwu-xuke/checklist/")
    assert soup.h1.get_text() == "申请材料清单：餐饮服务许可证核发"
    assert len(soup.select("table.checklist tbody tr")) == 3
    assert not soup.select("table.checklist .downloads")
    assert soup.select_one(".print-source svg.qr[role=img]")
    assert (
        "https://zwfw.test.example.gov.cn/items/canyin-fuwu-xuke/" in soup.select_one(".print-url").get_text()
    )
    get_page("/items/huji-zhengming/checklist/", status=404)  # no materials
    get_page("/items/yanhua-pifa-xuke/checklist/", status=404)  # withdrawn


def test_every_page_has_metadata_date_and_report_link(get_page) -> None:  # type: ignore[no-untyped-def]
    soup = get_page("/items/canyin-fuwu-xuke/")
    meta = {m["name"]: m["content"] for m in soup.select("meta[name]")}
    assert meta["SiteName"] == "测试市政务服务中心"
    assert meta["SiteDomain"] == "zwfw.test.example.gov.cn"
    assert meta["SiteIDCode"] == "0000000001"
    assert meta["ColumnName"] == "办事指南"
    assert meta["ArticleTitle"] == "餐饮服务许可证核发"
    assert meta["PubDate"] == "2011-10-12 00:00"
    assert meta["ContentSource"] == "测试市食品药品监督管理局"
    assert meta["Keywords"].startswith("行政许可,开饭店")
    assert meta["Url"] == "https://zwfw.test.example.gov.cn/items/canyin-fuwu-xuke/"
    assert meta["description"] and meta["Description"]
    assert soup.select_one("link[rel=canonical]")["href"] == meta["Url"]
    news = {m["name"]: m["content"] for m in get_page("/news/2010-06-01-kaiye/").select("meta[name]")}
    assert (news["PubDate"], news["Author"], news["ContentSource"]) == (
        "2010-06-01 00:00",
        "张三",
        "中心办公室",
    )
    for path, day in [
        ("/", "2012-03-01"),
        ("/windows/", "2011-10-12"),
        ("/departments/shiyaojian/", "2011-10-12"),
    ]:
        soup = get_page(path)
        assert soup.select_one(".page-updated time")["datetime"] == day, path
        assert "ArticleTitle" not in {m["name"] for m in soup.select("meta[name]")}
        mail = soup.select_one(".page-report a")["href"]
        assert mail.startswith("mailto:zwzx@test.example.gov.cn?subject=")
        assert "https://zwfw.test.example.gov.cn" + path in unquote(mail)


def test_report_link_opens_the_suggestion_form_when_there_is_a_server(make_app, mini_content_factory) -> None:  # type: ignore[no-untyped-def]
    root = mini_content_factory("fb", server_url="https://hudong.test.example.gov.cn/")
    soup = _soup(make_app(CONTENT_DIR=str(root)).test_client(), "/windows/a12/")
    href = soup.select_one(".page-report a.report-link")["href"]
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://hudong.test.example.gov.cn/feedback/new"
    assert parse_qs(parts.query) == {
        "kind": ["建议"],
        "page": ["https://zwfw.test.example.gov.cn/windows/a12/"],
    }


def test_care_version_of_every_page_keeps_its_links(get_page) -> None:  # type: ignore[no-untyped-def]
    standard = get_page("/items/canyin-fuwu-xuke/")
    assert standard.html.get("class") is None
    toggle = standard.select_one("a.care-toggle")
    assert toggle["href"] == "/care/items/canyin-fuwu-xuke/" and toggle["data-care"] == "1"
    care = get_page("/care/items/canyin-fuwu-xuke/")
    assert care.html["class"] == ["care"]
    assert care.title.get_text().endswith("（关怀版）")
    assert care.select_one("a.care-toggle")["href"] == "/items/canyin-fuwu-xuke/"
    pages = [a["href"] for a in care.select("a[href^='/']:not([data-care])")]
    pages = [h for h in pages if not h.startswith(("/forms/", "/static/")) and not h.endswith(".xml")]
    assert pages and all(h.startswith("/care/") for h in pages), pages
    assert care.select_one("link[rel=stylesheet]")["href"] == "/static/css/site.css"
    assert (
        care.select_one("link[rel=canonical]")["href"]
        == "https://zwfw.test.example.gov.cn/items/canyin-fuwu-xuke/"
    )
    assert care.select_one(".checklist a[download]")["href"].startswith("/forms/")


def test_index_pages_for_every_prefix_and_a_readable_sitemap(get_page) -> None:  # type: ignore[no-untyped-def]
    for path in (
        "/items/type/",
        "/items/audience/",
        "/pages/",
        "/forms/",
        "/xxgk/",
        "/xxgk/mulu/",
        "/sitemap/",
    ):
        assert get_page(path).h1, path
    forms = get_page("/forms/")
    assert [a["href"] for a in forms.select("a[download]")] == [
        "/forms/shenqingshu.txt",
        "/forms/shenqingshu-yangben.txt",
        "/forms/zhengshu-yangben.txt",
    ]
    sitemap = get_page("/sitemap/")
    hrefs = {a["href"] for a in sitemap.select("main a[href]")}
    assert {"/items/type/xingzheng-xuke/", "/windows/", "/pages/guanyu/", "/news/feed.xml", "/xxgk/"} <= hrefs
    footer = {a.get_text(): a["href"] for a in get_page("/").select("footer a")}
    assert footer["网站地图"] == "/sitemap/" and footer["政府信息公开"] == "/xxgk/"
    assert footer["关于本站"] == "/pages/guanyu/"  # a page in no menu is still linked from every page
    get_page("/items/type/xingzheng-geifu/", status=404)  # a type without items has no page


def test_disclosure_section_is_built_from_pages(make_app, mini_content: Path) -> None:  # type: ignore[no-untyped-def]
    (mini_content / "pages" / "nianbao-2011.md").write_text(
        "---\ntitle: 2011 年政府信息公开年报\ndisclosure: 年报\nupdated: 2012-03-31\n---\n"
        "全年公开信息 100 条。\n",
        encoding="utf-8",
    )
    (mini_content / "pages" / "zhinan.md").write_text(
        "---\ntitle: 政府信息公开指南\ndisclosure: 指南\n---\n本中心主动公开……\n", encoding="utf-8"
    )
    client = make_app(CONTENT_DIR=str(mini_content)).test_client()
    soup = _soup(client, "/xxgk/")
    assert [a.get_text() for a in soup.select("#xxgk-nianbao a")] == ["2011 年政府信息公开年报"]
    assert [a.get_text() for a in soup.select("#xxgk-zhinan a")] == ["政府信息公开指南"]
    catalogue = _soup(client, "/xxgk/mulu/").get_text()
    assert "2011 年政府信息公开年报" in catalogue and "进驻部门及联系方式" in catalogue
    footer = [a.get_text() for a in _soup(client, "/").select("footer a")]
    assert "政府信息公开指南" not in footer  # listed in its section, not in the footer


def test_item_feed_announces_changes(mini_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(mini_content, out)
    atom = "{http://www.w3.org/2005/Atom}"
    feed = etree.parse(str(out / "items" / "feed.xml")).getroot()
    titles = [e.findtext(f"{atom}title") for e in feed.findall(f"{atom}entry")]
    assert titles[0] == "指南更新：户籍证明开具"  # 2012-03-01, no change record
    assert "事项取消：烟花爆竹批发许可" in titles
    assert "事项调整：餐饮服务许可证核发" in titles
    assert not [t for t in titles if t.startswith("保留")]
    entry = next(e for e in feed.findall(f"{atom}entry") if e.findtext(f"{atom}title").startswith("事项取消"))
    assert entry.find(f"{atom}link").get("href") == "https://zwfw.test.example.gov.cn/items/yanhua-pifa-xuke/"
    assert "测政发〔2011〕2号" in entry.findtext(f"{atom}summary")


def test_built_site_has_the_care_copy_and_keeps_the_search_index_outside(
    mini_content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_site(mini_content, out)
    assert (out / "care" / "index.html").is_file()
    assert (out / "care" / "items" / "canyin-fuwu-xuke" / "index.html").is_file()
    assert not (out / "care" / "404.html").exists() and not (out / "care" / "static").exists()
    assert not (out / "_search").exists()
    assert not [p for p in out.rglob("*") if "whoosh" in p.name.lower() or p.name.endswith("WRITELOCK")]
    assert (tmp_path / "out.search" / "whoosh" / "sunshine-analysis.json").is_file()
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/care/" not in sitemap and "/checklist/" not in sitemap
    assert "/items/type/xingzheng-geifu/" not in sitemap


def test_check_warns_about_links_into_the_site_that_do_not_exist(mini_content: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from sunshine.cli import main

    item = mini_content / "items" / "canyin-fuwu-xuke.yaml"
    text = item.read_text(encoding="utf-8")
    item.write_text(
        text.replace(
            "https://zwfw.test.example.gov.cn/wsbs/canyin", "https://zwfw.test.example.gov.cn/wsbs/canyin/"
        )
        + "rights: 详见[办事须知](/pages/banshi-xuzhi/)和[旧页面](/pages/old/)。\n",
        encoding="utf-8",
    )
    assert main(["check", "--content", str(mini_content)]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "指向本站不存在的页面" in line and "canyin" in line]
    assert len(warnings) == 2, err
    assert re.match(r"warning: items/canyin-fuwu-xuke\.yaml:\d+: online\.url: 链接“https://zwfw", warnings[0])
    assert "rights: 链接“/pages/old/”" in warnings[1]
    assert "/wsbs/canyin/" in warnings[0]  # under base_url, not a page of the site
    assert "banshi-xuzhi" not in err  # a page that exists is fine


def test_paused_item_says_since_when_and_why(make_app, mini_content: Path) -> None:  # type: ignore[no-untyped-def]
    item = mini_content / "items" / "canyin-fuwu-xuke.yaml"
    paused = item.read_text(encoding="utf-8").replace("status: 在办", "status: 暂停")
    item.write_text(paused, encoding="utf-8")
    client = make_app(CONTENT_DIR=str(mini_content)).test_client()
    notice = _soup(client, "/items/canyin-fuwu-xuke/").select_one("#status-notice")
    text = " ".join(notice.get_text().split())
    assert "本事项暂停办理" in text
    assert "2011-09-15 起：承诺时限压缩为 10 个工作日（依据：测政发〔2011〕2号）" in text
    card = _soup(client, "/items/").select_one(".item-card.is-paused")
    assert card.select_one(".badge-paused").get_text() == "暂停"


def test_city_pages_have_dates_and_metadata_and_no_print_pages_in_the_sitemap(make_app) -> None:  # type: ignore[no-untyped-def]
    client = make_app().test_client()  # the demo: a city with two county centers
    for path in ("/reform/", "/catalog/", "/data/", "/luochuan/", "/luochuan/windows/"):
        soup = _soup(client, path)
        assert soup.select_one(".page-updated time"), path
        assert soup.select_one("meta[name=ColumnName]"), path
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/luochuan/items/" in sitemap and "/checklist/" not in sitemap and "/care/" not in sitemap
