"""No half-stored import: SIGKILL ``build.py cases import`` in the middle of a file, then look.

Every event of a batch the command reported committed is in the database, no
case's derived state disagrees with its events, and importing the whole file
again counts every good line as accepted or duplicate (nothing lost, nothing
twice).  On SQLite (WAL, ``synchronous=FULL``) and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ledger_helpers import event
from sqlalchemy import select

from sunshine import REPO_DIR
from sunshine.content import read_content
from sunshine.feedback import db
from sunshine.ledger.items import ledger_index
from sunshine.ledger.models import Event
from sunshine.ledger.store import check_derived

pytestmark = pytest.mark.slow

CASES = 6000
BATCH = 2000
_COMMITTED = re.compile(r"committed through line (\d+)")


def write_file(path: Path) -> tuple[set[str], set[int]]:
    """Events of CASES cases, a bad line every 997 lines; returns (good ids, bad line numbers)."""
    good: set[str] = set()
    bad: set[int] = set()
    with path.open("w", encoding="utf-8") as out:
        number = 0
        for i in range(CASES):
            day = 8 + i % 8
            case = f"K-{i:05d}"
            events = [
                event(f"{case}-1", case, "申请", f"2024-10-{day:02d} 09:00", item="canyin-fuwu-xuke"),
                event(f"{case}-2", case, "受理", f"2024-10-{day:02d} 09:30", item="0000-XK-001"),
                event(f"{case}-3", case, "环节完成", f"2024-10-{day:02d} 09:40", step="申请与受理"),
                event(f"{case}-4", case, "补正告知", f"2024-10-{day + 1:02d} 10:00"),
                event(f"{case}-5", case, "补正完成", f"2024-10-{day + 3:02d} 10:00"),
                event(f"{case}-6", case, "办结", f"2024-10-{day + 9:02d} 10:00", decision="准予"),
            ]
            for e in events:
                number += 1
                if number % 997 == 0:
                    out.write('{"id": "broken", "case": \n')
                    bad.add(number)
                    number += 1
                out.write(json.dumps(e, ensure_ascii=False) + "\n")
                good.add(e["id"])
    return good, bad


def import_command(path: Path, content: Path, url: str) -> list[str]:
    return [
        sys.executable, str(REPO_DIR / "build.py"), "cases", "import", str(path),
        "--content", str(content), "--database", url, "--batch", str(BATCH),
    ]  # fmt: skip


def test_an_import_killed_midway_loses_nothing_it_answered_for(
    ledger_content: Path, db_url: str | None, tmp_path: Path
) -> None:
    url = db_url or f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    path = tmp_path / "events.jsonl"
    good, bad = write_file(path)
    lines = path.read_text(encoding="utf-8").splitlines()

    proc = subprocess.Popen(
        import_command(path, ledger_content, url), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    committed = 0
    deadline = time.monotonic() + 120
    assert proc.stderr is not None
    for raw in proc.stderr:
        found = _COMMITTED.search(raw.decode())
        if found:
            committed = int(found.group(1))
            if committed >= 3 * BATCH:
                break
        assert time.monotonic() < deadline, "no progress"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert proc.stdout is not None
    proc.stdout.close()
    assert 0 < committed < len(lines), "the import was not interrupted midway"

    engine = db.make_engine(url)
    index = ledger_index(read_content(ledger_content))
    try:
        with engine.connect() as conn:
            stored = set(conn.execute(select(Event.id)).scalars())
        answered = {
            json.loads(line)["id"] for line in lines[:committed] if not line.startswith('{"id": "broken"')
        }
        assert answered <= stored
        assert stored <= good
        assert check_derived(engine, index) == []

        again = subprocess.run(import_command(path, ledger_content, url), capture_output=True, timeout=300)
        answer = json.loads(again.stdout)
        assert answer["accepted"] + answer["duplicates"] == len(good)
        assert answer["duplicates"] == len(stored)
        assert {r["line"] for r in answer["rejected"]} == bad
        assert check_derived(engine, index) == []
        with engine.connect() as conn:
            assert set(conn.execute(select(Event.id)).scalars()) == good
    finally:
        engine.dispose()


def test_concurrent_imports_of_overlapping_files_store_each_event_once(
    ledger_content: Path, db_url: str | None, tmp_path: Path
) -> None:
    """Four importers at once over the same cases, in different orders: each case sees all its events."""
    import random
    import threading

    from ledger_helpers import NOW, lines

    from sunshine.ledger.store import Importer

    engine = db.make_engine(db_url or f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    db.upgrade(engine)
    index = ledger_index(read_content(ledger_content))
    events = []
    for i in range(300):
        case = f"Q-{i:04d}"
        events += [
            event(f"{case}-1", case, "受理", "2024-10-08 09:30", item="canyin-fuwu-xuke"),
            event(f"{case}-2", case, "补正告知", "2024-10-09 10:00"),
            event(f"{case}-3", case, "补正完成", "2024-10-11 10:00"),
            event(f"{case}-4", case, "办结", "2024-10-18 10:00", decision="准予"),
        ]
    results = []
    errors: list[BaseException] = []

    def run(seed: int) -> None:
        mine = events[:]
        random.Random(seed).shuffle(mine)
        try:
            importer = Importer(engine, index, clock=lambda: NOW, batch_size=150)
            results.append(importer.run(lines(*mine)))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(seed,)) for seed in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    try:
        assert errors == []
        assert sum(r.accepted for r in results) == len(events)
        assert sum(r.duplicates for r in results) == 3 * len(events)
        assert check_derived(engine, index) == []
        with engine.connect() as conn:
            assert len(conn.execute(select(Event.id)).scalars().all()) == len(events)
    finally:
        engine.dispose()
