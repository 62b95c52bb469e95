"""What the contract accepts: defaults, tolerated corner cases, warnings, and all errors in one run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from contenttree import ITEM, NEWS, SITE, D, I, N, S, Tree, W

from sunshine.content import ContentError


def test_minimal_tree_loads_without_warnings(tree: Tree) -> None:
    content = tree.load()
    assert content.warnings == []
    assert list(content.items) == ["canyin-xuke"]
    item = content.items["canyin-xuke"]
    assert (item.id, item.file) == ("canyin-xuke", I)
    assert item.code == "6106-XK-001"
    assert item.changes[0].date == dt.date(2009, 6, 30)
    assert content.news["2010-06-01-kaiye"].body == "中心今天开业。<b>欢迎</b>\n"
    assert content.pages["guide"].menu is True
    assert content.synonyms == {"餐饮服务许可": ["开饭店", "开餐馆"]}
    assert content.forms == ["forms/shenqingshu.pdf", "forms/yangben.pdf"]


def test_contract_defaults(tree: Tree) -> None:
    """required → true, kind → 行政机关, visits → 1, online → depth 0, window hours/phone → the site's."""
    tree.edit(I, "visits: 1\n", "")
    tree.edit(I, "online:\n  depth: 2\n  url: https://zwfw.example.gov.cn/canyin\n", "")
    content = tree.load()
    item = content.items["canyin-xuke"]
    assert item.materials[0].required is True
    assert item.visits == 1
    assert (item.online.depth, item.online.url, item.online.label) == (0, None, "不可网办")
    assert content.departments["shiyaojian"].kind == "行政机关"
    window = content.windows["a01"]
    assert (window.hours, window.phone) == (None, None)
    assert content.window_hours(window) == "周一至周五 9:00-17:00"
    assert content.window_phone(window) == "0911-8888888"
    assert content.item_hours(item) == "周一至周五 9:00-17:00"
    assert content.item_consult_phone(item) == "0911-2111111"  # the department's
    assert content.item_complaint_phone(item) == "0911-12345"  # the site's
    assert content.site.feedback.deadline("建议") == 15


def _bom(t: Tree) -> None:
    t.write(I, b"\xef\xbb\xbf" + ITEM.encode("utf-8"))
    t.write(N, b"\xef\xbb\xbf" + NEWS.encode("utf-8"))


