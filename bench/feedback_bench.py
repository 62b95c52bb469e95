"""Load test of the feedback server: citizens submitting messages, the way a browser does.

Starts the production server (``build.py serve --production``) on a free loopback
port over a fresh database, then runs ``--clients`` concurrent clients until
``--submissions`` messages were sent.  Each submission is what a browser does:
GET /feedback/new (session cookie, CSRF token, signed fill-time stamp), then a
multipart POST, which answers 303 to the receipt.  Afterwards every receipt
number is looked up in the database: a submission the server confirmed but did
not store would be a lost message, and the run fails.

The rate limiter stays on but with limits no run reaches (every client comes
from 127.0.0.1), and the minimum fill time is 0, through the server's
``SUNSHINE_*`` settings.

    .venv/bin/python bench/feedback_bench.py --db sqlite
    .venv/bin/python bench/feedback_bench.py --db postgresql --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Everything is bounded: the number of submissions, each request's timeout, and
the server start-up wait.  Only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sunshine import DEMO_CONTENT  # noqa: E402

HOST = "127.0.0.1"
FORM_PATH = "/feedback/new?kind=" + quote("咨询")
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0

_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the page (CSRF token, fill-time stamp, kind): what a browser posts back."""
    out: dict[str, str] = {}
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            out[attrs["name"]] = attrs.get("value", "").replace("&amp;", "&")
    return out


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body (the form's enctype, as it allows an attachment) and its content type."""
    boundary = "----sunshine" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n".encode()
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Results:
    numbers: list[str] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    cycle_ms: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, reason: str) -> None:
        with self.lock:
            self.failures[reason] = self.failures.get(reason, 0) + 1


