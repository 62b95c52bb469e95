"""Fixtures shared by every test folder: the demo content, a fresh app, the built demo site, Chromium."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from flask import Flask
from staticserver import served

from sunshine import DEMO_CONTENT, create_app

CHROMIUM = os.environ.get("SUNSHINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def demo_content() -> Path:
    return DEMO_CONTENT


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Flask]:
    """Build a fresh app per test (Flask tutorial habit); keyword arguments override config."""

    def factory(**config: Any) -> Flask:
        config.setdefault("TESTING", True)
        config.setdefault("INSTANCE_PATH", str(tmp_path / "instance"))
        return create_app(config)

    return factory


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo content built once per session with the real pipeline (Frozen-Flask, Pagefind, Whoosh)."""
    from sunshine.pipeline import build_site

    out = tmp_path_factory.mktemp("built") / "site"
    build_site(DEMO_CONTENT, out)
    return out


@pytest.fixture(scope="session")
def static_url(built_site: Path) -> Iterator[str]:
    """Base URL of the built demo site served by a plain static HTTP server."""
    with served(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Callable[..., Any]]:
    """New pages at a given viewport width; each page records console errors in ``page.console_errors``."""
    contexts: list[Any] = []

    def factory(width: int = 1280, height: int = 900, **options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield factory
    for context in contexts:
        context.close()


# --- databases: SQLite always, PostgreSQL when TEST_DATABASE_URL is set -----------------------------

PG_URL = os.environ.get("TEST_DATABASE_URL")
DB_PARAMS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")],
    ),
]


