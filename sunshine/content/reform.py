"""Reform statistics (清理整顿), exactly as CONTENT-SPEC.md defines them.

For a center and a round R of its reform rounds (the root's when it has none
of its own):

* 清理事项数: items with a change in round R — those whose change is 取消,
  下放, 合并, 保留 or 调整; 新增 and 承接 are counted apart and are not part of it;
* 取消, 下放, 合并: items whose change in round R has that action;
* 保留: items whose change in round R is 保留 or 调整;
* 精简率 = (取消 + 下放 + 合并) / 清理事项数, a percentage with one decimal
  (rounded half up: 106 取消 of 252 is 42.1%).

An item with more than one change in the same round counts once, by the last
of them in its ``changes`` list (the state the round left it in).  Every page,
chart and data file takes its figures from :func:`center_rounds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .model import Item, ReformRound
from .tree import Content

#: The actions of 清理事项数, each with the column it is counted in.
CLEARED_COLUMNS: dict[str, str] = {
    "取消": "取消",
    "下放": "下放",
    "合并": "合并",
    "保留": "保留",
    "调整": "保留",
}
#: Actions counted apart, outside 清理事项数.
APART_COLUMNS: tuple[str, ...] = ("新增", "承接")
#: The columns of a round's statistics, in the order tables show them.
COLUMNS: tuple[str, ...] = ("取消", "下放", "合并", "保留", *APART_COLUMNS)
#: The actions that reduce the items a center handles (the numerator of 精简率).
REDUCING: tuple[str, ...] = ("取消", "下放", "合并")


@dataclass
class RoundStats:
    """One center's figures for one reform round, with the items behind each number."""

    round: ReformRound
    items: dict[str, list[Item]] = field(default_factory=lambda: {c: [] for c in COLUMNS})

    def count(self, column: str) -> int:
        return len(self.items[column])

    @property
    def cleared(self) -> int:
        """清理事项数: 取消 + 下放 + 合并 + 保留 (保留 includes 调整)."""
        return sum(self.count(c) for c in ("取消", "下放", "合并", "保留"))

    @property
    def reduced(self) -> int:
        """取消 + 下放 + 合并."""
        return sum(self.count(c) for c in REDUCING)

    @property
    def rate(self) -> Decimal | None:
        """精简率 in percent, one decimal, half up; None when the round cleared nothing."""
        if not self.cleared:
            return None
        return (Decimal(self.reduced) * 100 / Decimal(self.cleared)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def rate_text(self) -> str:
        """精简率 as printed: "42.1%", or "—" for a round that cleared nothing."""
        rate = self.rate
        return f"{rate}%" if rate is not None else "—"

    @property
    def name(self) -> str:
        return self.round.name or f"第{self.round.round}轮"


def change_in_round(item: Item, number: int) -> str | None:
    """The action of ``item``'s change in round ``number`` (the last one listed), or None."""
    found = None
    for change in item.changes:
        if change.round == number:
            found = change.action
    return found


def center_rounds(content: Content) -> list[RoundStats]:
    """The figures of every reform round of ``content``'s center, in round order."""
    rounds = sorted({r.round: r for r in content.reform_rounds}.values(), key=lambda r: r.round)
    stats = {r.round: RoundStats(r) for r in rounds}
    for item in sorted(content.items.values(), key=lambda i: (i.code, i.id)):
        for number, entry in stats.items():
            action = change_in_round(item, number)
            if action is None:
                continue
            column = CLEARED_COLUMNS.get(action, action if action in APART_COLUMNS else None)
            if column is not None:
                entry.items[column].append(item)
    return list(stats.values())


def latest_round(content: Content) -> RoundStats | None:
    """The figures of the center's latest round (the highest number), if it has rounds."""
    rounds = center_rounds(content)
    return rounds[-1] if rounds else None
