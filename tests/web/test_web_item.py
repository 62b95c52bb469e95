"""The item guide: every element of a complete item, in order; fallbacks; withdrawn items."""

from __future__ import annotations

import pytest


def _facts(section) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        d.dt.get_text(strip=True): " ".join(d.dd.get_text().split()) for d in section.select("dl.facts > div")
    }


def test_sections_come_in_the_citizen_order(get_page) -> None:
    ids = [s["id"] for s in get_page("/items/canyin-fuwu-xuke/").select("article.guide section[id]")]
    assert ids == [
        "jiben",
        "chuangkou",
        "yiju",
        "tiaojian",
        "cailiao",
        "liucheng",
        "shixian",
        "shoufei",
        "jieguo",
        "paodong",
        "didian",
        "zixun",
        "wenda",
        "guanjianci",
        "biangeng",
    ]


def test_complete_item_shows_every_element(get_page, text_of) -> None:
    soup = get_page("/items/canyin-fuwu-xuke/")
    assert soup.h1.get_text(strip=True) == "餐饮服务许可证核发"
    basic = _facts(soup.select_one("#jiben"))
    assert basic["事项编码"] == "0000-XK-001"
    assert basic["事项类型"] == "行政许可"
    assert basic["事项状态"] == "在办"
    assert basic["实施主体"] == "测试市食品药品监督管理局"
    assert basic["服务对象"] == "自然人和法人"
    assert soup.select_one('#jiben a[href="/departments/shiyaojian/"]') is not None

    windows = text_of(soup.select_one("#chuangkou"))
    for expected in (
        "A12",
        "食品药品窗口",
        "一楼A区",
        "首席代表：王芳（工号 CS-0101）",
        "A岗：李强",
        "B岗：赵敏",
    ):
        assert expected in windows
    assert soup.select_one('#chuangkou a[href="/windows/a12/"]') is not None

    basis = soup.select("#yiju li")
    assert "《中华人民共和国食品安全法》 第二十九条" in text_of(basis[0])
    assert basis[0].blockquote.get_text(strip=True) == "国家对食品生产经营实行许可制度。"
    assert text_of(basis[1]) == "《餐饮服务许可管理办法》"

    conditions = soup.select_one("#tiaojian .prose")
    assert conditions.select_one("strong").get_text() == "加工场所"
    assert len(conditions.select("ol li")) == 2

    steps = soup.select("#liucheng ol.steps > li")
    assert [s.select_one(".step-name").get_text() for s in steps] == ["申请与受理", "现场核查", "审核决定"]
    assert "办理人：窗口A岗；时限：当场" in text_of(steps[0]) and "审查材料是否齐全。" in text_of(steps[0])

    limits = _facts(soup.select_one("#shixian"))
    assert limits == {
        "法定办结时限": "20 个工作日",
        "承诺办结时限": "10 个工作日",
        "说明": "现场核查整改期间不计入办理时限。",
    }

    fee = [td.get_text(strip=True) for td in soup.select("#shoufei tbody tr")[0].select("th, td")]
    assert fee == ["工本费", "每证 10 元", "测价费〔2008〕5号"]

    result = _facts(soup.select_one("#jieguo"))
    assert result["结果名称"] == "餐饮服务许可证" and result["结果类型"] == "出证"
    assert soup.select_one('#jieguo a[href="/forms/zhengshu-yangben.txt"]') is not None

    visits = _facts(soup.select_one("#paodong"))
    assert visits["到现场次数"] == "1 次 最多跑一次"
    assert visits["网上办理深度"].startswith("网上预约/表格下载")
    assert soup.select_one('#paodong a[href="https://zwfw.test.example.gov.cn/wsbs/canyin"]') is not None

    place = _facts(soup.select_one("#didian"))
    assert (
        place["办理地点"] == "测试市政务服务中心一楼A区 A12号窗口（食品药品窗口）"
    )  # the window's, no own location
    assert place["办理时间"] == "工作日 9:00—12:00"  # the window's hours
    phones = _facts(soup.select_one("#zixun"))
    assert phones == {"咨询电话": "0000-2220001", "监督投诉电话": "0000-2223333"}  # own, then department's

    faq = soup.select_one("#wenda")
    assert faq.h3.get_text(strip=True) == "问：先办营业执照还是先办许可证？"
    assert faq.select_one(".prose strong").get_text() == "名称核准"
    assert [li.get_text() for li in soup.select("#guanjianci li")] == ["开饭店", "开餐馆"]
    assert [t["datetime"] for t in soup.select(".updated time, .page-updated time")] == ["2011-10-12"] * 2

    changes = [
        [c.get_text(strip=True) for c in tr.select("th, td")] for tr in soup.select("#biangeng tbody tr")
    ]
    assert changes == [
        ["2009-06-30", "保留", "第一轮行政审批事项清理", "测政发〔2009〕1号", "保留并规范"],
        ["2011-09-15", "调整", "第二轮行政审批事项清理", "测政发〔2011〕2号", "承诺时限压缩为 10 个工作日"],
    ]


