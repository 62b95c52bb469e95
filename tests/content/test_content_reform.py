"""Reform statistics (清理整顿) computed exactly as CONTENT-SPEC.md defines them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sunshine.content.model import Item, Site
from sunshine.content.reform import center_rounds, change_in_round, latest_round
from sunshine.content.tree import Content

SITE = {
    "name": "测试县政务服务中心",
    "level": "县级",
    "address": "人民路 1 号",
    "phone": "1",
    "complaint_phone": "2",
    "hours": "工作日",
}


def item(n: int, *changes: tuple[int, str]) -> Item:
    record = Item.model_validate(
        {
            "name": f"事项{n}",
            "code": f"T-{n:04d}",
            "type": "行政许可",
            "department": "d",
            "status": "在办",
            "changes": [{"date": dt.date(2011, 1, 1), "action": a, "round": r} for r, a in changes],
            "basis": [{"law": "《条例》"}],
            "conditions": "条件",
            "materials": [],
            "process": [{"step": "受理"}],
            "time_limit": {"promised": 1},
            "fees": [],
            "updated": "2011-01-01",
        }
    )
    record._id = f"i{n}"
    return record


def center(rounds: list[int], items: list[Item], **site: object) -> Content:
    reform = [{"round": r, "name": f"第{r}轮"} for r in rounds]
    return Content(
        root=Path("."),
        site=Site.model_validate({**SITE, "reform_rounds": reform, **site}),
        items={i.id: i for i in items},
    )


def batch(start: int, count: int, *changes: tuple[int, str]) -> list[Item]:
    return [item(n, *changes) for n in range(start, start + count)]


def test_contract_example_yanchuan() -> None:
    """取消 106, 保留 146 → 清理事项数 252, 精简率 42.1% (the contract's own example)."""
    content = center([4], batch(0, 106, (4, "取消")) + batch(200, 146, (4, "保留")))
    (stats,) = center_rounds(content)
    assert (stats.cleared, stats.count("取消"), stats.count("保留")) == (252, 106, 146)
    assert stats.rate == Decimal("42.1") and stats.rate_text == "42.1%"


def test_luochuan_figures() -> None:
    """323 cleared, 149 cancelled; with 18 下放 and 9 合并 the rate is 176 / 323 = 54.5%."""
    items = (
        batch(0, 149, (2, "取消"))
        + batch(200, 18, (2, "下放"))
        + batch(300, 9, (2, "合并"))
        + batch(400, 120, (2, "保留"))
        + batch(600, 27, (2, "调整"))
    )
    (stats,) = center_rounds(center([2], items))
    assert stats.cleared == 323 and stats.count("取消") == 149
    assert (stats.count("下放"), stats.count("合并"), stats.count("保留")) == (18, 9, 147)
    assert stats.rate_text == "54.5%"


def test_added_and_taken_over_are_counted_apart() -> None:
    items = (
        batch(0, 3, (1, "取消"))
        + batch(10, 1, (1, "保留"))
        + batch(20, 5, (1, "新增"))
        + batch(30, 2, (1, "承接"))
    )
    (stats,) = center_rounds(center([1], items))
    assert (stats.cleared, stats.count("新增"), stats.count("承接")) == (4, 5, 2)
    assert stats.rate_text == "75.0%"


def test_rate_is_rounded_half_up() -> None:
    """1 of 16 is 6.25%: one decimal, half up, is 6.3% (not the 6.2% of rounding half to even)."""
    (stats,) = center_rounds(center([1], batch(0, 1, (1, "取消")) + batch(10, 15, (1, "保留"))))
    assert stats.rate == Decimal("6.3")


def test_a_round_that_cleared_nothing_has_no_rate() -> None:
    (stats,) = center_rounds(center([1], batch(0, 2, (1, "新增"))))
    assert stats.cleared == 0 and stats.rate is None and stats.rate_text == "—"


def test_each_round_counts_an_item_by_its_change_in_that_round() -> None:
    items = [item(1, (1, "保留"), (2, "取消")), item(2, (1, "调整"), (1, "取消")), item(3, (2, "下放"))]
    first, second = center_rounds(center([1, 2], items))
    assert [i.id for i in first.items["保留"]] == ["i1"] and [i.id for i in first.items["取消"]] == ["i2"]
    assert (second.count("取消"), second.count("下放"), second.cleared) == (1, 1, 2)
    assert change_in_round(items[1], 1) == "取消"  # the last change of the round is the state it left
    assert change_in_round(items[2], 1) is None


def test_a_county_without_rounds_uses_the_roots() -> None:
    root = center([1, 2], [])
    county = center([], batch(0, 2, (2, "取消")) + batch(10, 2, (2, "保留")))
    county.city = root
    stats = center_rounds(county)
    assert [s.round.round for s in stats] == [1, 2] and stats[1].rate_text == "50.0%"
    latest = latest_round(county)
    assert latest is not None and latest.round.round == 2


def test_a_county_with_rounds_of_its_own_uses_those() -> None:
    root = center([1, 2], [])
    county = center([4, 5], batch(0, 2, (5, "取消")))
    county.city = root
    assert [s.round.round for s in center_rounds(county)] == [4, 5]
    assert latest_round(center([], [])) is None