@pytest.fixture(params=DB_PARAMS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """None (the default SQLite file in the instance folder) or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield None
        return
    assert PG_URL
    schema = f"t_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


# --- a small, complete content tree written to the contract (public-site tests) -------------------

MINI_SITE = """\
name: 测试市政务服务中心
short_name: 测试中心
level: 市级
region: 测试省测试市
address: 测试市人民路 1 号
phone: 0000-1111111
complaint_phone: 0000-1112345
hours: 周一至周五 9:00—17:00
email: zwzx@test.example.gov.cn
base_url: https://zwfw.test.example.gov.cn/
identifiers:
  site_code: "0000000001"
  icp: 测ICP备00000001号
  police: 测公网安备 00000000000001号
  sponsor: 测试市政务服务中心管理办公室
reform_rounds:
  - round: 1
    name: 第一轮行政审批事项清理
    date: 2009-06-30
    document: 测政发〔2009〕1号
  - round: 2
    name: 第二轮行政审批事项清理
    date: 2011-09-15
    document: 测政发〔2011〕2号
"""

MINI_FILES: dict[str, str] = {
    "departments/shiyaojian.yaml": """\
name: 测试市食品药品监督管理局
short_name: 市食药监局
level: 市级
address: 测试市解放路 2 号
phone: 0000-2222222
complaint_phone: 0000-2223333
hours: 工作日 8:30—17:30
website: http://fda.test.example.gov.cn/
""",
    "departments/zwzx.yaml": "name: 测试市政务服务中心管理办公室\nlevel: 市级\nkind: 事业单位\n",
    "windows/a12.yaml": """\
name: 食品药品窗口
number: A12
area: 一楼A区
departments: [shiyaojian]
staff:
  - {name: 王芳, role: 首席代表, badge: CS-0101}
  - {name: 李强, role: A岗, badge: CS-0102}
  - {name: 赵敏, role: B岗}
hours: 工作日 9:00—12:00
phone: 0000-1110012
""",
    "windows/b01.yaml": "name: 综合受理窗口\nnumber: B01\ndepartments: [zwzx]\n",
    "items/canyin-fuwu-xuke.yaml": """\
name: 餐饮服务许可证核发
code: "0000-XK-001"
type: 行政许可
department: shiyaojian
windows: [a12]
status: 在办
changes:
  - {date: 2009-06-30, action: 保留, round: 1, document: 测政发〔2009〕1号, note: 保留并规范}
  - {date: 2011-09-15, action: 调整, round: 2, document: 测政发〔2011〕2号, note: 承诺时限压缩为 10 个工作日}
audience: 自然人和法人
basis:
  - law: 《中华人民共和国食品安全法》
    article: 第二十九条
    text: 国家对食品生产经营实行许可制度。
  - law: 《餐饮服务许可管理办法》
conditions: |
  申请人应当具备下列条件：

  1. 具有与经营相适应的**加工场所**；
  2. 具有相应的设备设施。
materials:
  - name: 餐饮服务许可申请书
    form: 原件
    copies: 1
    source: 窗口领取或本站下载
    note: 用黑色钢笔填写
    template: forms/shenqingshu.txt
    sample: forms/shenqingshu-yangben.txt
  - name: 营业执照复印件
    form: 复印件
    copies: 2
    source: 工商部门
  - name: 授权委托书
    required: false
    form: 原件
    copies: 1
    source: 申请人自备
process:
  - {step: 申请与受理, actor: 窗口A岗, duration: 当场, description: 审查材料是否齐全。}
  - {step: 现场核查, actor: 监管科, duration: 5 个工作日}
  - {step: 审核决定, actor: 首席代表, duration: 3 个工作日}
time_limit:
  legal: 20
  promised: 10
  note: 现场核查整改期间不计入办理时限。
fees:
  - {name: 工本费, standard: 每证 10 元, basis: 测价费〔2008〕5号}
result:
  name: 餐饮服务许可证
  type: 出证
  sample: forms/zhengshu-yangben.txt
visits: 1
online:
  depth: 2
  url: https://zwfw.test.example.gov.cn/wsbs/canyin
consult_phone: 0000-2220001
keywords: [开饭店, 开餐馆]
faq:
  - q: 先办营业执照还是先办许可证？
    a: 先办**名称核准**，再办许可证。<script>alert("faq")</script>
updated: 2011-10-12
""",
    "items/huji-zhengming.yaml": """\
name: 户籍证明开具
code: "0000-GG-002"
type: 公共服务
department: zwzx
status: 在办
audience: 自然人
basis:
  - law: 《户口登记条例》
conditions: 本市户籍居民。
materials: []
process:
  - step: 窗口受理并当场出具
time_limit:
  legal: null
  promised: 0
fees: []
visits: 0
online:
  depth: 4
  url: https://zwfw.test.example.gov.cn/wsbs/huji
updated: 2012-03-01
""",
    "items/yanhua-pifa-xuke.yaml": """\
name: 烟花爆竹批发许可
code: "0000-XK-003"
type: 行政许可
department: shiyaojian
windows: [a12]
status: 已取消
changes:
  - {date: 2009-06-30, action: 保留, round: 1}
  - {date: 2011-09-15, action: 取消, round: 2, document: 测政发〔2011〕2号, note: 依法取消，改为事后监管}
audience: 法人
basis:
  - law: 《烟花爆竹安全管理条例》
conditions: 已取消。
materials:
  - name: 申请书
    template: forms/shenqingshu.txt
process:
  - step: 受理
time_limit:
  legal: 30
  promised: 15
fees: []
online:
  depth: 2
  url: https://zwfw.test.example.gov.cn/wsbs/yanhua
updated: 2011-09-15
""",
    "news/2010-06-01-kaiye.md": """\
---
title: 中心正式开业
date: 2010-06-01
source: 中心办公室
author: 张三
summary: 测试市政务服务中心正式对外办公。
tags: [开业]
---
中心于今日**正式开业**。

<script>alert("news")</script>

| 楼层 | 区域 |
|---|---|
| 一楼 | 综合受理 |
""",
    "news/2011-10-01-yanshi.md": "---\ntitle: 中午延时服务\ndate: 2011-10-01\n---\n中午设延时服务窗口。\n",
    "pages/banshi-xuzhi.md": """\
---
title: 办事须知
order: 1
menu: true
updated: 2011-05-01
---
请携带身份证。<iframe src="https://evil.example"></iframe>
""",
    "pages/guanyu.md": "---\ntitle: 关于本站\n---\n本站公开办事信息。\n",
    "forms/shenqingshu.txt": "餐饮服务许可申请书（空白）\n",
    "forms/shenqingshu-yangben.txt": "餐饮服务许可申请书（样表）\n",
    "forms/zhengshu-yangben.txt": "许可证样本\n",
}


def write_mini_content(root: Path, *, server_url: str | None = None) -> Path:
    """Write the small complete tree into ``root``; ``server_url`` sets site.feedback.server_url."""
    site = MINI_SITE + (f"feedback:\n  server_url: {server_url}\n" if server_url else "")
    files = {"site.yaml": site, **MINI_FILES}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def mini_content(tmp_path: Path) -> Path:
    """A small content tree with every element of the contract (items in 在办, 即办 and 已取消 states)."""
    return write_mini_content(tmp_path / "content")


@pytest.fixture
def mini_content_factory(tmp_path: Path) -> Callable[..., Path]:
    """Write the small complete tree under tmp_path/<name> (options as :func:`write_mini_content`)."""

    def factory(name: str = "content", **options: Any) -> Path:
        return write_mini_content(tmp_path / name, **options)

    return factory
