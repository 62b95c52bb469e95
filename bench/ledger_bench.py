"""Benchmark of the case ledger: importing events, the HTTP API, and the signals of a big ledger.

    .venv/bin/python bench/ledger_bench.py --events 1000000 --db both
    .venv/bin/python bench/ledger_bench.py --events 200000 --db sqlite --http
    .venv/bin/python bench/ledger_bench.py --db postgresql --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

What it does, in a temporary folder:

1. writes a content tree of one center with ``--items`` items of seven steps
   each (a promised limit of 12 working days, a fee on a third of them);
2. writes a year of cases for it with the demo generator
   (:mod:`sunshine.ledger.demo`), scaled to about ``--events`` events
   (8–9 a case: a million events are about 115,000 cases), in time order as a
   department's system would send them;
3. **import**: the file through the importer of ``build.py cases import``
   (batches of 20,000 lines, one transaction each) into a fresh SQLite file
   and/or a fresh PostgreSQL database — events a second;
4. **signals**: every signal at the end of the year (all open cases, and the
   red and yellow cards of the closed ones) — seconds;
5. with ``--http``: the real ``build.py serve --production`` over a fresh
   database, and ``--clients`` clients posting the file in bodies of
   ``--batch`` lines with a bearer token — events a second, each answer checked.

Targets: import ≥ 20,000 events/s, HTTP ≥ 5,000 events/s in batches of 1,000,
signals ≤ 2 s at 100,000 cases.  Only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from sunshine.content import read_content  # noqa: E402
from sunshine.feedback import db  # noqa: E402
from sunshine.feedback.models import TIMEZONE  # noqa: E402
from sunshine.ledger.demo import iter_demo_lines  # noqa: E402
from sunshine.ledger.items import ledger_index  # noqa: E402
from sunshine.ledger.signals import signals  # noqa: E402
from sunshine.ledger.store import Importer, split_lines  # noqa: E402

HOST = "127.0.0.1"
#: The last day of the benchmark's year (fixed, so every run imports the same events).
UNTIL = dt.date(2026, 11, 30)
STEPS = [
    ("申请与受理", "当场"),
    ("初审", "2 个工作日"),
    ("现场核查", "3 个工作日"),
    ("审核", "2 个工作日"),
    ("审批决定", "2 个工作日"),
    ("制证", "1 个工作日"),
    ("送达", "1 个工作日"),
]

SITE = """\
name: 基准市政务服务中心
level: 市级
address: 基准市人民路 1 号
phone: 0000-1111111
complaint_phone: 0000-1112345
hours: 周一至周五 9:00—17:00
"""


def write_tree(root: Path, items: int) -> Path:
    """One center: 10 departments, 10 windows with staff, ``items`` items of seven steps each."""
    (root / "items").mkdir(parents=True)
    (root / "departments").mkdir()
    (root / "windows").mkdir()
    (root / "site.yaml").write_text(SITE, encoding="utf-8")
    for d in range(10):
        (root / f"departments/dep-{d}.yaml").write_text(f"name: 基准部门{d}\nlevel: 市级\n", encoding="utf-8")
        (root / f"windows/win-{d}.yaml").write_text(
            f"name: 窗口{d}\nnumber: A{d:02d}\ndepartments: [dep-{d}]\n"
            f"staff:\n  - {{name: 王{d}, role: A岗, badge: JZ-{d:02d}01}}\n"
            f"  - {{name: 李{d}, role: B岗, badge: JZ-{d:02d}02}}\n",
            encoding="utf-8",
        )
    process = "".join(f"  - {{step: {s}, duration: {d}}}\n" for s, d in STEPS)
    for i in range(items):
        fees = "fees:\n  - {name: 工本费, standard: 每证 10 元}\n" if i % 3 == 0 else "fees: []\n"
        (root / f"items/item-{i:04d}.yaml").write_text(
            f'name: 基准事项{i}\ncode: "JZ-{i:05d}"\ntype: 行政许可\ndepartment: dep-{i % 10}\n'
            f"windows: [win-{i % 10}]\nstatus: 在办\naudience: 自然人和法人\n"
            f"basis:\n  - law: 《基准条例》\nconditions: 无。\nmaterials: []\nprocess:\n{process}"
            f"time_limit:\n  legal: 20\n  promised: 12\n{fees}updated: 2026-01-01\n",
            encoding="utf-8",
        )
    return root


def write_events(content_dir: Path, path: Path, events: int) -> tuple[int, int]:
    """About ``events`` events of a year of cases into ``path``; returns (events, cases)."""
    content = read_content(content_dir)
    per_day = (
        events / 8.6 / 250
    )  # the generator gives about 8.6 events a case of these items; 250 working days
    count = 0
    cases: set[str] = set()
    with path.open("w", encoding="utf-8") as out:
        for line in iter_demo_lines(content, until=UNTIL, seed=7, per_day=per_day):
            out.write(line + "\n")
            count += 1
            cases.add(json.loads(line)["case"])
    return count, len(cases)


def bench_import(content_dir: Path, path: Path, url: str) -> float:
    """Import the file (as ``build.py cases import`` does); return events a second."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    index = ledger_index(read_content(content_dir))
    started = time.perf_counter()
    with path.open("rb") as f:
        result = Importer(engine, index).run(split_lines(iter(lambda: f.read(1 << 20), b"")))
    elapsed = time.perf_counter() - started
    assert not result.rejected, result.rejected[:3]
    print(
        f"  import: {result.accepted:,} events in {elapsed:.1f} s = {result.accepted / elapsed:,.0f} events/s"
    )
    at = dt.datetime.combine(UNTIL, dt.time(17, 0), tzinfo=TIMEZONE)
    for _ in range(2):
        started = time.perf_counter()
        with engine.connect() as conn:
            found = signals(conn, index, at)
        took = time.perf_counter() - started
        with engine.connect() as conn:
            open_cases = conn.execute(
                text("SELECT count(*) FROM ledger_case WHERE closed_at IS NULL")
            ).scalar()
            total = conn.execute(text("SELECT count(*) FROM ledger_case")).scalar()
        print(
            f"  signals at {at:%Y-%m-%d %H:%M}: {len(found):,} signals over {total:,} cases "
            f"({open_cases:,} open) in {took:.2f} s"
        )
    engine.dispose()
    return result.accepted / elapsed