def test_materials_are_a_checklist_table(get_page) -> None:
    soup = get_page("/items/canyin-fuwu-xuke/")
    table = soup.select_one("#cailiao table.checklist")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == [
        "勾选",
        "序号",
        "材料名称",
        "材料形式",
        "份数",
        "来源渠道",
        "是否必需",
        "填报须知",
        "下载",
    ]
    rows = [[c.get_text(" ", strip=True) for c in tr.select("th, td")] for tr in table.select("tbody tr")]
    assert rows == [
        [
            "☐",
            "1",
            "餐饮服务许可申请书",
            "原件",
            "1",
            "窗口领取或本站下载",
            "必需",
            "用黑色钢笔填写",
            "空白表格 示例样表",
        ],
        ["☐", "2", "营业执照复印件", "复印件", "2", "工商部门", "必需", "—", "—"],
        ["☐", "3", "授权委托书", "原件", "1", "申请人自备", "非必需", "—", "—"],
    ]
    links = [a["href"] for a in table.select("tbody a")]
    assert links == ["/forms/shenqingshu.txt", "/forms/shenqingshu-yangben.txt"]


def test_on_the_spot_item_without_legal_limit_and_fallbacks(get_page) -> None:
    soup = get_page("/items/huji-zhengming/")
    limits = _facts(soup.select_one("#shixian"))
    assert limits == {"法定办结时限": "无法定时限", "承诺办结时限": "即办"}
    assert _facts(soup.select_one("#paodong"))["到现场次数"] == "0 次 零跑动"
    assert soup.select_one("#shoufei .free").get_text() == "不收费"
    assert _facts(soup.select_one("#didian")) == {
        "办理地点": "测试市人民路 1 号",
        "办理时间": "周一至周五 9:00—17:00",
    }
    assert _facts(soup.select_one("#zixun")) == {"咨询电话": "0000-1111111", "监督投诉电话": "0000-1112345"}
    assert soup.select_one("#cailiao").get_text(strip=True).endswith("无需提交申请材料。")
    assert soup.select_one("#chuangkou") is None and soup.select_one("#jieguo") is None


def test_withdrawn_item_is_marked_at_the_top_with_its_change_record(get_page, text_of) -> None:
    soup = get_page("/items/yanhua-pifa-xuke/")
    assert soup.select_one("h1 .badge-withdrawn").get_text() == "已取消"
    notice = soup.select_one("#status-notice")
    # the notice comes before every section of the guide
    assert notice.find_next("section")["id"] == "jiben"
    assert "本事项已取消，本中心不再受理申请" in text_of(notice)
    assert "2011-09-15 取消（第二轮行政审批事项清理），依据：测政发〔2011〕2号" in text_of(notice)
    assert "依法取消，改为事后监管" in text_of(notice)


def test_withdrawn_item_offers_no_application(get_page) -> None:
    soup = get_page("/items/yanhua-pifa-xuke/")
    hrefs = [a["href"] for a in soup.select("main a[href]")]
    assert not [h for h in hrefs if h.startswith("/forms/") or "wsbs" in h]
    assert soup.select_one(".quick-facts") is None
    # the material itself is still disclosed
    assert soup.select_one("#cailiao tbody th").get_text() == "申请书"


def test_withdrawn_items_are_listed_apart(get_page) -> None:
    withdrawn = [a["href"] for a in get_page("/items/withdrawn/").select("main .item-list a")]
    assert withdrawn == ["/items/yanhua-pifa-xuke/"]
    by_type = [a["href"] for a in get_page("/items/type/xingzheng-xuke/").select("main .item-list a")]
    assert by_type == ["/items/canyin-fuwu-xuke/"]
    everything = get_page("/items/")
    assert everything.select_one(".item-card.is-withdrawn .badge-withdrawn").get_text() == "已取消"


def test_audience_lists_include_items_open_to_both(get_page) -> None:
    people = [a["href"] for a in get_page("/items/audience/ziranren/").select("main .item-list a")]
    assert people == ["/items/huji-zhengming/", "/items/canyin-fuwu-xuke/"]  # by item code
    firms = [a["href"] for a in get_page("/items/audience/faren/").select("main .item-list a")]
    assert firms == ["/items/canyin-fuwu-xuke/"]


def test_window_page_lists_staff_departments_and_items(get_page) -> None:
    soup = get_page("/windows/a12/")
    assert soup.h1.get_text(" ", strip=True) == "A12 食品药品窗口"
    facts = _facts(soup)
    assert facts["区域/楼层"] == "一楼A区" and facts["办公时间"] == "工作日 9:00—12:00"
    assert facts["窗口电话"] == "0000-1110012" and facts["进驻单位"] == "测试市食品药品监督管理局"
    staff = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in soup.select("tbody tr")]
    assert staff == [["王芳", "首席代表", "CS-0101"], ["李强", "A岗", "CS-0102"], ["赵敏", "B岗", "—"]]
    items = [a["href"] for a in soup.select(".item-list a")]
    assert items == ["/items/canyin-fuwu-xuke/", "/items/yanhua-pifa-xuke/"]