def client(
    port: int, tickets: itertools.count, total: int, results: Results, reconnect: bool = False
) -> None:
    """One citizen's browser, keeping its cookie, submitting until the tickets run out.

    It keeps its connection open, as a browser talking to the server does; with
    ``reconnect`` every request comes on a new connection with ``Connection:
    close``, as nginx passes requests to its upstream by default.
    """
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    cookie = ""
    close = {"Connection": "close"} if reconnect else {}
    while next(tickets) < total:
        try:
            started = time.perf_counter()
            if reconnect:
                conn.close()
            conn.request("GET", FORM_PATH, headers={"Cookie": cookie, **close} if cookie else close)
            response = conn.getresponse()
            html = response.read().decode()
            if response.status != 200:
                results.fail(f"GET {response.status}")
                continue
            set_cookie = response.getheader("Set-Cookie")
            if set_cookie:
                cookie = set_cookie.split(";", 1)[0]
            data = hidden_fields(html)
            if "csrf_token" not in data:
                results.fail("form without csrf_token")
                continue
            data.update(
                title="办理营业执照需要哪些材料",
                body="您好，我想咨询个体工商户营业执照的办理材料和时限，谢谢。",
                name="张三",
                phone="13800138000",
                website="",
            )
            body, content_type = multipart(data)
            posted = time.perf_counter()
            if reconnect:
                conn.close()
            conn.request(
                "POST",
                "/feedback/new",
                body=body,
                headers={"Content-Type": content_type, "Cookie": cookie, **close},
            )
            response = conn.getresponse()
            response.read()
            done = time.perf_counter()
            location = response.getheader("Location") or ""
            if response.status != 303 or "/feedback/receipt/" not in location:
                results.fail(f"POST {response.status}")
                continue
            with results.lock:
                results.numbers.append(location.rsplit("/", 1)[-1])
                results.post_ms.append((done - posted) * 1000)
                results.cycle_ms.append((done - started) * 1000)
        except (OSError, http.client.HTTPException) as exc:
            results.fail(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited with code {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", FORM_PATH)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server not ready after {START_TIMEOUT:.0f}s")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def prepare_database(kind: str, pg_url: str, workdir: Path) -> tuple[str, str | None]:
    """A fresh, migrated database: a SQLite file, or a PostgreSQL schema of its own (dropped afterwards)."""
    from sqlalchemy import create_engine, text

    from sunshine.feedback import db

    if kind == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        schema = None
    else:
        schema = f"bench_{secrets.token_hex(4)}"
        admin = create_engine(pg_url)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        sep = "&" if "?" in pg_url else "?"
        url = f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    return url, schema


def drop_schema(pg_url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def verify(url: str, numbers: list[str]) -> tuple[int, int]:
    """(confirmed receipts found in the database, rows in the database)."""
    from sqlalchemy import func, select

    from sunshine.feedback import db
    from sunshine.feedback.models import Message

    engine = db.make_engine(url)
    found = 0
    with engine.connect() as conn:
        for i in range(0, len(numbers), 500):
            chunk = numbers[i : i + 500]
            found += conn.execute(select(func.count()).where(Message.number.in_(chunk))).scalar_one()
        rows = conn.execute(select(func.count()).select_from(Message)).scalar_one()
    engine.dispose()
    return found, rows


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by a live process and its descendants, from /proc.

    Read before and after the load, so the workers' start-up (imports, content
    loading) is not counted against the submissions.
    """
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(used.get(pid, 0.0) for pid in tree)


def server_command(args: argparse.Namespace, port: int) -> list[str]:
    """``build.py serve --production``: the command a deployment runs, with its own worker settings."""
    return [
        sys.executable,
        str(REPO / "build.py"),
        "serve",
        "--production",
        "--content",
        str(args.content),
        "--host",
        HOST,
        "--port",
        str(port),
    ]


def pool_settings(args: argparse.Namespace) -> dict[str, str]:
    """The SUNSHINE_* worker settings given on the command line (the production defaults otherwise)."""
    given = {
        "SUNSHINE_WORKERS": args.workers,
        "SUNSHINE_THREADS": args.threads,
        "SUNSHINE_WORKER_CLASS": args.worker_class,
    }
    return {name: str(value) for name, value in given.items() if value is not None}


def gunicorn_pool(log: Path) -> dict[str, object]:
    """The pool the server really ran, from gunicorn's log: its worker class and how many workers booted."""
    text = log.read_text(errors="replace")
    used = re.search(r"Using worker: (\S+)", text)
    return {"worker_class": used.group(1), "workers": text.count("Booting worker")} if used else {}


def run(args: argparse.Namespace, kind: str) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="sunshine-bench-"))
    url, schema = prepare_database(kind, args.pg_url, workdir)
    port = free_port()
    env = dict(
        os.environ,
        SUNSHINE_FEEDBACK_ENABLED="true",
        SUNSHINE_CONTENT_DIR=str(args.content),
        SUNSHINE_DATABASE_URL=url,
        SUNSHINE_SECRET_KEY=secrets.token_hex(32),
        SUNSHINE_FEEDBACK_AUTO_MIGRATE="false",
        SUNSHINE_FEEDBACK_MIN_FILL_SECONDS="0",
        # The limiter stays on, counting every post in its shared file; no run comes near these limits.
        SUNSHINE_FEEDBACK_SUBMIT_LIMIT="1000000 per minute;1000000 per hour",
        SUNSHINE_FEEDBACK_SECURE_COOKIES="false",
        PYTHONPATH=str(REPO),
        **pool_settings(args),
    )
    env.pop("DATABASE_URL", None)
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 - closed in finally, after the server
    server = subprocess.Popen(
        server_command(args, port), cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_ready(port, server)
        results = Results()
        tickets = itertools.count()
        threads = [
            threading.Thread(
                target=client, args=(port, tickets, args.submissions, results, args.reconnect), daemon=True
            )
            for _ in range(args.clients)
        ]
        began = time.perf_counter()
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        server_before = tree_cpu(server.pid)
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.submissions * REQUEST_TIMEOUT)
        elapsed = time.perf_counter() - began
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu = tree_cpu(server.pid) - server_before
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    client_cpu = _cpu(client_after) - _cpu(client_before)
    found, rows = verify(url, results.numbers)
    if schema is not None:
        drop_schema(args.pg_url, schema)
    confirmed = len(results.numbers)
    report = {
        "database": kind,
        "server": "build.py serve --production",
        "pool": {**pool_settings(args), **gunicorn_pool(workdir / "server.log")},
        "clients": args.clients,
        "client_connections": "Connection: close" if args.reconnect else "kept open unless the server closes",
        "confirmed": confirmed,
        "failed": results.failures,
        "seconds": round(elapsed, 2),
        "submissions_per_s": round(confirmed / elapsed, 1) if elapsed else 0.0,
        "post_ms": {
            "p50": round(percentile(results.post_ms, 50), 1),
            "p95": round(percentile(results.post_ms, 95), 1),
            "p99": round(percentile(results.post_ms, 99), 1),
            "mean": round(statistics.fmean(results.post_ms), 1) if results.post_ms else None,
        },
        "get_and_post_ms": {
            "p50": round(percentile(results.cycle_ms, 50), 1),
            "p95": round(percentile(results.cycle_ms, 95), 1),
        },
        "server_cpu_s": round(server_cpu, 1),
        "server_cpu_ms_per_submission": round(server_cpu * 1000 / confirmed, 1) if confirmed else None,
        "client_cpu_s": round(client_cpu, 1),
        "unique_receipts": len(set(results.numbers)),
        "receipts_in_db": found,
        "rows_in_db": rows,
        "lost": confirmed - found,
    }
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        report["workdir"] = str(workdir)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--workers", type=int, help="SUNSHINE_WORKERS (default: the production default)")
    parser.add_argument("--threads", type=int, help="SUNSHINE_THREADS, for gthread workers")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), help="SUNSHINE_WORKER_CLASS")
    parser.add_argument("--content", type=Path, default=DEMO_CONTENT)
    parser.add_argument(
        "--reconnect",
        action="store_true",
        help="a new connection for every request (Connection: close), as from nginx's default proxy_pass",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (database, server log)")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 1 <= args.submissions <= 100_000:
        parser.error("--clients must be 1…500 and --submissions 1…100000")
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    ok = True
    for kind in kinds:
        report = run(args, kind)
        print(json.dumps(report, ensure_ascii=False))
        ok = ok and report["lost"] == 0 and report["unique_receipts"] == report["confirmed"]
        ok = ok and report["rows_in_db"] == report["confirmed"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
