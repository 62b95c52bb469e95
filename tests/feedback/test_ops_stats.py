"""Statistics: figures checked against hand-computed expectations; the SVG chart parses and is labelled."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask

from sunshine.content.model import FeedbackSettings
from sunshine.feedback import stats
from sunshine.feedback.svgchart import Series, bar_chart, nice_max

pytest_plugins = ["test_ops_support"]

from feedback_helpers import soup  # noqa: E402
from test_ops_support import add_message, local, text_of  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
NOW = local(2025, 3, 20, 10, 0)  # Thursday


def seed(session: Any) -> None:
    """Eight messages whose figures are worked out by hand in the tests below."""
    # 1 咨询, Mon 03-03, answered next day (1 working day; due 03-05): on time; citizen satisfied.
    add_message(
        session,
        kind="咨询",
        created_at=local(2025, 3, 3, 9),
        answered_at=local(2025, 3, 4, 15),
        status="已答复",
        reply="答复一",
        citizen_satisfied=True,
    )
    # 2 咨询, Fri 03-07, answered Wed 03-12 (03-10, 03-11, 03-12: 3 working days; due 03-11): late.
    add_message(
        session,
        kind="咨询",
        created_at=local(2025, 3, 7, 10),
        answered_at=local(2025, 3, 12, 11),
        status="已答复",
        reply="答复二",
        citizen_satisfied=False,
    )
    # 3 投诉, 02-10, still open (due 02-24): late.
    add_message(session, kind="投诉", created_at=local(2025, 2, 10, 9), status="办理中", department_id="zwzx")
    # 4 建议, 03-18, open and within its 15 days: not judged yet.
    add_message(session, kind="建议", created_at=local(2025, 3, 18, 9), status="已受理", department_id="zwzx")
    # 5 评价 非常满意: no answer needed; a satisfied verdict.
    add_message(session, kind="评价", rating=5, created_at=local(2025, 3, 10, 9), status="已办结")
    # 6 评价 非常不满意 (差评), Thu 02-20, answered Fri 02-21: 1 working day, on time; unsatisfied verdict.
    add_message(
        session,
        kind="评价",
        rating=1,
        created_at=local(2025, 2, 20, 10),
        answered_at=local(2025, 2, 21, 10),
        status="已答复",
        reply="答复六",
    )
    # 7 投诉 不予受理: received, but outside the answer figures.
    add_message(
        session, kind="投诉", created_at=local(2025, 1, 6, 9), status="不予受理", department_id="zwzx"
    )
    # 8 咨询 of 2024-01, the center's own: in the totals, not in the last twelve months.
    add_message(
        session,
        kind="咨询",
        created_at=local(2024, 1, 15, 9),
        answered_at=local(2024, 1, 16, 9),
        status="已办结",
        reply="答复八",
        department_id=None,
    )


def test_totals_kinds_departments_months(ops_session: Any) -> None:
    seed(ops_session)
    names = {"shiyaojian": "市食药监局", "zwzx": "管理办公室", None: "测试中心"}
    result = stats.compute(stats.load_rows(ops_session), FeedbackSettings(), NOW, names)

    total = result.total
    assert (total.received, total.to_answer, total.answered) == (8, 6, 4)
    assert (total.on_time, total.late) == (3, 2)
    assert total.on_time_rate == pytest.approx(3 / 5)
    assert total.average_workdays == pytest.approx((1 + 3 + 1 + 1) / 4)
    assert (total.rated, total.satisfied) == (4, 2)

    kinds = {t.label: t for t in result.by_kind}
    assert [t.label for t in result.by_kind] == ["咨询", "投诉", "建议", "评价"]
    assert (kinds["咨询"].received, kinds["咨询"].answered, kinds["咨询"].on_time, kinds["咨询"].late) == (
        3,
        3,
        2,
        1,
    )
    assert kinds["咨询"].average_workdays == pytest.approx(5 / 3)
    assert (kinds["投诉"].received, kinds["投诉"].to_answer, kinds["投诉"].on_time_rate) == (2, 1, 0.0)
    assert kinds["建议"].on_time_rate is None
    assert (kinds["评价"].received, kinds["评价"].to_answer, kinds["评价"].satisfaction_rate) == (2, 1, 0.5)

    departments = {t.label: t.received for t in result.by_department}
    assert departments == {"市食药监局": 4, "管理办公室": 3, "测试中心": 1}

    months = {t.label: t for t in result.by_month}
    assert list(months) == stats.last_months(dt.date(2025, 3, 20)) and len(months) == 12
    assert next(iter(months)) == "2024-04"
    assert (months["2025-03"].received, months["2025-03"].to_answer, months["2025-03"].answered) == (4, 3, 2)
    assert (months["2025-02"].received, months["2025-02"].to_answer, months["2025-02"].answered) == (2, 2, 1)
    assert (months["2025-01"].received, months["2025-01"].to_answer) == (1, 0)
    assert sum(m.received for m in months.values()) == 7


def test_stats_page(ops_app: Flask, ops_session: Any) -> None:
    seed(ops_session)
    ops_session.commit()
    page = soup(ops_app.test_client().get("/feedback/stats/").data)
    kind_table = page.select_one("table#stats-kind")
    assert kind_table is not None
    headers = [text_of(th) for th in kind_table.select("thead th")]
    total_row = [text_of(c) for c in kind_table.select("tfoot tr > *")]
    row = dict(zip(headers, total_row, strict=True))
    assert row["收件"] == "8" and row["需答复"] == "6" and row["已答复"] == "4"
    # The page counts as of today, long after 2025: the open 建议 (message 4) is overdue too, so 3 / 6.
    assert row["按时答复率"] == "50.0%"
    assert row["平均用时（工作日）"] == "1.5"
    assert row["满意率"] == "50.0%"
    # The monthly chart is drawn on the server; its numbers are also in the table beside it.
    svg = page.select_one("figure.chart-figure svg")
    assert svg is not None and svg["role"] == "img"
    assert page.select_one("table#stats-month") is not None
    assert not page.select("script:not([src])"), "no inline script"


def test_svg_is_accessible_xml() -> None:
    markup = bar_chart(
        "c1",
        "收件与答复",
        "逐月数字见表格",
        ["01", "02", "03"],
        [Series("需答复", [3, 0, 7]), Series("已答复", [2, 0, 7])],
    )
    root = ElementTree.fromstring(str(markup))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "收件与答复"
    assert desc is not None and desc.text == "逐月数字见表格"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 6
    heights = [float(r.get("height", "0")) for r in bars]
    # Same value, same height; zero draws nothing; the tallest bar reaches the rounded axis top (10).
    assert heights[4] == heights[5] and heights[2] == heights[3] == 0
    assert heights[4] / heights[0] == pytest.approx(7 / 3, rel=0.02)


def test_svg_escapes_text_and_checks_lengths() -> None:
    root = ElementTree.fromstring(str(bar_chart("c2", "<a&b>", "d", ["x"], [Series("s", [1])])))
    assert root.find(f"{SVG}title").text == "<a&b>"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="2 values for 1 categories"):
        bar_chart("c3", "t", "d", ["x"], [Series("s", [1, 2])])


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (3, 5), (7, 10), (10, 10), (11, 20), (180, 200), (0.4, 0.5)]
)
def test_nice_axis_top(value: float, top: float) -> None:
    assert nice_max(value) == pytest.approx(top)


def test_last_months_cross_the_year() -> None:
    assert stats.last_months(dt.date(2025, 2, 28), 3) == ["2024-12", "2025-01", "2025-02"]
