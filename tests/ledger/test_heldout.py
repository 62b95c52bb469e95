"""A held-out check the way the contract is checked: a tree and an event file this project never tuned on.

A city-wide tree written here (root center ``shi``, county ``xian``), an event
file with known bad lines, then ``build.py cases import`` and ``build.py cases
signals --json --at …`` run as commands: exactly the expected rejected line
numbers, and exactly the expected (case, rule) pairs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sunshine import REPO_DIR

SITE = """\
id: shi
name: 某市政务服务中心
level: 市级
address: 某市中心路 1 号
phone: 0000-5550000
complaint_phone: 0000-5550001
hours: 周一至周五 9:00—17:00
centers: [xian]
"""
COUNTY = """\
name: 某县政务服务中心
level: 县级
address: 某县城关镇 2 号
phone: 0000-6660000
complaint_phone: 0000-6660001
hours: 周一至周五 9:00—17:00
"""
ITEM = """\
name: {name}
code: "{code}"
type: 行政许可
department: {department}
status: {status}
{extra}basis:
  - law: 《某条例》
conditions: 无。
materials: []
process:
{process}time_limit:
  promised: {promised}
fees: {fees}
updated: 2024-01-01
"""


def _item(
    name: str,
    code: str,
    department: str,
    promised: int,
    steps: str,
    fees: str = "[]",
    status: str = "在办",
    extra: str = "",
) -> str:
    process = "".join(
        f"  - {{step: {s.split(':')[0]}, duration: {s.split(':')[1]}}}\n" for s in steps.split(",")
    )
    return ITEM.format(
        name=name,
        code=code,
        department=department,
        promised=promised,
        process=process,
        fees=fees,
        status=status,
        extra=extra,
    )


FILES = {
    "site.yaml": SITE,
    "departments/shichang.yaml": "name: 某市市场监督管理局\nlevel: 市级\n",
    "items/yingye-zhizhao.yaml": _item(
        "营业执照核发",
        "S-001",
        "shichang",
        5,
        "受理:当场,审查:2 个工作日,发证:1个工作日",
        fees="\n  - {name: 工本费, standard: 每证 10 元}",
    ),
    "items/tingzhi-shixiang.yaml": _item(
        "某项已取消的审批",
        "S-002",
        "shichang",
        5,
        "受理:当场",
        status="已取消",
        extra="changes:\n  - {date: 2024-09-01, action: 取消}\n",
    ),
    "centers/xian/site.yaml": COUNTY,
    "centers/xian/departments/minzheng.yaml": "name: 某县民政局\nlevel: 县级\n",
    "centers/xian/departments/nongye.yaml": "name: 某县农业农村局\nlevel: 县级\n",
    "centers/xian/items/hunyin-dengji.yaml": _item("婚姻登记", "X-001", "minzheng", 0, "受理:即时"),
    "centers/xian/items/nongji-buzhu.yaml": _item(
        "农机购置补贴", "X-002", "nongye", 10, "申请与受理:当场,核实:5 个工作日,公示:5 个工作日"
    ),
}


def e(id: str, case: str, center: str | None, type: str, at: str, **fields: object) -> str:
    data: dict[str, object] = {"id": id, "case": case}
    if center:
        data["center"] = center
    data.update(type=type, at=at, **fields)
    return json.dumps(data, ensure_ascii=False)


LINES = [
    e(
        "h1-1",
        "H1",
        "shi",
        "申请",
        "2024-09-26T09:00:00+08:00",
        item="yingye-zhizhao",
        channel="窗口",
        applicant={"name": "李四", "kind": "自然人"},
    ),  # 1
    e("h1-2", "H1", "shi", "受理", "2024-09-27T09:00:00+08:00", item="S-001"),  # 2: due 10-10
    e("h1-x", "H1", None, "补正告知", "2024-09-28T09:00:00+08:00"),  # 3: BAD, no center in a city
    e("h1-3", "H1", "shi", "环节完成", "2024-10-08T10:00:00+08:00", step="审查"),  # 4: due 09-30, late
    "",  # 5
    e(
        "h1-4", "H1", "shi", "收费", "2024-10-08T10:05:00+08:00", fee={"name": "工本费", "amount": "10.00"}
    ),  # 6
    e(
        "h1-y", "H1", "shi", "收费", "2024-10-08T10:05:00+08:00", fees={"name": "工本费"}
    ),  # 7: BAD, unknown key
    e("h2-1", "H2", "shi", "受理", "2024-10-14T09:00:00+08:00", item="yingye-zhizhao"),  # 8: due 10-21
    e(
        "h3-1", "H3", "xian", "受理", "2024-10-12T09:00:00+08:00", item="X-001"
    ),  # 9: 即办 on a working Saturday
    e("h3-2", "H3", "xian", "办结", "2024-10-14T09:00:00+08:00", decision="准予"),  # 10: late
    e("h9-1", "H9", "shi", "受理", "2024-10-14T09:00:00+08:00", item="X-001"),  # 11: BAD, the county's code
    e("h4-1", "H4", "xian", "受理", "2024-10-08T09:00:00+08:00", item="nongji-buzhu"),  # 12
    e("h4-2", "H4", "xian", "补正告知", "2024-10-09T09:00:00+08:00"),  # 13
    e("h4-3", "H4", "xian", "补正完成", "2024-10-11T09:00:00+08:00"),  # 14
    e("h4-4", "H4", "xian", "补正告知", "2024-10-14T09:00:00+08:00"),  # 15: second notice, still paused
    e(
        "h5-1", "H5", "shi", "受理", "2024-10-08T09:00:00+08:00", item="tingzhi-shixiang"
    ),  # 16: cancelled 09-01
    e("h5-2", "H5", "shi", "办结", "2024-10-09T09:00:00+08:00", decision="不予"),  # 17: no reason
    e("h5-x", "H5", "shi", "补正告知", "2024-10-09T09:00:00"),  # 18: BAD, no offset
    e("h6-1", "H6", "xian", "申请", "2024-10-09T09:00:00+08:00", item="nongji-buzhu"),  # 19
    e("h6-2", "H6", "xian", "不予受理", "2024-10-09T10:00:00+08:00", reason="不符合补贴条件"),  # 20
    e("h6-x", "H6", "xian", "环节完成", "2024-10-09T11:00:00+08:00", step="审查"),  # 21: BAD, not its step
    e("h7-1", "H7", "shi", "受理", "2024-10-16T09:00:00+08:00", item="yingye-zhizhao"),  # 22: due 10-23
    e("h1-1", "H1", "shi", "申请", "2024-09-26T09:00:00+08:00", item="yingye-zhizhao"),  # 23: a duplicate
    e("h2-2", "H2", "shi", "收费", "2024-10-15T09:00:00+08:00", fee={"name": "加急费", "amount": "30"}),  # 24
    e("h2-x", "H2", "shi", "催办", "2024-10-15T09:00:00+08:00"),  # 25: BAD, unknown type
]
REJECTED = [3, 7, 11, 18, 21, 25]
AT = "2024-10-22T10:00:00+08:00"
PAIRS = {
    ("H1", "超期"),
    ("H1", "环节超时"),  # 审查 ended late; 发证 (1 day from 10-08) still running at `at`: one signal each
    ("H2", "超期"),
    ("H2", "违规收费"),
    ("H3", "超期"),
    ("H4", "重复补正"),  # paused: no 超期
    ("H5", "已取消事项受理"),
    ("H5", "不予无理由"),
    ("H7", "临近到期"),
}


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, str(REPO_DIR / "build.py"), "cases", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "heldout"
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_held_out_tree_and_file_give_exactly_the_expected_refusals_and_signals(
    tree: Path, tmp_path: Path
) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    database = ["--content", str(tree), "--database", f"sqlite:///{tmp_path / 'ledger.sqlite3'}"]

    imported = run("import", str(events), *database)
    assert imported.returncode == 1, imported.stderr.decode()
    answer = json.loads(imported.stdout)
    assert [r["line"] for r in answer["rejected"]] == REJECTED
    assert answer["accepted"] == len([line for line in LINES if line]) - len(REJECTED) - 1
    assert answer["duplicates"] == 1

    listed = run("signals", "--json", "--at", AT, *database)
    assert listed.returncode == 0, listed.stderr.decode()
    signals = json.loads(listed.stdout)
    assert {(s["case"], s["rule"]) for s in signals} == PAIRS
    assert all({"case", "rule", "level", "evidence"} <= set(s) for s in signals)
    assert [s["step"] for s in signals if s["case"] == "H1" and s["rule"] == "环节超时"] == ["审查", "发证"]

    # The same file again, from standard input: nothing new, the same refusals.
    again = run("import", "-", *database, stdin=events.read_bytes())
    answer = json.loads(again.stdout)
    assert (answer["accepted"], [r["line"] for r in answer["rejected"]]) == (0, REJECTED)
    assert run("signals", "--json", "--at", AT, *database).stdout == listed.stdout

    # Good lines only: exit 0.
    good = tmp_path / "good.jsonl"
    good.write_text(LINES[0] + "\n", encoding="utf-8")
    assert run("import", str(good), *database).returncode == 0


def test_signals_as_text_and_by_level_and_a_date_alone(tree: Path, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    database = ["--content", str(tree), "--database", f"sqlite:///{tmp_path / 'ledger.sqlite3'}"]
    run("import", str(events), *database)
    text = run("signals", "--at", "2024-10-22", *database).stdout.decode()
    assert (
        "红牌" in text and "xian/H3" in text and "临近到期" in text
    )  # H7 is due 10-23, the next working day
    red = json.loads(
        run("signals", "--json", "--level", "红牌", "--at", AT, "--center", "xian", *database).stdout
    )
    assert {(s["case"], s["rule"]) for s in red} == {("H3", "超期")}
    bad = run("signals", "--at", "yesterday", *database)
    assert bad.returncode == 2 and "not a date-time" in bad.stderr.decode()
