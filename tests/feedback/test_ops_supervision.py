"""Supervision: lists in working days at a given ``now``, 催办 permissions and audit, the notice, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from sunshine import cli
from sunshine.content.model import FeedbackSettings
from sunshine.feedback import db, supervision
from sunshine.feedback.models import AuditEntry, Urge, utcnow

pytest_plugins = ["test_ops_support"]

from feedback_helpers import add_staff, csrf_of, login, soup  # noqa: E402
from test_ops_support import add_message, local, text_of  # noqa: E402

NOW = local(2024, 9, 30, 10, 0)  # Monday before the 2024 National Day week (10-01…10-07 off)


def test_lists_are_computed_in_working_days(ops_session: Any) -> None:
    s = ops_session
    a = add_message(s, created_at=local(2024, 9, 26, 9))  # due Sun 09-29 (调休 working day): 1 day overdue
    b = add_message(s, created_at=local(2024, 9, 27, 10))  # due 09-30: today
    add_message(s, kind="投诉", created_at=local(2024, 9, 27, 10))  # due 10-16: 8 working days left
    # Received on the make-up Sunday: due 10-08, one working day away across the golden week.
    d = add_message(s, created_at=local(2024, 9, 29, 9), status="已受理")
    e = add_message(s, kind="建议", created_at=local(2024, 6, 20, 9), status="办理中")  # > 3 months
    add_message(s, created_at=local(2024, 9, 20, 9), status="已答复", answered_at=local(2024, 9, 23, 9))
    add_message(
        s, kind="评价", rating=5, created_at=local(2024, 9, 2, 9)
    )  # a good evaluation: nothing to answer
    # 差评 from 09-10 is handled as a complaint: 10 working days over Mid-Autumn (09-15…17 off, 09-14 worked).
    g = add_message(s, kind="评价", rating=1, created_at=local(2024, 9, 10, 9))
    h = add_message(s, created_at=local(2024, 9, 25, 9), department_id="zwzx")  # due 09-27: 2 days overdue
    add_message(s, created_at=local(2024, 9, 2, 9), status="不予受理")  # finished: never listed

    result = supervision.report(s, FeedbackSettings(), NOW)
    assert [r.message.number for r in result.stale] == [e.number]
    assert [(r.message.number, r.due_on, r.left) for r in result.overdue] == [
        (g.number, dt.date(2024, 9, 25), -4),  # 09-26, 09-27, 09-29, 09-30 past due
        (h.number, dt.date(2024, 9, 27), -2),
        (a.number, dt.date(2024, 9, 29), -1),
    ]
    assert [(r.message.number, r.due_on, r.left) for r in result.warning] == [
        (b.number, dt.date(2024, 9, 30), 0),
        (d.number, dt.date(2024, 10, 8), 1),
    ]
    # A 部门办理员's view: their department only.
    scoped = supervision.report(s, FeedbackSettings(), NOW, department_id="zwzx")
    assert (
        [r.message.number for r in scoped.overdue] == [h.number] and not scoped.warning and not scoped.stale
    )
    # The same report as JSON (the cron format).
    data = json.loads(json.dumps(result.to_json()))
    assert [row["number"] for row in data["overdue"]] == [g.number, h.number, a.number]
    assert data["warning"][1]["due_on"] == "2024-10-08"


def test_stored_due_date_wins_and_three_months_is_calendar(ops_session: Any) -> None:
    # The deadline fixed at submission stays, even if site.yaml changes later.
    c = add_message(ops_session, created_at=local(2024, 9, 26, 9), due_on=dt.date(2024, 10, 8))
    assert supervision.report(ops_session, FeedbackSettings(), NOW).warning[0].message.number == c.number
    # 31 May minus three months is the end of February.
    assert supervision.months_before(local(2025, 5, 31, 12), 3) == local(2025, 2, 28, 12)
    edge = add_message(ops_session, created_at=local(2024, 6, 30, 10, 1))
    report = supervision.report(ops_session, FeedbackSettings(), NOW)
    assert edge.number not in [r.message.number for r in report.stale]
    assert edge.number in [r.message.number for r in report.overdue]


@pytest.fixture
def live_messages(ops_app: Flask) -> dict[str, str]:
    """Messages relative to the real clock: one unanswered for four months, one overdue in each department."""
    now = utcnow()
    with db.session_scope(ops_app) as s:
        stale = add_message(s, created_at=now - dt.timedelta(days=125), title="四个月未答复")
        mine = add_message(s, created_at=now - dt.timedelta(days=30), title="食药监超期留言")
        other = add_message(
            s, created_at=now - dt.timedelta(days=30), department_id="zwzx", title="管理办超期留言"
        )
        fresh = add_message(s, kind="建议", created_at=now, title="刚收到的建议")
        numbers = {"stale": stale.number, "mine": mine.number, "other": other.number, "fresh": fresh.number}
    for username, role, department in (
        ("inspector", "监察员", None),
        ("admin", "管理员", None),
        ("handler", "部门办理员", "shiyaojian"),
    ):
        add_staff(ops_app, username, role, department)
    return numbers


def test_page_needs_sign_in_and_is_scoped(ops_app: Flask, live_messages: dict[str, str]) -> None:
    client = ops_app.test_client()
    response = client.get("/admin/supervision/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]

    login(client, "inspector")
    page = soup(client.get("/admin/supervision/").data)
    stale_rows = [text_of(tr.th) for tr in page.select("section.supervision-stale tbody tr")]
    overdue_rows = [text_of(tr.th) for tr in page.select("section.supervision-overdue tbody tr")]
    assert stale_rows == [live_messages["stale"]]
    assert sorted(overdue_rows) == sorted([live_messages["mine"], live_messages["other"]])
    assert live_messages["fresh"] not in page.text
    assert len(page.select("form.urge-form")) == 3

    handler = ops_app.test_client()
    login(handler, "handler")
    page = soup(handler.get("/admin/supervision/").data)
    listed = [text_of(tr.th) for tr in page.select("tbody tr")]
    assert sorted(listed) == sorted([live_messages["stale"], live_messages["mine"]])
    assert not page.select("form.urge-form"), "a 部门办理员 cannot send 催办"


def _urges(app: Flask) -> list[tuple[str, str | None, str]]:
    with db.session_scope(app) as s:
        rows = s.execute(
            select(Urge.note, Urge.department_id, AuditEntry.actor).join(
                AuditEntry, (AuditEntry.message_id == Urge.message_id) & (AuditEntry.action == "urge")
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_urge_needs_sign_in_role_and_csrf_and_is_audited(
    ops_app: Flask, live_messages: dict[str, str]
) -> None:
    url = f"/admin/supervision/{live_messages['mine']}/urge"
    anonymous = ops_app.test_client()
    assert anonymous.post(url, data={"note": "x"}).status_code in (400, 401)

    handler = ops_app.test_client()
    login(handler, "handler")
    token = csrf_of(handler, "/admin/")  # the sign-out form carries one
    assert handler.post(url, data={"note": "x", "csrf_token": token}).status_code == 403

    inspector = ops_app.test_client()
    login(inspector, "inspector")
    assert inspector.post(url, data={"note": "没有令牌"}).status_code == 400  # CSRF refused
    assert _urges(ops_app) == []

    token = csrf_of(inspector, "/admin/supervision/")
    response = inspector.post(url, data={"note": "请今日内答复", "csrf_token": token})
    assert response.status_code in (302, 303)
    assert _urges(ops_app) == [("请今日内答复", "shiyaojian", "inspector")]
    page = soup(inspector.get(response.headers["Location"]).data)
    row = page.select_one(f"tr#message-{live_messages['mine']}")
    assert row is not None and "已催 1 次" in text_of(row)
    assert "已向承办单位发出" in page.text


def test_notice_is_printable_and_only_for_overdue(ops_app: Flask, live_messages: dict[str, str]) -> None:
    client = ops_app.test_client()
    login(client, "admin")
    page = soup(client.get(f"/admin/supervision/{live_messages['mine']}/notice").data)
    notice = page.select_one("article.urge-notice")
    assert notice is not None
    assert "催办通知书" in text_of(notice.h1) and live_messages["mine"] in text_of(notice)
    assert "市食药监局" in text_of(notice) or "食品药品监督管理局" in text_of(notice)
    css_link = page.select_one("link[href$='feedback-ops.css']")
    assert css_link is not None
    response = client.get(css_link["href"])
    css = response.get_data(as_text=True)
    response.close()
    assert "@media print" in css and "@page" in css
    assert client.get(f"/admin/supervision/{live_messages['stale']}/notice").status_code == 200
    assert client.get(f"/admin/supervision/{live_messages['fresh']}/notice").status_code == 404

    handler = ops_app.test_client()
    login(handler, "handler")
    assert handler.get(f"/admin/supervision/{live_messages['other']}/notice").status_code == 404


def test_cron_report(ops_app: Flask, live_messages: dict[str, str], mini_content: Any, capsys: Any) -> None:
    url = db.get_engine(ops_app).url.render_as_string(hide_password=False)
    args = ["feedback", "overdue", "--db", url, "--content", str(mini_content)]
    assert cli.main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [row["number"] for row in data["stale"]] == [live_messages["stale"]]
    assert sorted(row["number"] for row in data["overdue"]) == sorted(
        [live_messages["mine"], live_messages["other"]]
    )

    assert cli.main(args) == 0
    text = capsys.readouterr().out
    assert "超过三个月未答复：1 条" in text and "超期：2 条" in text
    assert live_messages["mine"] in text and live_messages["fresh"] not in text


def test_cron_report_refuses_what_is_not_a_feedback_database(
    mini_content: Path, tmp_path: Path, capsys: Any
) -> None:
    missing, empty = tmp_path / "missing.sqlite3", tmp_path / "empty.sqlite3"
    empty.touch()
    for path, message in ((missing, "no such database file"), (empty, "not a feedback database")):
        code = cli.main(["feedback", "overdue", "--db", f"sqlite:///{path}", "--content", str(mini_content)])
        assert code == 2
        assert message in capsys.readouterr().err
    assert not missing.exists(), "a report never creates a database"
