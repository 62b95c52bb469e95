"""Published replies: anonymous on the server and in a static build made with --feedback-db."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from sunshine.feedback import db
from sunshine.feedback.publish import PER_PAGE
from sunshine.pipeline import build_site
from sunshine.privacy import PersonalData, mask_name, scrub

pytest_plugins = ["test_ops_support"]

from feedback_helpers import soup  # noqa: E402
from test_ops_support import add_message, local, text_of  # noqa: E402

NAME = "欧阳娜娜"
PHONE = "13912345678"
BADGE = "YA-2011"
ID_CARD = "33010219800101123X"
LANDLINE = "0571-87654321"
#: Nothing of this may appear on a public page.
SECRETS = (NAME, PHONE, BADGE, ID_CARD, LANDLINE, "13900001111")


def publish_messages(session: Any) -> dict[str, str]:
    """A public complaint full of personal data, one private message, and one public but unanswered."""
    public = add_message(
        session,
        kind="投诉",
        created_at=local(2025, 3, 3, 9),
        name=NAME,
        phone=PHONE,
        staff_badge=BADGE,
        title=f"投诉{BADGE}号窗口态度差",
        body=f"我是{NAME}，身份证{ID_CARD}，3月3日在A12窗口被工号{BADGE}的工作人员刁难。\n请回电{PHONE}或{LANDLINE}。",
        status="已答复",
        answered_at=local(2025, 3, 5, 10),
        reply=f"{NAME}您好：经核查，工号 {BADGE} 的工作人员已被批评教育。如有疑问请拨打 139 0000 1111。",
        public=True,
        published_at=local(2025, 3, 6, 9),
    )
    private = add_message(
        session,
        kind="咨询",
        status="已答复",
        answered_at=local(2025, 3, 5, 10),
        reply="私下的答复",
        title="不公开的咨询",
        public=False,
    )
    unanswered = add_message(
        session,
        kind="建议",
        status="办理中",
        title="尚未答复的建议",
        public=True,
        published_at=local(2025, 3, 6, 9),
    )
    return {"public": public.number, "private": private.number, "unanswered": unanswered.number}


def assert_anonymous(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html, f"{secret!r} is on a public page"
    assert not re.search(r"(?<!\d)1\d{10}(?!\d)", html)


def test_mask_and_scrub() -> None:
    assert mask_name("张三") == "张**"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("  ") == "匿名"
    text = scrub(
        f"{NAME}电话{PHONE}，座机{LANDLINE}，身份证{ID_CARD}，工号{BADGE}", PersonalData(names=(NAME,))
    )
    assert_anonymous(text)
    assert text.startswith("欧阳**电话***")
    # Message numbers, dates and amounts are not personal data and stay.
    kept = "编号 TS-20250303-0001，2025-03-05 答复，收费 200 元，窗口 A12"
    assert scrub(kept) == kept


def test_server_pages_are_anonymous(ops_app: Flask, ops_session: Any) -> None:
    numbers = publish_messages(ops_session)
    ops_session.commit()
    client = ops_app.test_client()

    listing = client.get("/feedback/replies/")
    html = listing.get_data(as_text=True)
    assert_anonymous(html)
    titles = [text_of(a) for a in soup(html).select(".reply-list a")]
    assert titles == ["投诉***号窗口态度差"]

    detail = client.get(f"/feedback/replies/{numbers['public']}/")
    assert detail.status_code == 200
    html = detail.get_data(as_text=True)
    assert_anonymous(html)
    page = soup(html)
    assert "欧阳**" in text_of(page.select_one(".reply-meta"))
    assert "已被批评教育" in text_of(page.select_one(".reply-answer"))
    for hidden in ("private", "unanswered"):
        assert client.get(f"/feedback/replies/{numbers[hidden]}/").status_code == 404


def test_list_is_paginated_newest_first(ops_app: Flask, ops_session: Any) -> None:
    for i in range(PER_PAGE + 5):
        add_message(
            ops_session,
            status="已办结",
            answered_at=local(2025, 1, 2, 9),
            reply="答复",
            public=True,
            title=f"第{i:02d}条",
            published_at=local(2025, 1, 2, 9) + dt.timedelta(hours=i),
        )
    ops_session.commit()
    client = ops_app.test_client()
    first = soup(client.get("/feedback/replies/").data)
    titles = [text_of(a) for a in first.select(".reply-list a")]
    assert len(titles) == PER_PAGE and titles[0] == f"第{PER_PAGE + 4:02d}条" and titles[-1] == "第05条"
    assert first.select_one("a[rel=next]")["href"] == "/feedback/replies/page/2/"
    second = soup(client.get("/feedback/replies/page/2/").data)
    assert [text_of(a) for a in second.select(".reply-list a")] == [f"第{i:02d}条" for i in range(4, -1, -1)]
    assert client.get("/feedback/replies/page/3/").status_code == 404
    assert client.get("/feedback/replies/page/1/").status_code in (301, 308)


@pytest.mark.slow
def test_static_build_publishes_anonymous_replies(ops_app: Flask, mini_content: Path, tmp_path: Path) -> None:
    with db.session_scope(ops_app) as session:
        numbers = publish_messages(session)
    url = db.get_engine(ops_app).url.render_as_string(hide_password=False)
    out = tmp_path / "site"
    build_site(mini_content, out, feedback_db=url)

    listing = out / "feedback" / "replies" / "index.html"
    detail = out / "feedback" / "replies" / numbers["public"] / "index.html"
    stats = out / "feedback" / "stats" / "index.html"
    assert listing.is_file() and detail.is_file() and stats.is_file()
    assert not (out / "feedback" / "replies" / numbers["private"]).exists()
    assert not (out / "feedback" / "replies" / numbers["unanswered"]).exists()
    for page in (out / "feedback").rglob("*.html"):
        assert_anonymous(page.read_text(encoding="utf-8"))
    assert "欧阳**" in detail.read_text(encoding="utf-8")
    assert soup(stats.read_bytes()).select_one("svg[role=img] > title") is not None
    # The build only reads the database: the static site has no forms or staff pages.
    assert not (out / "admin").exists()


def test_static_build_refuses_a_missing_database(mini_content: Path, tmp_path: Path) -> None:
    from sunshine.feedback.publish import FeedbackDatabaseError

    with pytest.raises(FeedbackDatabaseError) as refused:
        build_site(mini_content, tmp_path / "site", feedback_db=f"sqlite:///{tmp_path / 'nope.sqlite3'}")
    assert "--feedback-db: no such database file" in refused.value.report()
    assert not (tmp_path / "site").exists()