def test_window_without_own_hours_shows_the_centers(get_page) -> None:
    facts = _facts(get_page("/windows/b01/"))
    assert facts["办公时间"] == "周一至周五 9:00—17:00" and facts["窗口电话"] == "0000-1111111"


def test_department_page_has_contacts_windows_and_items(get_page) -> None:
    soup = get_page("/departments/shiyaojian/")
    facts = _facts(soup)
    assert facts["地址"] == "测试市解放路 2 号" and facts["电话"] == "0000-2222222"
    assert facts["投诉电话"] == "0000-2223333" and facts["网站"] == "http://fda.test.example.gov.cn/"
    assert [a["href"] for a in soup.select(".window-list a")] == ["/windows/a12/"]
    assert [a["href"] for a in soup.select(".item-list a")] == [
        "/items/canyin-fuwu-xuke/",
        "/items/yanhua-pifa-xuke/",
    ]
    index = [a["href"] for a in get_page("/departments/").select("main .tiles a")]
    assert index == ["/departments/shiyaojian/", "/departments/zwzx/"]


def test_windows_index_lists_every_window(get_page) -> None:
    rows = get_page("/windows/").select("main tbody tr")
    assert [tr.th.get_text(strip=True) for tr in rows] == ["A12", "B01"]


@pytest.mark.parametrize(
    "path", ["/items/nope/", "/windows/nope/", "/items/type/nope/", "/items/audience/nope/", "/x"]
)
def test_unknown_pages_answer_404_with_the_site_layout(get_page, path: str) -> None:
    soup = get_page(path, status=404)
    assert soup.h1.get_text(strip=True) == "抱歉，您访问的页面不存在"
    assert soup.select_one("footer.site-footer") is not None


def test_news_and_pages_render_markdown_with_raw_html_escaped(get_page, text_of) -> None:
    news = get_page("/news/2010-06-01-kaiye/")
    body = news.select_one("main .prose")
    assert body.select_one("strong").get_text() == "正式开业"
    assert body.select_one("table th[scope=col]").get_text() == "楼层"
    assert news.select("main script") == []
    assert '<script>alert("news")</script>' in body.get_text()
    meta = text_of(news.select_one(".news-meta"))
    assert "发布日期：2010-06-01" in meta and "来源：中心办公室" in meta and "作者：张三" in meta
    page = get_page("/pages/banshi-xuzhi/")
    assert page.select("iframe") == []
    assert "<iframe" in page.select_one("main .prose").get_text()
    assert page.select_one(".updated time")["datetime"] == "2011-05-01"
    item = get_page("/items/canyin-fuwu-xuke/")
    assert (
        item.select("main script") == []
        and '<script>alert("faq")</script>' in item.select_one("#wenda").get_text()
    )


def test_news_list_is_newest_first(get_page) -> None:
    titles = [a.get_text() for a in get_page("/news/").select("main .news-title")]
    assert titles == ["中午延时服务", "中心正式开业"]


def test_without_feedback_server_phones_are_shown_instead_of_links(get_page, text_of) -> None:
    soup = get_page("/items/canyin-fuwu-xuke/")
    assert soup.select('a[href*="/feedback/"]') == []
    assert "咨询电话 0000-1111111 投诉电话 0000-1112345" in text_of(soup.select_one("header .topbar"))


def test_with_feedback_server_links_on_item_header_and_footer(make_app, mini_content_factory) -> None:
    from bs4 import BeautifulSoup

    root = mini_content_factory("fb", server_url="https://hudong.test.example.gov.cn/")
    client = make_app(CONTENT_DIR=str(root)).test_client()
    soup = BeautifulSoup(client.get("/items/canyin-fuwu-xuke/").get_data(as_text=True), "lxml")
    server = "https://hudong.test.example.gov.cn/feedback/new"
    item_links = [(a.get_text(), a["href"]) for a in soup.select("#zixun .action-links a")]
    assert item_links == [
        ("我要咨询", f"{server}?kind=咨询&item=canyin-fuwu-xuke"),
        ("我要投诉", f"{server}?kind=投诉&item=canyin-fuwu-xuke"),
        ("我要评价", f"{server}?kind=评价&item=canyin-fuwu-xuke"),
    ]
    for where in ("header", "footer"):
        assert [a["href"] for a in soup.select(f"{where} .feedback-links a")] == [
            f"{server}?kind=咨询",
            f"{server}?kind=投诉",
            f"{server}?kind=评价",
        ]


def test_server_mode_links_stay_on_this_server(mini_app) -> None:
    from bs4 import BeautifulSoup

    # As in `serve --production`: the feedback forms are this application's own pages.
    mini_app.config["FEEDBACK_ENABLED"] = True
    soup = BeautifulSoup(mini_app.test_client().get("/items/huji-zhengming/").get_data(as_text=True), "lxml")
    hrefs = [a["href"] for a in soup.select("#zixun .action-links a")]
    assert hrefs == [f"/feedback/new?kind={k}&item=huji-zhengming" for k in ("咨询", "投诉", "评价")]
