"""Every rule of the content contract: one broken tree each, and the exact problem it must produce.

Each case changes one thing in the valid minimal tree (contenttree.py) and
names the file, line, field and a part of the message that an editor must
see.  ``None`` as a line means a problem about a file or the tree as a whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import yaml
from contenttree import DEPARTMENT, ITEM, NEWS, PAGE, SITE, WINDOW, D, I, N, P, S, Tree, W

from sunshine.content.model import Department, Item, News, Page, Site, Window


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


def write(rel: str, data: str | bytes) -> Callable[[Tree], None]:
    return lambda t: t.write(rel, data)


def rename(rel: str, new_rel: str) -> Callable[[Tree], None]:
    return lambda t: t.rename(rel, new_rel)


def both(*changes: Callable[[Tree], None]) -> Callable[[Tree], None]:
    def run(t: Tree) -> None:
        for change in changes:
            change(t)

    return run


def _dir_instead_of(rel: str) -> Callable[[Tree], None]:
    def run(t: Tree) -> None:
        t.remove(rel)
        (t.root / rel).mkdir()

    return run


def _broken_symlink(t: Tree) -> None:
    os.symlink(t.root / "nowhere.yaml", t.root / "items/broken.yaml")


BASIS = "basis:\n  - law: 《中华人民共和国食品安全法》\n    article: 第二十九条\n"
TIME_LIMIT = "time_limit:\n  legal: 20\n  promised: 10\n"

CASES = [
    # --- layout and file names ---------------------------------------------------------
    Case("site-missing", lambda t: t.remove(S), S, None, "", "缺少 site.yaml"),
    Case("site-is-a-folder", _dir_instead_of(S), S, None, "", "应为文件"),
    Case(
        "items-is-a-file",
        both(lambda t: t.remove("items"), write("items", "x")),
        "items",
        None,
        "",
        "应为目录",
    ),
    Case(
        "uppercase-name",
        rename(I, "items/Canyin-Xuke.yaml"),
        "items/Canyin-Xuke.yaml",
        None,
        "",
        "文件名只能用小写字母",
        "rename it to canyin-xuke.yaml",
    ),
    Case(
        "space-in-name",
        rename(I, "items/canyin xuke.yaml"),
        "items/canyin xuke.yaml",
        None,
        "",
        "文件名只能用小写字母",
        "rename it to canyin-xuke.yaml",
    ),
    Case(
        "chinese-name",
        rename(I, "items/餐饮许可.yaml"),
        "items/餐饮许可.yaml",
        None,
        "",
        "文件名只能用小写字母",
        "rename it to can-yin-xu-ke.yaml",
    ),
    Case(
        "wrong-extension",
        rename(I, "items/canyin-xuke.yml"),
        "items/canyin-xuke.yml",
        None,
        "",
        "文件扩展名应为 .yaml",
        "rename it to canyin-xuke.yaml",
    ),
    Case(
        "md-in-items",
        write("items/readme.md", "# notes"),
        "items/readme.md",
        None,
        "",
        "文件扩展名应为 .yaml",
    ),
    Case(
        "folder-named-yaml",
        lambda t: (t.root / "items/extra.yaml").mkdir(),
        "items/extra.yaml",
        None,
        "",
        "不应有子目录",
    ),
    Case("broken-symlink", _broken_symlink, "items/broken.yaml", None, "", "无法读取文件"),
    Case(
        "news-name-without-date", rename(N, "news/kaiye.md"), "news/kaiye.md", None, "", "YYYY-MM-DD-<id>.md"
    ),
    Case(
        "news-name-impossible-date",
        rename(N, "news/2010-02-30-kaiye.md"),
        "news/2010-02-30-kaiye.md",
        None,
        "",
        "文件名中的日期 2010-02-30 不存在",
    ),
    Case(
        "page-wrong-extension",
        rename(P, "pages/guide.txt"),
        "pages/guide.txt",
        None,
        "",
        "文件扩展名应为 .md",
    ),
    # --- encoding and YAML syntax --------------------------------------------------------
    Case("not-utf8", write(I, ITEM.replace("保留", "保留\n").encode("gbk")), I, 1, "", "不是 UTF-8"),
    Case(
        "not-utf8-line",
        write(D, ("name: x\nlevel: x\nshort_name: 食药监\n").encode("gbk")),
        D,
        3,
        "",
        "不是 UTF-8",
    ),
    Case("empty-file", write(I, ""), I, None, "", "文件为空"),
    Case("whitespace-file", write(D, "\n  \n"), D, None, "", "文件为空"),
    Case("comments-only", write(D, "# 待补充\n"), D, 1, "", "没有任何字段"),
    Case("top-level-list", write(W, "- name: 窗口\n- number: A01\n"), W, 1, "", "而不是列表"),
    Case("top-level-scalar", write(W, "食品药品窗口\n"), W, 1, "", "而不是单个值"),
    Case("tab-indent", edit(I, "  legal: 20", "\tlegal: 20"), I, 29, "", "制表符"),
    Case(
        "syntax-error",
        edit(I, "name: 餐饮服务许可\ncode", "name: 餐饮: [许可\ncode"),
        I,
        1,
        "",
        "YAML 语法错误",
    ),
    Case(
        "two-documents",
        edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\n---\nname: 又一个\n"),
        I,
        45,
        "",
        "只能有一个 YAML 文档",
    ),
    Case("undefined-alias", edit(I, "fees: []", "fees: *nofees"), I, 31, "", "YAML 语法错误"),
    Case("list-as-key", edit(D, "phone: 0911-2111111", "? [a, b]\n: 1"), D, 4, "", "字段名应为文字"),
    Case(
        "duplicate-key",
        edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\nname: 又一个\n"),
        I,
        45,
        "name",
        "重复的字段",
    ),
    Case(
        "duplicate-nested-key",
        edit(I, "  promised: 10\n", "  promised: 10\n  promised: 5\n"),
        I,
        31,
        "time_limit.promised",
        "重复的字段",
    ),
    Case(
        "runaway-aliases",
        write(
            D,
            "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
            + "".join(
                f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcde", "bcdef", strict=True)
            ),
        ),
        D,
        1,
        "",
        "别名展开过多",
    ),
    Case("deep-nesting", write(D, "name: " + "[" * 60 + "]" * 60 + "\n"), D, 1, "", "嵌套超过"),
    # --- front matter -----------------------------------------------------------------------
    Case("news-no-front-matter", write(N, "中心今天开业。\n"), N, 1, "", "缺少 YAML 前置元数据"),
    Case(
        "news-front-matter-unclosed",
        write(N, "---\ntitle: 开业\ndate: 2010-06-01\n正文\n"),
        N,
        1,
        "",
        "没有结束行",
    ),
    Case("page-empty-front-matter", write(P, "---\n---\n正文\n"), P, 1, "", "前置元数据为空"),
    Case(
        "news-unknown-key",
        edit(N, "tags: [开业]", "tag: [开业]"),
        N,
        4,
        "tag",
        "未知字段",
        'did you mean "tags"?',
    ),
    Case(
        "page-unknown-key",
        edit(P, "menu: true", "manu: true"),
        P,
        4,
        "manu",
        "未知字段",
        'did you mean "menu"?',
    ),
    Case(
        "news-impossible-date", edit(N, "date: 2010-06-01", "date: 2010-06-31"), N, 3, "date", "不是有效日期"
    ),
    Case("page-order-not-int", edit(P, "order: 1", "order: 第一"), P, 3, "order", "应为整数"),
    Case("page-menu-not-bool", edit(P, "menu: true", "menu: 也许"), P, 4, "menu", "应为 true 或 false"),
    # --- unknown keys at every level, with the nearest key ------------------------------------
    Case(
        "item-unknown-top",
        edit(I, "materials:", "matrials:"),
        I,
        18,
        "matrials",
        "未知字段",
        'did you mean "materials"?',
    ),
    Case(
        "item-unknown-in-list",
        edit(I, "    form: 原件", "    from: 原件"),
        I,
        20,
        "materials[0].from",
        "未知字段",
        'did you mean "form"?',
    ),
    Case(
        "item-unknown-in-map",
        edit(I, "  promised: 10", "  promise: 10"),
        I,
        30,
        "time_limit.promise",
        "未知字段",
        'did you mean "promised"?',
    ),
    Case(
        "item-unknown-in-online",
        edit(I, "  url: https", "  link: https"),
        I,
        39,
        "online.link",
        "未知字段",
        "known keys: depth, url",
    ),
    Case(
        "site-unknown-nested",
        edit(S, "  icp:", "  ipc:"),
        S,
        13,
        "identifiers.ipc",
        "未知字段",
        'did you mean "icp"?',
    ),
    Case(
        "window-unknown-in-staff",
        edit(W, "    badge:", "    bage:"),
        W,
        8,
        "staff[0].bage",
        "未知字段",
        'did you mean "badge"?',
    ),
    Case(
        "department-unknown", edit(D, "phone:", "phnoe:"), D, 4, "phnoe", "未知字段", 'did you mean "phone"?'
    ),
    Case("number-as-key", edit(D, "phone: 0911-2111111", "1: 0911-2111111"), D, 4, "1", "未知字段"),
    Case("null-as-key", edit(D, "phone: 0911-2111111", "null: 0911-2111111"), D, 4, "null", "未知字段"),
    # --- enumerations, with the allowed words ----------------------------------------------------
    Case(
        "item-type",
        edit(I, "type: 行政许可", "type: 行政许否"),
        I,
        3,
        "type",
        "“行政许否”不在允许范围",
        "'行政许可'",
    ),
    Case(
        "item-status", edit(I, "status: 在办", "status: 办理中"), I, 6, "status", "不在允许范围", "'已下放'"
    ),
    Case(
        "item-audience",
        edit(I, "audience: 自然人和法人", "audience: 公民"),
        I,
        12,
        "audience",
        "不在允许范围",
    ),
    Case(
        "change-action",
        edit(I, "action: 保留", "action: 保持"),
        I,
        9,
        "changes[0].action",
        "不在允许范围",
        "'承接'",
    ),
    Case(
        "material-form",
        edit(I, "form: 原件", "form: 原本"),
        I,
        20,
        "materials[0].form",
        "不在允许范围",
        "'电子件'",
    ),
    Case("result-type", edit(I, "type: 出证", "type: 证书"), I, 34, "result.type", "不在允许范围"),
    Case("site-level", edit(S, "level: 市级", "level: 地级"), S, 3, "level", "不在允许范围", "'国家级'"),
    Case(
        "department-level", edit(D, "level: 市级", "level: 乡级"), D, 3, "level", "不在允许范围", "'中央驻地'"
    ),
    Case(
        "department-kind",
        edit(D, "level: 市级", "level: 市级\nkind: 私营企业"),
        D,
        4,
        "kind",
        "不在允许范围",
        "'公共服务企业'",
    ),
    Case(
        "staff-role", edit(W, "role: 首席代表", "role: 组长"), W, 7, "staff[0].role", "不在允许范围", "'A岗'"
    ),
    Case(
        "deadline-kind",
        edit(S, "    咨询: 2", "    咨问: 2"),
        S,
        17,
        "feedback.deadlines.咨问",
        "不是允许的名称",
        "'咨询'",
    ),
    # --- dates ---------------------------------------------------------------------------------
    Case(
        "impossible-date",
        edit(I, "updated: 2011-09-15", "updated: 2011-02-30"),
        I,
        44,
        "updated",
        "不是有效日期",
    ),
    Case(
        "impossible-quoted-date",
        edit(I, "updated: 2011-09-15", 'updated: "2011-02-30"'),
        I,
        44,
        "updated",
        "不是有效日期",
    ),
    Case(
        "date-as-number",
        edit(I, "updated: 2011-09-15", "updated: 20110915"),
        I,
        44,
        "updated",
        "不是有效日期",
    ),
    Case(
        "date-with-time",
        edit(I, "updated: 2011-09-15", "updated: 2011-09-15 10:00:00"),
        I,
        44,
        "updated",
        "不是有效日期",
    ),
    Case("date-words", edit(I, "updated: 2011-09-15", "updated: 去年"), I, 44, "updated", "不是有效日期"),
    Case(
        "change-date",
        edit(I, "  - date: 2009-06-30", "  - date: 2009-13-01"),
        I,
        8,
        "changes[0].date",
        "不是有效日期",
    ),
    Case(
        "round-date",
        edit(S, "    date: 2009-06-30", "    date: 2009-06-31"),
        S,
        22,
        "reform_rounds[0].date",
        "不是有效日期",
    ),
    Case(
        "page-updated", edit(P, "updated: 2010-06-01", "updated: 2010-6-1"), P, 5, "updated", "不是有效日期"
    ),
    # --- numbers ---------------------------------------------------------------------------------
    Case("depth-too-large", edit(I, "depth: 2", "depth: 5"), I, 38, "online.depth", "应小于等于 4"),
    Case("visits-negative", edit(I, "visits: 1", "visits: -1"), I, 36, "visits", "应大于等于 0"),
    Case("copies-negative", edit(I, "copies: 1", "copies: -1"), I, 21, "materials[0].copies", "应大于等于 0"),
    Case(
        "promised-words", edit(I, "promised: 10", "promised: 十天"), I, 30, "time_limit.promised", "应为整数"
    ),
    Case("legal-negative", edit(I, "legal: 20", "legal: -20"), I, 29, "time_limit.legal", "应大于等于 0"),
    Case(
        "huge-number", edit(I, "copies: 1", "copies: " + "9" * 5000), I, 21, "materials[0].copies", "应为整数"
    ),
    Case("infinite-number", edit(I, "visits: 1", "visits: .inf"), I, 36, "visits", "应为整数"),
    Case("fraction", edit(I, "visits: 1", "visits: 1.5"), I, 36, "visits", "应为整数"),
    Case(
        "round-not-int", edit(S, "  - round: 1", "  - round: 一"), S, 20, "reform_rounds[0].round", "应为整数"
    ),
    # --- shapes and empty values ----------------------------------------------------------------
    Case("basis-empty", edit(I, BASIS, "basis: []\n"), I, 13, "basis", "不能为空列表"),
    Case(
        "process-empty",
        edit(I, "process:\n  - step: 受理\n    actor: 窗口A岗\n", "process: []\n"),
        I,
        25,
        "process",
        "不能为空列表",
    ),
    Case(
        "basis-law-missing",
        edit(I, "  - law: 《中华人民共和国食品安全法》\n    article", "  - article"),
        I,
        14,
        "basis[0].law",
        "缺少必填字段“法律法规名称”",
    ),
    Case(
        "material-name-missing",
        edit(I, "  - name: 身份证明\n    required", "  - required"),
        I,
        23,
        "materials[1].name",
        "缺少必填字段“材料名称”",
    ),
    Case(
        "step-missing",
        edit(I, "  - step: 受理\n    actor", "  - actor"),
        I,
        26,
        "process[0].step",
        "缺少必填字段“环节”",
    ),
    Case("promised-missing", edit(I, "  promised: 10\n", ""), I, 28, "time_limit.promised", "缺少必填字段"),
    Case("faq-answer-missing", edit(I, "    a: 10 个工作日。\n", ""), I, 42, "faq[0].a", "缺少必填字段"),
    Case("name-empty", edit(I, "name: 餐饮服务许可\ncode", "name:\ncode"), I, 1, "name", "不能为空"),
    Case(
        "name-a-list",
        edit(I, "name: 餐饮服务许可\ncode", "name: [餐饮, 许可]\ncode"),
        I,
        1,
        "name",
        "应为文字",
    ),
    Case(
        "name-a-bool",
        edit(D, "short_name: 市食药监局", "short_name: no"),
        D,
        2,
        "short_name",
        "应为文字",
        "quote the value",
    ),
    Case("fees-not-list", edit(I, "fees: []", "fees: 不收费"), I, 31, "fees", "应为列表"),
    Case("windows-not-list", edit(I, "windows: [a01]", "windows: {a01: 1}"), I, 5, "windows", "应为列表"),
    Case(
        "time-limit-scalar",
        edit(I, TIME_LIMIT, "time_limit: 10\n"),
        I,
        28,
        "time_limit",
        "应为“字段: 值”的映射",
    ),
    Case(
        "material-a-string",
        edit(I, "  - name: 身份证明\n    required: false", "  - 身份证明"),
        I,
        23,
        "materials[1]",
        "应为“字段: 值”的映射",
    ),
    Case(
        "required-not-bool",
        edit(I, "required: false", "required: 也许"),
        I,
        24,
        "materials[1].required",
        "应为 true 或 false",
    ),
    Case(
        "online-url",
        edit(I, "url: https://zwfw.example.gov.cn/canyin", "url: zwfw.example.gov.cn"),
        I,
        39,
        "online.url",
        "不是有效网址",
    ),
    Case(
        "site-base-url",
        edit(S, "base_url: https://zwzx.example.gov.cn", "base_url: www.example"),
        S,
        10,
        "base_url",
        "不是有效网址",
    ),
    Case(
        "window-departments-scalar",
        edit(W, "departments: [shiyaojian]", "departments: shiyaojian"),
        W,
        4,
        "departments",
        "应为列表",
    ),
    Case(
        "synonyms-list", write("synonyms.yaml", "- [开饭店, 开餐馆]\n"), "synonyms.yaml", 1, "", "而不是列表"
    ),
    Case(
        "synonyms-scalar-words",
        write("synonyms.yaml", "a: [b]\n餐饮服务许可: 开饭店\n"),
        "synonyms.yaml",
        2,
        "餐饮服务许可",
        "应为列表",
    ),
    Case(
        "synonyms-nested",
        write("synonyms.yaml", "餐饮服务许可:\n  - [开饭店]\n"),
        "synonyms.yaml",
        2,
        "餐饮服务许可[0]",
        "应为文字",
    ),
    # --- rules beyond types --------------------------------------------------------------------------
    Case(
        "dangling-department",
        edit(I, "department: shiyaojian", "department: shiyaojain"),
        I,
        4,
        "department",
        "单位“shiyaojain”不存在",
        'did you mean "shiyaojian"?',
    ),
    Case(
        "dangling-window",
        edit(I, "windows: [a01]", "windows: [a01, b07]"),
        I,
        5,
        "windows[1]",
        "窗口“b07”不存在",
        "create windows/b07.yaml or fix the id",
    ),
    Case(
        "window-dangling-department",
        edit(W, "departments: [shiyaojian]", "departments: [gongshang]"),
        W,
        4,
        "departments[0]",
        "单位“gongshang”不存在",
    ),
    Case(
        "duplicate-code",
        write("items/zz-copy.yaml", ITEM.replace("餐饮服务许可\n", "复制\n", 1)),
        "items/zz-copy.yaml",
        2,
        "code",
        "事项编码“6106-XK-001”与 items/canyin-xuke.yaml 重复",
        "items/zz-copy.yaml",
    ),
    Case(
        "promised-over-legal",
        edit(I, "promised: 10", "promised: 30"),
        I,
        30,
        "time_limit.promised",
        "承诺时限 30 天超过法定时限 20 天",
    ),
    Case("depth4-visits", edit(I, "depth: 2", "depth: 4"), I, 36, "visits", "到现场次数应为 0，而不是 1"),
    Case(
        "depth4-default-visits",
        both(edit(I, "depth: 2", "depth: 4"), edit(I, "visits: 1\n", "")),
        I,
        1,
        "visits",
        "到现场次数应为 0",
    ),
    Case(
        "missing-form",
        edit(I, "forms/shenqingshu.pdf", "forms/shenqingshu.doc"),
        I,
        22,
        "materials[0].template",
        "文件“forms/shenqingshu.doc”不存在",
        'did you mean "forms/shenqingshu.pdf"?',
    ),
    Case(
        "missing-result-sample",
        edit(I, "forms/yangben.pdf", "forms/zhengshu.pdf"),
        I,
        35,
        "result.sample",
        "不存在",
    ),
    Case(
        "form-escapes",
        edit(I, "forms/shenqingshu.pdf", "forms/../site.yaml"),
        I,
        22,
        "materials[0].template",
        "不是 forms/ 下的路径",
    ),
    Case(
        "form-absolute",
        edit(I, "forms/shenqingshu.pdf", "/etc/passwd"),
        I,
        22,
        "materials[0].template",
        "不是 forms/ 下的路径",
    ),
    Case(
        "form-outside",
        edit(I, "forms/shenqingshu.pdf", "shenqingshu.pdf"),
        I,
        22,
        "materials[0].template",
        "不是 forms/ 下的路径",
    ),
    Case(
        "form-backslash",
        edit(I, "forms/shenqingshu.pdf", "forms\\shenqingshu.pdf"),
        I,
        22,
        "materials[0].template",
        "不是 forms/ 下的路径",
    ),
    Case(
        "form-is-folder",
        both(edit(I, "forms/shenqingshu.pdf", "forms/sub"), lambda t: (t.root / "forms/sub").mkdir()),
        I,
        22,
        "materials[0].template",
        "不存在",
    ),
    # The further elements of the national guide (v2): their shapes and the joint-department rule.
    Case(
        "joint-unknown-department",
        edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\njoint: [shiyaojan]\n"),
        I,
        45,
        "joint[0]",
        "联办机构“shiyaojan”不存在",
        'did you mean "shiyaojian"?',
    ),
    Case(
        "handling-word",
        edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\nhandling: 联办件\n"),
        I,
        45,
        "handling",
        "不在允许范围",
        "即办件",
    ),
    Case(
        "remedy-needs-way",
        edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\nremedies:\n  - body: 延安市人民政府\n"),
        I,
        46,
        "remedies[0].way",
        "缺少必填字段",
    ),
    Case(
        "delivery-word",
        edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\ndelivery: [快递]\n"),
        I,
        45,
        "delivery[0]",
        "不在允许范围",
        "邮寄",
    ),
    Case(
        "special-procedure-needs-name",
        edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\nspecial_procedures:\n  - time_limit: 10 日\n"),
        I,
        46,
        "special_procedures[0].name",
        "缺少必填字段",
    ),
    Case(
        "appointment-url",
        edit(I, "updated: 2011-09-15\n", "updated: 2011-09-15\nappointment: {url: wsbs.example.gov.cn}\n"),
        I,
        45,
        "appointment.url",
        "不是有效网址",
    ),
    Case(
        "page-disclosure-word",
        edit(P, "menu: true\n", "menu: true\ndisclosure: 年度报告\n"),
        P,
        5,
        "disclosure",
        "不在允许范围",
        "年报",
    ),
    Case(
        "unknown-round",
        edit(I, "    round: 1", "    round: 2"),
        I,
        10,
        "changes[0].round",
        "清理轮次 2 未在 site.yaml 的 reform_rounds 中定义",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule(tree: Tree, case: Case) -> None:
    case.change(tree)
    problems = tree.problems()
    matching = [p for p in problems if p.path == case.path and case.message in p.message]
    assert matching, f"no problem with {case.message!r} in {case.path}; got:\n" + "\n".join(
        map(str, problems)
    )
    found = matching[0]
    assert (found.line, found.field) == (case.line, case.field), str(found)
    assert found.severity == "error"
    assert case.hint in found.hint, str(found)
    assert str(found).startswith(f"{case.path}:{case.line}: " if case.line else f"{case.path}: ")


# Required keys of every record kind: removing one gives "缺少必填字段" on that key, at the first line.
REQUIRED = [
    (rel, text, model, key)
    for rel, text, model in [
        (S, SITE, Site),
        (D, DEPARTMENT, Department),
        (W, WINDOW, Window),
        (I, ITEM, Item),
    ]
    for key, info in model.model_fields.items()
    if info.is_required()
]
FRONT_REQUIRED = [
    (rel, text, model, key)
    for rel, text, model in [(N, NEWS, News), (P, PAGE, Page)]
    for key, info in model.model_fields.items()
    if info.is_required()
]


def test_required_keys_are_the_contracts() -> None:
    """The model requires exactly what CONTENT-SPEC.md marks "yes" (no field made stricter)."""
    required = {
        model.__name__: [k for _, _, m, k in REQUIRED + FRONT_REQUIRED if m is model]
        for model in (Site, Department, Window, Item, News, Page)
    }
    assert required == {
        "Site": ["name", "level", "address", "phone", "complaint_phone", "hours"],
        "Department": ["name", "level"],
        "Window": ["name", "number", "departments"],
        "Item": [
            "name",
            "code",
            "type",
            "department",
            "status",
            "basis",
            "conditions",
            "materials",
            "process",
            "time_limit",
            "fees",
            "updated",
        ],
        "News": ["title", "date"],
        "Page": ["title"],
    }


@pytest.mark.parametrize(
    ("rel", "text", "model", "key"),
    REQUIRED + FRONT_REQUIRED,
    ids=[f"{m.__name__}.{k}" for _, _, m, k in REQUIRED + FRONT_REQUIRED],
)
def test_missing_required_key(tree: Tree, rel: str, text: str, model: type, key: str) -> None:
    if rel.endswith(".md"):
        front = yaml.safe_load(text.split("---")[1])
        del front[key]
        tree.write(rel, "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nbody\n")
        first_line = 2
    else:
        data = yaml.safe_load(text)
        del data[key]
        tree.write(rel, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        first_line = 1
    title = model.model_fields[key].title
    problems = [p for p in tree.problems() if p.path == rel and p.field == key]
    assert [(p.line, p.message) for p in problems] == [(first_line, f"缺少必填字段“{title}” (required)")]
    assert problems[0].hint == f"add `{key}:` to this record"
