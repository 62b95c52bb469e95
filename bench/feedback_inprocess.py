"""Cost of one citizen submission inside one process, without a web server: the form page, then the POST.

    .venv/bin/python bench/feedback_inprocess.py [N]      (default 300 of each)

Uses the Flask test client on a fresh SQLite database in a temporary instance
folder (WAL, synchronous FULL, as in production), the rate limiter on with
limits no run reaches, and no minimum fill time.  Tells how much of bench/feedback_bench.py's figure is the
application's own work rather than gunicorn's and the machine's.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time

from sunshine import create_app

FORM = "/feedback/new?kind=投诉&item=canyin-fuwu-xuke"
HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|started|kind)"[^>]*value="([^"]*)"')


def main(n: int) -> None:
    app = create_app(
        {
            "FEEDBACK_ENABLED": True,
            "INSTANCE_PATH": tempfile.mkdtemp(prefix="sunshine-inprocess-"),
            "SECRET_KEY": "bench",
            "FEEDBACK_SUBMIT_LIMIT": "1000000 per minute;1000000 per hour",
            "FEEDBACK_MIN_FILL_SECONDS": 0,
        }
    )
    client = app.test_client()
    page = client.get(FORM).get_data(as_text=True)
    data = dict(HIDDEN.findall(page))
    data.update(
        item="canyin-fuwu-xuke", name="张三", phone="13800138000", title="标题", body="投诉的具体内容"
    )
    for _ in range(20):  # warm: templates compiled, connections open
        client.get(FORM)
        assert client.post("/feedback/new", data=data, content_type="multipart/form-data").status_code == 303
    start = time.perf_counter()
    for _ in range(n):
        client.get(FORM)
    get_ms = (time.perf_counter() - start) / n * 1000
    start = time.perf_counter()
    for _ in range(n):
        client.post("/feedback/new", data=data, content_type="multipart/form-data")
    post_ms = (time.perf_counter() - start) / n * 1000
    print(
        f"form page {get_ms:.2f} ms, POST {post_ms:.2f} ms, one submission {get_ms + post_ms:.2f} ms (n={n})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
