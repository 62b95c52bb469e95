#!/usr/bin/env python3
"""Run every benchmark in turn (``make bench``); each prints its own figures.

    .venv/bin/python bench/run.py            # content, search, city, feedback, ledger (SQLite, PostgreSQL)
    .venv/bin/python bench/run.py search     # one of them

The figures measured on the 2-core development machine are in bench/README.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES: dict[str, list[str]] = {
    "content": ["content_bench.py", "1000", "10000"],
    "search": ["search_bench.py", "--sizes", "1000", "10000"],
    "city": ["city_bench.py", "--centers", "14", "--items", "700", "--catalog", "200"],
    "feedback": ["feedback_bench.py", "--db", "both"],
    "ledger": ["ledger_bench.py", "--events", "1000000", "--db", "both", "--http"],
}


def main(names: list[str]) -> int:
    """Run the named benchmarks (all when none are named); return the first failing exit code, else 0."""
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown: {', '.join(unknown)}; choose from {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    status = 0
    for name in names or list(BENCHES):
        script, *args = BENCHES[name]
        print(f"== {name}: bench/{script} {' '.join(args)}", flush=True)
        code = subprocess.call([sys.executable, str(HERE / script), *args])
        status = status or code
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
