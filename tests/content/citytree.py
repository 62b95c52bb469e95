"""Test helpers: a minimal city-wide tree (CONTENT-SPEC v2) and the line numbers its rule tests expect.

The root is the v1 minimal tree (contenttree.py) listing two county centers;
``catalog/`` holds one base item that the root and both counties implement
with ``base``.  Each county is a complete small center of its own.
"""

from __future__ import annotations

from pathlib import Path

from contenttree import SITE, Tree, write_minimal_tree

#: The root's site.yaml with its two counties: line 24 ``centers:``, 25 centers[0], 26 centers[1].
CITY_SITE = SITE + "centers:\n  - luochuan\n  - yanchuan\n"

# Line numbers:  1 name, 2 code, 3 type, 4 audience, 5 basis, 6 basis[0].law, 8 conditions,
# 9 materials, 10 materials[0].name, 12 materials[1].name, 14 process, 16 time_limit, 17 legal,
# 18 fees, 19 keywords.
CATALOG = """\
name: 餐饮服务许可证核发
code: "6106-JBML-001"
type: 行政许可
audience: 自然人和法人
basis:
  - law: 《中华人民共和国食品安全法》
    article: 第二十九条
conditions: 具有与经营相适应的场所。
materials:
  - name: 餐饮服务许可申请书
    form: 原件
  - name: 身份证明
    form: 原件和复印件
process:
  - step: 受理
time_limit:
  legal: 20
fees: []
keywords: [开饭店]
"""

COUNTY_SITE = """\
name: 洛川县政务服务中心
level: 县级
address: 洛川县凤栖街 68 号
phone: 0911-3621166
complaint_phone: 0911-3621100
hours: 周一至周五 9:00-17:00
"""

COUNTY_DEPARTMENT = "name: 洛川县食品药品监督管理局\nlevel: 县级\n"
COUNTY_WINDOW = 'name: 食品药品窗口\nnumber: "3"\ndepartments: [shiyaojian]\n'

# Line numbers:  1 code, 2 base, 3 department, 4 windows, 5 status, 6 changes, 7 changes[0].date,
# 8 action, 9 round, 10 time_limit, 11 promised, 12 visits, 13 updated.
IMPLEMENTATION = """\
code: "610629-0001"
base: canyin-xuke
department: shiyaojian
windows: [a03]
status: 在办
changes:
  - date: 2011-10-10
    action: 保留
    round: 1
time_limit:
  promised: 15
visits: 2
updated: 2011-10-12
"""

LC = "centers/luochuan/"
YC = "centers/yanchuan/"
LC_ITEM = LC + "items/canyin-xuke.yaml"
YC_ITEM = YC + "items/canyin-xuke.yaml"


def write_county(tree: Tree, folder: str, name: str, code: str) -> None:
    tree.write(folder + "site.yaml", COUNTY_SITE.replace("洛川县", name))
    tree.write(folder + "departments/shiyaojian.yaml", COUNTY_DEPARTMENT.replace("洛川县", name))
    tree.write(folder + "windows/a03.yaml", COUNTY_WINDOW)
    tree.write(folder + "items/canyin-xuke.yaml", IMPLEMENTATION.replace("610629-0001", code))


def write_city_tree(root: Path) -> Tree:
    """The minimal tree as a city: catalog/canyin-xuke.yaml, and 洛川县, 延川县 under centers/."""
    tree = write_minimal_tree(root)
    tree.write("site.yaml", CITY_SITE)
    tree.write("catalog/canyin-xuke.yaml", CATALOG)
    tree.edit("items/canyin-xuke.yaml", 'code: "6106-XK-001"\n', 'code: "6106-XK-001"\nbase: canyin-xuke\n')
    write_county(tree, LC, "洛川县", "610629-0001")
    write_county(tree, YC, "延川县", "610622-0001")
    return tree