ACCEPTED: list[tuple[str, Callable[[Tree], None], Callable[..., object], object]] = [
    ("bom", _bom, lambda c: c.items["canyin-xuke"].name, "餐饮服务许可"),
    (
        "quoted-date",
        lambda t: t.edit(I, "updated: 2011-09-15", 'updated: "2011-09-15"'),
        lambda c: c.items["canyin-xuke"].updated,
        dt.date(2011, 9, 15),
    ),
    (
        "legal-null",
        lambda t: t.edit(I, "legal: 20", "legal: null"),
        lambda c: c.items["canyin-xuke"].time_limit.legal,
        None,
    ),
    (
        "legal-empty",
        lambda t: t.edit(I, "legal: 20", "legal:"),
        lambda c: c.items["canyin-xuke"].time_limit.legal,
        None,
    ),
    (
        "yaml11-no",
        lambda t: t.edit(I, "required: false", "required: no"),
        lambda c: c.items["canyin-xuke"].materials[1].required,
        False,
    ),
    (
        "yaml11-yes",
        lambda t: t.edit("pages/guide.md", "menu: true", "menu: yes"),
        lambda c: c.pages["guide"].menu,
        True,
    ),
    (
        "crlf",
        lambda t: t.write(I, ITEM.replace("\n", "\r\n")),
        lambda c: c.items["canyin-xuke"].conditions,
        "具有与经营相适应的场所。",
    ),
    (
        "crlf-front-matter",
        lambda t: t.write(N, NEWS.replace("\n", "\r\n")),
        lambda c: c.news["2010-06-01-kaiye"].title,
        "中心正式开业",
    ),
    (
        "number-kept-as-written",
        lambda t: t.edit(W, "number: A01", "number: 012"),
        lambda c: c.windows["a01"].number,
        "012",
    ),
    (
        "time-not-sexagesimal",
        lambda t: t.edit(S, "hours: 周一至周五 9:00-17:00", "hours: 9:30"),
        lambda c: c.site.hours,
        "9:30",
    ),
    (
        "phone-number",
        lambda t: t.edit(D, "phone: 0911-2111111", "phone: 12345"),
        lambda c: c.departments["shiyaojian"].phone,
        "12345",
    ),
    (
        "zero-padded-int",
        lambda t: t.edit(I, "promised: 10", "promised: 010"),
        lambda c: c.items["canyin-xuke"].time_limit.promised,
        10,
    ),
    (
        "promised-equals-legal",
        lambda t: t.edit(I, "promised: 10", "promised: 20"),
        lambda c: c.items["canyin-xuke"].time_limit.promised,
        20,
    ),
    (
        "instant",
        lambda t: t.edit(I, "legal: 20\n  promised: 10", "legal: 0\n  promised: 0"),
        lambda c: c.items["canyin-xuke"].time_limit.promised,
        0,
    ),
    (
        "depth4-visits0",
        lambda t: (t.edit(I, "depth: 2", "depth: 4"), t.edit(I, "visits: 1", "visits: 0")),
        lambda c: c.items["canyin-xuke"].online.label,
        "全程网办",
    ),
    (
        "anchor-and-alias",
        lambda t: t.edit(
            I, "  - name: 身份证明\n    required: false", "  - &id {name: 身份证明, required: false}\n  - *id"
        ),
        lambda c: [m.name for m in c.items["canyin-xuke"].materials],
        ["餐饮服务许可申请书", "身份证明", "身份证明"],
    ),
    (
        "merge-key",
        lambda t: t.edit(
            I,
            "  - name: 身份证明\n    required: false",
            "  - &id {name: 身份证明, required: false}\n  - <<: *id\n    name: 户口簿",
        ),
        lambda c: [(m.name, m.required) for m in c.items["canyin-xuke"].materials][1:],
        [("身份证明", False), ("户口簿", False)],
    ),
    ("no-synonyms", lambda t: t.remove("synonyms.yaml"), lambda c: c.synonyms, {}),
    (
        "no-optional-folders",
        lambda t: (t.remove("news"), t.remove("pages")),
        lambda c: (c.news, c.pages),
        ({}, {}),
    ),
    (
        "hidden-files-ignored",
        lambda t: (t.write("items/.canyin.yaml.swp", b"\x00\x01"), t.write("items/.DS_Store", b"x")),
        lambda c: list(c.items),
        ["canyin-xuke"],
    ),
    (
        "nested-forms",
        lambda t: (
            t.write("forms/yangben/zheng.pdf", b"%PDF"),
            t.edit(I, "forms/yangben.pdf", "forms/yangben/zheng.pdf"),
        ),
        lambda c: c.items["canyin-xuke"].result.sample,
        "forms/yangben/zheng.pdf",
    ),
    (
        "quoted-round",
        lambda t: t.edit(I, "    round: 1", '    round: "1"'),
        lambda c: c.items["canyin-xuke"].changes[0].round,
        1,
    ),
]


@pytest.mark.parametrize(
    ("change", "get", "expected"), [a[1:] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED]
)
def test_accepted(
    tree: Tree, change: Callable[[Tree], None], get: Callable[..., object], expected: object
) -> None:
    change(tree)
    content = tree.load()
    assert get(content) == expected
    assert [str(w) for w in content.warnings] == []


WARNINGS = [
    ("no-window", lambda t: t.edit(I, "windows: [a01]", "windows: []"), I, 5, "windows", "没有办理地点"),
    ("visits-0-not-online", lambda t: t.edit(I, "visits: 1", "visits: 0"), I, 36, "visits", "不能全程网办"),
    (
        "depth-without-url",
        lambda t: t.edit(I, "  url: https://zwfw.example.gov.cn/canyin\n", ""),
        I,
        37,
        "online.url",
        "未给出网上办理地址",
    ),
    (
        "withdrawn-without-changes",
        lambda t: (
            t.edit(I, "status: 在办", "status: 已取消"),
            t.edit(
                I,
                "changes:\n  - date: 2009-06-30\n    action: 保留\n    round: 1\n"
                "    document: 延政发〔2009〕27号\n",
                "",
            ),
        ),
        I,
        6,
        "status",
        "没有变更记录",
    ),
    (
        "news-date-differs",
        lambda t: t.edit(N, "date: 2010-06-01", "date: 2010-06-02"),
        N,
        3,
        "date",
        "不一致",
    ),
    (
        "department-not-at-window",
        lambda t: (
            t.write("departments/gsj.yaml", "name: 工商局\nlevel: 市级\n"),
            t.edit(W, "departments: [shiyaojian]", "departments: [gsj]"),
        ),
        I,
        5,
        "windows",
        "未进驻所列窗口 A01",
    ),
    (
        "window-without-departments",
        lambda t: t.edit(W, "departments: [shiyaojian]", "departments: []"),
        W,
        4,
        "departments",
        "没有进驻单位",
    ),
    (
        "same-window-number",
        lambda t: t.write("windows/b01.yaml", "name: 复印\nnumber: A01\ndepartments: [shiyaojian]\n"),
        "windows/b01.yaml",
        2,
        "number",
        "窗口号 A01 与 windows/a01.yaml 相同",
    ),
    (
        "round-twice",
        lambda t: t.edit(
            S, "    document: 延政发〔2009〕27号\n", "    document: 延政发〔2009〕27号\n  - round: 1\n"
        ),
        S,
        24,
        "reform_rounds[1].round",
        "重复",
    ),
    ("unknown-top-level", lambda t: t.write("notes.txt", "x"), "notes.txt", None, "", "未知文件"),
    (
        "joint-lists-own-department",
        lambda t: t.edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\njoint: [shiyaojian]\n"),
        I,
        45,
        "joint[0]",
        "实施主体本身",
    ),
    (
        "immediate-with-a-promise",
        lambda t: t.edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\nhandling: 即办件\n"),
        I,
        45,
        "handling",
        "即办件的承诺时限应为 0",
    ),
]


