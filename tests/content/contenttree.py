"""Test helpers: a minimal tree written to the contract (CONTENT-SPEC.md), and ways to break it.

Every record kind is present with most of its fields, so each rule of the
contract can be tested by changing one line of a valid tree.  The line
numbers noted beside the keys are the ones the rule tests expect.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sunshine.content import Content, ContentError, Problem, read_content

SITE = """\
name: 延安市政务服务中心
short_name: 市政务中心
level: 市级
region: 陕西省延安市
address: 延安市宝塔区中心街 1 号
phone: 0911-8888888
complaint_phone: 0911-12345
hours: 周一至周五 9:00-17:00
email: zwzx@example.gov.cn
base_url: https://zwzx.example.gov.cn
identifiers:
  site_code: "6106000001"
  icp: 陕ICP备00000000号
feedback:
  server_url: https://hd.example.gov.cn
  deadlines:
    咨询: 2
    投诉: 10
reform_rounds:
  - round: 1
    name: 第一轮行政审批事项清理
    date: 2009-06-30
    document: 延政发〔2009〕27号
"""

DEPARTMENT = """\
name: 延安市食品药品监督管理局
short_name: 市食药监局
level: 市级
phone: 0911-2111111
"""

WINDOW = """\
name: 食品药品窗口
number: A01
area: 一楼A区
departments: [shiyaojian]
staff:
  - name: 张三
    role: 首席代表
    badge: "001"
"""

# Line numbers:  1 name, 2 code, 3 type, 4 department, 5 windows, 6 status, 8 changes[0].date,
# 9 action, 10 round, 12 audience, 14 basis[0].law, 18 materials, 20 materials[0].form,
# 21 copies, 22 template, 24 materials[1].required, 26 process[0].step, 29 legal, 30 promised,
# 31 fees, 34 result.type, 35 result.sample, 36 visits, 38 online.depth, 39 online.url, 44 updated.
ITEM = """\
name: 餐饮服务许可
code: "6106-XK-001"
type: 行政许可
department: shiyaojian
windows: [a01]
status: 在办
changes:
  - date: 2009-06-30
    action: 保留
    round: 1
    document: 延政发〔2009〕27号
audience: 自然人和法人
basis:
  - law: 《中华人民共和国食品安全法》
    article: 第二十九条
conditions: |
  具有与经营相适应的场所。
materials:
  - name: 餐饮服务许可申请书
    form: 原件
    copies: 1
    template: forms/shenqingshu.pdf
  - name: 身份证明
    required: false
process:
  - step: 受理
    actor: 窗口A岗
time_limit:
  legal: 20
  promised: 10
fees: []
result:
  name: 餐饮服务许可证
  type: 出证
  sample: forms/yangben.pdf
visits: 1
online:
  depth: 2
  url: https://zwfw.example.gov.cn/canyin
keywords: [开饭店]
faq:
  - q: 要多久？
    a: 10 个工作日。
updated: 2011-09-15
"""

NEWS = """\
---
title: 中心正式开业
date: 2010-06-01
tags: [开业]
---
中心今天开业。<b>欢迎</b>
"""

PAGE = """\
---
title: 办事须知
order: 1
menu: true
updated: 2010-06-01
---
请携带身份证。
"""

SYNONYMS = """\
餐饮服务许可: [开饭店, 开餐馆]
"""

MINIMAL_TREE: dict[str, str | bytes] = {
    "site.yaml": SITE,
    "departments/shiyaojian.yaml": DEPARTMENT,
    "windows/a01.yaml": WINDOW,
    "items/canyin-xuke.yaml": ITEM,
    "news/2010-06-01-kaiye.md": NEWS,
    "pages/guide.md": PAGE,
    "synonyms.yaml": SYNONYMS,
    "forms/shenqingshu.pdf": b"%PDF-1.4 blank form\n",
    "forms/yangben.pdf": b"%PDF-1.4 sample\n",
}

I = "items/canyin-xuke.yaml"  # noqa: E741 - short names keep the rule table readable
S = "site.yaml"
D = "departments/shiyaojian.yaml"
W = "windows/a01.yaml"
N = "news/2010-06-01-kaiye.md"
P = "pages/guide.md"


class Tree:
    """A content tree on disk that a test changes one file at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, rel: str, data: str | bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace ``old`` (which must occur exactly once) by ``new`` in one file."""
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
        self.write(rel, text.replace(old, new))

    def remove(self, rel: str) -> None:
        path = self.root / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()

    def rename(self, rel: str, new_rel: str) -> None:
        (self.root / rel).rename(self.root / new_rel)

    def load(self) -> Content:
        return read_content(self.root)

    def problems(self) -> list[Problem]:
        """Every error of the tree (empty when it is valid)."""
        try:
            self.load()
        except ContentError as exc:
            return exc.problems
        return []

    def warnings(self) -> list[Problem]:
        return self.load().warnings


def write_minimal_tree(root: Path) -> Tree:
    tree = Tree(root)
    for rel, data in MINIMAL_TREE.items():
        tree.write(rel, data)
    return tree
