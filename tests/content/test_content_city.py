"""City-wide trees (CONTENT-SPEC v2): the valid city, and every rule with a broken tree and its message.

Each case changes one thing in the valid city tree (citytree.py) and names
the file (from the root of the tree), line, field and a part of the message
an editor must see, as in test_content_rules.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from citytree import CATALOG, IMPLEMENTATION, LC, LC_ITEM, YC_ITEM, write_city_tree
from contenttree import Tree

from sunshine.content import ContentError, read_content
from sunshine.content.model import INHERITED_KEYS, CatalogEntry
from sunshine.pipeline import build_site

S = "site.yaml"
C = "catalog/canyin-xuke.yaml"


@pytest.fixture
def city(tmp_path: Path) -> Tree:
    return write_city_tree(tmp_path / "content")


# --- the valid city --------------------------------------------------------------------------------


def test_city_tree_loads_with_centers_in_order_and_the_catalog(city: Tree) -> None:
    content = city.load()
    assert content.is_city and content.warnings == []
    assert content.center_id == "city" and content.url_prefix == "" and content.city is None
    assert list(content.centers) == ["luochuan", "yanchuan"]
    assert [c.center_id for c in content.all_centers()] == ["city", "luochuan", "yanchuan"]
    luochuan = content.centers["luochuan"]
    assert luochuan.url_prefix == "/luochuan" and luochuan.city is content and not luochuan.is_city
    assert content.center("yanchuan") is content.centers["yanchuan"]
    assert content.center("city") is content and content.center("nowhere") is None
    assert luochuan.all_centers() == content.all_centers()
    assert list(content.catalog) == ["canyin-xuke"] and luochuan.catalog is content.catalog
    assert luochuan.root == city.root / "centers" / "luochuan"


def test_an_implementation_inherits_what_it_does_not_set(city: Tree) -> None:
    content = city.load()
    item = content.centers["luochuan"].items["canyin-xuke"]
    assert item.base == "canyin-xuke"
    assert item.code == "610629-0001"  # 实施编码: its own
    assert item.name == "餐饮服务许可证核发" and item.type == "行政许可"
    assert [m.name for m in item.materials] == ["餐饮服务许可申请书", "身份证明"]
    assert item.keywords == ["开饭店"] and item.fees == []
    assert (item.time_limit.legal, item.time_limit.promised) == (20, 15)
    assert item.inherited_keys == {
        "name",
        "type",
        "audience",
        "basis",
        "conditions",
        "materials",
        "process",
        "fees",
        "keywords",
    }
    assert item.local_materials == []
    # The root's own item sets everything itself.
    assert content.items["canyin-xuke"].inherited_keys == frozenset()


def test_own_keys_win_and_legal_comes_from_the_catalog_unless_set(city: Tree) -> None:
    city.edit(LC_ITEM, "  promised: 15\n", "  promised: 5\n  note: 当场核查\n")
    city.edit(YC_ITEM, "  promised: 15\n", "  legal: 18\n  promised: 15\n")
    city.write(YC_ITEM, city.read(YC_ITEM) + "name: 餐饮服务许可（延川）\nkeywords: [小吃店]\n")
    content = city.load()
    lc, yc = (
        content.centers["luochuan"].items["canyin-xuke"],
        content.centers["yanchuan"].items["canyin-xuke"],
    )
    assert (lc.time_limit.legal, lc.time_limit.promised, lc.time_limit.note) == (20, 5, "当场核查")
    assert (yc.time_limit.legal, yc.name, yc.keywords) == (18, "餐饮服务许可（延川）", ["小吃店"])


def test_local_materials_are_a_warning_and_known_to_the_item(city: Tree) -> None:
    city.write(
        LC_ITEM,
        city.read(LC_ITEM)
        + "materials:\n  - name: 餐饮服务许可申请书\n  - name: 村委会证明\n  - name: 身份证明\n",
    )
    content = city.load()
    item = content.centers["luochuan"].items["canyin-xuke"]
    assert [m.name for m in item.local_materials] == ["村委会证明"]
    (warning,) = content.warnings
    assert (warning.path, warning.line, warning.field, warning.severity) == (
        LC_ITEM,
        16,
        "materials[1].name",
        "warning",
    )
    assert "地方自设材料" in warning.message and "catalog/canyin-xuke.yaml" in warning.message


def test_a_county_synonyms_are_merged_with_the_roots(city: Tree) -> None:
    city.write(LC + "synonyms.yaml", "餐饮服务许可: [开小吃店]\n林木采伐许可: [砍树证]\n")
    content = city.load()
    merged = content.centers["luochuan"].synonyms
    assert merged["餐饮服务许可"] == ["开饭店", "开餐馆", "开小吃店"] and merged["林木采伐许可"] == ["砍树证"]
    assert content.centers["yanchuan"].synonyms == content.synonyms


def test_root_id_is_optional(city: Tree) -> None:
    city.edit(S, "name: 延安市政务服务中心\n", "name: 延安市政务服务中心\nid: yanan\n")
    assert city.load().center_id == "yanan"


def test_a_single_center_tree_is_not_a_city(tree: Tree) -> None:
    content = tree.load()
    assert not content.is_city and content.centers == {} and content.all_centers() == [content]
    assert content.center_id == "city" and content.url_prefix == ""


def test_a_single_center_tree_may_have_a_catalog(tree: Tree) -> None:
    tree.write(C, CATALOG)
    tree.write("items/impl.yaml", IMPLEMENTATION.replace("windows: [a03]", "windows: [a01]"))
    content = tree.load()
    assert content.items["impl"].name == "餐饮服务许可证核发" and not content.is_city


def test_catalog_keys_are_the_contracts() -> None:
    assert set(CatalogEntry.model_fields) == {
        "name",
        "code",
        "type",
        "basis",
        "conditions",
        "materials",
        "process",
        "fees",
        "result",
        "audience",
        "keywords",
        "faq",
        "time_limit",
    }
    required = [k for k, f in CatalogEntry.model_fields.items() if f.is_required()]
    assert required == ["name", "code", "type", "basis"]
    assert set(INHERITED_KEYS) == set(CatalogEntry.model_fields) - {"code", "time_limit"}


# --- broken cities ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    change: Callable[[Tree], None]
    path: str
    line: int | None
    field: str
    message: str
    hint: str = ""


def edit(rel: str, old: str, new: str) -> Callable[[Tree], None]:
    return lambda t: t.edit(rel, old, new)


def write(rel: str, data: str) -> Callable[[Tree], None]:
    return lambda t: t.write(rel, data)


def remove(rel: str) -> Callable[[Tree], None]:
    return lambda t: t.remove(rel)


def _county_folder(name: str) -> Callable[[Tree], None]:
    def run(t: Tree) -> None:
        (t.root / "centers" / name).mkdir(parents=True)
        t.write(f"centers/{name}/site.yaml", "name: 宜川县政务服务中心\n")

    return run


CASES = [
    Case(
        "folder-not-listed",
        _county_folder("yichuan"),
        S,
        24,
        "centers",
        "中心目录 centers/yichuan/ 未列入 centers (folder not listed)",
        "add yichuan to centers in site.yaml",
    ),
    Case(
        "listed-folder-missing",
        remove("centers/yanchuan"),
        S,
        26,
        "centers[1]",
        "中心目录 centers/yanchuan/ 不存在 (listed center has no folder)",
        "create centers/yanchuan/",
    ),
    Case(
        "centers-folder-without-centers-key",
        edit(S, "centers:\n  - luochuan\n  - yanchuan\n", ""),
        S,
        1,
        "centers",
        "中心目录 centers/luochuan/ 未列入 centers",
    ),
    Case(
        "county-without-site",
        remove(LC + "site.yaml"),
        LC + "site.yaml",
        None,
        "",
        "缺少 site.yaml",
    ),
    Case(
        "county-site-missing-key",
        edit(LC + "site.yaml", "phone: 0911-3621166\n", ""),
        LC + "site.yaml",
        1,
        "phone",
        "缺少必填字段",
    ),
    Case(
        "base-does-not-exist",
        edit(LC_ITEM, "base: canyin-xuke", "base: canyin-xuk"),
        LC_ITEM,
        2,
        "base",
        "基本目录事项“canyin-xuk”不存在 (unknown catalog id)",
        'did you mean "canyin-xuke"?',
    ),
    Case(
        "base-without-catalog",
        remove("catalog"),
        LC_ITEM,
        2,
        "base",
        "内容根目录下没有 catalog/ 目录",
    ),
    Case(
        "promised-over-catalog-legal",
        edit(LC_ITEM, "  promised: 15", "  promised: 25"),
        LC_ITEM,
        11,
        "time_limit.promised",
        "承诺时限 25 天超过基本目录 catalog/canyin-xuke.yaml 的法定时限 20 天",
        "a promise may only shorten",
    ),
    Case(
        "promised-over-catalog-legal-with-own-legal",
        edit(LC_ITEM, "  promised: 15", "  legal: 30\n  promised: 25"),
        LC_ITEM,
        12,
        "time_limit.promised",
        "超过基本目录 catalog/canyin-xuke.yaml 的法定时限 20 天",
    ),
    Case(
        "duplicate-code-across-centers",
        edit(YC_ITEM, "610622-0001", "610629-0001"),
        YC_ITEM,
        1,
        "code",
        f"事项编码“610629-0001”与 {LC_ITEM} 重复 (duplicate code)",
        f"{LC_ITEM} and {YC_ITEM} both use it",
    ),
    Case(
        "duplicate-code-root-and-county",
        edit(LC_ITEM, "610629-0001", "6106-XK-001"),
        LC_ITEM,
        1,
        "code",
        "事项编码“6106-XK-001”与 items/canyin-xuke.yaml 重复",
    ),
    Case(
        "type-differs-from-catalog",
        lambda t: t.write(LC_ITEM, t.read(LC_ITEM) + "type: 公共服务\n"),
        LC_ITEM,
        14,
        "type",
        "事项类型“公共服务”与基本目录 catalog/canyin-xuke.yaml 的“行政许可”不一致",
    ),
    Case(
        "implementation-missing-own-key",
        edit(LC_ITEM, "department: shiyaojian\n", ""),
        LC_ITEM,
        1,
        "department",
        "缺少必填字段",
    ),
    Case(
        "implementation-missing-promised",
        edit(LC_ITEM, "time_limit:\n  promised: 15\n", ""),
        LC_ITEM,
        2,
        "time_limit.promised",
        "缺少必填字段",
    ),
    Case(
        "inheritable-key-missing-in-both",
        edit(C, "process:\n  - step: 受理\n", ""),
        LC_ITEM,
        1,
        "process",
        "缺少必填字段",
    ),
    Case(
        "county-unknown-department",
        edit(LC_ITEM, "department: shiyaojian", "department: shiyaojain"),
        LC_ITEM,
        3,
        "department",
        "单位“shiyaojain”不存在",
        'did you mean "shiyaojian"?',
    ),
    Case(
        "county-round-not-in-the-roots",
        edit(LC_ITEM, "    round: 1", "    round: 7"),
        LC_ITEM,
        9,
        "changes[0].round",
        "清理轮次 7 未在 site.yaml 的 reform_rounds 中定义",
    ),
    Case(
        "county-own-rounds-replace-the-roots",
        edit(LC + "site.yaml", "hours:", "reform_rounds:\n  - round: 3\nhours:"),
        LC_ITEM,
        9,
        "changes[0].round",
        "清理轮次 1 未在 site.yaml 的 reform_rounds 中定义",
    ),
    Case(
        "county-unknown-key",
        lambda t: t.write(LC_ITEM, t.read(LC_ITEM) + "matrials: []\n"),
        LC_ITEM,
        14,
        "matrials",
        "未知字段",
        'did you mean "materials"?',
    ),
    Case(
        "root-id-clashes-with-county",
        edit(S, "name: 延安市政务服务中心\n", "name: 延安市政务服务中心\nid: luochuan\n"),
        S,
        26,
        "centers[0]",
        "中心标识“luochuan”与市中心（内容根目录）的标识相同",
    ),
    Case(
        "county-named-like-the-default-root-id",
        edit(S, "  - yanchuan\n", "  - yanchuan\n  - city\n"),
        S,
        27,
        "centers[2]",
        "中心标识“city”与市中心（内容根目录）的标识相同",
    ),
    Case(
        "reserved-center-id",
        edit(S, "  - yanchuan\n", "  - yanchuan\n  - items\n"),
        S,
        27,
        "centers[2]",
        "中心标识“items”是网站栏目的地址",
    ),
    Case(
        "bad-center-id",
        edit(S, "  - yanchuan\n", "  - yanchuan\n  - Yi_Chuan\n"),
        S,
        27,
        "centers[2]",
        "中心标识“Yi_Chuan”只能用小写字母、数字和 -",
    ),
    Case(
        "center-listed-twice",
        edit(S, "  - yanchuan\n", "  - yanchuan\n  - luochuan\n"),
        S,
        27,
        "centers[2]",
        "中心“luochuan”重复列出",
    ),
    Case(
        "centers-not-a-list",
        edit(S, "centers:\n  - luochuan\n  - yanchuan\n", "centers: luochuan\n"),
        S,
        24,
        "centers",
        "应为列表",
    ),
    Case(
        "root-id-not-an-id",
        edit(S, "name: 延安市政务服务中心\n", "name: 延安市政务服务中心\nid: 延安\n"),
        S,
        2,
        "id",
        "只能用小写字母、数字和 -",
    ),
    Case(
        "county-lists-centers",
        edit(LC + "site.yaml", "level: 县级\n", "level: 县级\ncenters: [xiang]\n"),
        LC + "site.yaml",
        3,
        "centers",
        "只有内容根目录的 site.yaml 可以列出县级中心",
    ),
    Case(
        "county-names-itself",
        edit(LC + "site.yaml", "level: 县级\n", "level: 县级\nid: lc\n"),
        LC + "site.yaml",
        3,
        "id",
        "县级中心的标识是它的目录名“luochuan”",
    ),
    Case(
        "centers-is-a-file",
        lambda t: (t.remove("centers"), t.write("centers", "luochuan\n")),
        "centers",
        None,
        "",
        "centers 应为目录",
    ),
    Case(
        "file-in-centers",
        write("centers/readme.txt", "县级中心\n"),
        "centers/readme.txt",
        None,
        "",
        "centers/ 下只能放县级中心的目录",
    ),
    Case(
        "catalog-duplicate-code",
        write("catalog/zz-canyin.yaml", CATALOG),
        "catalog/zz-canyin.yaml",
        2,
        "code",
        "基本编码“6106-JBML-001”与 catalog/canyin-xuke.yaml 重复",
    ),
    Case(
        "catalog-missing-basis",
        edit(C, "basis:\n  - law: 《中华人民共和国食品安全法》\n    article: 第二十九条\n", ""),
        C,
        1,
        "basis",
        "缺少必填字段“设定依据”",
    ),
    Case(
        "catalog-unknown-key",
        edit(C, "time_limit:\n  legal: 20\n", "time_limit:\n  legal: 20\n  promised: 10\n"),
        C,
        18,
        "time_limit.promised",
        "未知字段",
    ),
    Case(
        "catalog-department-is-not-a-catalog-key",
        lambda t: t.write(C, t.read(C) + "department: shiyaojian\n"),
        C,
        20,
        "department",
        "未知字段",
    ),
    Case(
        "catalog-form-missing",
        edit(
            C,
            "    form: 原件\n  - name: 身份证明",
            "    form: 原件\n    template: forms/nope.pdf\n  - name: 身份证明",
        ),
        C,
        12,
        "materials[0].template",
        "文件“forms/nope.pdf”不存在",
    ),
    Case(
        "catalog-bad-file-name",
        lambda t: t.rename(C, "catalog/Canyin.yaml"),
        "catalog/Canyin.yaml",
        None,
        "",
        "文件名只能用小写字母",
    ),
    Case(
        "county-broken-yaml",
        write(LC + "windows/a03.yaml", "name: [窗口\n"),
        LC + "windows/a03.yaml",
        2,
        "",
        "YAML 语法错误",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_city_rule(city: Tree, case: Case) -> None:
    case.change(city)
    problems = city.problems()
    matching = [p for p in problems if p.path == case.path and case.message in p.message]
    assert matching, f"no problem with {case.message!r} in {case.path}; got:\n" + "\n".join(
        map(str, problems)
    )
    found = matching[0]
    assert (found.line, found.field) == (case.line, case.field), str(found)
    assert found.severity == "error"
    assert case.hint in found.hint, str(found)
    assert str(found).startswith(f"{case.path}:{case.line}: " if case.line else f"{case.path}: ")


def test_a_broken_catalog_entry_is_reported_once(city: Tree) -> None:
    """Items inheriting a broken entry are not blamed for it; their own problems still show."""
    city.edit(C, "type: 行政许可", "type: 行政许否")
    city.edit(LC_ITEM, "status: 在办", "status: 在搬")
    problems = city.problems()
    assert [(p.path, p.field) for p in problems] == [(C, "type"), (LC_ITEM, "status")]


def test_every_problem_of_the_city_in_one_run(city: Tree) -> None:
    city.edit(LC_ITEM, "base: canyin-xuke", "base: nowhere")
    city.edit(YC_ITEM, "  promised: 15", "  promised: 21")
    city.remove(LC + "windows/a03.yaml")
    paths = {p.path for p in city.problems()}
    assert paths == {LC_ITEM, YC_ITEM}


def test_a_broken_city_writes_nothing(city: Tree, tmp_path: Path) -> None:
    city.edit(YC_ITEM, "  promised: 15", "  promised: 21")
    out = tmp_path / "out"
    with pytest.raises(ContentError) as caught:
        build_site(city.root, out)
    assert not out.exists()
    assert any(p.path == YC_ITEM for p in caught.value.problems)


def test_demo_is_a_city_that_loads_clean() -> None:
    from sunshine import DEMO_CONTENT

    content = read_content(DEMO_CONTENT)
    assert list(content.centers) == ["luochuan", "yanchuan"]
    assert len(content.catalog) >= 20
    assert all(w.severity == "warning" and "地方自设材料" in w.message for w in content.warnings)