# -- HTTP ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def bench_http(content_dir: Path, path: Path, url: str, clients: int, batch: int, workdir: Path) -> float:
    """Post the file in bodies of ``batch`` lines from ``clients`` clients to the production server."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        SUNSHINE_INSTANCE_PATH=str(workdir / "instance"),
        SUNSHINE_SECRET_KEY=secrets.token_hex(16),
        SUNSHINE_LEDGER_API_LIMIT="100000 per minute",
    )
    build = [sys.executable, str(REPO / "build.py")]
    token = subprocess.run(
        [*build, "cases", "token", "add", "bench", "--content", str(content_dir)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    port = _free_port()
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(
        [*build, "serve", "--production", "--content", str(content_dir), "--host", HOST, "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start; see {workdir / 'server.log'}") from None
                time.sleep(0.2)
        lines = path.read_bytes().splitlines()
        bodies = [b"\n".join(lines[i : i + batch]) + b"\n" for i in range(0, len(lines), batch)]
        tickets = itertools.count()
        totals = {"accepted": 0, "duplicates": 0, "rejected": 0, "errors": 0}
        lock = threading.Lock()

        def client() -> None:
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
            while (n := next(tickets)) < len(bodies):
                conn.request("POST", "/api/cases/events", body=bodies[n], headers=headers)
                response = conn.getresponse()
                answer = json.loads(response.read())
                with lock:
                    if response.status != 200:
                        totals["errors"] += 1
                        continue
                    totals["accepted"] += answer["accepted"]
                    totals["duplicates"] += answer["duplicates"]
                    totals["rejected"] += len(answer["rejected"])
            conn.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
        log.close()
    rate = totals["accepted"] / elapsed
    print(
        f"  http: {totals} in {elapsed:.1f} s = {rate:,.0f} events/s "
        f"({clients} clients, bodies of {batch} lines)"
    )
    assert totals["accepted"] == len(lines) and not totals["rejected"] and not totals["errors"], totals
    return rate


def _pg_database(pg_url: str, workdir: Path) -> tuple[str, callable]:  # type: ignore[valid-type]
    name = f"ledger_bench_{secrets.token_hex(4)}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()

    return pg_url.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server to create the benchmark's database on",
    )
    parser.add_argument("--http", action="store_true", help="also post the events to the production server")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--http-events", type=int, default=200_000, help="events posted in the HTTP run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as tmp:
        workdir = Path(tmp)
        content_dir = write_tree(workdir / "content", args.items)
        path = workdir / "events.jsonl"
        started = time.perf_counter()
        events, cases = write_events(content_dir, path, args.events)
        print(
            f"{events:,} events of {cases:,} cases written in {time.perf_counter() - started:.1f} s "
            f"({path.stat().st_size / 1e6:.0f} MB)"
        )
        databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        for name in databases:
            print(f"{name}:")
            if name == "sqlite":
                bench_import(content_dir, path, f"sqlite:///{workdir / 'ledger.sqlite3'}")
                if args.http:
                    small = _head(path, workdir / "http.jsonl", args.http_events)
                    bench_http(
                        content_dir,
                        small,
                        f"sqlite:///{workdir / 'http.sqlite3'}",
                        args.clients,
                        args.batch,
                        workdir / "http-sqlite",
                    )
            else:
                url, drop = _pg_database(args.pg_url, workdir)
                try:
                    bench_import(content_dir, path, url)
                finally:
                    drop()
                if args.http:
                    small = _head(path, workdir / "http.jsonl", args.http_events)
                    url, drop = _pg_database(args.pg_url, workdir)
                    try:
                        bench_http(content_dir, small, url, args.clients, args.batch, workdir / "http-pg")
                    finally:
                        drop()
    return 0


def _head(path: Path, out: Path, n: int) -> Path:
    if not out.exists():
        with path.open("rb") as src, out.open("wb") as dst:
            for line in itertools.islice(src, n):
                dst.write(line)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
