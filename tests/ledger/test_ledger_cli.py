"""``build.py cases``: tokens shown once and stored hashed, rebuild, demo output, usage errors; the reads
that pages build on (one case, lists, figures) and the staff pages' way in (``record_event``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from ledger_helpers import NOW, Ledger, event, moment
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.cli import main
from sunshine.feedback import db
from sunshine.ledger.models import Case, Token
from sunshine.ledger.queries import figures, get_case, list_cases
from sunshine.ledger.store import record_event


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["cases", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def where(ledger_content: Path, tmp_path: Path) -> list[str]:
    return ["--content", str(ledger_content), "--database", f"sqlite:///{tmp_path / 'cli.sqlite3'}"]


def test_tokens_are_shown_once_stored_hashed_listed_and_revoked(
    capsys: pytest.CaptureFixture[str], where: list[str], tmp_path: Path
) -> None:
    code, out, err = cli(capsys, "token", "add", "approval-system", *where)
    assert code == 0 and out.startswith("sl_") and "不会再次显示" in err
    secret = out.strip()
    code, out, err = cli(capsys, "token", "add", "food", "--department", "shiyaojian", *where)
    assert code == 0
    engine = db.make_engine(where[-1])
    with Session(engine) as session:
        stored = {t.name: t for t in session.scalars(select(Token))}
    engine.dispose()
    assert stored["approval-system"].token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps([t.token_hash for t in stored.values()])
    assert (stored["food"].center, stored["food"].department_id) == ("city", "shiyaojian")

    code, out, _ = cli(capsys, "token", "list", *where)
    assert (
        "approval-system\t所有部门\t有效" in out and "food\tcity/shiyaojian\t有效" in out and "sl_" not in out
    )
    assert cli(capsys, "token", "revoke", "food", *where)[0] == 0
    assert "food\tcity/shiyaojian\t已吊销" in cli(capsys, "token", "list", *where)[1]

    assert cli(capsys, "token", "add", "approval-system", *where)[0] == 2  # the name is taken
    code, _, err = cli(capsys, "token", "add", "x", "--department", "no-such", *where)
    assert code == 2 and "unknown department" in err
    code, _, err = cli(capsys, "token", "add", "x", "--center", "xian", *where)
    assert code == 2 and "--center needs --department" in err
    assert cli(capsys, "token", "revoke", "nobody", *where)[0] == 2


def test_import_usage_errors(capsys: pytest.CaptureFixture[str], where: list[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, "import", str(tmp_path / "missing.jsonl"), *where)
    assert code == 2 and "无法读取" in err
    path = tmp_path / "e.jsonl"
    path.write_text("", encoding="utf-8")
    assert cli(capsys, "import", str(path), "--batch", "0", *where)[0] == 2
    code, out, _ = cli(capsys, "import", str(path), *where)
    assert code == 0 and json.loads(out) == {"accepted": 0, "duplicates": 0, "rejected": []}


def test_rebuild_derives_every_case_again(
    capsys: pytest.CaptureFixture[str], where: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "e.jsonl"
    lines = [
        event("a", "R-1", "受理", "2024-09-27 09:00", item="canyin-fuwu-xuke"),
        event("b", "R-1", "办结", "2024-10-21 09:00", decision="准予"),
    ]
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in lines), encoding="utf-8")
    assert cli(capsys, "import", str(path), *where)[0] == 0
    engine = db.make_engine(where[-1])
    with engine.begin() as conn:  # damage the derived row, as a changed rule would leave it
        conn.execute(Case.__table__.update().values(on_time=True, status="办理中"))
    code, out, _ = cli(capsys, "rebuild", *where)
    assert code == 0 and "重新计算 1 个办件" in out
    with Session(engine) as session:
        case = session.scalar(select(Case))
        assert case is not None and (case.on_time, case.status) == (False, "已办结")
    engine.dispose()


def test_demo_writes_lines_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "demo.jsonl"
    code = main(["cases", "demo", "--until", "2026-11-30", "--out", str(out)])
    assert code == 0
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert {"id", "case", "center", "type", "at"} <= set(first)


def test_record_event_is_the_pages_way_to_write_the_same_events(ledger: Ledger) -> None:
    clock = lambda: NOW  # noqa: E731
    event_id, result = record_event(
        ledger.engine,
        ledger.index,
        {"case": "W-1", "type": "受理", "item": "canyin-fuwu-xuke", "channel": "窗口", "actor": "CS-0102"},
        source="window:liwei",
        clock=clock,
    )
    assert result.accepted == 1 and len(event_id) == 32
    state = ledger.case("W-1")
    assert state.accepted_at == NOW.replace(microsecond=0) and state.channel == "窗口"
    _, refused = record_event(
        ledger.engine, ledger.index, {"case": "W-1", "type": "受理"}, source="x", clock=clock
    )
    assert refused.accepted == 0 and "item" in refused.rejected[0]["error"]


def test_reads_for_pages_one_case_lists_and_figures(ledger: Ledger) -> None:
    ledger.send(
        event(
            "a1",
            "L-1",
            "申请",
            "2024-09-26 09:00",
            item="canyin-fuwu-xuke",
            applicant={"name": "张三", "kind": "自然人"},
        ),
        event("a2", "L-1", "受理", "2024-09-27 09:00", item="canyin-fuwu-xuke"),
        event("a3", "L-1", "补正告知", "2024-10-08 09:00"),
        event("a4", "L-1", "补正完成", "2024-10-10 09:00"),
        event("a5", "L-1", "收费", "2024-10-11 09:00", fee={"name": "工本费", "amount": "10.00"}),
        event("a6", "L-1", "办结", "2024-10-11 10:00", decision="准予"),
        event("b1", "L-2", "受理", "2024-09-27 09:00", item="canyin-fuwu-xuke"),
        event("b2", "L-2", "办结", "2024-10-30 09:00", decision="准予"),
        event("c1", "L-3", "受理", "2024-10-08 09:00", item="huji-zhengming"),
        event("d1", "L-4", "申请", "2024-10-08 09:00", item="huji-zhengming"),
        event("d2", "L-4", "撤回", "2024-10-08 10:00"),
    )
    with Session(ledger.engine) as session:
        record = get_case(session, "city", "L-1")
        assert record is not None and get_case(session, "city", "nope") is None
        state = record.state
        assert [e.id for e in record.events] == ["a1", "a2", "a3", "a4", "a5", "a6"]
        assert (
            state.applicant_name == "张三" and state.pause_days == 2 and state.due_on == dt.date(2024, 10, 18)
        )
        assert [p["kind"] for p in state.pauses] == ["补正"] and [f.fee_amount for f in state.fees] == [
            "10.00"
        ]
        assert [s.step for s in state.steps] == ["申请与受理"] and record.department == "shiyaojian"

        assert [s.case_no for s in list_cases(session, open_only=True)] == ["L-3"]
        assert [s.case_no for s in list_cases(session, department="shiyaojian")] == ["L-1", "L-2"]
        assert [s.case_no for s in list_cases(session, status="已撤回")] == ["L-4"]
        by_item = figures(session, "item_id")
        food = by_item[("city", "canyin-fuwu-xuke")]
        assert (food.accepted, food.closed, food.on_time, food.on_time_rate) == (2, 2, 1, 50)
        assert figures(session, "center")["city"].withdrawn == 1
        since = figures(session, "center", since=moment("2024-10-01 00:00"))["city"]
        assert (since.accepted, since.open) == (1, 1)
    assert ledger.consistent() == []