@pytest.mark.parametrize(
    ("change", "path", "line", "field", "message"), [w[1:] for w in WARNINGS], ids=[w[0] for w in WARNINGS]
)
def test_warning(
    tree: Tree, change: Callable[[Tree], None], path: str, line: int | None, field: str, message: str
) -> None:
    """Suspicious but valid data loads, with a warning at the right place."""
    change(tree)
    warnings = tree.warnings()
    assert [(w.path, w.line, w.field, w.severity) for w in warnings if message in w.message] == [
        (path, line, field, "warning")
    ], [str(w) for w in warnings]
    assert str(warnings[0]).startswith("warning: ")


def test_withdrawn_item_stays_published(tree: Tree) -> None:
    tree.edit(I, "status: 在办", "status: 已下放")
    content = tree.load()
    item = content.items["canyin-xuke"]
    assert item.withdrawn and content.withdrawn_items() == [item] and content.active_items() == []


def test_every_problem_in_one_run(tree: Tree) -> None:
    """Errors in several files and several fields of one file all come out of one run, sorted by place."""
    tree.edit(I, "type: 行政许可", "type: 行政许否")  # the item now fails its model…
    tree.edit(I, "department: shiyaojian", "department: nowhere")  # …its references are still checked
    tree.edit(I, "materials:", "matrials:")
    tree.edit(W, "departments: [shiyaojian]", "departments: [nowhere]")
    tree.edit(S, "level: 市级", "level: 地级")
    tree.edit(N, "title: 中心正式开业\n", "")
    tree.write("departments/Bad Name.yaml", "name: x\n")
    tree.write("windows/b01.yaml", "name: 复印\nnumber: A01\ndepartments: [shiyaojian]\n")  # a warning
    with pytest.raises(ContentError) as caught:
        tree.load()
    problems = [(p.path, p.line, p.field) for p in caught.value.problems]
    assert problems == [
        ("departments/Bad Name.yaml", None, ""),
        (I, 3, "type"),
        (I, 4, "department"),
        (I, 18, "materials"),  # the missing key is reported where the typo is
        (I, 18, "matrials"),
        (N, 2, "title"),
        (S, 3, "level"),
        (W, 4, "departments[0]"),
    ]
    report = caught.value.report().splitlines()
    assert report[-1] == "8 error(s), 1 warning(s); nothing was written."
    assert report[-2].startswith("warning: windows/b01.yaml:2: number: ")


def test_reference_to_a_broken_record_is_not_dangling(tree: Tree) -> None:
    """A department whose file is broken still exists: items pointing at it get no second error."""
    tree.edit(D, "level: 市级", "level: 乡级")
    assert [(p.path, p.field) for p in tree.problems()] == [(D, "level")]


def test_round_checked_against_raw_site(tree: Tree) -> None:
    """Site.yaml failing its model still defines its reform rounds for the items' changes."""
    tree.edit(S, "level: 市级", "level: 地级")
    tree.edit(I, "    round: 1", "    round: 3")
    assert [(p.path, p.field) for p in tree.problems()] == [(I, "changes[0].round"), (S, "level")]


def test_content_folder_missing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sunshine.content import read_content

    with pytest.raises(ContentError) as caught:
        read_content(tmp_path / "nothing")
    assert [p.message for p in caught.value.problems] == ["内容目录不存在 (content folder not found)"]


def test_site_only_tree(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The smallest valid tree is site.yaml alone."""
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    t = Tree(tmp_path)
    assert t.load().items == {}
